"""A sealed signed PDF stays PDF/A (ISO 19005-3): after the seal's incremental update, each
entry of the document information dictionary equals its XMP counterpart (6.6.3); the seal
validates with pyHanko; with a timestamp authority configured, the seal carries its RFC 3161
timestamp (PAdES B-T), fetched over HTTP from a real one on 127.0.0.1 (tests/tsa.py)."""

import datetime
import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from pikepdf.models.metadata import decode_pdf_date
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from conventions.models import Convention
from documents import sealing
from documents import signed as documents
from documents.enums import SealState
from documents.models import SignedDocument
from tests.factories import ConventionFactory
from tests.pki import PASSWORD, make_pkcs12
from tests.tsa import timestamp_authority

pytestmark = pytest.mark.django_db

# Each entry of the information dictionary and the XMP property PDF/A requires it to equal.
INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
    "/Trapped": "pdf:Trapped",
}


@pytest.fixture
def seal_certificate(settings, tmp_path):
    settings.SEAL_PKCS12_FILE = str(make_pkcs12(tmp_path / "sceau.p12"))
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    yield settings.SEAL_PKCS12_FILE
    sealing._signer.cache_clear()


def info_and_xmp(pdf: bytes) -> list[tuple[str, object, object]]:
    """Each entry of the information dictionary, its value and its XMP counterpart's, both
    read as a reader would: dates as instants, dc:creator's list joined as /Author is."""
    document = pikepdf.open(io.BytesIO(pdf))
    xmp = document.open_metadata()
    pairs = []
    for key, value in document.docinfo.items():
        assert key in INFO_TO_XMP, f"{key} has no XMP counterpart"
        name = INFO_TO_XMP[key]
        assert name in xmp, f"{key} is in the information dictionary, {name} is not in XMP"
        value, counterpart = str(value), xmp[name]
        if key in ("/CreationDate", "/ModDate"):
            value = decode_pdf_date(value)
            counterpart = datetime.datetime.fromisoformat(counterpart)
        elif key == "/Author":
            counterpart = ", ".join(counterpart)
        pairs.append((key, value, counterpart))
    return pairs


def test_a_sealed_signed_pdf_keeps_its_information_dictionary_and_xmp_in_agreement(
    seal_certificate, demo
):
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    pdf = documents.store_signed_pdf(convention).read()
    pairs = info_and_xmp(pdf)
    assert {key for key, _, _ in pairs} >= {
        "/Title",
        "/Author",
        "/Subject",
        "/Keywords",
        "/Creator",
        "/Producer",
        "/CreationDate",
        "/ModDate",
    }
    for key, value, counterpart in pairs:
        assert value == counterpart, key
    values = {key: value for key, value, _ in pairs}
    assert values["/Title"] == convention.title
    assert values["/Producer"].startswith("pyHanko")  # the last to write the file
    assert values["/ModDate"] >= values["/CreationDate"]


def test_a_sealed_signed_pdf_is_still_pdfa_3_and_its_seal_validates(seal_certificate):
    pdf = documents.store_signed_pdf(ConventionFactory(signed=True)).read()
    document = pikepdf.open(io.BytesIO(pdf))
    xmp = document.open_metadata()
    assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
    # What a PDF/A validator checks first: an XMP packet without a `bytes` attribute, a
    # metadata stream of the right type, the output intent, the language, the attached data
    # declared in /AF with its relationship, no encryption, a file identifier.
    raw = document.Root.Metadata.read_bytes()
    assert raw.startswith(b"<?xpacket begin=") and b" bytes=" not in raw.split(b"?>")[0]
    assert (document.Root.Metadata.Type, document.Root.Metadata.Subtype) == ("/Metadata", "/XML")
    assert document.Root.OutputIntents[0].S == "/GTS_PDFA1"
    assert str(document.Root.Lang) == "fr"
    # (WeasyPrint lists the one attached file twice in /AF, as the same object.)
    assert {(f.objgen, str(f.F), f.AFRelationship) for f in document.Root.AF} == {
        (document.Root.AF[0].objgen, str(document.Root.AF[0].F), "/Data")
    }
    assert not document.is_encrypted and len(document.trailer.ID) == 2

    [seal] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    own = sealing.signer().signing_cert
    status = validate_pdf_signature(seal, ValidationContext(trust_roots=[own]))
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is None  # no timestamp authority configured: B-B


def test_with_a_timestamp_authority_the_seal_carries_its_timestamp(
    seal_certificate, settings, tmp_path
):
    with timestamp_authority(tmp_path) as (server, url, tsa_certificate):
        settings.SEAL_TSA_URL = url
        settings.SEAL_TRUST_ROOTS = [str(tsa_certificate)]
        before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        document = documents.store_signed_pdf(ConventionFactory(signed=True))
        assert server.requests >= 1  # (pyHanko asks once more to size the signature)
    pdf = document.read()

    [seal] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(
        trust_roots=[sealing.signer().signing_cert, load_cert_from_pemder(str(tsa_certificate))]
    )
    status = validate_pdf_signature(seal, context)
    assert status.bottom_line
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert before <= stamp.timestamp <= datetime.datetime.now(datetime.UTC)

    checked = documents.seal_status(document)
    assert checked.state == SealState.VALID and checked.timestamped_at == stamp.timestamp
    for key, value, counterpart in info_and_xmp(pdf):
        assert value == counterpart, key


def test_an_unreachable_timestamp_authority_stores_nothing(seal_certificate, settings, tmp_path):
    with timestamp_authority(tmp_path) as (_, url, _):
        pass  # stopped: its port no longer answers
    settings.SEAL_TSA_URL = url
    settings.SEAL_TSA_TIMEOUT = 2
    convention = ConventionFactory(signed=True)
    with pytest.raises(ValidationError, match="service d'horodatage du sceau ne répond pas"):
        documents.store_signed_pdf(convention)
    assert not SignedDocument.objects.filter(convention=convention).exists()
    assert documents.discard_uncommitted_files() == []  # the file written went with it
