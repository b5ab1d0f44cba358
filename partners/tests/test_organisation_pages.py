"""/partenaires/nouveau/, …/modifier/, …/historique/: a gestionnaire creates and edits an
organisation without the admin; a lecteur sees its history."""

import pytest
from django.urls import reverse

from partners.models import Organisation
from tests.factories import OrganisationFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db
CREATE = reverse("partners:create")
LIST = reverse("partners:list")
VALID_SIRET = "13002526500013"  # the Cour des comptes's: its Luhn key holds

FILLED = {
    "name": "Office régional de l'orientation",
    "short_name": "ORM",
    "legal_form": "association",
    "siret": "130 025 265 00013",
    "address": "Place de la Joliette\n13002 Marseille",
    "email": "contact@orm.example.org",
    "phone": "04 91 00 00 00",
    "website": "https://orm.example.org",
}


def edit_url(organisation):
    return reverse("partners:edit", args=[organisation.pk])


def test_personas(client, gestionnaire, lecteur, partner):
    organisation = OrganisationFactory()
    write = [CREATE, edit_url(organisation)]
    history = reverse("partners:history", args=[organisation.pk])
    for url in [*write, history]:
        assert_login_redirect(client.get(url))
    client.force_login(partner)
    for url in [*write, history]:
        assert client.get(url).status_code == 403
        assert client.post(url, FILLED).status_code == 403
    client.force_login(lecteur)
    for url in write:
        assert client.get(url).status_code == 403
        assert client.post(url, FILLED).status_code == 403
    assert client.get(history).status_code == 200
    client.force_login(gestionnaire)
    for url in write:
        assert client.get(url).status_code == 200
    assert client.get(reverse("partners:edit", args=[999999])).status_code == 404
    assert not Organisation.objects.filter(name=FILLED["name"]).exists()


def test_the_buttons_are_for_those_who_write(client, gestionnaire, lecteur):
    organisation = OrganisationFactory()
    detail = reverse("partners:detail", args=[organisation.pk])
    buttons = [CREATE, edit_url(organisation), reverse("partners:merge_choose",
               args=[organisation.pk]), reverse("partners:person_add", args=[organisation.pk]),
               reverse("partners:mandate_add", args=[organisation.pk])]  # fmt: skip
    client.force_login(lecteur)
    page = client.get(LIST).content.decode() + client.get(detail).content.decode()
    assert not any(f'href="{url}"' in page for url in buttons)
    assert "Historique" in page
    client.force_login(gestionnaire)
    page = client.get(LIST).content.decode() + client.get(detail).content.decode()
    assert all(f'href="{url}"' in page for url in buttons)
    assert "Nouvel organisme" in page and "Fusionner un doublon" in page


def test_a_gestionnaire_creates_an_organisation(manager_client, gestionnaire):
    response = manager_client.post(CREATE, FILLED)
    organisation = Organisation.objects.get(name=FILLED["name"])
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[organisation.pk])
    assert organisation.siret == VALID_SIRET  # spaces dropped
    assert organisation.short_name == "ORM" and not organisation.is_academy
    created = organisation.history.get()
    assert created.history_type == "+" and created.history_user == gestionnaire
    page = manager_client.get(response["Location"]).content.decode()
    assert "est créée" in page and VALID_SIRET in page


@pytest.mark.parametrize(
    "siret, error",
    [
        ("13002526500014", "clé de contrôle"),
        ("1300252650001", "14 chiffres"),
        ("1300252650001A", "14 chiffres"),
        ("x" * 500, "14 chiffres"),
    ],
)
def test_a_wrong_siret_is_refused_in_french_and_nothing_typed_is_lost(manager_client, siret, error):
    response = manager_client.post(CREATE, {**FILLED, "siret": siret})
    assert response.status_code == 200
    content = response.content.decode()
    assert error in content
    assert "Le formulaire contient des erreurs" in content
    for typed in ("Office régional de l&#x27;orientation", "ORM", "contact@orm.example.org",
                  "Place de la Joliette", "https://orm.example.org"):  # fmt: skip
        assert typed in content
    assert not Organisation.objects.filter(short_name="ORM").exists()


def test_la_poste_follows_its_own_rule(manager_client):
    # 35600000000001: not a Luhn number, but its digits sum to a multiple of 5.
    response = manager_client.post(CREATE, {**FILLED, "siret": "35600000000001"})
    assert response.status_code == 302
    response = manager_client.post(
        CREATE, {**FILLED, "name": "Autre bureau", "siret": "35600000000002"}
    )
    assert "clé de contrôle" in response.content.decode()


def test_the_same_siret_or_name_names_the_other_organisation(manager_client):
    OrganisationFactory(name="Cour des comptes", siret=VALID_SIRET)
    content = manager_client.post(CREATE, FILLED).content.decode()
    assert "Ce SIRET est déjà celui de « Cour des comptes »" in content
    content = manager_client.post(
        CREATE, {**FILLED, "name": "  cour DES  comptes ", "siret": ""}
    ).content.decode()
    assert "« Cour des comptes » existe déjà" in content
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("name", "", "Indiquez le nom de l&#x27;organisation."),
        ("name", "x" * 5000, "255 caractères"),
        ("email", "pas-une-adresse", "adresse électronique valide"),
        ("website", "javascript:alert(1)", "adresse internet complète"),
        ("legal_form", "inconnue", "Sélectionnez un choix valide"),
        ("phone", "0" * 500, "30 caractères"),
    ],
)
def test_bad_input_gets_a_french_error_never_a_500(manager_client, field, value, error):
    response = manager_client.post(CREATE, {**FILLED, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_gestionnaire_edits_an_organisation_and_its_history_says_so(manager_client, gestionnaire):
    organisation = OrganisationFactory(name="Pôle emploi", short_name="PE")
    response = manager_client.post(
        edit_url(organisation), {**FILLED, "name": "France Travail", "short_name": "FT"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.short_name) == ("France Travail", "FT")
    history = manager_client.get(reverse("partners:history", args=[organisation.pk]))
    entries = history.context["entries"]
    assert [e.action for e in entries] == ["Modification", "Création"]
    changes = {c.label: (c.before, c.after) for c in entries[0].changes}
    assert changes["nom"] == ("Pôle emploi", "France Travail")
    assert changes["sigle"] == ("PE", "FT")
    assert entries[0].user == gestionnaire


def test_a_refused_edit_keeps_the_stored_name_in_the_breadcrumb(manager_client):
    organisation = OrganisationFactory(name="Pôle emploi", short_name="PE")
    response = manager_client.post(
        edit_url(organisation), {**FILLED, "short_name": "TAPÉ", "siret": "123"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "14 chiffres" in content
    assert 'value="TAPÉ"' in content
    assert '">PE</a>' in content  # the breadcrumb
    organisation.refresh_from_db()
    assert organisation.short_name == "PE"


def test_the_queries_of_the_form_pages_are_few(manager_client):
    organisation = OrganisationFactory()
    manager_client.get(CREATE)
    # The session and its user, the manager check.
    assert count_queries(manager_client, CREATE)[1] == 3
    # The same and the organisation.
    assert count_queries(manager_client, edit_url(organisation))[1] == 4
    # The same, the name's and the SIRET's uniqueness by the form (2), then by the model
    # (the name; the SIRET's constraint, in a savepoint: 3), the update, its history row,
    # the conventions whose search documents print its name (none here).
    _, saved = count_queries(manager_client, edit_url(organisation), method="post", data=FILLED)
    assert saved == 13


def test_history_queries_do_not_grow(reader_client):
    organisation = OrganisationFactory()
    url = reverse("partners:history", args=[organisation.pk])
    reader_client.get(url)
    _, few = count_queries(reader_client, url)
    for number in range(30):
        organisation.short_name = f"S{number}"
        organisation.save()
    response, many = count_queries(reader_client, url)
    assert len(response.context["entries"]) == 25
    # The session, its user, the staff check, the organisation, the count, the page (with
    # its users), the row before the page.
    assert few == many == 7
