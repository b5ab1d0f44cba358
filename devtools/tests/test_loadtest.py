"""`make loadtest`'s parts that run without locust's load: the accounts it signs in with, the
locustfile's user classes, and its report."""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from devtools.generator import generate
from devtools.loadtest import cpu, report

TODAY = datetime.date(2026, 11, 23)
LOCUSTFILE = Path(__file__).resolve().parent.parent / "loadtest" / "locustfile.py"


def _sign_in(login_url, username, password):
    """A fresh browser posting the real login form, its CSRF token included."""
    client = Client(enforce_csrf_checks=True)
    form = client.get(login_url)
    response = client.post(
        login_url,
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": form.context["csrf_token"],
        },
    )
    return client, response


@pytest.mark.django_db
def test_loadtest_users_creates_staff_and_partner_logins_that_work(tmp_path):
    generate(conventions=40, seed=1, today=TODAY)
    output = tmp_path / "accounts.json"
    call_command("loadtest_users", staff=2, partners=2, output=output, stdout=io.StringIO())
    accounts = json.loads(output.read_text())
    assert [a["username"] for a in accounts["staff"]] == [
        "charge-personnel-01",
        "charge-personnel-02",
    ]
    assert len(accounts["partners"]) == 2

    staff = accounts["staff"][0]
    client, response = _sign_in("/connexion/", staff["username"], accounts["password"])
    assert response.status_code == 302
    assert client.get("/echeancier/").status_code == 200
    assert client.get(f"/conventions/{staff['conventions'][0]}/").status_code == 200

    for partner in accounts["partners"]:
        assert partner["conventions"], "a partner with nothing on its portal"
        client, response = _sign_in(
            "/portail/connexion/", partner["username"], accounts["password"]
        )
        assert response.status_code == 302
        assert response["Location"] == "/portail/"
        page = client.get(f"/portail/conventions/{partner['conventions'][0]}/")
        assert page.status_code == 200

    # Run again: the same accounts, a new password; the old one no longer signs in.
    call_command("loadtest_users", staff=2, partners=2, output=output, stdout=io.StringIO())
    again = json.loads(output.read_text())
    assert again["password"] != accounts["password"]
    assert [a["username"] for a in again["partners"]] == [
        a["username"] for a in accounts["partners"]
    ]
    _, refused = _sign_in("/connexion/", staff["username"], accounts["password"])
    assert refused.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in refused.text


@pytest.mark.django_db
def test_loadtest_users_says_when_there_are_not_enough_partners(tmp_path):
    with pytest.raises(CommandError, match="generate_data"):
        call_command("loadtest_users", staff=1, partners=1, output=tmp_path / "a.json")


def test_the_locustfile_imports_with_its_two_user_classes():
    # In a process of its own: locust patches the standard library (gevent) on import.
    listed = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert sorted(listed.stdout.split()[2:]) == ["PartnerUser", "StaffUser"]


def test_the_locustfile_summarises_the_pages_without_the_sign_ins():
    # (ended at, page, ms, failed): two users sign in, one page before the second is in.
    recorded = [
        (100.0, "Connexion du personnel, formulaire", 50, False),
        (101.0, "Connexion du personnel", 900, False),
        (102.0, "Échéancier", 3000, False),
        (103.0, "Connexion au portail", 2500, False),
        *[(104.0 + i, "Convention", 10 * (i + 1), i == 0) for i in range(20)],
    ]
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import locustfile; "
        "print(json.dumps(locustfile.phases(json.loads(sys.argv[2]))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(LOCUSTFILE.parent), json.dumps(recorded)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    phases = json.loads(result.stdout)
    assert phases["pages"] == {
        "requests": 21, "failures": 1, "p50": 110, "p95": 200, "p99": 3000, "max": 3000
    }  # fmt: skip
    assert phases["settled"] == {
        "requests": 20, "failures": 1, "p50": 110, "p95": 190, "p99": 200, "max": 200
    }  # fmt: skip
    assert phases["settled_after_s"] == 3


def test_cpu_seconds_of_the_server_session_and_of_the_database_backends(tmp_path):
    def process(pid, name, session, utime, stime, cmdline):
        directory = tmp_path / str(pid)
        directory.mkdir()
        fields = ["S", "1", str(session), str(session)] + ["0"] * 7 + [str(utime), str(stime)]
        (directory / "stat").write_text(f"{pid} ({name}) " + " ".join(fields) + " 0 0 20\n")
        (directory / "cmdline").write_bytes(cmdline.replace(" ", "\0").encode())

    ticks = os.sysconf("SC_CLK_TCK")
    process(500, "gunicorn: master", 500, ticks, 0, "gunicorn config.wsgi")
    process(501, "gunicorn: worker", 500, 3 * ticks, ticks, "gunicorn config.wsgi")
    process(600, "postgres", 90, 2 * ticks, 0, "postgres: 15/main: postgres loadtest_10k x idle")
    process(601, "postgres", 90, 7 * ticks, 0, "postgres: 15/main: postgres other_db x idle")
    process(700, "python (a test)", 700, 9 * ticks, 0, "python -m pytest")
    assert cpu.cpu_seconds(500, "loadtest_10k", proc=tmp_path) == {
        "server": 5.0,
        "database": 2.0,
    }


def _write_stats(path, rows):
    header = [
        "Type", "Name", "Request Count", "Failure Count", "Median Response Time",
        "Average Response Time", "Min Response Time", "Max Response Time",
        "Average Content Size", "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%",
        "95%", "98%", "99%", "99.9%", "99.99%", "100%",
    ]  # fmt: skip
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for method, name, count, failures, p50, p95, p99 in rows:
            writer.writerow(
                [method, name, count, failures, p50, p50, 5, p99, 9000, count / 120, 0]
                + [p50, p50, p50, p50, p95, p95, p95, p99, p99, p99, p99]
            )


def _report(tmp_path, rows, failures=()):
    _write_stats(tmp_path / "run_stats.csv", rows)
    if failures:
        with (tmp_path / "run_failures.csv").open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["Method", "Name", "Error", "Occurrences", "First Seen", "Last Seen"])
            writer.writerows(failures)
    request = (
        '{"time": "2026-12-05 00:32:41,700", "level": "INFO", "name": "conventions.requests", '
        '"message": "request", "method": "GET", "route": "%s", "view": "v", "status": 200, '
        '"duration_ms": %s}\n'
    )
    warm_up = (
        "[INFO] Using worker: gthread\n"
        + "[INFO] Booting worker with pid: 12\n" * 3
        + request % ("connexion/", 2000)  # the warm-up: left out
    )
    (tmp_path / "server.log").write_text(
        warm_up
        + "".join(request % ("echeancier/", ms) for ms in range(10, 101, 10))
        + request % ("sante/", 5)
        + '{"time": "[05/Dec/2026:00:32:41 +0100]", "method": "GET", "status": 200}\n'
    )
    (tmp_path / "run_phases.json").write_text(
        json.dumps(
            {
                "pages": {"requests": 1000, "failures": 0, "p50": 95, "p95": 400, "p99": 640,
                          "max": 700},
                "settled": {"requests": 900, "failures": 0, "p50": 90, "p95": 300, "p99": 500,
                            "max": 600},
                "settled_after_s": 14,
            }
        )
    )  # fmt: skip
    (tmp_path / "cpu-before.json").write_text('{"server": 10.0, "database": 1.0}')
    (tmp_path / "cpu-after.json").write_text('{"server": 55.0, "database": 11.0}')
    markdown = tmp_path / "loadtest.md"
    options = {
        "cpu": [tmp_path / "cpu-before.json", tmp_path / "cpu-after.json"],
        "csv": str(tmp_path / "run"),
        "server_log": tmp_path / "server.log",
        "server_log_from": len(warm_up.encode()),
        "load_before": "3.10 2.50 1.20 2/300 1234",
        "users": 50,
        "spawn_rate": 5,
        "duration": "2m",
        "markdown": markdown,
        "stdout": io.StringIO(),
    }
    return markdown, options


@pytest.mark.django_db
def test_the_report_shows_every_page_and_passes_without_errors_under_one_second(tmp_path):
    markdown, options = _report(
        tmp_path,
        [
            ("GET", "Échéancier", 800, 0, 120, 450, 700),
            ("GET", "Convention", 1000, 0, 90, 380, 650),
            ("", "Aggregated", 1800, 0, 100, 420, 690),
        ],
    )
    call_command("loadtest_report", **options)
    text = markdown.read_text()
    assert "| Échéancier | 800 | 0 | 6.7 | 120 | 450 | 700 | 700 |" in text
    assert "| **Total** | 1800 | 0 | 15.0 | 100 | 420 | 690 | 690 |" in text
    assert "| Pages seules, sans les connexions | 1000 | 0 | — | 95 | 400 | 640 | 700 |" in text
    assert "| Pages, une fois tous connectés (après 14 s) | 900 | 0 | — | 90 | 300 |" in text
    assert "gunicorn, 3 processus, worker gthread" in text
    assert "3.10 2.50 1.20 avant le test" in text
    assert "45.0 s par le serveur (gunicorn), 10.0 s par PostgreSQL, pour 1800 requêtes" in text
    # Django's own time, from the server's request log; not the health check.
    assert "| GET `/echeancier/` | 10 | 50 | 100 |" in text
    assert "sante" not in text
    assert "connexion/`" not in text
    assert "Toutes les cibles sont atteintes." in text


@pytest.mark.django_db
def test_the_report_fails_on_an_error_or_a_slow_95th_percentile(tmp_path):
    markdown, options = _report(
        tmp_path,
        [
            ("GET", "Convention", 1000, 2, 300, 1200, 2500),
            ("", "Aggregated", 1000, 2, 300, 1200, 2500),
        ],
        failures=[("GET", "Convention", "HTTP 500", 2, 0, 0)],
    )
    with pytest.raises(CommandError) as error:
        call_command("loadtest_report", **options)
    assert "2 erreur(s) sur 1000 requêtes" in str(error.value)
    assert "95e centile 1200 ms, cible < 1000 ms" in str(error.value)
    text = markdown.read_text()
    assert "| HTTP 500 | Convention | 2 |" in text
    assert "Cibles manquées" in text


def test_render_needs_no_database():
    stats = [
        {"name": "Aggregated", "method": "", "requests": 10, "failures": 0, "rps": 1.0,
         "p50": 10.0, "p95": None, "p99": None, "max": 20.0},
    ]  # fmt: skip
    context = dict.fromkeys(
        ["date", "machine", "server", "database", "users", "spawn_rate", "duration"], "x"
    ) | {"conventions": 10_000, "load_before": "1", "load_after": "2"}
    text, misses = report.render(stats, [], context)
    assert "à 10 000 conventions" in text
    assert misses == ["95e centile — ms, cible < 1000 ms"]


def test_the_cpu_of_the_sign_ins_is_told_apart_from_the_pages():
    def row(name, requests):
        return {"name": name, "method": "GET", "requests": requests, "failures": 0, "rps": 1.0,
                "p50": 10.0, "p95": 20.0, "p99": 30.0, "max": 40.0}  # fmt: skip

    stats = [
        row("Connexion du personnel", 40),
        row("Connexion du personnel, formulaire", 40),
        row("Échéancier", 1000),
        row("Aggregated", 1080),
    ]
    context = dict.fromkeys(
        ["date", "machine", "server", "database", "users", "spawn_rate", "duration"], "x"
    ) | {
        "conventions": 100,
        "load_before": "1",
        "load_after": "2",
        "cpu": {"server": 40.0, "database": 10.0},
        "hash_ms": 750.0,
    }
    text, misses = report.render(stats, [], context)
    # 40 hashes of 0.75 s: 30 s; the other 20 s over 1,000 pages.
    assert "les 40 connexions en prennent environ 30 s" in text
    assert "environ 20 ms de CPU par page" in text
    assert misses == []
