"""Production mode: deploy checks, security headers, `make serve`, throttling, sessions."""

import datetime
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the live server: not in production.
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,conventions.example.org",
            **extra,
        }
    )
    return env


def test_check_deploy_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(DEBUG="maybe"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "TRUSTED_PROXY_COUNT must be 0 or more"), ("un", "TRUSTED_PROXY_COUNT must be an")],
)
def test_a_bad_proxy_count_fails_loudly(value, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(TRUSTED_PROXY_COUNT=value),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_make_serve_runs_the_app_as_in_production(tmp_path):
    port = _free_port()
    env = _production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        WORKERS="2",
    )
    server = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={port}", "WORKERS=2", f"SECRET_KEY={env['SECRET_KEY']}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                status, _, body = _get(f"{base}/sante/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "make serve did not answer in 180 s"
                time.sleep(0.5)
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": True}

        # Plain HTTP to a page is sent to HTTPS; through the proxy it is served.
        status, headers, _ = _get(f"{base}/connexion/")
        assert status == 301 and headers["Location"].startswith("https://")
        status, headers, body = _get(f"{base}/connexion/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "Mot de passe" in body.decode()
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]

        # Static files come from WhiteNoise, with a long cache for hashed names.
        css = [line for line in body.decode().splitlines() if "css/app" in line][0]
        path = css.split('href="')[1].split('"')[0]
        status, headers, _ = _get(f"{base}{path}", {"X-Forwarded-Proto": "https"})
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


@pytest.mark.django_db
def test_health_endpoint_needs_no_login_and_refuses_writes(client):
    response = client.get("/sante/")
    assert response.status_code == 200 and response.json()["database"] is True
    assert client.post("/sante/").status_code == 405


@pytest.mark.django_db
def test_login_is_throttled_with_a_french_message(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="agent", password="le-bon-mot-de-passe")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "agent", "password": "faux"})
    assert response.status_code == 429
    # Locked: even the right password is refused for a while.
    response = client.post(url, {"username": "agent", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_session_ends_after_a_working_day_of_inactivity(client):
    user = UserFactory(username="agent", password="pw")
    with time_machine.travel("2026-11-23 08:00 +0100", tick=False) as traveller:
        assert (
            client.post(reverse("login"), {"username": "agent", "password": "pw"}).status_code
            == 302
        )
        assert client.get("/sante/").status_code == 200
        traveller.shift(9 * 3600)  # 17:00, still working: the session is kept alive
        assert client.session.get("_auth_user_id") == str(user.pk)
        client.get("/connexion/")
        traveller.shift(11 * 3600)  # the next morning
        assert client.session.get("_auth_user_id") is None


@pytest.mark.django_db
def test_reading_pages_writes_the_session_at_most_every_quarter_of_an_hour(client):
    from django.contrib.sessions.models import Session

    UserFactory(username="agent", password="pw", reader=True)

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel("2026-11-23 08:00 +0100", tick=False) as traveller:
        client.post(reverse("login"), {"username": "agent", "password": "pw"})
        client.get("/sante/")
        first = expiry()
        for _ in range(3):
            traveller.shift(4 * 60)
            assert client.get(reverse("conventions:list")).status_code == 200
            assert expiry() == first  # read, not written
        traveller.shift(4 * 60)  # 16 minutes after the last write
        client.get(reverse("conventions:list"))
        assert expiry() == first + datetime.timedelta(minutes=16)
        # Active for longer than a session lasts, then 10 hours away: signed out.
        for _ in range(50):
            traveller.shift(14 * 60)
            assert client.get(reverse("conventions:list")).status_code == 200
        traveller.shift(10 * 3600 + 15 * 60)
        assert client.get(reverse("conventions:list")).status_code == 302


@pytest.mark.django_db
def test_one_structured_log_line_per_request_without_personal_data(client, caplog):
    UserFactory(username="marie.curie", password="pw")
    client.post(reverse("login"), {"username": "marie.curie", "password": "pw"})
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="conventions.requests"):
        client.get("/sante/?q=secret")
    records = [r for r in caplog.records if r.name == "conventions.requests"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.route, record.status) == ("GET", "sante/", 200)
    assert record.duration_ms >= 0
    assert "marie" not in str(record.__dict__) and "secret" not in str(record.__dict__)
