"""Accuracy of the extraction over the five seed conventions, in every format we read.

Each seed text (fixtures/seed_00N.txt, the text of the real convention) is turned into a
Word file, an OpenDocument file, a PDF with a text layer and a scan of that PDF (rasterised
at 200 dpi, no text layer), each read by `read_document` and extracted by `extract`. The
facts are compared with the seed's structured truth (devtools/seeds/seed_00N.yaml):

- a fact counts when the truth states it (a non-empty value): "facts the text states";
- it is right when the extracted value says the same, whatever the case, accents, hyphens
  or spacing ("Aix en Provence" is "Aix-en-Provence"); a title, which the seeds' authors
  tidied ("Observatoire Régionale" printed, "régional" in the truth), is right when 90 % of
  its characters match;
- a value extracted where the truth has none is counted apart, as "en trop".

`pytest -s reprise/tests/test_accuracy.py` prints the table copied into docs/import.md.
"""

import difflib
import time
from pathlib import Path

import pytest
import yaml

from reprise.extraction import extract
from reprise.extraction.text import loose, same_text
from reprise.reading import read_document
from reprise.tests import documents

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = range(5)
FORMATS = ["docx", "odt", "pdf", "scan"]
ROWS = [
    "titre",
    "nom de chaque partie",
    "nom du représentant",
    "qualité du représentant",
    "désignation",
    "date de signature",
    "lieu de signature",
    "durée ou date de fin",
    "préavis",
    "reconduction",
    "application provisoire",
    "nombre d'articles",
    "numéros des articles",
]


def truth(seed: int) -> dict:
    """The seed's convention whose text the seed file is (seed 003 also holds its parent,
    known only through it and without articles)."""
    data = yaml.safe_load((ROOT / "devtools" / "seeds" / f"seed_00{seed}.yaml").read_text())
    return max(data["conventions"], key=lambda c: len(c.get("articles") or []))


def make(fmt: str, text: str) -> tuple[str, bytes]:
    if fmt == "docx":
        return "convention.docx", documents.to_docx(text)
    if fmt == "odt":
        return "convention.odt", documents.to_odt(text)
    pdf = documents.to_pdf(text)
    if fmt == "pdf":
        return "convention.pdf", pdf
    return "scan.pdf", documents.to_scan(pdf, dpi=200)


def numbers(articles: list, prefix: str = "") -> list[str]:
    """The numbers the format gives the articles from their position: "Titre 2", "2.3"."""
    result = []
    for rank, article in enumerate(articles, 1):
        number = f"{prefix}{rank}"
        result.append(("Titre " if article.get("kind") == "title" else "") + number)
        result += numbers(article.get("children") or [], f"{number}.")
    return result


def term_of(convention: dict):
    for key in ("duration_months", "school_years", "ends_on"):
        if convention.get(key) not in (None, "unknown"):
            return key, convention[key]
    return None


def score(expected: dict, got: dict) -> dict[str, list[int]]:
    """{row: [right, stated, extra]} for one document."""
    rows = {row: [0, 0, 0] for row in ROWS}

    def fact(row: str, stated, found, right: bool) -> None:
        if stated not in (None, "", 0, False):
            rows[row][1] += 1
            rows[row][0] += bool(right)
        elif found not in (None, "", 0, False, "unknown"):
            rows[row][2] += 1

    title = got.get("title", "")
    ratio = difflib.SequenceMatcher(None, loose(expected["title"]), loose(title)).ratio()
    fact("titre", expected["title"], title, ratio >= 0.9)
    parties = got.get("parties", [])
    for i, party in enumerate(expected["parties"]):
        mine = parties[i] if i < len(parties) else {}
        signatory = party.get("signatory") or {}
        my_signatory = mine.get("signatory") or {}
        name = mine.get("name_as_written", "")
        fact("nom de chaque partie", party["name_as_written"], name,
             same_text(party["name_as_written"], name))  # fmt: skip
        for row, key in (("nom du représentant", "name"), ("qualité du représentant", "title")):
            value = my_signatory.get(key, "")
            fact(row, signatory.get(key), value, same_text(signatory.get(key) or "", value))
        value = mine.get("designation", "")
        fact("désignation", party.get("designation"), value,
             same_text(party.get("designation") or "", value))  # fmt: skip
    rows["nom de chaque partie"][2] += max(0, len(parties) - len(expected["parties"]))
    signed = got.get("signed_on")
    fact(
        "date de signature", expected.get("signed_on"), signed, signed == expected.get("signed_on")
    )
    place = got.get("signature_place", "")
    fact("lieu de signature", expected.get("signature_place"), place,
         same_text(expected.get("signature_place") or "", place))  # fmt: skip
    mine = term_of(got)
    fact("durée ou date de fin", term_of(expected), mine, term_of(expected) == mine)
    fact("préavis", expected.get("notice_months"), got.get("notice_months"),
         expected.get("notice_months") == got.get("notice_months"))  # fmt: skip
    renewal = (got.get("tacit_renewal"), got.get("renewal_months"), got.get("max_renewals"))
    expected_renewal = (
        expected.get("tacit_renewal"), expected.get("renewal_months"), expected.get("max_renewals")
    )  # fmt: skip
    fact("reconduction", expected.get("tacit_renewal"), got.get("tacit_renewal"),
         renewal == expected_renewal)  # fmt: skip
    fact("application provisoire", expected.get("provisional_months"),
         got.get("provisional_months"),
         expected.get("provisional_months") == got.get("provisional_months"))  # fmt: skip
    expected_numbers = numbers(expected["articles"])
    got_numbers = numbers(got.get("articles", []))
    fact("nombre d'articles", len(expected_numbers), len(got_numbers),
         len(expected_numbers) == len(got_numbers))  # fmt: skip
    fact("numéros des articles", expected_numbers, got_numbers, expected_numbers == got_numbers)
    return rows


@pytest.fixture(scope="module")
def measured():
    """{format: {row: [right, stated, extra]}}, the seconds spent reading each format, and
    the misses (format, seed, row) to show when a threshold is not met."""
    totals = {fmt: {row: [0, 0, 0] for row in ROWS} for fmt in FORMATS}
    seconds = dict.fromkeys(FORMATS, 0.0)
    misses = []
    for seed in SEEDS:
        text = (FIXTURES / f"seed_00{seed}.txt").read_text(encoding="utf-8")
        expected = truth(seed)
        for fmt in FORMATS:
            name, data = make(fmt, text)
            started = time.perf_counter()
            read = read_document(name, data)
            seconds[fmt] += time.perf_counter() - started
            got = extract(read.text).convention
            for row, (right, stated, extra) in score(expected, got).items():
                totals[fmt][row][0] += right
                totals[fmt][row][1] += stated
                totals[fmt][row][2] += extra
                if right < stated or extra:
                    misses.append((fmt, seed, row, right, stated, extra))
    return totals, seconds, misses


def table(totals: dict, seconds: dict) -> str:
    head = "| fait | " + " | ".join(FORMATS) + " |"
    lines = [head, "|" + " --- |" * (len(FORMATS) + 1)]
    for row in ROWS:
        cells = []
        for fmt in FORMATS:
            right, stated, extra = totals[fmt][row]
            cell = f"{right}/{stated}" if stated else "–"
            cells.append(cell + (f" (+{extra} en trop)" if extra else ""))
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    cells = []
    for fmt in FORMATS:
        right = sum(v[0] for v in totals[fmt].values())
        stated = sum(v[1] for v in totals[fmt].values())
        cells.append(f"**{right}/{stated} = {100 * right / stated:.1f} %**")
    lines.append("| **total** | " + " | ".join(cells) + " |")
    lines.append(
        "| lecture (5 documents) | " + " | ".join(f"{seconds[f]:.1f} s" for f in FORMATS) + " |"
    )
    return "\n".join(lines)


def accuracy(totals: dict, fmt: str) -> float:
    right = sum(v[0] for v in totals[fmt].values())
    stated = sum(v[1] for v in totals[fmt].values())
    return right / stated


def test_accuracy_table(measured):
    totals, seconds, misses = measured
    print("\n" + table(totals, seconds))
    for fmt, seed, row, right, stated, extra in misses:
        print(f"écart : {fmt}, seed {seed}, {row} : {right}/{stated} juste(s), {extra} en trop")
    for fmt in ("docx", "odt", "pdf"):
        assert accuracy(totals, fmt) >= 0.95, (fmt, misses)
    assert accuracy(totals, "scan") >= 0.85, misses


def test_no_value_is_invented_from_text_formats(measured):
    """A text format gives no fact the truth does not state: no date, duration or notice
    invented where the text leaves a blank."""
    totals, _, misses = measured
    for fmt in ("docx", "odt", "pdf"):
        for row in ("date de signature", "durée ou date de fin", "préavis", "reconduction"):
            assert totals[fmt][row][2] == 0, (fmt, row, misses)
