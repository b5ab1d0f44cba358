"""Signing in through ProConnect, at the HTTP level, against the real provider of conftest:
the flow (PKCE, state, nonce), the account found by its link or its verified address, and
every refusal a French page that leaves no session."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from proconnect.models import OidcIdentity
from tests.factories import OrganisationFactory, UserFactory

from .conftest import CLIENT_ID, EMAILS

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db):
    return UserFactory(username="c-agent", email=EMAILS["agent"], manager=True)


@pytest.fixture
def partner_user(db):
    user = UserFactory(username=EMAILS["partner"], email=EMAILS["partner"])
    OrganisationFactory(name="CRESS PACA").members.add(user)
    return user


def start(client, url="/proconnect/agents/"):
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, provider, sub, url="/proconnect/agents/"):
    """The whole flow: the button, the provider, back to the callback (its response)."""
    return client.get(provider.sign_in(start(client, url), sub))


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def assert_refused(response, title, status=403):
    assert response.status_code == status
    assert response.templates[0].name == "proconnect/refused.html"
    body = unescape(response.content.decode())
    assert title in body
    assert "Vous n'êtes pas connecté" in body or "Retour à la page de connexion" in body
    assert "_auth_user_id" not in response.client.session
    assert "oidc_id_token" not in response.client.session


def test_the_button_asks_for_a_code_with_pkce_state_and_nonce(client, proconnect):
    location = start(client, "/proconnect/agents/?next=/conventions/")
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{proconnect.issuer}/auth?")
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/proconnect/retour/"]
    assert query["scope"] == ["openid email given_name usual_name"]
    assert query["code_challenge_method"] == ["S256"]
    state = query["state"][0]
    stored = client.session["oidc_states"][state]
    assert stored["nonce"] == query["nonce"][0]
    assert stored["kind"] == "staff"
    assert len(stored["code_verifier"]) >= 43
    assert client.session["oidc_login_next"] == "/conventions/"


def test_a_staff_member_signs_in_and_is_linked_by_sub(client, proconnect, agent):
    response = sign_in(client, proconnect, "agent-sub")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(agent.pk)
    identity = OidcIdentity.objects.get(user=agent)
    assert (identity.issuer, identity.sub, identity.email) == (
        proconnect.issuer,
        "agent-sub",
        EMAILS["agent"],
    )
    # The level of authentication, as the provider stated it in the ID token.
    assert client.session["proconnect_acr"] == "eidas1"
    assert client.session["proconnect_amr"] == ["pwd", "mfa"]
    page = client.get("/echeancier/")
    assert page.status_code == 200
    assert 'action="/proconnect/deconnexion/"' in page.content.decode()


def test_the_callback_reads_a_bounded_number_of_queries(
    client, proconnect, agent, django_assert_max_num_queries
):
    callback = proconnect.sign_in(start(client), "agent-sub")
    # The session read, its state spent (3) and read again; the identity, the account of
    # the address, its identity, its groups (the kind); the link (5 with its savepoints);
    # the new session (5), the old one deleted (2), the last login, the session saved (3).
    with django_assert_max_num_queries(24):
        response = client.get(callback)
    assert response.status_code == 302


def test_a_partner_signs_in_on_the_portal_and_lands_on_it(client, proconnect, partner_user):
    response = sign_in(client, proconnect, "partner-sub", "/proconnect/partenaires/")
    assert response.status_code == 302
    assert response["Location"] == "/portail/"
    assert signed_in_user_id(client) == str(partner_user.pk)
    assert client.get("/portail/").status_code == 200


def test_the_page_asked_for_is_where_the_sign_in_ends(client, proconnect, agent):
    callback = proconnect.sign_in(
        start(client, "/proconnect/agents/?next=/conventions/"), "agent-sub"
    )
    assert client.get(callback)["Location"] == "/conventions/"


def test_the_link_survives_a_changed_address(client, proconnect, agent):
    sign_in(client, proconnect, "agent-sub")
    agent.email = "camille.agent@education.gouv.fr"
    agent.save()
    again = Client()
    response = sign_in(again, proconnect, "agent-sub")
    assert response.status_code == 302
    assert signed_in_user_id(again) == str(agent.pk)


def test_another_identity_with_a_linked_accounts_address_does_not_take_it_over(
    client, proconnect, agent
):
    sign_in(client, proconnect, "agent-sub")
    intruder = Client()
    response = sign_in(intruder, proconnect, "intruder-sub")
    assert_refused(response, "Ce compte est déjà relié à une autre identité ProConnect")
    assert OidcIdentity.objects.filter(sub="intruder-sub").count() == 0


def test_an_unknown_identity_is_told_whom_to_ask_and_gets_no_account(client, proconnect, agent):
    users_before = agent.__class__.objects.count()
    response = sign_in(client, proconnect, "unknown-sub")
    assert_refused(response, "Aucun compte ne correspond à votre identité ProConnect")
    body = unescape(response.content.decode())
    assert "personne@exemple.fr" in body
    assert "demandez à un administrateur" in body
    assert "demandez à votre correspondant au rectorat de vous inviter" in body
    assert agent.__class__.objects.count() == users_before
    assert not OidcIdentity.objects.exists()


def test_a_partner_on_the_staff_button_is_refused_and_not_linked(client, proconnect, partner_user):
    response = sign_in(client, proconnect, "partner-sub", "/proconnect/agents/")
    assert_refused(response, "Ce compte est celui d'un partenaire")
    assert 'href="/portail/connexion/"' in response.content.decode()
    assert not OidcIdentity.objects.exists()


def test_a_staff_member_on_the_portal_button_is_refused(client, proconnect, agent):
    response = sign_in(client, proconnect, "agent-sub", "/proconnect/partenaires/")
    assert_refused(response, "Ce compte est celui d'un agent du rectorat")
    assert not OidcIdentity.objects.exists()


def test_a_deactivated_account_is_refused(client, proconnect, agent):
    agent.is_active = False
    agent.save()
    response = sign_in(client, proconnect, "agent-sub")
    # A deactivated account has no address to be found by.
    assert_refused(response, "Ce compte est désactivé")


@pytest.mark.parametrize(
    "mode, title",
    [
        ("signature", "La réponse de ProConnect n'a pas pu être vérifiée"),
        ("nonce", "La réponse de ProConnect n'a pas pu être vérifiée"),
        ("issuer", "La réponse de ProConnect n'a pas pu être vérifiée"),
        ("audience", "La réponse de ProConnect n'a pas pu être vérifiée"),
        ("expired", "La réponse de ProConnect a expiré"),
    ],
)
def test_a_wrong_id_token_is_refused(client, proconnect, agent, mode, title):
    callback = proconnect.sign_in(start(client), "agent-sub")
    proconnect.tamper(mode)
    response = client.get(callback)
    assert_refused(response, title)
    assert not OidcIdentity.objects.exists()


def test_a_replayed_state_is_refused(client, proconnect, agent):
    callback = proconnect.sign_in(start(client), "agent-sub")
    assert client.get(callback).status_code == 302
    assert signed_in_user_id(client) == str(agent.pk)
    # The same answer again, in the same browser: its state was spent; the session ends.
    assert_refused(client.get(callback), "ne correspond à aucune connexion en cours")
    # And in another browser (an attacker's), where it never started.
    assert_refused(Client().get(callback), "ne correspond à aucune connexion en cours")


def test_an_answer_for_another_login_in_the_same_browser_is_refused(client, proconnect, agent):
    # Two sign-ins started; the code of the first returned with the state of the second:
    # the second's PKCE verifier does not match the first's challenge.
    first = proconnect.sign_in(start(client), "agent-sub")
    second_state = parse_qs(urlsplit(start(client)).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    response = client.get("/proconnect/retour/", {"code": code, "state": second_state})
    assert_refused(response, "ProConnect a refusé de confirmer la connexion")


def test_a_cancelled_sign_in_is_refused(client, proconnect):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get("/proconnect/retour/", {"error": "access_denied", "state": state})
    assert_refused(response, "La connexion par ProConnect n'a pas abouti")


def test_an_unreachable_provider_is_a_french_page(client, settings, proconnect):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/proconnect/agents/")
    assert_refused(response, "ProConnect ne répond pas", status=502)


def test_signing_out_ends_the_providers_session_too(client, proconnect, agent):
    browser = __import__("requests").Session()  # the person's cookies at the provider
    client.get(proconnect.sign_in(start(client), "agent-sub", browser=browser))
    id_token = client.session["oidc_id_token"]

    # Still signed in at the provider: a new sign-in needs no login there.
    assert "code=" in proconnect.sign_in(start(Client()), "unused", browser=browser)

    response = client.post("/proconnect/deconnexion/")
    assert response.status_code == 302
    logout = urlsplit(response["Location"])
    query = parse_qs(logout.query)
    assert response["Location"].startswith(f"{proconnect.issuer}/session/end?")
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/proconnect/deconnecte/"]
    assert query["state"] == ["staff"]
    assert "_auth_user_id" not in client.session

    # The provider's page submits its form by itself (a script); here, by hand.
    page = browser.get(response["Location"], timeout=5)
    form_action = page.text.split('action="')[1].split('"')[0]
    xsrf = page.text.split('name="xsrf" value="')[1].split('"')[0]
    back = browser.post(
        form_action, data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False, timeout=5
    )
    back_url = back.headers["Location"]
    assert back_url.startswith("http://testserver/proconnect/deconnecte/?")
    assert client.get(back_url)["Location"] == "/connexion/"

    # Signed out at the provider: the next sign-in asks for the login again.
    again = browser.get(start(Client()), allow_redirects=True, timeout=5)
    assert 'name="login"' in again.text


def test_a_password_session_signs_out_as_before(manager_client, proconnect):
    page = manager_client.get("/echeancier/")
    assert page.status_code == 200, page
    assert 'action="/deconnexion/"' in page.content.decode()


def test_with_django_axes_on_as_in_production_the_sign_in_works(
    client, settings, proconnect, agent
):
    # The tests switch django-axes off (conftest); its backend sees every authentication.
    settings.AXES_ENABLED = True
    response = sign_in(client, proconnect, "agent-sub")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(agent.pk)
