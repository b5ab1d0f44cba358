"""Rules between a convention's clauses (`conventions.rules.clauses`, `Convention.clean`)."""

import pytest
from django.core.exceptions import ValidationError

from conventions.rules.clauses import notice_exceeds_term
from tests.factories import ConventionFactory


@pytest.mark.parametrize(
    ("notice", "duration", "tacit", "renewal", "refused"),
    [
        (3, 36, False, None, ""),
        (36, 36, False, None, ""),
        (0, 1, False, None, ""),
        (6, None, False, None, ""),  # the parent's duration, or not stated: nothing to compare
        (6, 3, False, None, "plus long que la durée de la convention (3 mois)"),
        (6, 36, True, 3, "plus long que la durée d'une reconduction (3 mois)"),
        (6, 36, False, 3, ""),  # no tacit renewal: its length does not apply
    ],
)
def test_a_notice_cannot_be_longer_than_the_term_it_ends(notice, duration, tacit, renewal, refused):
    message = notice_exceeds_term(notice, duration, tacit, renewal)
    assert (refused in message) if refused else message == ""


@pytest.mark.django_db
def test_full_clean_refuses_it_on_the_notice_field():
    convention = ConventionFactory.build(reference="PREAVIS", duration_months=2, notice_months=3)
    with pytest.raises(ValidationError) as refused:
        convention.full_clean(exclude=["referent"])
    assert refused.value.message_dict == {
        "notice_months": [
            "Le préavis (3 mois) est plus long que la durée de la convention (2 mois)."
        ]
    }
