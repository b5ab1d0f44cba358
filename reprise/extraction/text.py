"""The text the rules read, and the way back to the text staff see.

Documents differ in ways that mean nothing: non-breaking spaces, curly apostrophes,
decomposed accents, ligatures, soft hyphens, words cut at a line end by hyphenation, and
OCR that drops accents. `Source` holds three aligned forms of one text:

- `original`: as read (what the review page shows, what evidence offsets point into);
- `text`: normalised (NFC, plain spaces and apostrophes, hyphenation undone), where values
  are taken from;
- `folded`: `text` without accents, same length, where the rules match, so that
  "represente par" (an OCR of "représenté par") matches like the real thing.

`origin[i]` is the offset in `original` of `text[i]`, so a match in `text` or `folded` maps
back to the exact excerpt of the original.
"""

import re
import unicodedata
from dataclasses import dataclass

# One character for one: offsets stay aligned.
REPLACE = {
    "\u00a0": " ",  # no-break space (French typography before « : ; ! ? »)
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\r": "\n",
}
DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}  # soft hyphen, zero widths
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
# "informa-\ntion": a word cut by hyphenation, joined back; "Provence-\nAlpes" is kept.
HYPHENATED = re.compile(r"(?<=[a-zà-ÿ])-[ \t]*\n[ \t]*(?=[a-zà-ÿ])")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the exact excerpt of the original text, its character offsets
    in it (`start` included, `end` excluded) and the 1-based page it starts on."""

    excerpt: str
    start: int
    end: int
    page: int

    def as_dict(self) -> dict:
        return {"excerpt": self.excerpt, "start": self.start, "end": self.end, "page": self.page}


class Source:
    def __init__(self, original: str):
        self.original = original
        chars, origin = [], []
        for i, ch in enumerate(original):
            if ch == "\r" and original[i + 1 : i + 2] == "\n":
                continue
            if ch in DROP:
                continue
            if unicodedata.combining(ch) and chars:
                composed = unicodedata.normalize("NFC", chars[-1] + ch)
                if len(composed) == 1:
                    chars[-1] = composed
                    continue
            for out in LIGATURES.get(ch, REPLACE.get(ch, ch)):
                chars.append(out)
                origin.append(i)
        text = "".join(chars)
        # Undo hyphenation: drop the hyphen, the line break and the spaces around it.
        kept_chars, kept_origin, last = [], [], 0
        for match in HYPHENATED.finditer(text):
            kept_chars.append(text[last : match.start()])
            kept_origin.extend(origin[last : match.start()])
            last = match.end()
        kept_chars.append(text[last:])
        kept_origin.extend(origin[last:])
        self.text = "".join(kept_chars)
        self.origin = kept_origin + [len(original)]
        self.folded = "".join(fold_char(ch) for ch in self.text)
        self._pages = [m.start() for m in re.finditer("\f", original)]

    def evidence(self, start: int, end: int) -> Evidence:
        """The evidence for `text[start:end]`."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        o_start = self.origin[start]
        o_end = self.origin[end - 1] + 1 if end > start else o_start
        page = 1 + sum(1 for offset in self._pages if offset < o_start)
        return Evidence(self.original[o_start:o_end], o_start, o_end, page)


def fold_char(ch: str) -> str:
    """`ch` without its accent, one character for one ("é" -> "e", "Ç" -> "C", "œ" kept)."""
    if ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


def fold(text: str) -> str:
    return "".join(fold_char(ch) for ch in text)


def clean(value: str) -> str:
    """A value as stored: one line, single spaces, no dangling punctuation or markup."""
    value = re.sub(r"\s+", " ", value.replace("**", "")).strip()
    return value.strip(" ,;:").strip()


def same_text(a: str, b: str) -> bool:
    """Whether two values say the same, whatever the case, accents, hyphens or spacing:
    "Aix en Provence" is "Aix-en-Provence"."""
    return loose(a) == loose(b)


def loose(value: str) -> str:
    value = fold(value).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", value))


def sentence_case(value: str) -> str:
    """An all-capitals heading as a sentence ("OBJET DE LA CONVENTION" -> "Objet de la
    convention"); a heading already in mixed case is kept as written."""
    letters = [ch for ch in value if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return value
    lower = value.lower()
    return lower[:1].upper() + lower[1:]
