"""A spreadsheet listing the conventions a rectorat kept (`.csv`, `.xlsx`): one row per
convention, its facts in the interchange format's keys, and the file of its text.

Columns are recognised by their header, in French or as the format's keys, whatever the
case, accents and spacing: « Référence », « Titre », « Partenaires » (separated by « ; »),
« Date de signature », « Date d'effet », « Durée (mois) » (or « 3 ans »), « Date de fin »,
« Préavis (mois) », « Reconduction tacite » (oui / non), « Fichier » (relative to the
spreadsheet's folder). A row's facts win over those read in its file (docs/import.md).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .extraction.dates import find_dates
from .review import folded

HEADERS = {
    "reference": "reference",
    "ref": "reference",
    "titre": "title",
    "title": "title",
    "partenaires": "partners",
    "partenaire": "partners",
    "parties": "partners",
    "partners": "partners",
    "date de signature": "signed_on",
    "signee le": "signed_on",
    "signature": "signed_on",
    "signed on": "signed_on",
    "date d effet": "effective_date",
    "effective date": "effective_date",
    "duree": "duration_months",
    "duree mois": "duration_months",
    "duree en mois": "duration_months",
    "duration months": "duration_months",
    "date de fin": "ends_on",
    "fin": "ends_on",
    "ends on": "ends_on",
    "preavis": "notice_months",
    "preavis mois": "notice_months",
    "preavis en mois": "notice_months",
    "notice months": "notice_months",
    "reconduction": "tacit_renewal",
    "reconduction tacite": "tacit_renewal",
    "tacit renewal": "tacit_renewal",
    "fichier": "file",
    "nom du fichier": "file",
    "file": "file",
}
SUFFIXES = (".csv", ".xlsx")
LABELS = {
    "signed_on": "date de signature",
    "effective_date": "date d'effet",
    "ends_on": "date de fin",
    "duration_months": "durée",
    "notice_months": "préavis",
    "tacit_renewal": "reconduction tacite",
}


@dataclass
class Row:
    """A row: its number in the sheet (the header is row 1), the facts it gives (format
    keys), the file it names, and its problems in French."""

    number: int
    facts: dict = field(default_factory=dict)
    file: Path | None = None
    problems: list[str] = field(default_factory=list)


class SpreadsheetError(Exception):
    """The spreadsheet itself cannot be read; the message is in French."""


def read_rows(path: Path) -> list[Row]:
    """The rows of the spreadsheet at `path`, or `SpreadsheetError`."""
    table = _xlsx(path) if path.suffix.lower() == ".xlsx" else _csv(path)
    if not table:
        raise SpreadsheetError("Le tableau est vide.")
    header = [HEADERS.get(folded(str(cell or ""))) for cell in table[0]]
    if "file" not in header:
        raise SpreadsheetError(
            "Le tableau n'a pas de colonne « Fichier » : elle nomme le document de chaque "
            "convention."
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            key: cell
            for key, cell in zip(header, cells, strict=False)
            if key and cell not in (None, "")
        }
        if not values:
            continue
        rows.append(_row(number, values, path.parent))
    return rows


def _csv(path: Path) -> list[list]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # what Excel writes in France
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else None
    return [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text), dialect or csv.excel)
    ]


def _xlsx(path: Path) -> list[list]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SpreadsheetError(f"Le classeur ne peut pas être lu ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [
            [c.strip() if isinstance(c, str) else c for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _row(number: int, values: dict, folder: Path) -> Row:
    row = Row(number)
    for key, value in values.items():
        try:
            if key == "file":
                row.file = folder / str(value).strip()
            elif key in ("reference", "title"):
                row.facts[key] = str(value).strip()
            elif key == "partners":
                names = [n.strip() for n in re.split(r"[;\n]", str(value)) if n.strip()]
                row.facts["parties"] = [{"name_as_written": name} for name in names]
            elif key in ("signed_on", "effective_date", "ends_on"):
                row.facts[key] = _date(value).isoformat()
            elif key in ("duration_months", "notice_months"):
                row.facts[key] = _months(value)
            elif key == "tacit_renewal":
                row.facts[key] = _boolean(value)
        except ValueError:
            row.problems.append(f"{LABELS[key]} illisible : « {value} »")
    if row.file is None:
        row.problems.append("aucun fichier indiqué")
    return row


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if found:
        return datetime.date(int(found[3]), int(found[2]), int(found[1]))
    # « 17 mai 2010 », « 1er septembre 2020 »: the extraction's own reading of dates.
    dates = list(find_dates(folded(text).replace(" er ", "er ")))
    if len(dates) != 1:
        raise ValueError(text)
    return dates[0][0]


def _months(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value) or value < 0:
            raise ValueError(value)
        return int(value)
    found = re.fullmatch(r"(\d+)\s*(ans?|annees?|mois)?", folded(str(value)))
    if not found:
        raise ValueError(value)
    return int(found[1]) * (12 if found[2] and found[2].startswith("an") else 1)


def _boolean(value) -> bool:
    text = folded(str(value))
    if text in {"oui", "o", "x", "1", "true", "vrai", "yes"}:
        return True
    if text in {"non", "n", "0", "false", "faux", "no"}:
        return False
    raise ValueError(value)
