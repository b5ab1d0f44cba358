"""Development: mails are files, read decoded at /dev/mails/; the page exists only in DEBUG;
log lines are readable on a terminal."""

import logging

from django.core.mail import send_mail
from django.test import override_settings

from config.logging import TerminalFormatter


def test_mails_are_files_read_decoded_in_debug_only(client, settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    send_mail("Accès au portail des partenaires", "Choisissez votre mot de passe : é à ç.",
              None, ["contact@cress.example.org"])  # fmt: skip
    with override_settings(DEBUG=True):
        page = client.get("/dev/mails/").content.decode()
    assert "Accès au portail des partenaires" in page
    assert "Choisissez votre mot de passe : é à ç." in page
    assert client.get("/dev/mails/").status_code == 404  # DEBUG off


def test_request_lines_are_readable_on_a_terminal():
    record = logging.makeLogRecord({
        "name": "conventions.requests", "levelname": "INFO", "msg": "request",
        "method": "GET", "route": "conventions/<str:reference>/", "view": "conventions:detail",
        "status": 200, "duration_ms": 12.5,
    })  # fmt: skip
    line = TerminalFormatter().format(record)
    assert line.endswith("INFO conventions.requests request GET /conventions/<str:reference>/ "
                         "200 12.5 ms")  # fmt: skip
