"""Signed documents: generated once, fingerprinted, sealed when a certificate is configured."""

import datetime
import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from conventions.models import Amendment, Convention
from documents import printing, sealing
from documents import signed as documents
from documents.enums import DocumentKind, SealState
from documents.models import SignedDocument
from tests.factories import ConventionFactory, UserFactory
from tests.pki import PASSWORD, make_pkcs12

pytestmark = pytest.mark.django_db


@pytest.fixture
def seal_certificate(settings, tmp_path):
    settings.SEAL_PKCS12_FILE = str(make_pkcs12(tmp_path / "sceau.p12"))
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    yield settings.SEAL_PKCS12_FILE
    sealing._signer.cache_clear()


def flip_one_byte(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_signed_pdf_is_generated_once_and_never_again(monkeypatch):
    convention = ConventionFactory(signed=True)
    document = documents.store_signed_pdf(convention)
    assert document.kind == DocumentKind.GENERATED and document.amendment is None
    assert not document.sealed

    renders = []
    monkeypatch.setattr(printing, "write_pdf", lambda *a, **k: renders.append(1) or b"%PDF-")
    # Nothing can change the signed text (the database refuses it), and asking again
    # returns the stored document without rendering.
    convention.title = "Un autre titre"
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        convention.save()
    again = documents.store_signed_pdf(convention)
    assert again.pk == document.pk and renders == []
    assert SignedDocument.objects.filter(convention=convention).count() == 1


def test_stored_hash_and_size_match_the_file():
    convention = ConventionFactory(signed=True)
    document = documents.store_signed_pdf(convention)
    data = document.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert document.size == len(data) and data.startswith(b"%PDF-")
    assert document.matches_fingerprint()
    # Changed in storage behind the application's back: the fingerprint says so.
    path = document.file.path
    with open(path, "wb") as handle:
        handle.write(flip_one_byte(data, len(data) // 2))
    assert not document.matches_fingerprint()


def test_a_draft_has_no_signed_pdf():
    with pytest.raises(ValueError, match="not signed"):
        documents.store_signed_pdf(ConventionFactory())


def test_the_database_refuses_a_second_generated_document():
    convention = ConventionFactory(signed=True)
    documents.store_signed_pdf(convention)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SignedDocument.objects.create(
            convention=convention, kind=DocumentKind.GENERATED, sha256="0" * 64, size=1
        )


def test_signed_avenant_pdf_is_its_own_archival_document():
    convention = ConventionFactory(signed=True)
    amendment = Amendment.objects.create(
        convention=convention,
        number=1,
        title="Prolongation d'un an",
        signed_on=datetime.date(2012, 5, 2),
        signature_place="Marseille",
    )
    document = documents.store_signed_amendment_pdf(amendment)
    assert document.amendment == amendment and document.kind == DocumentKind.GENERATED
    assert documents.store_signed_amendment_pdf(amendment).pk == document.pk
    assert documents.store_signed_pdf(convention).pk != document.pk
    reader = PdfReader(BytesIO(document.read()))
    metadata = reader.trailer["/Root"]["/Metadata"].get_data().decode()
    assert 'pdfaid:part="3"' in metadata
    assert reader.metadata.title.startswith("Avenant N°1 à la convention de partenariat")
    assert f"{convention.reference}-avenant-1.json" in reader.attachments


def test_seal_is_valid_with_the_certificate_and_broken_by_one_byte(seal_certificate):
    convention = ConventionFactory(signed=True)
    document = documents.store_signed_pdf(convention)
    assert document.sealed
    status = documents.seal_status(document)
    assert status.state == SealState.VALID and status.is_valid
    assert "Académie d'Aix-Marseille" in status.signer
    # Still an archival PDF once sealed (an incremental update).
    data = document.read()
    metadata = PdfReader(BytesIO(data)).trailer["/Root"]["/Metadata"].get_data().decode()
    assert 'pdfaid:part="3"' in metadata

    for position in (2000, len(data) // 2):
        assert sealing.seal_status(flip_one_byte(data, position)).state == SealState.INVALID
    with open(document.file.path, "wb") as handle:
        handle.write(flip_one_byte(data, 2000))
    assert documents.seal_status(document).state == SealState.INVALID


def test_seal_of_another_certificate_is_not_trusted(seal_certificate, settings, tmp_path):
    document = documents.store_signed_pdf(ConventionFactory(signed=True))
    settings.SEAL_PKCS12_FILE = str(make_pkcs12(tmp_path / "autre.p12", common_name="Autre"))
    sealing._signer.cache_clear()
    assert documents.seal_status(document).state == SealState.UNTRUSTED


def test_without_a_certificate_nothing_is_sealed_and_nothing_breaks():
    document = documents.store_signed_pdf(ConventionFactory(signed=True))
    assert not document.sealed
    assert documents.seal_status(document).state == SealState.ABSENT
    [listed] = documents.convention_documents(document.convention)
    assert listed.seal is None and listed.intact


def scan(content=None, name="scan.pdf"):
    if content is None:
        content = printing.write_pdf("<p>Exemplaire signé à la main</p>")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_scan_is_checked_fingerprinted_and_stored_next_to_the_generated_pdf():
    convention = ConventionFactory(signed=True)
    generated = documents.store_signed_pdf(convention)
    user = UserFactory(manager=True)
    upload = scan()
    data = documents.check_scan(upload)
    stored = documents.store_scan(
        convention=convention, data=data, original_name="scan.pdf", user=user
    )
    assert stored.kind == DocumentKind.SCAN and stored.uploaded_by == user
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.matches_fingerprint()
    assert stored.file.name.rsplit("/", 1)[0] == generated.file.name.rsplit("/", 1)[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "n'est pas un PDF"),
        (b"%PDF-1.7\n garbage without any object", "endommagé ou illisible"),
    ],
)
def test_scan_must_be_a_real_pdf(content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        documents.check_scan(scan(content))


def test_scan_size_is_limited(settings):
    from django.core.exceptions import ValidationError

    settings.SCAN_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="la limite est de 1000"):
        documents.check_scan(scan())


def test_seed_signed_convention_stores_its_pdf(demo):
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    document = documents.store_signed_pdf(convention)
    assert document.file.name == "conventions/CRESS-PACA-2010/CRESS-PACA-2010-signee.pdf"
