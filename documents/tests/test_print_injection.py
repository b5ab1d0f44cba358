"""Hostile text in every field that reaches the print templates: the PDF still reads, and
WeasyPrint fetches nothing but our own print assets.

The attack: a short title such as `Court\\f}}p,li,h1,h2,h3,td{display:none}@page{x:"` used
to close the CSS string of the running footer (a form feed ends a CSS string) and hide every
paragraph of every printed PDF, the stored signed PDF/A included; `html{background:url(
file:///...)}` made WeasyPrint read a local file into the PDF. The secret file here is an SVG
whose text WeasyPrint would draw: had it been fetched, pdftotext would read it back.
"""

import datetime
import logging
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase

from conventions import services
from conventions.enums import AnnexKind
from conventions.models import Amendment, ArticleChange, Signatory
from documents import printing, review
from documents.models import SignedDocument
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ArticleFactory,
    ConventionFactory,
    OrganisationFactory,
    sign,
)
from tests.pdftext import normalise, pages_text

pytestmark = pytest.mark.django_db

SECRET = "SECRETDUSERVEUR"
ARTICLE_TEXT = "Les parties développent ensemble la découverte des métiers par les élèves."


@pytest.fixture
def secret_file():
    """A local file WeasyPrint would draw as text if it ever read it (a short path: the
    payloads fit the fields' lengths)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        path = Path(folder) / "s.svg"
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
            f'<text x="10" y="40" font-size="30">{SECRET}</text></svg>'
        )
        yield path


# Each payload as typed by a hostile gestionnaire; URL stands for the secret file's address.
PAYLOADS = {
    "form feed hides all text": 'Court\f}}p,li,h1,h2,h3,td{display:none}@page{x:"',
    "carriage return hides all text": 'Court\r}}p,li,h1,h2,h3,td{display:none}@page{x:"',
    "\\x0c reads a local file": 'Court\x0c}}html{background:url(URL)}@page{x:"',
    "\\r reads a local file": 'Court\r}}html{background:url("URL")}@page{x:"',
    "closing the style block": "Court</style><img src='URL'><style>",
    "@import": 'Court\f}}@import url("URL");@page{x:"',
    "url() outside a string": 'Court\f}}body::before{content:url(URL)}@page{x:"',
    "escaped newline": 'Court\\\n}}html{background:url(URL)}@page{x:"',
}


def payload_of(name: str, secret_file) -> str:
    return PAYLOADS[name].replace("URL", secret_file.as_uri())


def hostile_convention(payload: str):
    """A draft where every printed field carries the payload, except one article body."""
    academy = OrganisationFactory(academy=True)
    partner = OrganisationFactory(name=f"Association {payload}", address=f"1 rue {payload}")
    convention = ConventionFactory(
        title=f"Convention {payload}",
        short_title=payload,
        preamble=f"Préambule {payload}",
        signature_place=f"Aix {payload}"[:120],
        requires_initials=True,
        parties=[academy, partner],
    )
    for party in convention.parties.all():
        party.name_as_written = f"Partie {party.position} {payload}"[:255]
        party.description = f"Qualité {payload}"[:255]
        party.designation = payload[:80]
        party.address = f"Adresse {payload}"
        party.save()
        party.signatories.update(name=f"Nom {payload}"[:200], title=f"Fonction, {payload}")
    ArticleFactory(convention=convention, position=1, heading=payload, body=payload)
    ArticleFactory(convention=convention, position=2, heading="Objet", body=ARTICLE_TEXT)
    convention.annexes.create(
        position=1,
        title=payload,
        body=payload,
        kind=AnnexKind.TEXT,
        tables=[{"caption": payload, "columns": [payload], "rows": [[payload]]}],
    )
    return convention


def assert_intact(pdf: bytes, *, footer: str | None = None):
    pages = pages_text(pdf)
    text = normalise(" ".join(pages))
    assert normalise(ARTICLE_TEXT) in text, "the article text vanished from the PDF"
    assert SECRET.casefold() not in text, "a local file was read into the PDF"
    if footer is not None:
        assert len(pages) >= 2
        assert all(normalise(footer) in normalise(page) for page in pages[1:])
        assert all("page" in page for page in pages[1:])


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_hostile_fields_leave_the_draft_pdf_intact(name, secret_file, caplog):
    payload = payload_of(name, secret_file)
    convention = hostile_convention(payload)
    with caplog.at_level(logging.WARNING):
        pdf = printing.convention_pdf(convention)
    # The short title prints as text in the footer of every page after the first.
    assert_intact(pdf, footer="Court")
    if "display:none" in payload:  # printed as the text it is
        assert "display:none" in normalise(" ".join(pages_text(pdf)))
    # Nothing even tried to fetch the file (the fetcher logs what it refuses).
    assert not [r for r in caplog.records if secret_file.name in r.getMessage()]


@pytest.mark.parametrize("name", list(PAYLOADS)[:3])
def test_hostile_fields_leave_the_stored_signed_pdf_intact(name, secret_file):
    payload = payload_of(name, secret_file)
    convention = hostile_convention(payload)
    signatories = list(
        Signatory.objects.filter(party__convention=convention, amendment=None).order_by("pk")
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker, after the commit
        for day, signatory in enumerate(signatories, start=1):
            services.convention_sign(
                signatory=signatory,
                on=datetime.date(2024, 3, day),
                place=f"Marseille {payload}"[:120],
            )
    document = SignedDocument.objects.generated().get(convention=convention)
    assert_intact(document.read(), footer="Court")


@pytest.mark.parametrize("name", list(PAYLOADS)[:3])
def test_hostile_avenant_and_review_pdfs_stay_intact(name, secret_file):
    payload = payload_of(name, secret_file)
    convention = hostile_convention(payload)
    sign(convention)
    amendment = Amendment.objects.create(
        convention=convention, number=1, title=payload, body=ARTICLE_TEXT, signature_place=payload
    )
    ArticleChange.objects.create(
        amendment=amendment,
        kind="replace",
        article=convention.articles.get(position=1),
        heading=payload,
        body=payload,
    )
    for party in convention.parties.all():
        party.signatories.create(amendment=amendment, name=payload[:200], title=payload)
    assert_intact(printing.amendment_pdf(amendment), footer="Court")

    plan = ActionPlanFactory(convention=convention, school_year=2010)
    ActionFactory(plan=plan, title=ARTICLE_TEXT, axis=payload, objective=payload)
    for _ in range(12):  # a second page, which carries the footer
        ActionFactory(plan=plan, axis=payload, objective=f"{payload}\n\n{ARTICLE_TEXT * 3}")
    assert_intact(review.review_pdf(convention, 2010), footer="Court")


# --- The URL fetcher: our print assets, nothing else -----------------------------------


def test_the_fetcher_serves_our_print_stylesheet():
    fetcher = printing.print_url_fetcher()
    css = (settings.BASE_DIR / "documents" / "static" / "print" / "print.css").resolve()
    response = fetcher(css.as_uri())
    assert response.read().decode() == printing.print_css_text()
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/font.woff2",
        "ftp://example.org/x",
        "data:text/css,p{display:none}",
        "file:///proc/self/environ",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError, match="refused"):
        printing.print_url_fetcher()(url)


def test_the_fetcher_refuses_a_way_out_of_the_print_folder(tmp_path):
    folder = (settings.BASE_DIR / "documents" / "static" / "print").resolve()
    for url in [
        (folder / ".." / ".." / "signed.py").as_uri(),
        folder.as_uri() + "/%2e%2e/%2e%2e/signed.py",
        (settings.BASE_DIR / "config" / "settings.py").as_uri(),
        folder.as_uri(),  # a folder is not a file
    ]:
        with pytest.raises(ValueError, match="refused"):
            printing.print_url_fetcher()(url)


def test_hostile_html_given_to_write_pdf_fetches_nothing(secret_file, caplog):
    """Below the templates: even HTML that asks for a local file gets nothing."""
    url = secret_file.as_uri()
    html = (
        f"<html><head><style>html {{ background: url({url}) }}</style>"
        f'<link rel="stylesheet" href="{url}"><link rel="attachment" href="{url}"></head>'
        f'<body><p>{ARTICLE_TEXT}</p><img src="{url}"><img src="file:///etc/hostname">'
        '<img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    with caplog.at_level(logging.WARNING):
        pdf = printing.write_pdf(html)
    assert_intact(pdf)
    with open("/etc/hostname", "rb") as handle:
        hostname = handle.read().strip()
    assert hostname not in pdf
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert url in refused and "file:///etc/hostname" in refused and "127.0.0.1:9" in refused


def test_no_document_text_is_written_into_css(secret_file):
    """The footer's title travels as text of the body: the <style> blocks and style
    attributes of a printed document are the same whatever its fields say."""
    convention = hostile_convention(payload_of("form feed hides all text", secret_file))
    html = printing.convention_html(convention)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    styles += re.findall(r'style="([^"]*)"', html)
    assert styles and not any("Court" in s or "display:none" in s for s in styles)
    assert "string(running-title)" in styles[0]
