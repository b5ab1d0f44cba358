import datetime

import pytest
from django.db import IntegrityError, transaction

from conventions.enums import ConventionKind
from conventions.models import Amendment, Article, Convention
from tests.factories import AmendmentFactory, ArticleFactory, ConventionFactory

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_reference_is_unique():
    ConventionFactory(reference="CRESS")
    _violates(lambda: ConventionFactory(reference="CRESS"))


def test_duration_must_be_positive_in_database():
    _violates(lambda: ConventionFactory(duration_months=0))


def test_application_convention_needs_a_parent():
    _violates(lambda: ConventionFactory(kind=ConventionKind.APPLICATION, parent=None))
    parent = ConventionFactory(signed=True)
    child = ConventionFactory(kind=ConventionKind.APPLICATION, parent=parent)
    assert list(parent.children.all()) == [child]


def test_convention_cannot_be_its_own_parent():
    convention = ConventionFactory()
    convention.parent = convention
    _violates(lambda: convention.save())


def test_amendment_numbers_are_unique_per_convention_and_start_at_one():
    convention = ConventionFactory(signed=True)
    AmendmentFactory(convention=convention, number=1)
    _violates(lambda: AmendmentFactory(convention=convention, number=1))
    _violates(lambda: AmendmentFactory(convention=convention, number=0))
    # The same number on another convention is fine.
    AmendmentFactory(convention=ConventionFactory(signed=True), number=1)
    assert Amendment.objects.filter(number=1).count() == 2


def test_sibling_articles_cannot_share_a_rank():
    convention = ConventionFactory()
    first = ArticleFactory(convention=convention, position=1)
    _violates(lambda: ArticleFactory(convention=convention, position=1))
    ArticleFactory(convention=convention, parent=first, position=1)
    _violates(lambda: ArticleFactory(convention=convention, parent=first, position=1))


def test_article_numbers_follow_position_not_creation_order():
    convention = ConventionFactory()
    second = ArticleFactory(convention=convention, position=20, heading="Durée")
    first = ArticleFactory(convention=convention, position=10, heading="Objet")
    ArticleFactory(convention=convention, parent=second, position=2, heading="Préavis")
    ArticleFactory(convention=convention, parent=second, position=1, heading="Terme")
    numbered = [(a.number, a.heading, a.depth) for a in convention.numbered_articles()]
    assert numbered == [
        ("1", "Objet", 0),
        ("2", "Durée", 0),
        ("2.1", "Terme", 1),
        ("2.2", "Préavis", 1),
    ]
    # Moving "Durée" before "Objet" renumbers both, and its children follow.
    Article.objects.filter(pk=second.pk).update(position=5)
    numbered = [(a.number, a.heading) for a in convention.numbered_articles()]
    assert numbered[:3] == [("1", "Durée"), ("1.1", "Terme"), ("1.2", "Préavis")]
    assert numbered[3] == ("2", "Objet")
    assert first.pk  # still there, now second


def test_article_labels():
    assert Article.label("title", "2") == "Titre 2"
    assert Article.label("article", "10.1") == "Article 10.1"
    assert Article.label("section", "1.3.1") == "1.3.1"


def test_start_date_is_signature_unless_another_effective_date():
    convention = ConventionFactory(signed=True)
    assert convention.start_date == datetime.date(2010, 5, 17)
    convention.effective_date = datetime.date(2010, 9, 1)
    assert convention.start_date == datetime.date(2010, 9, 1)
    assert ConventionFactory().start_date is None


def test_originals_in_words():
    convention = Convention(reference="X")
    assert convention.originals_in_words(2) == "deux"
    assert convention.originals_in_words(3) == "trois"
