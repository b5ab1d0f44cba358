"""/conventions/: filters, search, sorting, pagination, CSV export; personas; query counts."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.enums import ConventionKind, ConventionStatus
from conventions.models import Convention
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory, UserFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db
LIST = reverse("conventions:list")
EXPORT = reverse("conventions:export")


def references(response):
    return [c.reference for c in response.context["page"].object_list]


def test_anonymous_is_sent_to_login(client):
    assert_login_redirect(client.get(LIST))
    assert_login_redirect(client.get(EXPORT))


def test_partner_user_is_refused(partner_client):
    assert partner_client.get(LIST).status_code == 403
    assert partner_client.get(EXPORT).status_code == 403


def test_reader_sees_the_list_without_the_create_button(reader_client):
    ConventionFactory(reference="LU-1")
    response = reader_client.get(LIST)
    assert response.status_code == 200
    assert references(response) == ["LU-1"]
    assert reverse("conventions:create") not in response.content.decode()


def test_manager_sees_the_create_button(manager_client):
    response = manager_client.get(LIST)
    assert reverse("conventions:create") in response.content.decode()


def test_filters_on_status_kind_partner_and_year(manager_client):
    cress = OrganisationFactory(name="CRESS")
    academy = OrganisationFactory(academy=True)
    a = ConventionFactory(reference="A", signed=True, parties=[academy, cress])
    a.status = ConventionStatus.IN_FORCE
    a.save()
    b = ConventionFactory(reference="B", kind=ConventionKind.FRAMEWORK)
    ConventionFactory(reference="C", kind=ConventionKind.APPLICATION, parent=b)
    assert references(manager_client.get(LIST, {"status": "in_force"})) == ["A"]
    assert references(manager_client.get(LIST, {"kind": "framework"})) == ["B"]
    assert references(manager_client.get(LIST, {"partner": "cress"})) == ["A"]
    assert references(manager_client.get(LIST, {"signed_year": 2010})) == ["A"]
    assert references(manager_client.get(LIST, {"signed_year": 2011})) == []


def test_filter_on_referent(manager_client, gestionnaire, lecteur):
    ConventionFactory(reference="MINE", referent=gestionnaire)
    ConventionFactory(reference="THEIRS", referent=lecteur)
    assert references(manager_client.get(LIST, {"referent": gestionnaire.pk})) == ["MINE"]


def test_a_search_is_run_once_for_its_count_and_its_page(manager_client, monkeypatch):
    """A search reads the ordered ids of its rows once (up to the bound), then the page's
    rows by id: the same rows and order as before, « plus de » past the bound (500; 30
    here), with a word to narrow the search."""
    monkeypatch.setattr("conventions.views.lists.SEARCH_COUNT_LIMIT", 30)
    for n in range(31):
        ConventionFactory(reference=f"OCEAN-{n:02d}", title=f"Partenariat Océan {n}")
    ConventionFactory(reference="AUTRE", title="Autre chose")
    first = manager_client.get(LIST, {"q": "Océan", "o": "reference"})
    assert "plus de 30 conventions : précisez la recherche" in first.content.decode()
    assert references(first) == [f"OCEAN-{n:02d}" for n in range(25)]
    second = manager_client.get(LIST, {"q": "Océan", "o": "reference", "page": 2})
    assert references(second) == [f"OCEAN-{n:02d}" for n in range(25, 30)]
    _, queries = count_queries(manager_client, LIST, data={"q": "Océan", "page": 2})
    # session, user, groups, referent choices, the search's ids, the rows, their partners
    assert queries == 7


def test_the_cached_filter_form_shows_a_new_referent_and_what_was_typed(manager_client):
    """The filter form's markup is cached by what it shows (config/fragments.py): a new
    staff member is offered at once, and each request shows its own filters."""
    first = manager_client.get(LIST).content.decode()
    assert "Nouvelle Référente" not in first
    UserFactory(username="n-staff", first_name="Nouvelle", last_name="Référente", reader=True)
    assert "Nouvelle Référente" in manager_client.get(LIST).content.decode()
    typed = manager_client.get(LIST, {"q": "océan", "signed_year": "1850"}).content.decode()
    assert 'value="océan"' in typed and 'value="1850"' in typed
    assert 'value="océan"' not in manager_client.get(LIST).content.decode()


@time_machine.travel(datetime.date(2024, 3, 1))
def test_due_within_reads_the_stored_term_end(manager_client):
    for reference, end in [("SOON", "2024-03-20"), ("LATER", "2024-09-01"), ("PAST", "2024-01-01")]:
        ConventionFactory(reference=reference, signed=True, current_term_end=end)
    assert references(manager_client.get(LIST, {"due_within": 30})) == ["SOON"]
    assert sorted(references(manager_client.get(LIST, {"due_within": 365}))) == ["LATER", "SOON"]


def test_pending_termination(manager_client):
    ConventionFactory(reference="T", signed=True, status=ConventionStatus.TERMINATING)
    ConventionFactory(reference="N", signed=True, status=ConventionStatus.IN_FORCE)
    assert references(manager_client.get(LIST, {"pending_termination": "on"})) == ["T"]


def test_search_reference_title_partner_and_articles_without_duplicates(manager_client):
    cress = OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    by_partner = ConventionFactory(
        reference="P-1", parties=[OrganisationFactory(academy=True), cress]
    )
    by_text = ConventionFactory(reference="T-1", title="Convention sur les stages")
    for _ in range(3):  # three matching articles: listed once
        ArticleFactory(convention=by_text, body="Accueil de stagiaires en entreprise.")
    ArticleFactory(convention=by_partner, body="Rien à voir.")
    assert references(manager_client.get(LIST, {"q": "CRESS"})) == ["P-1"]
    assert references(manager_client.get(LIST, {"q": "P-1"})) == ["P-1"]
    assert references(manager_client.get(LIST, {"q": "stages"})) == ["T-1"]
    response = manager_client.get(LIST, {"q": "entreprise"})
    assert references(response) == ["T-1"]
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "x" * 5000,
        "<script>alert(1)</script>",
        "'; DROP TABLE conventions_convention; --",
        "%",
        "_",
        "&|!()",
        "\x00",
    ],
)
def test_search_never_fails(manager_client, value):
    ConventionFactory(reference="SAFE")
    response = manager_client.get(LIST, {"q": value})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Convention.objects.filter(reference="SAFE").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"signed_year": "abc"},
        {"signed_year": "99999999999999999999"},
        {"due_within": "-3"},
        {"due_within": "1e9"},
        {"status": "nope"},
        {"partner": "abc"},
        {"referent": "999999"},
        {"o": "password"},
        {"page": "-1"},
        {"page": "abc"},
    ],
)
def test_bad_filters_show_an_error_not_a_500(manager_client, params):
    response = manager_client.get(LIST, params)
    assert response.status_code == 200
    assert manager_client.get(EXPORT, params).status_code == 200


def test_bad_year_keeps_what_was_typed_with_a_french_error(manager_client):
    response = manager_client.get(LIST, {"signed_year": "1850"})
    content = response.content.decode()
    assert 'value="1850"' in content
    assert "supérieure ou égale à 1990" in content


def test_sorting_by_each_column_both_ways(manager_client):
    ConventionFactory(reference="B-CONV", signed=True)
    ConventionFactory(reference="A-CONV")
    assert references(manager_client.get(LIST, {"o": "reference"})) == ["A-CONV", "B-CONV"]
    assert references(manager_client.get(LIST, {"o": "-reference"})) == ["B-CONV", "A-CONV"]
    for param in ("titre", "statut", "signature", "echeance", "preavis"):
        for sign in ("", "-"):
            assert manager_client.get(LIST, {"o": sign + param}).status_code == 200


def test_pagination(manager_client):
    for n in range(30):
        ConventionFactory(reference=f"PAGE-{n:02d}")
    first = manager_client.get(LIST, {"o": "reference"})
    assert len(references(first)) == 25
    second = manager_client.get(LIST, {"o": "reference", "page": 2})
    assert references(second) == [f"PAGE-{n:02d}" for n in range(25, 30)]
    assert "Page suivante" in first.content.decode()


def test_past_the_count_bound_the_list_says_more_than_and_pages_up_to_it(
    manager_client, monkeypatch
):
    """The total is counted up to a bound (1,000; 30 here): past it the page says « plus de »
    and offers the pages within the bound, which a narrower filter or the reverse sort
    goes beyond."""
    monkeypatch.setattr("config.pagination.COUNT_LIMIT", 30)
    ConventionFactory.create_batch(31, kind=ConventionKind.PARTNERSHIP)
    html = manager_client.get(reverse("conventions:list")).content.decode()
    assert "plus de 30 conventions" in html
    assert "1 / 2" in html
    last = manager_client.get(reverse("conventions:list") + "?page=9").content.decode()
    assert last.count('data-testid="row"') == 5  # rows 26 to 30: the last page within
    html = manager_client.get(reverse("conventions:list") + "?kind=framework").content.decode()
    assert "0 convention" in html


def test_list_queries_do_not_grow_with_rows(manager_client):
    ConventionFactory()
    manager_client.get(LIST)  # warm up (content types, groups)
    _, few = count_queries(manager_client, LIST, data={"q": "Convention"})
    for _ in range(20):
        ConventionFactory()
    response, many = count_queries(manager_client, LIST, data={"q": "Convention"})
    assert len(references(response)) == 21
    # session, user, staff groups (one query for the staff check and the write right),
    # referent choices, count, page, parties.
    assert few == many == 7, many


def _read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_export_is_exactly_the_filtered_list(reader_client):
    academy = OrganisationFactory(academy=True)
    cress = OrganisationFactory(name="CRESS PACA", short_name="CRESS")
    ConventionFactory(
        reference="IN-1", signed=True, parties=[academy, cress], title="Économie ; sociale"
    )
    ConventionFactory(reference="OUT-1")
    response = reader_client.get(EXPORT, {"signed_year": 2010})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _read_csv(response)
    assert rows[0][0] == "Référence"
    assert [row[0] for row in rows[1:]] == ["IN-1"]
    row = rows[1]
    assert row[1] == "Économie ; sociale"  # quoted, the semicolon kept
    assert row[5] == "17 mai 2010"
    assert "CRESS" in row[4]


def _export_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        rows = _read_csv(client.get(EXPORT))
    return rows, len(ctx)


def test_export_queries_do_not_grow_with_rows(manager_client):
    ConventionFactory()
    _, few = _export_queries(manager_client)
    for _ in range(15):
        ConventionFactory()
    rows, many = _export_queries(manager_client)
    assert len(rows) == 17
    assert few == many


def test_partner_filter_is_a_text_matching_part_of_a_name_or_acronym(manager_client):
    academy = OrganisationFactory(academy=True)
    cress = OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    cma = OrganisationFactory(name="Chambre de métiers et de l'artisanat", short_name="CMA")
    ConventionFactory(reference="CRESS-1", parties=[academy, cress])
    ConventionFactory(reference="CMA-1", parties=[academy, cma])
    ConventionFactory(reference="SEULE", parties=[academy])
    assert references(manager_client.get(LIST, {"partner": "Chambre"})) == ["CMA-1", "CRESS-1"]
    assert references(manager_client.get(LIST, {"partner": " cma "})) == ["CMA-1"]
    assert references(manager_client.get(LIST, {"partner": "nulle part"})) == []
    response = manager_client.get(LIST, {"partner": "cma"})
    html = response.content.decode()
    # What was typed stays in the field, which offers suggestions rather than every partner.
    assert 'name="partner" value="cma"' in html
    assert f'data-suggest-url="{reverse("partners:suggestions")}"' in html
    assert "Chambre régionale" not in html.split('name="partner"')[1].split("</datalist>")[0]
