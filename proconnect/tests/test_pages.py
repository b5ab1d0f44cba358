"""The sign-in pages with and without ProConnect set up, ProConnect required for staff, and
a partner's invitation accepted through ProConnect instead of a password."""

from html import unescape

import pytest
from django.test import Client

from partners.accounts import password_link
from proconnect.models import OidcIdentity
from tests.factories import OrganisationFactory, UserFactory

from .conftest import EMAILS
from .test_sign_in import signed_in_user_id, start

pytestmark = pytest.mark.django_db

PAGES = ["/connexion/", "/portail/connexion/"]


@pytest.mark.parametrize("url", PAGES)
def test_without_the_environment_the_login_pages_are_as_before(client, url):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "ProConnect" not in body
    assert 'name="password"' in body
    assert client.get("/proconnect/agents/").status_code == 404
    assert client.get("/proconnect/partenaires/").status_code == 404
    assert client.get("/proconnect/retour/?code=x&state=y").status_code == 404


def test_without_the_environment_passwords_work_as_before(client, db):
    UserFactory(username="g-pass", password="un mot de passe", manager=True)
    response = client.post("/connexion/", {"username": "g-pass", "password": "un mot de passe"})
    assert response.status_code == 302
    assert signed_in_user_id(client)


@pytest.mark.parametrize(
    "url, start_url",
    [("/connexion/", "/proconnect/agents/"), (PAGES[1], "/proconnect/partenaires/")],
)
def test_the_login_pages_show_the_proconnect_button(
    client, proconnect, url, start_url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get(url + "?next=/conventions/")
    body = unescape(response.content.decode())
    assert 'class="fr-connect fr-connect--proconnect"' in body
    assert f'href="{start_url}?next=/conventions/"' in body
    assert "S’identifier avec" in body and "ProConnect</span>" in body
    assert "Qu’est-ce que ProConnect ?" in body
    assert 'name="password"' in body  # passwords remain
    assert 'data-testid="proconnect-required"' not in body


def test_the_start_of_a_sign_in_reads_a_bounded_number_of_queries(
    client, proconnect, django_assert_max_num_queries
):
    # The new session, saved (no session existed: one select to be sure of its key).
    with django_assert_max_num_queries(4):
        start(client)


@pytest.fixture
def required(settings, proconnect):
    settings.OIDC_REQUIRED_FOR_STAFF = True
    return proconnect


def test_required_for_staff_refuses_their_passwords(client, required):
    UserFactory(username="g-pass", password="un mot de passe", manager=True)
    page = client.get("/connexion/")
    assert 'data-testid="proconnect-required"' in page.content.decode()
    response = client.post("/connexion/", {"username": "g-pass", "password": "un mot de passe"})
    assert response.status_code == 200
    assert "et un mot de passe valides" in unescape(response.content.decode())
    assert not signed_in_user_id(client)
    # Nor on the portal's page.
    client.post("/portail/connexion/", {"username": "g-pass", "password": "un mot de passe"})
    assert not signed_in_user_id(client)


def test_required_for_staff_leaves_superusers_and_partners_their_passwords(client, required):
    UserFactory(username="admin-pass", password="un mot de passe", is_superuser=True)
    partner = UserFactory(username="p-pass", password="un mot de passe")
    OrganisationFactory().members.add(partner)
    response = client.post("/connexion/", {"username": "admin-pass", "password": "un mot de passe"})
    assert response.status_code == 302
    other = Client()
    other.post("/portail/connexion/", {"username": "p-pass", "password": "un mot de passe"})
    assert signed_in_user_id(other) == str(partner.pk)


def test_required_for_staff_lets_them_in_through_proconnect(client, required):
    agent = UserFactory(username="c-agent", email=EMAILS["agent"], reader=True)
    response = client.get(required.sign_in(start(client), "agent-sub"))
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(agent.pk)


def test_an_invitation_is_accepted_through_proconnect_and_spent(client, proconnect):
    organisation = OrganisationFactory(name="CRESS PACA")
    invited = UserFactory(username=EMAILS["partner"], email=EMAILS["partner"])
    invited.set_unusable_password()
    invited.save()
    organisation.members.add(invited)
    link = password_link(invited).removeprefix("http://127.0.0.1:8000")

    page = client.get(link, follow=True)
    body = unescape(page.content.decode())
    assert "Choisir votre mot de passe" in body
    assert EMAILS["partner"] in body
    assert 'href="/proconnect/partenaires/"' in body

    response = client.get(
        proconnect.sign_in(start(client, "/proconnect/partenaires/"), "partner-sub")
    )
    assert response["Location"] == "/portail/"
    assert signed_in_user_id(client) == str(invited.pk)
    assert OidcIdentity.objects.get(user=invited).sub == "partner-sub"
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    # The invitation's link has served: it no longer lets anyone choose a password.
    again = Client().get(link, follow=True)
    assert 'data-testid="invalid-link"' in again.content.decode()
