"""The échéancier (/echeancier/, the staff home): personas, rows, filters, query counts."""

import datetime
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.enums import ConventionKind
from conventions.models import Convention
from echeancier.refresh import refresh_schedule
from tests.factories import ConventionFactory, ObligationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
URL = "/echeancier/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def manager():
    return UserFactory(
        username="gestion", first_name="Emmanuelle", last_name="Gestion", manager=True
    )


@pytest.fixture
def reader():
    return UserFactory(username="lecture", first_name="Louis", last_name="Lecture", reader=True)


def _convention(referent, partner=None, **kwargs):
    """Signed 1 March 2024 for 36 months: notice deadline 1 December 2026 (in 8 days),
    steering meeting n°3 due 28 February 2027, term end 28 February 2027."""
    organisations = [OrganisationFactory(academy=True), partner or OrganisationFactory()]
    convention = ConventionFactory(
        signed_on=date(2024, 3, 1),
        referent=referent,
        yearly_steering_meeting=True,
        parties=organisations,
        **kwargs,
    )
    refresh_schedule(convention, today=TODAY)
    return convention


def test_home_redirects_to_the_echeancier(client, manager):
    client.force_login(manager)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert reverse("echeancier:index") == URL


def test_personas(client, manager, reader):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    partner = UserFactory(username="partenaire")
    client.force_login(partner)
    assert client.get(URL).status_code == 403
    for user in (manager, reader):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_rows_grouped_by_month_in_french_with_convention_partners_and_referent(client, manager):
    cress = OrganisationFactory(name="Chambre régionale de l'ESS", short_name="CRESS PACA")
    convention = _convention(manager, partner=cress, reference="CRESS-2024")
    client.force_login(manager)
    response = client.get(URL)
    html = response.content.decode()
    assert "Décembre 2026" in html
    assert "1er décembre 2026" in html
    assert "Date limite de préavis" in html
    assert 'href="/conventions/CRESS-2024/"' in html
    assert "CRESS PACA" in html
    assert "Emmanuelle Gestion" in html
    assert convention.get_status_display() in html
    # 90 days by default: the meeting and the term end of 28 February 2027 are beyond.
    assert "Février 2027" not in html
    response = client.get(URL, {"window": "365"})
    html = response.content.decode()
    assert "Février 2027" in html
    assert "Comité de pilotage annuel n°3" in html
    assert html.index("Décembre 2026") < html.index("Février 2027")


def test_overdue_deadlines_are_flagged_and_filterable(client, manager):
    convention = _convention(manager)
    ObligationFactory(convention=convention, title="Fournir les données emploi")
    refresh_schedule(convention, today=TODAY)
    client.force_login(manager)
    # The home page: a few overdue rows above what is coming, and a link to all of them.
    response = client.get(URL)
    html = response.content.decode()
    count = response.context["overdue_count"]
    assert count == 7  # 5 half-yearly deliveries, 2 steering meetings
    assert len(response.context["overdue_preview"]) == 5
    assert f"Voir toutes les échéances en retard ({count})" in html
    assert html.index("En retard") < html.index("À venir dans les 90 prochains jours")
    assert {d.convention.reference for d in response.context["page"].object_list} == {
        convention.reference
    }

    html = client.get(URL, {"overdue": "on"}).content.decode()
    # Every half-yearly delivery since 2024 and the two past steering meetings.
    assert "En retard" in html
    assert "Fournir les données emploi" in html
    assert "Comité de pilotage annuel n°1" in html
    assert "1er décembre 2026" not in html  # not yet due
    assert 'data-testid="deadline-row"' in html


def test_filters_referent_mine_partner_and_kind(client, manager, reader):
    cress = OrganisationFactory(short_name="CRESS PACA")
    orm = OrganisationFactory(short_name="ORM")
    mine = _convention(manager, partner=cress, reference="MINE-1")
    theirs = _convention(reader, partner=orm, reference="THEIRS-1")
    client.force_login(manager)

    def references(params):
        page = client.get(URL, params).context["page"]
        return {d.convention.reference for d in page.object_list}

    assert references({}) == {"MINE-1", "THEIRS-1"}
    assert references({"referent": "moi"}) == {"MINE-1"}
    assert references({"referent": str(reader.pk)}) == {"THEIRS-1"}
    assert references({"organisation": "orm"}) == {"THEIRS-1"}
    page = client.get(URL, {"kind": "notice"}).context["page"]
    assert {d.kind for d in page.object_list} == {"notice"}
    assert mine.pk != theirs.pk


def test_bad_filter_values_give_a_french_error_not_a_500(client, manager):
    _convention(manager)
    client.force_login(manager)
    response = client.get(URL, {"window": "12", "kind": "nimporte", "organisation": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains filtres sont invalides" in html
    assert "Sélectionnez un choix valide" in html


def test_seed_003_half_yearly_data_deliveries_once_signed(client, demo):
    from users.models import User

    donnees = Convention.objects.get(reference="METROPOLE-PE-DONNEES")
    assert donnees.kind == ConventionKind.APPLICATION
    donnees.signed_on = date(2026, 6, 2)
    donnees.save()
    refresh_schedule(donnees, today=TODAY)
    client.force_login(User.objects.get(username="gestionnaire"))
    html = client.get(URL, {"window": "365", "referent": "moi"}).content.decode()
    assert "1er décembre 2026" in html
    assert "Fournir les données emploi — Pôle emploi (échéance semestrielle n°1)" in html
    assert "Fournir les données emploi — Métropole (échéance semestrielle n°1)" in html
    assert "1er juin 2027" in html


def _count_queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {"window": "365"})
    assert response.status_code == 200
    return len(ctx), len(response.context["page"].object_list)


def test_queries_do_not_grow_with_conventions(client, manager):
    for _ in range(2):
        convention = _convention(manager)
        ObligationFactory(convention=convention)
        refresh_schedule(convention, today=TODAY)
    client.force_login(manager)
    _count_queries(client)  # the first request after signing in may write the session
    few, few_rows = _count_queries(client)
    for _ in range(8):
        convention = _convention(UserFactory(reader=True), partner=OrganisationFactory())
        ObligationFactory(convention=convention)
        refresh_schedule(convention, today=TODAY)
    many, many_rows = _count_queries(client)
    assert many_rows > few_rows
    # session, user, staff check, référent choices, count, page, overdue count, overdue
    # preview, the partners' names of both, the conventions « à compléter ».
    assert many == few == 10, (few, many)
    assert _count_queries(client, {"overdue": "on", "referent": "moi"})[0] == 7


def test_paginates(client, manager):
    for _ in range(12):
        convention = _convention(manager)
        ObligationFactory(convention=convention, rhythm="monthly")
        refresh_schedule(convention, today=TODAY)
    client.force_login(manager)
    response = client.get(URL, {"window": "365"})
    page = response.context["page"]
    rows = list(page.object_list)
    assert page.paginator.num_pages > 1
    assert len(rows) == 25
    assert "Page suivante" in response.content.decode()
    second = client.get(URL, {"window": "365", "page": "2"}).context["page"]
    assert list(second.object_list)[0].due_on >= rows[-1].due_on
