"""Access to the portal: staff invite and revoke from the organisation page, the invitation
link (7 days, once), the portal's login (throttled by django-axes), a forgotten password."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory
from tests.personas import count_queries
from users.models import CalendarToken

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = reverse("portal_account:login")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="CRESS PACA", short_name="CRESS")


def _invite(client, organisation, capture, email="Contact@CRESS.example.org", **extra):
    data = {"email": email, "first_name": "Marielle", "last_name": "Contact", **extra}
    with capture(execute=True):
        return client.post(reverse("partners:member_invite", args=[organisation.pk]), data)


def _link(message):
    return re.search(r"https?://\S+/portail/mot-de-passe/\S+/", message.body).group(0)


def _path(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_staff_invite_a_contact_who_chooses_a_password_and_lands_on_the_portal(
    client, manager_client, organisation, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://conventions.example.org"
    response = _invite(manager_client, organisation, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    user = User.objects.get(username="contact@cress.example.org")
    assert not user.has_usable_password()
    assert list(user.partner_organisations.all()) == [organisation]
    (message,) = mail.outbox
    assert message.to == ["contact@cress.example.org"]
    assert "7 jours" in message.body and "CRESS PACA" in message.body
    link = _link(message)
    assert link.startswith("https://conventions.example.org/portail/mot-de-passe/")
    # The organisation page lists the account, waiting.
    page = manager_client.get(reverse("partners:detail", args=[organisation.pk])).content.decode()
    assert "contact@cress.example.org" in page and "Invitation envoyée" in page

    path = _path(link)
    response = client.get(path)  # Django hides the token in the session, then redirects
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(
        form_url, {"new_password1": "un-Mot-de-passe-2026", "new_password2": "un-Mot-de-passe-2026"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    # Used once: the same link no longer works.
    client.logout()
    response = client.get(path, follow=True)
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_a_mismatched_password_is_a_french_error_on_the_form(
    client, manager_client, organisation, django_capture_on_commit_callbacks
):
    _invite(manager_client, organisation, django_capture_on_commit_callbacks)
    form_url = client.get(_path(_link(mail.outbox[0])))["Location"]
    response = client.post(form_url, {"new_password1": "abcdefgh-1234", "new_password2": "autre"})
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()


@pytest.mark.parametrize("days, valid", [(6, True), (8, False)])
def test_the_link_is_valid_7_days(
    client, manager_client, organisation, django_capture_on_commit_callbacks, days, valid
):
    start = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _invite(manager_client, organisation, django_capture_on_commit_callbacks)
        traveller.shift(datetime.timedelta(days=days))
        response = client.get(_path(_link(mail.outbox[0])), follow=True)
    content = response.content.decode()
    assert ('data-testid="invalid-link"' not in content) is valid
    assert ('name="new_password1"' in content) is valid


def test_revoking_removes_the_membership_and_deactivates_a_lone_account(
    client, manager_client, organisation, django_capture_on_commit_callbacks
):
    _invite(manager_client, organisation, django_capture_on_commit_callbacks)
    user = User.objects.get(username="contact@cress.example.org")
    CalendarToken.regenerate(user)
    other = OrganisationFactory()
    other.members.add(user)
    url = reverse("partners:member_revoke", args=[organisation.pk, user.pk])
    assert manager_client.post(url).status_code == 302
    user.refresh_from_db()
    assert list(user.partner_organisations.all()) == [other] and user.is_active
    assert not CalendarToken.objects.filter(user=user).exists()
    manager_client.post(reverse("partners:member_revoke", args=[other.pk, user.pk]))
    user.refresh_from_db()
    assert not user.is_active
    # The invitation link in the mailbox died with the access.
    response = client.get(_path(_link(mail.outbox[0])), follow=True)
    assert "Ce lien n'est plus valable" in response.content.decode()
    # Revoking again, or someone not a member: 404.
    assert manager_client.post(url).status_code == 404


def test_inviting_again_reactivates_and_sends_a_new_link(
    manager_client, organisation, django_capture_on_commit_callbacks
):
    _invite(manager_client, organisation, django_capture_on_commit_callbacks)
    user = User.objects.get(username="contact@cress.example.org")
    manager_client.post(reverse("partners:member_revoke", args=[organisation.pk, user.pk]))
    _invite(manager_client, organisation, django_capture_on_commit_callbacks)
    user.refresh_from_db()
    assert user.is_active and User.objects.count() == 2  # the manager and this one
    assert len(mail.outbox) == 2


def test_bad_input_and_staff_addresses_are_refused_with_what_was_typed_kept(
    manager_client, organisation, django_capture_on_commit_callbacks, lecteur
):
    response = _invite(
        manager_client, organisation, django_capture_on_commit_callbacks, email="pas-une-adresse"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse électronique valide" in content
    assert 'value="pas-une-adresse"' in content
    response = _invite(
        manager_client, organisation, django_capture_on_commit_callbacks, email=lecteur.email
    )
    assert "compte du rectorat" in response.content.decode()
    assert not lecteur.partner_organisations.exists()
    assert mail.outbox == []


def test_only_managers_invite_or_revoke(client, reader_client, organisation, partner):
    invite = reverse("partners:member_invite", args=[organisation.pk])
    revoke = reverse("partners:member_revoke", args=[organisation.pk, partner.pk])
    for url in (invite, revoke):
        assert reader_client.post(url, {"email": "x@example.org"}).status_code == 403
    page = reader_client.get(reverse("partners:detail", args=[organisation.pk])).content.decode()
    assert "Inviter un contact" not in page and "Révoquer" not in page


def test_the_academy_has_no_portal(manager_client):
    academy = OrganisationFactory(academy=True)
    url = reverse("partners:member_invite", args=[academy.pk])
    assert manager_client.post(url, {"email": "x@example.org"}).status_code == 404
    page = manager_client.get(reverse("partners:detail", args=[academy.pk])).content.decode()
    assert "Inviter un contact" not in page


def test_organisation_page_queries_do_not_grow_with_members(manager_client, organisation):
    url = reverse("partners:detail", args=[organisation.pk])
    manager_client.get(url)
    _, few = count_queries(manager_client, url)
    for i in range(5):
        organisation.members.add(UserFactory(username=f"member{i}"))
    response, many = count_queries(manager_client, url)
    assert response.status_code == 200 and few == many


def test_portal_login_lands_on_the_portal_and_looks_like_the_portal(client, organisation):
    user = UserFactory(username="partenaire", password="secret-2026")
    organisation.members.add(user)
    page = client.get(LOGIN).content.decode()
    assert "Portail des partenaires" in page and "Échéancier" not in page
    response = client.post(LOGIN, {"username": "partenaire", "password": "secret-2026"})
    assert response["Location"] == reverse("portal:home")
    page = client.get(reverse("portal:home")).content.decode()
    assert "Portail des partenaires" in page
    assert 'href="/echeancier/"' not in page  # not the staff menu
    # Logging out comes back to the portal's login.
    response = client.post(reverse("portal_account:logout"))
    assert response["Location"] == LOGIN


def test_portal_login_is_throttled_with_a_french_message(client, settings, organisation):
    settings.AXES_ENABLED = True
    user = UserFactory(username="partenaire", password="le-bon-mot-de-passe")
    organisation.members.add(user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": "partenaire", "password": "faux"})
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": "partenaire", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Connexion temporairement bloquée" in content and "15 minutes" in content
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_a_french_error(client, organisation):
    response = client.post(LOGIN, {"username": "personne", "password": "x"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_forgotten_password_mails_partners_only_and_tells_no_one_who_has_an_account(
    client, organisation, lecteur
):
    partner = UserFactory(username="partenaire", email="p@example.org")
    organisation.members.add(partner)
    url = reverse("portal_account:forgotten_password")
    for email in ("p@example.org", lecteur.email, "inconnu@example.org"):
        response = client.post(url, {"email": email})
        assert response["Location"] == reverse("portal_account:password_sent")
    (message,) = mail.outbox
    assert message.to == ["p@example.org"]
    path = _path(_link(message))
    assert client.get(path).status_code == 302  # a working link


def test_inviting_an_address_of_another_organisation_asks_for_confirmation(
    manager_client, organisation, django_capture_on_commit_callbacks, caplog
):
    """A portal account of one organisation, invited from another's page, reads nothing of
    the second until staff confirm, on a page naming both; the confirmation is logged."""
    amu = OrganisationFactory(name="Aix-Marseille Université", short_name="AMU")
    user = UserFactory(username="contact@amu.example.org", email="contact@amu.example.org")
    amu.members.add(user)
    response = _invite(
        manager_client, organisation, django_capture_on_commit_callbacks,
        email="contact@amu.example.org",
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "« Aix-Marseille Université »" in page and "« CRESS PACA »" in page
    assert not organisation.members.filter(pk=user.pk).exists() and not mail.outbox
    with caplog.at_level("WARNING", logger="partners.accounts"):
        response = _invite(
            manager_client, organisation, django_capture_on_commit_callbacks,
            email="contact@amu.example.org", confirmed="on",
        )  # fmt: skip
    assert response.status_code == 302
    assert organisation.members.filter(pk=user.pk).exists() and len(mail.outbox) == 1
    assert "given access to CRESS PACA" in caplog.text
    # Invited again from the same page: a member already, no question.
    response = _invite(
        manager_client, organisation, django_capture_on_commit_callbacks,
        email="contact@amu.example.org",
    )  # fmt: skip
    assert response.status_code == 302
