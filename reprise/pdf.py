"""PDF files: the text layer through poppler's pdftotext, OCR for the pages that have none.

pdftotext (poppler-utils, already needed by the documents app) gives a better reading order
than pypdf on the two-column signature blocks and the tables of conventions, and is fast;
pypdf is used first only to tell an encrypted or broken file apart with a clear message.
A page is "scanned" when its text layer has fewer than `MIN_PAGE_LETTERS` letters: those
pages alone go through OCR, so that a PDF made of typed pages and a scanned signature page
is read whole.
"""

import io
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .enums import ReadMethod
from .reading import UnreadableDocument, require_text

MIN_PAGE_LETTERS = 25
# pdftotext on a 30 MB file takes a few seconds; past this, something is wrong with it.
PDFTOTEXT_TIMEOUT = 120

CORRUPTED = "Le PDF est endommagé et ne peut pas être lu."
ENCRYPTED = (
    "Le PDF est protégé par un mot de passe : enregistrez-en une copie sans protection "
    "(ou imprimez-le en PDF), puis déposez-la de nouveau."
)


@dataclass
class PdfText:
    pages: list[str]
    method: ReadMethod
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


def check_pdf(data: bytes) -> int:
    """The number of pages of a PDF that can be opened, or `UnreadableDocument`.

    A PDF encrypted with an empty user password (restrictions only: no printing, no copy) is
    readable, as in any viewer; one that asks for a password is not.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(ENCRYPTED)
        count = len(reader.pages)
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, RecursionError, OSError, NotImplementedError):  # fmt: skip
        raise UnreadableDocument(CORRUPTED) from None
    if count == 0:
        raise UnreadableDocument("Le PDF ne contient aucune page.")
    return count


def read_pdf(data: bytes) -> PdfText:
    from .ocr import ocr_pdf_pages

    count = check_pdf(data)
    with tempfile.TemporaryDirectory(prefix="reprise-") as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(data)
        pages = pdftotext(path, count)
        scanned = [n for n, page in enumerate(pages, 1) if letters(page) < MIN_PAGE_LETTERS]
        warnings = []
        if scanned:
            for number, text in ocr_pdf_pages(path, scanned).items():
                pages[number - 1] = text
            if len(scanned) < count:
                warnings.append(
                    f"Pages lues par reconnaissance de caractères (OCR) : "
                    f"{', '.join(map(str, scanned))} ; vérifiez les faits qui en viennent."
                )
    require_text(
        pages,
        "Aucun texte n'a pu être lu dans ce PDF, même par reconnaissance de caractères : "
        "est-ce bien un document écrit ?",
    )
    if not scanned:
        method = ReadMethod.PDF_TEXT
    elif len(scanned) == count:
        method = ReadMethod.OCR
    else:
        method = ReadMethod.PDF_MIXED
    return PdfText(pages=pages, method=method, warnings=warnings, ocr_pages=scanned)


def pdftotext(path: Path, count: int) -> list[str]:
    """The text layer of each page, in the order it was written (-raw). The default mode
    merges lines across paragraphs ("convention.2.4 Durée") and drops the hyphen of a
    compound name broken at a line end ("ProvenceAlpes"); -layout interleaves the lines of
    side-by-side signature blocks. Word, LibreOffice and WeasyPrint write in reading order."""
    try:
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-eol", "unix", "-q", str(path), "-"],
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(CORRUPTED) from None
    if result.returncode != 0:
        raise UnreadableDocument(CORRUPTED)
    pages = result.stdout.decode("utf-8", errors="replace").split("\f")
    # pdftotext ends every page with a form feed: the last item is empty.
    pages = pages[:count] + [""] * (count - len(pages))
    return [page.strip("\n") for page in pages]


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)
