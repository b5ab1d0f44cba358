"""/partenaires/: organisations, their people, mandates and conventions."""

import pytest
from django.urls import reverse

from partners.models import Contact
from tests.factories import ConventionFactory, MandateFactory, OrganisationFactory, PersonFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db
LIST = reverse("partners:list")


def test_personas(client, lecteur, partner):
    organisation = OrganisationFactory()
    detail = reverse("partners:detail", args=[organisation.pk])
    assert_login_redirect(client.get(LIST))
    assert_login_redirect(client.get(detail))
    client.force_login(partner)
    assert client.get(LIST).status_code == 403
    assert client.get(detail).status_code == 403
    client.force_login(lecteur)
    assert client.get(LIST).status_code == 200
    assert client.get(detail).status_code == 200
    assert client.get(reverse("partners:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("q", ["", "x" * 5000, "<b>", "' OR 1=1 --", "%"])
def test_search(reader_client, q):
    OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    response = reader_client.get(LIST, {"q": q, "page": "abc"})
    assert response.status_code == 200


def test_search_finds_by_name_or_acronym(reader_client):
    OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    OrganisationFactory(name="Pôle emploi", short_name="PE")
    response = reader_client.get(LIST, {"q": "cress"})
    assert [o.short_name for o in response.context["page"]] == ["CRESS"]


def test_list_queries_do_not_grow(reader_client):
    OrganisationFactory()
    reader_client.get(LIST)
    _, few = count_queries(reader_client, LIST)
    for _ in range(20):
        ConventionFactory()
    response, many = count_queries(reader_client, LIST)
    assert response.status_code == 200
    assert few == many


def test_detail_shows_people_mandates_and_conventions(reader_client):
    organisation = OrganisationFactory(name="CRESS PACA")
    MandateFactory(
        organisation=organisation,
        title="Président",
        person__last_name="Ancien",
        end_date="2015-01-01",
    )
    MandateFactory(organisation=organisation, title="Présidente", person__last_name="Nouvelle")
    convention = ConventionFactory(parties=[OrganisationFactory(academy=True), organisation])
    Contact.objects.create(
        convention=convention,
        organisation=organisation,
        person=PersonFactory(last_name="Correspondante"),
        role="correspondent",
    )
    content = reader_client.get(reverse("partners:detail", args=[organisation.pk])).content.decode()
    for text in (
        "Dominique Ancien",
        "Présidente",
        "Dominique Correspondante",
        convention.reference,
    ):
        assert text in content
    assert "jusqu&#x27;au 1er janvier 2015" in content or "jusqu'au 1er janvier 2015" in content


def test_detail_queries_do_not_grow(reader_client):
    small, large = OrganisationFactory(), OrganisationFactory()
    ConventionFactory(parties=[OrganisationFactory(academy=True), small])
    MandateFactory(organisation=small)
    for _ in range(10):
        ConventionFactory(parties=[OrganisationFactory(academy=True), large])
        MandateFactory(organisation=large)
    reader_client.get(reverse("partners:detail", args=[small.pk]))
    _, few = count_queries(reader_client, reverse("partners:detail", args=[small.pk]))
    _, many = count_queries(reader_client, reverse("partners:detail", args=[large.pk]))
    # 10 (the page, its conventions, the portal accounts and the manager check of "Accès au
    # portail"), plus 1 for its « Financements » (the commitments; their instalments and
    # payments are read when there are some); the staff groups are read once for the staff
    # check and the manager check.
    assert few == many == 11


SUGGESTIONS = reverse("partners:suggestions")


def test_suggestions_offer_partners_by_name_or_acronym(reader_client):
    OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    OrganisationFactory(name="Chambre de métiers", short_name="CMA")
    OrganisationFactory(name="Pôle emploi", short_name="PE")
    OrganisationFactory(name="Académie de Chambéry", academy=True)

    def names(q):
        response = reader_client.get(SUGGESTIONS, {"q": q})
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert names("chambre") == ["Chambre de métiers", "Chambre régionale de l'économie sociale"]
    assert names("cress") == ["Chambre régionale de l'économie sociale"]
    assert names("c") == []  # two characters at least
    assert names("") == [] and names("%") == [] and names("x" * 5000) == []
    response = reader_client.get(SUGGESTIONS, {"q": "PE"})
    assert response.json()["results"] == [{"name": "Pôle emploi", "short_name": "PE"}]


def test_suggestions_are_few_and_their_queries_bounded(reader_client):
    OrganisationFactory(name="Association 0")
    _, few = count_queries(reader_client, SUGGESTIONS, data={"q": "association"})
    for number in range(1, 40):
        OrganisationFactory(name=f"Association {number}")
    response, many = count_queries(reader_client, SUGGESTIONS, data={"q": "association"})
    assert len(response.json()["results"]) == 15
    assert few == many


def test_suggestions_are_for_the_staff_only(client, partner):
    assert_login_redirect(client.get(SUGGESTIONS, {"q": "ch"}))
    client.force_login(partner)
    assert client.get(SUGGESTIONS, {"q": "ch"}).status_code == 403
