"""The seal of signed PDFs: a PAdES signature, invisible, with the académie's certificate.

Configured by settings.SEAL_PKCS12_FILE and SEAL_PKCS12_PASSWORD; without them nothing is
sealed and `seal_status` says so. The seal proves that the stored PDF is the one the
application generated: one changed byte and it no longer validates.
"""

import logging
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from django.conf import settings

from .enums import SealState

logger = logging.getLogger(__name__)

FIELD_NAME = "Sceau"


@dataclass(frozen=True)
class SealStatus:
    state: SealState
    signer: str = ""
    signed_at: object = None  # datetime, when sealed

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


def seal_pdf(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """`pdf` sealed with the configured certificate (an incremental update, so a PDF/A stays
    one). Call only when `seal_configured()`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = signers.sign_pdf(writer, metadata, signer=signer())
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
        return SealStatus(SealState.VALID, signer_name, status.signer_reported_dt)
    if status.intact and status.valid and whole_file:
        return SealStatus(SealState.UNTRUSTED)
    return SealStatus(SealState.INVALID)
