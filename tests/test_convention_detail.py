"""/conventions/<reference>/: everything about one convention; buttons by rights; queries."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionContribution
from conventions import services
from conventions.enums import ConventionKind
from conventions.models import Annex, ArticleChange, Convention
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AmendmentFactory,
    ArticleFactory,
    ConventionFactory,
    FinancialCommitmentFactory,
    InstalmentFactory,
    ObligationFactory,
    PaymentFactory,
    RenewalDecisionFactory,
    SteeringMeetingFactory,
    TerminationFactory,
    sign,
)
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db

WRITE_LABELS = [
    "Rédiger le projet",
    "Nouvel avenant",
    "Renouveler",
    "Enregistrer une résiliation",
    "Décision de reconduction",
    "Enregistrer la signature",
]


def test_personas(client, lecteur, partner):
    convention = ConventionFactory()
    url = convention.get_absolute_url()
    assert_login_redirect(client.get(url))
    client.force_login(partner)
    assert client.get(url).status_code == 403
    client.force_login(lecteur)
    assert client.get(url).status_code == 200
    assert client.get(reverse("conventions:detail", args=["NOPE"])).status_code == 404


def test_reader_finds_no_button_to_change_anything(reader_client):
    for convention in (ConventionFactory(), ConventionFactory(signed=True)):
        content = reader_client.get(convention.get_absolute_url()).content.decode()
        for label in WRITE_LABELS:
            assert label not in content
        # The only form that posts is "Se déconnecter".
        assert content.count('method="post"') == 1


def test_manager_sees_draft_buttons_on_a_draft(manager_client):
    convention = ConventionFactory()
    content = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Rédiger le projet" in content
    assert "Enregistrer la signature" in content
    assert "Nouvel avenant" not in content
    assert "Renouveler" not in content


def test_manager_sees_amend_renew_and_events_on_a_signed_convention(manager_client):
    convention = ConventionFactory(signed=True)
    content = manager_client.get(convention.get_absolute_url()).content.decode()
    for label in ("Nouvel avenant", "Renouveler", "Enregistrer une résiliation"):
        assert label in content
    assert "Rédiger le projet" not in content
    assert "Enregistrer la signature" not in content


def _rich_convention(size):
    """A signed convention with `size` of everything the page shows."""
    parent = ConventionFactory(signed=True, kind=ConventionKind.FRAMEWORK)
    old = ConventionFactory(signed=True)
    convention = ConventionFactory(parent=parent, renews=old)  # signed below, once written
    articles = [ArticleFactory(convention=convention) for _ in range(size)]
    for article in articles[:size]:
        ArticleFactory(convention=convention, parent=article, position=1)
    for n in range(1, size + 1):
        Annex.objects.create(
            convention=convention,
            position=n,
            title=f"Annexe {n}",
            tables=[{"caption": "T", "columns": ["a", "b"], "rows": [["1", "2"]]}],
        )
        amendment = AmendmentFactory(convention=convention, number=n)
        ArticleChange.objects.create(
            amendment=amendment, kind="replace", article=articles[n - 1], body="Nouveau."
        )
        ArticleChange.objects.create(amendment=amendment, kind="add", body="Ajout.")
        sign(amendment, datetime.date(2011, 1, n))
        ConventionFactory(kind=ConventionKind.APPLICATION, parent=convention)
        ConventionFactory(renews=convention)
        plan = ActionPlanFactory(convention=convention, school_year=2010 + n)
        action = ActionFactory(plan=plan)
        ActionContribution.objects.create(
            action=action, party=convention.parties.first(), text="Fait."
        )
        SteeringMeetingFactory(convention=convention)
        ObligationFactory(convention=convention)
        TerminationFactory(convention=convention, party=convention.parties.last())
        RenewalDecisionFactory(convention=convention)
        commitment = FinancialCommitmentFactory(convention=convention, amendment=amendment)
        InstalmentFactory(commitment=commitment, due_on=datetime.date(2011, 6, n))
        PaymentFactory(commitment=commitment, paid_on=datetime.date(2011, 7, n))
    return sign(convention)


def test_detail_queries_do_not_grow_with_rows(manager_client):
    small = _rich_convention(1)
    large = _rich_convention(6)
    manager_client.get(small.get_absolute_url())
    response, few = count_queries(manager_client, small.get_absolute_url())
    assert response.status_code == 200
    response, many = count_queries(manager_client, large.get_absolute_url())
    assert response.status_code == 200
    # 28 before issue 20's last changes: the page now reads, with the convention, which of
    # its lists it has (+ 1), and not those it has not: here its correspondents, external
    # references, signed documents and the import it came from (- 4); its parent and the
    # conventions it renews are read apart, when it has them, rather than joined (+ 2).
    assert few == many == 27, many
    content = response.content.decode()
    assert content.count('data-testid="instalment"') == 6
    assert "Avenant N°6" in content
    assert "Modifié par l'avenant N°1" in content


def test_detail_shows_parties_text_dates_and_links(reader_client):
    convention = _rich_convention(2)
    content = reader_client.get(convention.get_absolute_url()).content.decode()
    assert "17 mai 2010, à Aix-en-Provence" in content
    assert "Signataire 1" in content
    assert convention.parent.reference in content
    assert convention.renews.reference in content
    assert "Comités de pilotage" in content
    assert "Plan d&#x27;action 2011-2012" in content
    assert 'id="documents"' in content


def test_consolidated_text_at_a_date(reader_client):
    convention = ConventionFactory()
    article = ArticleFactory(convention=convention, heading="Durée", body="Trois ans.")
    sign(convention)
    amendment = services.amendment_create(
        convention=convention, title="Durée", effective_date=datetime.date(2012, 1, 1)
    )
    services.article_change_add(
        amendment=amendment, kind="replace", article=article, body="Cinq ans."
    )
    for signatory in amendment.signatories.all():
        services.amendment_sign(signatory=signatory, on=datetime.date(2011, 6, 1), place="Aix")
    url = convention.get_absolute_url()
    before = reader_client.get(url, {"au": "2011-12-31"}).content.decode()
    after = reader_client.get(url, {"au": "2012-01-01"}).content.decode()
    assert "Trois ans." in before and "Cinq ans." not in before
    assert "Cinq ans." in after and "Modifié par l'avenant N°1" in after


@pytest.mark.parametrize("value", ["2011-02-30", "nope", "0001-01-01", "9999-12-31", "x" * 3000])
def test_bad_text_date_is_an_error_not_a_500(reader_client, value):
    convention = ConventionFactory()
    ArticleFactory(convention=convention)
    sign(convention)
    amendment = AmendmentFactory(convention=convention, number=1)
    ArticleChange.objects.create(amendment=amendment, kind="add", body="Ajout.")
    sign(amendment, datetime.date(2011, 1, 1))
    response = reader_client.get(convention.get_absolute_url(), {"au": value})
    assert response.status_code == 200
    assert "Saisissez une date valide" in response.content.decode()


def test_renewal_chain_both_ways(reader_client):
    first = ConventionFactory(signed=True, reference="GEN-1")
    second = ConventionFactory(signed=True, reference="GEN-2", renews=first)
    ConventionFactory(reference="GEN-3", renews=second)
    content = reader_client.get(second.get_absolute_url()).content.decode()
    assert "GEN-1" in content and "GEN-3" in content


def test_markup_is_escaped(reader_client):
    convention = ConventionFactory(preamble="<script>alert(1)</script> **gras**")
    ArticleFactory(convention=convention, body="<img src=x onerror=alert(1)>")
    content = reader_client.get(convention.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "<strong>gras</strong>" in content


def test_seed_conventions_all_render(client, demo):
    from users.models import User

    client.force_login(User.objects.get(username="lecteur"))
    for convention in Convention.objects.all():
        response = client.get(convention.get_absolute_url())
        assert response.status_code == 200
        # An unknown variable in an {% if %} renders as the test's marker: never shown.
        assert "%s" not in response.content.decode()
    content = client.get("/conventions/METROPOLE-PE-DONNEES/").content.decode()
    assert "Créée par" in content and "METROPOLE-PE-2018" in content


def test_the_page_reads_only_the_lists_a_convention_has(manager_client):
    """`Convention.read_parts`: one query says which lists a convention has; the page shows
    those, and reads none of the others."""
    convention = ConventionFactory(reference="PARTS-1")
    Annex.objects.create(convention=convention, position=1, title="Annexe financière")
    ConventionFactory(reference="CHILD-1", kind=ConventionKind.APPLICATION, parent=convention)
    convention.read_parts("action_plans")
    assert (convention.has_annexes, convention.has_children) == (True, True)
    assert not any(
        getattr(convention, f"has_{name}")
        for name in ("amendments", "contacts", "terminations", "renewal_decisions",
                     "external_references", "renewals", "financial_commitments", "action_plans")
    )  # fmt: skip
    manager_client.get(convention.get_absolute_url())  # the first may write the session
    response, queries = count_queries(manager_client, convention.get_absolute_url())
    content = response.content.decode()
    assert "Annexe financière" in content and "CHILD-1" in content
    bare = ConventionFactory(reference="PARTS-2")
    _, fewer = count_queries(manager_client, bare.get_absolute_url())
    assert fewer == queries - 2  # neither annexes nor children read
