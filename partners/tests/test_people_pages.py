"""/partenaires/<pk>/personnes/… and …/mandats/…: a gestionnaire adds and edits the people
of an organisation and their mandates; a lecteur or a partner cannot."""

import datetime

import pytest
from django.urls import reverse

from partners.models import Mandate, Person
from tests.factories import MandateFactory, OrganisationFactory, PersonFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "civility": "Mme",
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@example.org",
    "phone": "04 91 00 00 01",
    "title": "Présidente",
    "start_date": "2021-09-01",
    "end_date": "",
}


@pytest.fixture
def organisation():
    return OrganisationFactory(name="CRESS PACA")


@pytest.fixture
def mandate(organisation):
    return MandateFactory(organisation=organisation, title="Président", person__last_name="Ancien")


def write_urls(organisation, mandate):
    return [
        reverse("partners:person_add", args=[organisation.pk]),
        reverse("partners:person_edit", args=[organisation.pk, mandate.person.pk]),
        reverse("partners:mandate_add", args=[organisation.pk]),
        reverse("partners:mandate_edit", args=[organisation.pk, mandate.pk]),
    ]


def test_personas(client, gestionnaire, lecteur, partner, organisation, mandate):
    urls = write_urls(organisation, mandate)
    for url in urls:
        assert_login_redirect(client.get(url))
    for user in (partner, lecteur):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, NEW_PERSON).status_code == 403
    assert not Person.objects.filter(last_name="Dupont").exists()
    client.force_login(gestionnaire)
    for url in urls:
        assert client.get(url).status_code == 200


def test_another_organisations_person_or_mandate_is_not_found(manager_client, mandate):
    other = OrganisationFactory()
    assert (
        manager_client.get(
            reverse("partners:person_edit", args=[other.pk, mandate.person.pk])
        ).status_code
        == 404
    )
    assert (
        manager_client.get(
            reverse("partners:mandate_edit", args=[other.pk, mandate.pk])
        ).status_code
        == 404
    )


def test_a_gestionnaire_adds_a_person_with_their_office(manager_client, organisation, gestionnaire):
    url = reverse("partners:person_add", args=[organisation.pk])
    response = manager_client.post(url, NEW_PERSON)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[organisation.pk]) + "#personnes"
    mandate = Mandate.objects.select_related("person").get(person__last_name="Dupont")
    assert mandate.organisation == organisation and mandate.title == "Présidente"
    assert mandate.start_date == datetime.date(2021, 9, 1) and mandate.end_date is None
    assert mandate.person.civility == "Mme"
    assert mandate.history.get().history_user == gestionnaire
    assert mandate.person.history.get().history_type == "+"
    page = manager_client.get(response["Location"]).content.decode()
    assert "Claire Dupont" in page and "depuis le 1er septembre 2021" in page


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"last_name": ""}, "Indiquez le nom."),
        ({"title": ""}, "Indiquez la fonction exercée."),
        ({"end_date": "2020-01-01"}, "La fin du mandat précède son début."),
        ({"start_date": "31/02/2021"}, "Saisissez une date valide"),
        ({"start_date": "0202-01-01"}, "Saisissez une date entre 1900 et 2100."),
        ({"email": "claire@"}, "adresse électronique valide"),
        ({"civility": "Dr"}, "Sélectionnez un choix valide"),
        ({"first_name": "x" * 5000}, "100 caractères"),
    ],
)
def test_bad_input_gets_a_french_error_and_keeps_what_was_typed(
    manager_client, organisation, changes, error
):
    url = reverse("partners:person_add", args=[organisation.pk])
    response = manager_client.post(url, {**NEW_PERSON, **changes})
    assert response.status_code == 200
    content = response.content.decode()
    assert error in content
    for name in ("email", "phone", "title"):
        if name not in changes:
            assert f'value="{NEW_PERSON[name]}"' in content
    assert not Person.objects.filter(last_name="Dupont").exists()


def test_a_gestionnaire_edits_a_person(manager_client, organisation, mandate):
    url = reverse("partners:person_edit", args=[organisation.pk, mandate.person.pk])
    assert "Modifier Dominique Ancien" in manager_client.get(url).content.decode()
    response = manager_client.post(
        url, {"first_name": "Dominique", "last_name": "Nouveau-Nom", "email": "d@example.org"}
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=mandate.person.pk)
    assert person.last_name == "Nouveau-Nom" and person.email == "d@example.org"
    response = manager_client.post(url, {"first_name": "", "last_name": "Tapé"})
    content = response.content.decode()
    assert "Indiquez le prénom." in content and 'value="Tapé"' in content
    assert "Modifier Dominique Nouveau-Nom" in content  # the title as stored


def test_a_gestionnaire_adds_and_ends_a_mandate(manager_client, organisation, mandate):
    person = PersonFactory(last_name="Ailleurs")
    url = reverse("partners:mandate_add", args=[organisation.pk])
    form = manager_client.get(url).context["form"]
    assert form["organisation"].value() == organisation.pk  # this page's organisation
    response = manager_client.post(
        url,
        {"person": person.pk, "organisation": organisation.pk, "title": "Trésorière",
         "start_date": "2022-01-01"},
    )  # fmt: skip
    assert response.status_code == 302
    added = Mandate.objects.get(person=person)
    assert (added.organisation, added.title) == (organisation, "Trésorière")

    url = reverse("partners:mandate_edit", args=[organisation.pk, mandate.pk])
    data = {"person": mandate.person.pk, "organisation": organisation.pk, "title": "Président"}
    response = manager_client.post(url, {**data, "start_date": "2019-01-01",
                                         "end_date": "2018-12-31"})  # fmt: skip
    assert response.status_code == 200
    assert "La fin du mandat précède son début." in response.content.decode()
    response = manager_client.post(url, {**data, "start_date": "2015-01-01",
                                         "end_date": "2021-08-31"})  # fmt: skip
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.end_date == datetime.date(2021, 8, 31)
    assert [h.history_type for h in mandate.history.order_by("history_date")] == ["+", "~"]


@pytest.mark.parametrize("person", ["", "abc", "999999"])
def test_a_wrong_person_is_said_in_french(manager_client, organisation, person):
    response = manager_client.post(
        reverse("partners:mandate_add", args=[organisation.pk]),
        {"person": person, "organisation": organisation.pk, "title": "Trésorière"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choisissez la personne." in content or "Sélectionnez un choix valide" in content


def test_the_queries_do_not_grow_with_people(manager_client, organisation, mandate):
    add = reverse("partners:mandate_add", args=[organisation.pk])
    edit = reverse("partners:mandate_edit", args=[organisation.pk, mandate.pk])
    new = reverse("partners:person_add", args=[organisation.pk])
    manager_client.get(add)
    few = [count_queries(manager_client, url)[1] for url in (add, edit, new)]
    for _ in range(30):
        MandateFactory(organisation=OrganisationFactory())
    many = [count_queries(manager_client, url)[1] for url in (add, edit, new)]
    # The session, its user, the manager check, the organisation; the people and the
    # organisations to choose from (2); the mandate (1) on its page.
    assert few == many == [6, 7, 4]
    _, saved = count_queries(manager_client, new, method="post", data=NEW_PERSON)
    # The same 4; the savepoint, the person and its history row, the mandate and its
    # history row, the savepoint's end.
    assert saved == 10
