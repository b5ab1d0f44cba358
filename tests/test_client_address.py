"""The client's address behind the TLS proxy (`config.client_ip`, `TRUSTED_PROXY_COUNT`).

Every request reaches the application from the proxy's address. Login throttling locks a
(username, address) pair: with the proxy's address, five bad passwords typed by anyone
would lock the real user out. With `TRUSTED_PROXY_COUNT`, the address is the client's, as
the proxy appended it to X-Forwarded-For; without it, that header, which anyone can send,
is ignored.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LOGIN = reverse("login")


@pytest.fixture
def agent(settings):
    settings.AXES_ENABLED = True
    return UserFactory(username="agent", password="le-bon-mot-de-passe")


def _login(client, password, forwarded_for=None, remote=PROXY):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        LOGIN,
        {"username": "agent", "password": password},
        headers=headers,
        REMOTE_ADDR=remote,
    )


def _signed_in(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lock(agent, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    attacker = Client()
    # An attacker sends a new X-Forwarded-For with each guess, hoping for a fresh address.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _login(attacker, "faux", forwarded_for=f"198.51.100.{n}", remote="192.0.2.9")
    assert response.status_code == 429
    response = _login(attacker, "le-bon-mot-de-passe", "203.0.113.250", remote="192.0.2.9")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert not _signed_in(attacker, agent)
    # The lock is on the connection's address, the header never read.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.9"}
    # The real user, from their own address, still signs in.
    user = Client()
    assert _login(user, "le-bon-mot-de-passe", remote="192.0.2.20").status_code == 302
    assert _signed_in(user, agent)


def test_behind_one_proxy_a_guesser_locks_himself_out_not_the_user(agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = Client()
    # Every request comes from the proxy; the proxy appends the guesser's real address to
    # what he sent, which changes each time.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _login(guesser, "faux", forwarded_for=f"198.51.100.{n}, 203.0.113.66")
    assert response.status_code == 429
    assert _login(guesser, "le-bon-mot-de-passe", "203.0.113.66").status_code == 429
    assert not _signed_in(guesser, agent)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    # The real user, through the same proxy from another address, signs in.
    user = Client()
    response = _login(user, "le-bon-mot-de-passe", forwarded_for="192.0.2.20")
    assert response.status_code == 302
    assert _signed_in(user, agent)


def test_without_the_setting_the_same_guesses_behind_a_proxy_lock_everyone(agent, settings):
    """What TRUSTED_PROXY_COUNT is for: left at 0 behind a proxy, the lock is the proxy's."""
    guesser = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(guesser, "faux", forwarded_for=f"198.51.100.{n}, 203.0.113.66")
    user = Client()
    assert _login(user, "le-bon-mot-de-passe", forwarded_for="192.0.2.20").status_code == 429
    assert not _signed_in(user, agent)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.66", PROXY),
        (1, None, PROXY),  # the proxy was bypassed
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "198.51.100.1, 203.0.113.66", "203.0.113.66"),
        (1, " 198.51.100.1 ,  203.0.113.66 ", "203.0.113.66"),
        (2, "198.51.100.1, 203.0.113.66, 10.0.0.1", "203.0.113.66"),
        (2, "203.0.113.66", PROXY),  # fewer addresses than proxies
        (1, "2001:DB8::1", "2001:db8::1"),
        (1, "198.51.100.1, pas-une-adresse", PROXY),
    ],
)
def test_client_ip(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", headers=headers, REMOTE_ADDR=PROXY)
    assert client_ip(request) == expected
