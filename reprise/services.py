"""The life of an imported document: filed once (`import_add`), read and its facts extracted
(`import_process`, in the worker), then set aside (`import_reject`) or turned into a
convention (`import_confirm`, through the interchange loader: the same validation as a file
of the format).

Each write is one transaction: a refused file leaves neither a record nor a stored file; a
refused confirmation creates nothing (no convention, no organisation, no signed document).
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from conventions.models import Convention
from documents.signed import active_content, discard_uncommitted_files, store_scan
from interchange import yamlio
from interchange.loader import load_text

from .enums import ImportSource, ImportState
from .extraction import extract
from .models import DocumentImport, sha256_hex
from .reading import UnreadableDocument, detect_kind, megabytes, read_document

logger = logging.getLogger(__name__)

NOT_A_CONVENTION = "Ce texte ne ressemble pas à une convention"
UNEXPECTED = (
    "La lecture de ce fichier a échoué sur une erreur inattendue, enregistrée dans le journal "
    "du serveur. Réessayez plus tard ou signalez-la à l'administrateur."
)
ACTIVE_PDF = (
    "Ce PDF contient du contenu actif (JavaScript, lancement de programme ou fichier joint), "
    "qu'une convention signée ne contient jamais : il est refusé. Imprimez-le en PDF avant "
    "de le déposer."
)


class ImportRefused(Exception):
    """A file not taken: `message` in French; `existing`, the import of the same file."""

    def __init__(self, message: str, existing: DocumentImport | None = None):
        super().__init__(message)
        self.message = message
        self.existing = existing


def check_file(name: str, data: bytes) -> str:
    """The kind of the content ("pdf", "docx"...), or `ImportRefused`: the checks that are
    cheap enough for the upload itself (empty, size, a kind we read). The rest (encryption,
    corruption, zip bomb, no text) is found when the worker reads the file."""
    if not data:
        raise ImportRefused("Le fichier est vide.")
    limit = settings.REPRISE_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ImportRefused(
            f"Le fichier dépasse la taille maximale acceptée ({megabytes(len(data))} pour "
            f"{megabytes(limit)} au plus)."
        )
    try:
        return detect_kind(data)
    except UnreadableDocument as error:
        raise ImportRefused(str(error)) from None


def import_add(
    *,
    name: str,
    data: bytes,
    user=None,
    source: str = ImportSource.UPLOAD,
    listed_facts: dict | None = None,
    enqueue: bool = True,
) -> DocumentImport:
    """File an uploaded document once, then have the worker read it (`enqueue`; the
    command reads at once). Raises `ImportRefused` for a file not taken, with the earlier
    import of the same bytes when it is a duplicate."""
    kind = check_file(name, data)
    digest = sha256_hex(data)
    existing = DocumentImport.objects.filter(sha256=digest).first()
    if existing is not None:
        raise ImportRefused(_duplicate(existing), existing)
    record = DocumentImport(
        original_name=name[:255],
        size=len(data),
        sha256=digest,
        kind=kind,
        source=source,
        listed_facts=listed_facts or {},
        uploaded_by=user,
    )
    storage = record.file.storage
    stored = None
    try:
        with transaction.atomic():
            record.file.save(name, ContentFile(data), save=False)
            stored = record.file.name
            record.save()
    except IntegrityError:
        # The same file filed by another request at the same moment.
        _delete_file(storage, stored)
        existing = DocumentImport.objects.filter(sha256=digest).first()
        raise ImportRefused(_duplicate(existing), existing) from None
    except BaseException:
        _delete_file(storage, stored)
        raise
    if enqueue:
        from .tasks import read_import

        read_import.enqueue(record.pk)
    return record


def _duplicate(existing: DocumentImport | None) -> str:
    if existing is None:
        return "Ce fichier a déjà été importé."
    when = timezone.localtime(existing.created_at).strftime("%d/%m/%Y")
    return (
        f"Ce fichier a déjà été importé le {when} sous le nom « {existing.original_name} » "
        f"({existing.get_state_display().lower()})."
    )


def _delete_file(storage, name):
    if name and not DocumentImport.objects.filter(file=name).exists():
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the file of a refused import: %s", name)


@dataclass
class Proposal:
    """What reading a document gives, before anything is stored: for the record, and for
    `import_documents --dry-run`."""

    pages: list[str] = field(default_factory=list)
    kind: str = ""
    method: str = ""
    extraction: dict | None = None
    error: str = ""


def propose(name: str, data: bytes) -> Proposal:
    """Read `data` and extract its facts; a file that cannot be read, or whose text is not a
    convention, gets its French `error` (and, for the latter, its text and proposal)."""
    try:
        check_file(name, data)
        result = read_document(name, data)
        if result.kind == "pdf":
            _refuse_active_pdf(data)
    except ImportRefused as error:
        return Proposal(error=error.message)
    except UnreadableDocument as error:
        return Proposal(error=str(error))
    extraction = extract(result.text).as_dict()
    extraction["warnings"] = result.warnings + extraction["warnings"]
    proposal = Proposal(
        pages=result.pages, kind=result.kind, method=result.method, extraction=extraction
    )
    first = next(iter(extraction["warnings"][len(result.warnings) :]), "")
    if first.startswith(NOT_A_CONVENTION):
        proposal.error = first
    return proposal


def _refuse_active_pdf(data: bytes) -> None:
    """A PDF is shown in the staff's browsers and filed as the signed document: the same
    refusal of active content as a scan (`documents.signed.check_scan`)."""
    from pypdf import PdfReader

    try:
        found = active_content(PdfReader(ContentFile(data), strict=False))
    except Exception:  # read already by poppler; pypdf's own trouble is not the user's
        logger.info("pypdf could not scan an imported PDF for active content", exc_info=True)
        return
    if found:
        raise UnreadableDocument(ACTIVE_PDF)


def import_process(import_id: int) -> DocumentImport | None:
    """Read the document and propose its convention (the worker's task). Idempotent: a
    document already read is left as it is; one left « lecture » by a stopped worker is
    read again."""
    with transaction.atomic():
        record = (
            DocumentImport.objects.select_for_update()
            .filter(pk=import_id, state__in=[ImportState.PENDING, ImportState.READING])
            .first()
        )
        if record is None:
            return None
        record.state = ImportState.READING
        record.save(update_fields=["state"])
    try:
        proposal = propose(record.original_name, record.read())
    except OSError:
        logger.exception("Original of import %s missing", record.pk)
        proposal = Proposal(error="Le fichier original est introuvable sur le serveur.")
    except Exception:
        logger.exception("Reading import %s failed", record.pk)
        proposal = Proposal(error=UNEXPECTED)
    record.pages = proposal.pages
    record.method = proposal.method
    record.kind = proposal.kind or record.kind
    record.extraction = proposal.extraction
    record.error = proposal.error
    record.state = ImportState.FAILED if proposal.error else ImportState.TO_REVIEW
    record.save()
    return record


def import_reject(*, record: DocumentImport, user) -> None:
    """Set the document aside: no convention will be made from it (the file stays, so that
    the same file is recognised if it comes again)."""
    record.state = ImportState.REJECTED
    record.reviewed_by, record.reviewed_at = user, timezone.now()
    record.save()


def import_review_anyway(*, record: DocumentImport, user) -> None:
    """A text judged not to be a convention is reviewed all the same, when staff know better
    (an odd layout, a letter of agreement): its facts as read go to the review page."""
    if record.state != ImportState.FAILED or record.extraction is None:
        raise ValueError("Only a document read but judged not a convention is reviewed anyway.")
    record.state = ImportState.TO_REVIEW
    record.error = ""
    record.save(update_fields=["state", "error"])


class ConfirmRefused(Exception):
    """The convention reviewed does not load: `problems` as (key path, message)."""

    def __init__(self, problems: list[tuple[tuple, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def import_confirm(*, record: DocumentImport, document: dict, corrections: dict, user):
    """Create the convention `document` (the interchange format: `organisations`,
    `conventions` with one convention) in one transaction, with the original file as its
    signed document when it is a PDF; the import is then « confirmé ». Raises
    `ConfirmRefused` with the loader's problems, creating nothing."""
    text = yamlio.write(document)
    try:
        with transaction.atomic():
            locked = DocumentImport.objects.select_for_update().filter(pk=record.pk).first()
            if locked is None or locked.state != ImportState.TO_REVIEW:
                raise ConfirmRefused(
                    [((), "Ce document n'est plus à vérifier : il a été traité entre-temps.")]
                )
            report = load_text(text, label=record.original_name)
            if not report.ok:
                raise ConfirmRefused(report.located)
            convention: Convention = report.created[0]
            if record.kind == "pdf":
                # The original PDF is the signed copy, filed as a scan of the paper copy.
                store_scan(
                    convention=convention,
                    data=record.read(),
                    original_name=record.original_name,
                    user=user,
                )
            record.state = ImportState.CONFIRMED
            record.convention = convention
            record.corrections = corrections
            record.reviewed_by, record.reviewed_at = user, timezone.now()
            record.save()
    except BaseException:
        discard_uncommitted_files()
        raise
    return convention
