"""Signed documents: the PDF generated once when the last party signs, and uploaded scans.

A stored document is never regenerated nor changed: later changes go through avenants,
which get their own signed PDFs. The staff signature workflow calls `store_signed_pdf`
when the last party has signed a convention (after saving `signed_on`), and
`store_signed_amendment_pdf` when the last party has signed an avenant.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat

from conventions.models import Amendment, Convention

from . import printing, sealing
from .enums import DocumentKind, SealState
from .models import SignedDocument

logger = logging.getLogger(__name__)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generated_document(convention: Convention, amendment: Amendment | None = None):
    """The stored generated PDF of the convention (or of one of its avenants), or None."""
    return (
        SignedDocument.objects.generated()
        .filter(convention=convention, amendment=amendment)
        .order_by("pk")
        .first()
    )


def store_signed_pdf(convention: Convention) -> SignedDocument:
    """Generate, seal (when a certificate is configured) and store the signed PDF, once.

    Idempotent: a second call returns the stored document unchanged.
    """
    if convention.signed_on is None:
        raise ValueError(f"{convention.reference} is not signed: no signed PDF to store")
    existing = generated_document(convention)
    if existing is not None:
        return existing
    html = printing.convention_html(convention)
    pdf = printing.write_pdf(
        html,
        archival_data=printing.structured_data(convention),
        data_name=f"{convention.reference}.json",
    )
    return _store_generated(
        convention=convention,
        amendment=None,
        pdf=pdf,
        name=f"{convention.reference}-signee.pdf",
        reason=f"Convention {convention.reference} signée",
        location=convention.signature_place,
    )


def store_signed_amendment_pdf(amendment: Amendment) -> SignedDocument:
    """The same for an avenant, once all its parties have signed."""
    if amendment.signed_on is None:
        raise ValueError(f"Avenant {amendment.number} is not signed: no signed PDF to store")
    convention = amendment.convention
    existing = generated_document(convention, amendment)
    if existing is not None:
        return existing
    pdf = printing.write_pdf(
        printing.amendment_html(amendment),
        archival_data=printing.structured_data(convention, amendment),
        data_name=f"{convention.reference}-avenant-{amendment.number}.json",
    )
    return _store_generated(
        convention=convention,
        amendment=amendment,
        pdf=pdf,
        name=f"{convention.reference}-avenant-{amendment.number}-signe.pdf",
        reason=f"Avenant N°{amendment.number} à la convention {convention.reference} signé",
        location=amendment.signature_place,
    )


def _store_generated(*, convention, amendment, pdf, name, reason, location) -> SignedDocument:
    sealed = sealing.seal_configured()
    if sealed:
        pdf = sealing.seal_pdf(pdf, reason=reason, location=location)
    document = SignedDocument(
        convention=convention,
        amendment=amendment,
        kind=DocumentKind.GENERATED,
        sha256=sha256_hex(pdf),
        size=len(pdf),
        sealed=sealed,
    )
    document.file.save(name, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another request stored it first (two last signatures at once): keep theirs.
        document.file.delete(save=False)
        existing = generated_document(convention, amendment)
        if existing is None:
            raise
        return existing
    return document


# --- Scans of the paper copy -------------------------------------------------------------


def check_scan(upload) -> bytes:
    """The bytes of an uploaded scan, if it is a real PDF within the size limit.

    Raises ValidationError with a French message otherwise.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    limit = settings.SCAN_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            "Le fichier pèse %(size)s : la limite est de %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    data = b"".join(upload.chunks())
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            "Ce fichier n'est pas un PDF. Déposez le scan au format PDF.", code="not_pdf"
        )
    try:
        reader = PdfReader(ContentFile(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "Ce PDF est protégé par un mot de passe : déposez une version non protégée.",
                code="encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("Refused scan: %s", error)
        raise ValidationError(
            "Ce PDF est endommagé ou illisible. Vérifiez le fichier et déposez-le à nouveau.",
            code="unreadable",
        ) from None
    if pages == 0:
        raise ValidationError("Ce PDF ne contient aucune page.", code="empty")
    return data


def store_scan(
    *,
    convention: Convention,
    data: bytes,
    original_name: str,
    user,
    amendment=None,
    shared_with_partners: bool = False,
) -> SignedDocument:
    """File the scan of a paper copy signed by hand (already checked by `check_scan`);
    `shared_with_partners`: offered on the partner portal."""
    digest = sha256_hex(data)
    suffix = f"-avenant-{amendment.number}" if amendment else ""
    document = SignedDocument(
        convention=convention,
        amendment=amendment,
        kind=DocumentKind.SCAN,
        original_name=original_name[:255],
        sha256=digest,
        size=len(data),
        uploaded_by=user,
        shared_with_partners=shared_with_partners,
    )
    document.file.save(
        f"{convention.reference}{suffix}-scan-{digest[:12]}.pdf", ContentFile(data), save=False
    )
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        raise ValidationError(
            "Ce fichier a déjà été déposé pour cette convention.", code="duplicate"
        ) from None
    return document


def seal_status(document: SignedDocument) -> sealing.SealStatus:
    """The seal check shown on the convention page for a stored document."""
    status = sealing.seal_status(document.read())
    if document.sealed and status.state == SealState.ABSENT:
        return sealing.SealStatus(SealState.INVALID)  # the seal it had is gone
    return status


def convention_documents(convention: Convention) -> list[SignedDocument]:
    """The stored documents of a convention, each with `.seal` (a SealStatus, None when it
    was not sealed), `.intact` (its bytes still match their fingerprint) and `.missing`
    (the file is gone from storage). One query;
    each file is read once (a few documents per convention)."""
    documents = list(
        SignedDocument.objects.filter(convention=convention)
        .select_related("amendment")
        .order_by("amendment__number", "kind", "created_at", "pk")
    )
    for document in documents:
        document.seal = None
        try:
            data = document.read()
        except OSError:
            logger.error("Stored document missing: %s", document.file.name)
            document.missing, document.intact = True, False
            continue
        document.missing = False
        document.intact = sha256_hex(data) == document.sha256
        if document.sealed:
            status = sealing.seal_status(data)
            if status.state == SealState.ABSENT:
                status = sealing.SealStatus(SealState.INVALID)
            document.seal = status
    return documents
