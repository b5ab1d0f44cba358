"""Nothing is stored or served as a signed PDF unless the application holds the whole
signed text (`documents.printing.holds_signed_text`: the convention's articles). Seed 003's
parent convention, METROPOLE-PE-2018, is known only through its avenant n°1: an editorial
note, no article. Its scan is its signed document; its printed text says it is not the
signed copy, on every page, and is no archival PDF/A."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conventions import services
from conventions.models import Convention, Signatory
from documents import printing
from documents import signed as documents
from documents.enums import DocumentKind
from documents.models import SignedDocument
from tests.factories import ConventionFactory, UserFactory
from tests.pdftext import normalise, pages_text

pytestmark = pytest.mark.django_db

NOT_THE_SIGNED_COPY = "ce n'est pas l'exemplaire signé"


def test_seed_003s_parent_gets_no_signed_pdf_and_prints_as_not_the_signed_copy(demo):
    convention = Convention.objects.get(reference="METROPOLE-PE-2018")
    assert convention.is_signed and not printing.holds_signed_text(convention)
    with pytest.raises(ValueError, match="no articles"):
        documents.store_signed_pdf(convention)
    assert not SignedDocument.objects.filter(convention=convention).exists()

    pdf = printing.convention_pdf(convention)
    reader = PdfReader(BytesIO(pdf))
    assert not reader.attachments  # no data attached as if it were the signed copy
    metadata = (
        reader.trailer["/Root"]["/Metadata"].get_data()
        if "/Metadata" in reader.trailer["/Root"]
        else b""
    )
    assert b"pdfaid" not in metadata
    assert "pas l'exemplaire signé" in reader.metadata.subject
    for page in pages_text(pdf):
        assert normalise(NOT_THE_SIGNED_COPY) in normalise(page)

    # A convention whose text is held prints no such mark.
    held = Convention.objects.get(reference="CRESS-PACA-2010")
    assert printing.holds_signed_text(held)
    assert normalise(NOT_THE_SIGNED_COPY) not in normalise(
        " ".join(pages_text(printing.convention_pdf(held)))
    )


def test_signing_a_convention_without_articles_stores_no_pdf_and_its_scan_is_filed():
    convention = ConventionFactory()  # a draft, no article
    for day, signatory in enumerate(
        Signatory.objects.filter(party__convention=convention).order_by("pk"), start=1
    ):
        services.convention_sign(signatory=signatory, on=datetime.date(2018, 11, day), place="Aix")
    convention.refresh_from_db()
    assert convention.is_signed
    assert documents.generated_document(convention) is None

    scan = printing.write_pdf("<p>Exemplaire signé à la main</p>")
    stored = documents.store_scan(
        convention=convention, data=scan, original_name="original.pdf", user=UserFactory()
    )
    [only] = SignedDocument.objects.filter(convention=convention)
    assert only == stored and only.kind == DocumentKind.SCAN


def test_the_pages_say_the_printed_text_is_not_the_signed_copy(client, demo):
    client.force_login(UserFactory(reader=True))
    page = client.get(reverse("conventions:detail", args=["METROPOLE-PE-2018"]))
    assert "Texte connu (PDF, pas l'exemplaire signé)" in page.content.decode()
    assert "Convention signée (PDF)" not in page.content.decode()
    response = client.get(reverse("documents:pdf", args=["METROPOLE-PE-2018"]))
    assert response["Content-Disposition"] == (
        'inline; filename="METROPOLE-PE-2018-texte-connu.pdf"'
    )
    page = client.get(reverse("conventions:detail", args=["CRESS-PACA-2010"]))
    assert "Convention signée (PDF)" in page.content.decode()
