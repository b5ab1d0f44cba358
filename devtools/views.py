"""Development only (DEBUG): the mails the application sent, decoded, at /dev/mails/."""

import email
from email.header import decode_header, make_header
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

SEPARATOR = "-" * 79


def _decoded(message) -> dict:
    part = message
    if message.is_multipart():
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    return {
        "subject": str(make_header(decode_header(message.get("Subject", "")))),
        "to": message.get("To", ""),
        "date": message.get("Date", ""),
        "body": payload.decode(charset, errors="replace"),
    }


def read_mails(folder: Path) -> list[dict]:
    """Every mail of the file backend's folder, the latest first."""
    mails = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for chunk in reversed(path.read_bytes().split(SEPARATOR.encode())):
            if chunk.strip():
                mails.append(_decoded(email.message_from_bytes(chunk.strip() + b"\n")))
    return mails


@login_not_required
def mails(request):
    if not settings.DEBUG:
        raise Http404
    options = settings.MAILERS["default"].get("OPTIONS", {})
    folder = Path(options.get("file_path", settings.BASE_DIR / "var" / "mails"))
    found = read_mails(folder) if folder.is_dir() else []
    return render(request, "devtools/mails.html", {"mails": found[:50], "folder": folder})
