"""Read an uploaded document into text: `read_document(name, data)`.

The kind of a file is told by its content (magic bytes), not by its name: a scan saved as
".doc" or a Word file renamed ".pdf" is read for what it is, with a warning. Everything that
cannot be read raises `UnreadableDocument` with a French message for the staff member who
uploaded it, so that a batch goes on with the other files.

Pages are kept (a list of page texts) so that the review page can show where a fact was
found; Word and OpenDocument files have pages only where the author put a page break.
"""

from dataclasses import dataclass, field

from django.conf import settings

from .enums import ReadMethod


class UnreadableDocument(Exception):
    """The file cannot be read; `str(error)` is the French message shown to staff."""


@dataclass(frozen=True)
class ReadResult:
    """The text of a document, page by page, and how it was obtained.

    `pages`: the text of each page, in order. `method`: a `ReadMethod`. `kind`: what the
    content is ("docx", "odt", "pdf", "png", "jpeg"). `warnings`: French sentences for staff
    (an extension that does not match the content, pages read by OCR...). `headers`: the
    distinct texts of the headers and footers (Word, OpenDocument), kept apart from the body.
    `ocr_pages`: the 1-based numbers of the pages read by OCR.
    """

    pages: list[str]
    method: ReadMethod
    kind: str
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole text, pages separated by a form feed (as pdftotext writes them), the
        form that `extraction.extract` reads and whose offsets its evidence gives."""
        return "\f".join(self.pages)


# Extensions by content kind, for the warning when a name says something else.
EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx", ".docm"},
    "odt": {".odt"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
}
LABELS = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
    "png": "image PNG",
    "jpeg": "image JPEG",
}


def detect_kind(data: bytes) -> str:
    """The kind of the content: "pdf", "docx", "odt", "png", "jpeg", or raise.

    A PDF may start with a few bytes of junk before "%PDF-" (readers accept 1 KB of it).
    A zip is a .docx when it holds word/document.xml, an .odt when its "mimetype" says so.
    """
    from .office import zip_kind

    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # An OLE container: a Word 97-2003 file, or a password-protected .docx (Office
        # encrypts the whole package into one).
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableDocument(
                "Le document Word est protégé par un mot de passe : enregistrez-le sans "
                "protection, puis déposez-le de nouveau."
            )
        raise UnreadableDocument(
            "Format Word 97-2003 (.doc) non pris en charge : ouvrez-le dans un traitement de "
            "texte et enregistrez-le au format .docx ou .odt, ou en PDF."
        )
    if data.lstrip()[:5] == b"{\\rtf":
        raise UnreadableDocument(
            "Format RTF non pris en charge : enregistrez le document au format .docx, .odt ou PDF."
        )
    raise UnreadableDocument(
        "Type de fichier non pris en charge : seuls les documents Word (.docx), OpenDocument "
        "(.odt), PDF et les images JPEG ou PNG sont acceptés."
    )


def read_document(name: str, data: bytes) -> ReadResult:
    """The text of the uploaded file `name` with content `data`, or `UnreadableDocument`.

    Checks, in order: not empty, not over `REPRISE_MAX_UPLOAD_BYTES`, a kind we read; then
    the reader of that kind checks the rest (encryption, corruption, zip bomb, no text).
    """
    from . import office, pdf
    from .ocr import read_image

    if not data:
        raise UnreadableDocument("Le fichier est vide.")
    limit = settings.REPRISE_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UnreadableDocument(
            f"Le fichier dépasse la taille maximale acceptée ({megabytes(len(data))} pour "
            f"{megabytes(limit)} au plus)."
        )
    kind = detect_kind(data)
    warnings = []
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in EXTENSIONS[kind]:
        warnings.append(
            f"L'extension « {suffix or 'aucune'} » ne correspond pas au contenu, lu comme "
            f"{LABELS[kind]}."
        )
    if kind == "docx":
        result = office.read_docx(data)
    elif kind == "odt":
        result = office.read_odt(data)
    elif kind == "pdf":
        result = pdf.read_pdf(data)
    else:
        result = read_image(data, kind)
    return ReadResult(
        pages=result.pages,
        method=result.method,
        kind=kind,
        warnings=warnings + result.warnings,
        headers=result.headers,
        ocr_pages=result.ocr_pages,
    )


def require_text(pages: list[str], message: str) -> None:
    """Raise `message` when the pages hold no word at all: nothing to extract from."""
    letters = sum(ch.isalpha() for page in pages for ch in page)
    if letters < 20:
        raise UnreadableDocument(message)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
