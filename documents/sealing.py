"""The seal of signed PDFs: a PAdES signature, invisible, with the académie's certificate.

Configured by settings.SEAL_PKCS12_FILE and SEAL_PKCS12_PASSWORD; without them nothing is
sealed and `seal_status` says so. The seal proves that the stored PDF is the one the
application generated: one changed byte and it no longer validates. With
settings.SEAL_TSA_URL, the seal also carries an RFC 3161 timestamp of that authority (PAdES
B-T): the time of sealing no longer rests on the server's clock; without it, B-B.

The seal is an incremental update that keeps the file PDF/A: the revision it adds writes
the same producer and modification date into the XMP metadata and into the document
information dictionary (ISO 19005-3, 6.6.3: they must agree; see `_archival_writer`).
"""

import datetime
import logging
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError

from .enums import SealState

logger = logging.getLogger(__name__)

FIELD_NAME = "Sceau"


@dataclass(frozen=True)
class SealStatus:
    state: SealState
    signer: str = ""
    signed_at: object = None  # datetime, when sealed
    # The time certified by the timestamp authority (PAdES B-T), when the seal carries a
    # timestamp that validates; None otherwise.
    timestamped_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def is_valid(self) -> bool:
        return self.state == SealState.VALID


def seal_configured() -> bool:
    return bool(settings.SEAL_PKCS12_FILE)


@cache
def _signer(path: str, password: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(
        pfx_file=path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise ValueError(f"Cannot read the seal certificate {path!r} with the password given")
    return signer


def signer():
    return _signer(settings.SEAL_PKCS12_FILE, settings.SEAL_PKCS12_PASSWORD)


@cache
def _archival_writer():
    """pyHanko's incremental writer, keeping the XMP metadata and the document information
    dictionary in agreement.

    When it writes a revision, pyHanko sets the XMP's `pdf:Producer` to its own name
    ("pyHanko 0.38.0") and `xmp:ModifyDate` to the time, but in the information dictionary
    it appends its name to WeasyPrint's ("WeasyPrint 70.0; pyHanko 0.38.0") and reads the
    clock a second time for `/ModDate` (a second boundary may fall between the two). PDF/A
    wants each entry of the dictionary equal to its XMP counterpart: after pyHanko's own
    update, the dictionary takes the XMP's values. The other pairs (title, author, subject,
    keywords, creator, creation date) were written equal by WeasyPrint, and pyHanko leaves
    them. Tested entry by entry in documents/tests/test_sealed_pdfa.py.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata import model

    class ArchivalWriter(IncrementalPdfFileWriter):
        def _update_meta(self):
            super()._update_meta()
            if self._info is None or "/Metadata" not in self.root:
                return
            xmp = {
                name: value for structure in self.root["/Metadata"].xmp for name, value in structure
            }
            info = self._info.get_object()
            if model.PDF_PRODUCER in xmp:
                info["/Producer"] = generic.TextStringObject(xmp[model.PDF_PRODUCER].value)
            if model.XMP_MODDATE in xmp:
                modified = datetime.datetime.fromisoformat(xmp[model.XMP_MODDATE].value)
                info["/ModDate"] = generic.pdf_date(modified)
            self.mark_update(self._info)

    return ArchivalWriter


def timestamper():
    """The client of the timestamp authority (RFC 3161 over HTTP), or None when none is
    configured."""
    if not settings.SEAL_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SEAL_TSA_URL, timeout=settings.SEAL_TSA_TIMEOUT)


def seal_pdf(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """`pdf` sealed with the configured certificate (an incremental update, so a PDF/A stays
    one), timestamped when a timestamp authority is configured. Call only when
    `seal_configured()`.

    Raises ValidationError (French) when the timestamp authority does not answer: a seal
    that should carry a timestamp is not made without it, and the signature that asked for
    it is not recorded (the staff sign again later).
    """
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import TimestampRequestError

    writer = _archival_writer()(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    try:
        out = signers.sign_pdf(writer, metadata, signer=signer(), timestamper=timestamper())
    except TimestampRequestError:
        logger.warning("Timestamp authority unreachable: %s", settings.SEAL_TSA_URL, exc_info=True)
        raise ValidationError(
            "Le service d'horodatage du sceau ne répond pas : la signature n'a pas été "
            "enregistrée. Réessayez dans quelques instants.",
            code="timestamp_unavailable",
        ) from None
    return out.getvalue()


def _trust_roots():
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    if seal_configured():
        own = signer()
        roots.append(own.signing_cert)
        roots.extend(own.cert_registry)
    roots.extend(load_cert_from_pemder(path) for path in settings.SEAL_TRUST_ROOTS)
    return roots


def seal_status(pdf: bytes) -> SealStatus:
    """Whether `pdf` carries a seal, and whether it is intact, covers the whole file and
    comes from a trusted certificate. Never raises: a damaged file is an invalid seal."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file cannot even be read: its seal is broken
        logger.warning("Unreadable sealed PDF", exc_info=True)
        return SealStatus(SealState.INVALID)
    if not signatures:
        return SealStatus(SealState.ABSENT)
    signature = signatures[-1]
    try:
        context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
        status = validate_pdf_signature(signature, context)
    except Exception:
        logger.warning("Seal validation failed", exc_info=True)
        return SealStatus(SealState.INVALID)
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if status.intact and status.valid and whole_file and status.trusted:
        signer_name = status.signing_cert.subject.human_friendly if status.signing_cert else ""
        stamp = status.timestamp_validity
        trusted_stamp = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
        stamped = stamp.timestamp if trusted_stamp else None
        return SealStatus(SealState.VALID, signer_name, status.signer_reported_dt, stamped)
    if status.intact and status.valid and whole_file:
        return SealStatus(SealState.UNTRUSTED)
    return SealStatus(SealState.INVALID)
