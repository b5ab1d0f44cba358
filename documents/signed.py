"""Signed documents: the PDF generated once when the last party signs, and uploaded scans.

A stored document is never regenerated nor changed: later changes go through avenants,
which get their own signed PDFs. The staff signature workflow calls `store_signed_pdf`
when the last party has signed a convention (after saving `signed_on`), and
`store_signed_amendment_pdf` when the last party has signed an avenant.

A file is written inside the transaction that records its row; it is kept only if that
transaction commits. `discard_uncommitted_files` deletes the files whose rows were rolled
back (called when a store fails, and by the signature services through
`conventions.extensions.signature_rolled_back`); what a killed worker leaves behind is found
by `manage.py sweep_signed_files`. Names are stable (`<reference>-signee.pdf`): a retry
replaces a file left without its row, it never adds a copy beside it.
"""

import contextlib
import datetime
import hashlib
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.template.defaultfilters import filesizeformat

from conventions.models import Amendment, Convention

from . import printing, sealing
from .enums import DocumentKind, SealState
from .models import SIGNED_FOLDER, SignedDocument

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


# --- Files kept only when their transaction commits ---------------------------------------

# The files written in the current thread's transaction and not committed yet.
_uncommitted = threading.local()


def _pending() -> set[str]:
    if not hasattr(_uncommitted, "names"):
        _uncommitted.names = set()
    return _uncommitted.names


def _storage():
    return SignedDocument._meta.get_field("file").storage


def _write_file(document: SignedDocument, filename: str, data: bytes) -> None:
    """Write `data` as the file of `document` (not saved yet) under its stable name.

    A file already there without a row is what a transaction that never committed left
    behind (a killed worker): it is replaced, not kept beside a copy. The callers hold the
    convention's row (or the database's write lock on SQLite), so no other transaction is
    writing that same name at the same time.
    """
    storage = _storage()
    name = SignedDocument._meta.get_field("file").generate_filename(document, filename)
    if storage.exists(name) and not SignedDocument.objects.filter(file=name).exists():
        logger.warning("Replacing a stored file that has no document: %s", name)
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    document.file.name = saved
    if transaction.get_connection().in_atomic_block:
        _pending().add(saved)
        transaction.on_commit(lambda: _pending().discard(saved))


def discard_uncommitted_files() -> list[str]:
    """Delete the files written by this thread whose rows did not commit; returns them.

    Called once a block that wrote files has failed. A file stays when a row still points
    to it: written inside a transaction that goes on (only a savepoint was rolled back), or
    the same name committed by another request (the same scan filed twice at once: same
    bytes). Outside any transaction, a file still pending belonged to a transaction that
    ended without a commit (a commit forgets its files): it goes even when the database
    cannot be read (a locked database).
    """
    connection = transaction.get_connection()
    deleted = []
    for name in sorted(_pending()):
        try:
            referenced = SignedDocument.objects.filter(file=name).exists()
        except (DatabaseError, TransactionManagementError):
            if connection.in_atomic_block:
                continue  # cannot tell yet: the outer rollback (or the sweep) will
            referenced = False
        if referenced:
            if not connection.in_atomic_block:
                _pending().discard(name)  # committed (by another request)
            continue
        try:
            _storage().delete(name)
        except OSError:
            logger.exception("Could not delete the uncommitted file %s", name)
            continue
        _pending().discard(name)
        deleted.append(name)
        logger.warning("Deleted the file of a document that was rolled back: %s", name)
    return deleted


@contextlib.contextmanager
def _kept_on_commit():
    """A block that writes files and their rows: when it fails, its files go too."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        discard_uncommitted_files()
        raise


def orphan_files(*, older_than: datetime.datetime, delete: bool = False) -> list[str]:
    """The files of the signed documents' folder that no `SignedDocument` points to, last
    changed before `older_than` (a more recent one may belong to a signature in progress);
    deleted when `delete`. For `manage.py sweep_signed_files`."""
    storage = _storage()
    known = set(SignedDocument.objects.values_list("file", flat=True))
    found = []
    folders = [SIGNED_FOLDER]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            if path in known or storage.get_modified_time(path) >= older_than:
                continue
            if delete:
                storage.delete(path)
                logger.warning("Deleted a stored file that has no document: %s", path)
            found.append(path)
    return sorted(found)


# --- The generated signed PDF ------------------------------------------------------------


def store_signed_pdf(convention: Convention) -> SignedDocument:
    """Generate, seal (when a certificate is configured) and store the signed PDF, once.

    Idempotent: a second call returns the stored document unchanged. Refused for a
    convention whose whole text the application does not hold (`printing.holds_signed_text`):
    its scan or original is its signed document.
    """
    if convention.signed_on is None:
        raise ValueError(f"{convention.reference} is not signed: no signed PDF to store")
    if not printing.holds_signed_text(convention):
        raise ValueError(
            f"{convention.reference} has no articles here: its signed document is its scan"
        )
    with _kept_on_commit():
        # Held until the commit: one store at a time per convention (PostgreSQL; SQLite
        # has one writer at a time). The signature service holds it already.
        Convention.objects.select_for_update().filter(pk=convention.pk).exists()
        existing = generated_document(convention)
        if existing is not None:
            return existing
        html = printing.convention_html(convention, signed_here=True)
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
    with _kept_on_commit():
        Amendment.objects.select_for_update().filter(pk=amendment.pk).exists()
        existing = generated_document(convention, amendment)
        if existing is not None:
            return existing
        pdf = printing.write_pdf(
            printing.amendment_html(amendment, signed_here=True),
            archival_data=printing.structured_data(convention),
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
    _write_file(document, name, pdf)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another request stored it first (two last signatures at once): keep theirs.
        discard_uncommitted_files()
        existing = generated_document(convention, amendment)
        if existing is None:
            raise
        return existing
    return document


# --- Scans of the paper copy -------------------------------------------------------------


# What a scan never carries, and a viewer would run or open: scripts, actions that launch a
# program, open another file (a network share: the viewer sends its Windows credentials),
# submit or import data, files embedded in the PDF, XFA forms (which hold scripts).
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA"}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/GoToR",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/RichMediaExecute",
}
ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia"}


def active_content(reader) -> str | None:
    """The first active content found in a PDF (a key, an action or an object type), or None.

    Every object of the file is read, whether the document reaches it or not (an object a
    viewer rebuilds from a broken cross-reference table), those in object streams included;
    inside each, every dictionary and array, the dictionaries of streams included. Names are
    compared decoded (`/J#53` is `/JS`).
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    roots = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots += [IndirectObject(number, generation, reader) for number in numbers]
    roots += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    for root in roots:
        stack = [root.get_object() if isinstance(root, IndirectObject) else root]
        while stack:
            item = stack.pop()
            if isinstance(item, (DictionaryObject, StreamObject)):
                for key, value in item.items():
                    if key in ACTIVE_KEYS:
                        return key
                    if isinstance(value, IndirectObject):
                        continue  # read on its own, once
                    if key == "/S" and value in ACTIVE_ACTIONS:
                        return value
                    if key in ("/Type", "/Subtype") and value in ACTIVE_TYPES:
                        return value
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack += [value for value in item if not isinstance(value, IndirectObject)]
    return None


def check_scan(upload) -> bytes:
    """The bytes of an uploaded scan, if it is a real PDF within the size limit, with no
    active content (scripts, launch actions, embedded files: see `active_content`).

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
        found = active_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        logger.info("Refused scan: %s", error)
        raise ValidationError(
            "Ce PDF est endommagé ou illisible. Vérifiez le fichier et déposez-le à nouveau.",
            code="unreadable",
        ) from None
    if found:
        logger.warning("Refused scan with active content: %s", found)
        raise ValidationError(
            "Ce PDF contient du contenu actif (JavaScript, lancement de programme ou fichier "
            "joint), qu'un scan ne contient jamais : il est refusé. Déposez le PDF produit "
            "par le scanner, ou imprimez le document en PDF avant de le déposer.",
            code="active_content",
        )
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
    duplicate = ValidationError(
        "Ce fichier a déjà été déposé pour cette convention.", code="duplicate"
    )
    if SignedDocument.objects.filter(convention=convention, sha256=digest).exists():
        raise duplicate
    try:
        with _kept_on_commit():
            Convention.objects.select_for_update().filter(pk=convention.pk).exists()
            _write_file(document, f"{convention.reference}{suffix}-scan-{digest[:12]}.pdf", data)
            document.save()
    except IntegrityError:  # the same file, filed by another request at the same moment
        raise duplicate from None
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
