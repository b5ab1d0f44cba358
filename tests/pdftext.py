"""Reading printed PDFs back in tests: text per page (pdftotext), normalised."""

import html
import re
import subprocess
import tempfile
from io import BytesIO

from pypdf import PdfReader

from conventions.rules.formatting import render_markup
from documents.typography import french_typography


def normalise(text: str) -> str:
    """One space between words, case folded. The spaces of French typography (before ; : ! ?
    and inside « ») are dropped: pdftotext reads a narrow no-break space as no space."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    # Typographic apostrophes and unbreakable hyphens read as typed; a word hyphenated at
    # the end of a line (U+2010, WeasyPrint's hyphenation) reads whole.
    text = text.replace("’", "'").replace("\u2011", "-")
    text = re.sub(r"(\w)\u2010\s+(\w)", r"\1\2", text)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    text = re.sub(r" ([;:!?»])", r"\1", text)
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # a line broken after a hyphen
    return text.replace("« ", "«")


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page as pdftotext (poppler) reads it, in content order (-raw): the
    rotated PROJET mark does not interleave with the lines it crosses."""
    count = len(PdfReader(BytesIO(pdf)).pages)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return [
            subprocess.run(
                [
                    "pdftotext",
                    "-raw",
                    "-enc",
                    "UTF-8",
                    "-f",
                    str(n),
                    "-l",
                    str(n),
                    handle.name,
                    "-",
                ],
                capture_output=True,
                check=True,
            ).stdout.decode()
            for n in range(1, count + 1)
        ]


def body_text(pdf: bytes, remove: list[str]) -> str:
    """The normalised text of the whole document, running heads and feet removed."""
    removed = sorted((normalise(r) for r in remove), key=len, reverse=True)
    pages = []
    for page in pages_text(pdf):
        # The rotated mark reads as separate letters, unlike the word "projet" in the text.
        text = normalise(re.sub(r"P\s+R\s+O\s+J\s+E\s+T", " ", page))
        text = re.sub(r"page \d+ / \d+", " ", text)
        text = re.sub(r"projet — document généré le \d+(er)? \S+ \d{4}", " ", text)
        for piece in removed:
            text = text.replace(piece, " ")
        pages.append(text)
    return normalise(" ".join(pages))


def blocks(markup: str) -> list[str]:
    """The paragraphs and list items a markup text prints, normalised, in order."""
    rendered = str(render_markup(french_typography(markup)))
    found = re.findall(r"<(p|li)>(.*?)</\1>", rendered, flags=re.S)
    return [
        normalise(html.unescape(re.sub(r"<[^>]+>", "", inner.replace("<br>", " "))))
        for _, inner in found
    ]


def find_in_order(text: str, pieces: list[str], start: int = 0) -> int:
    """Asserts each piece occurs in `text` after the previous one; returns the end."""
    position = start
    for piece in map(normalise, pieces):
        index = text.find(piece, position)
        assert index >= 0, f"not found after position {position}: {piece[:120]!r}"
        position = index + len(piece)
    return position


def has_draft_mark(page: str) -> bool:
    """The rotated PROJET mark, which pdftotext may read letter by letter."""
    return re.search(r"P\s?R\s?O\s?J\s?E\s?T", page) is not None
