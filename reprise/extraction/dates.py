"""French dates, numbers and durations as conventions write them.

Patterns are written without accents: they run on `Source.folded` ("fevrier", "duree").
A date that does not exist ("31 juin 2020") is no date: never corrected into a guess.
"""

import datetime
import re

from text_to_num import text2num

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# "1er", "1 er", "1er" read by OCR as "ler" or "1°", "premier".
DAY = r"(?:[0-3]?\d|1\s?er|l\s?er|1\s?°|premier)"
YEAR = r"(?:19|20)\d\d"
DATE = (
    rf"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    rf"(?P<day>{DAY})\s+(?P<month>{MONTH})\.?\s+(?P<year>{YEAR})"
    rf"|(?P<nday>[0-3]?\d)\s?[/.-]\s?(?P<nmonth>[01]?\d)\s?[/.-]\s?(?P<nyear>{YEAR})"
)
DATE_RE = re.compile(DATE, re.IGNORECASE)

UNITS_WORDS = (
    "zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    "quinze|seize|vingt|trente|quarante|cinquante|soixante|cent"
)
WORD_NUMBER = rf"(?:{UNITS_WORDS})(?:(?:[\s-]+et)?[\s-]+(?:{UNITS_WORDS}))*"
# "trois", "3", "trois (3)", "3 (trois)", "trente-six".
NUMBER = rf"(?:\d{{1,4}}|{WORD_NUMBER})(?:\s*\(\s*(?:\d{{1,4}}|{WORD_NUMBER})\s*\))?"
UNIT = r"(?:ans?|annees?|mois|semestres?|trimestres?|semaines?|jours?)"
MONTHS_PER_UNIT = {"an": 12, "annee": 12, "mois": 1, "semestre": 6, "trimestre": 3}
# "années scolaires" is a unit of its own (school years), not 12 months: see terms.py.
DURATION = rf"(?P<number>{NUMBER})\s*(?P<unit>{UNIT})(?!\s+scolaires?)\b"


def parse_date(match: re.Match) -> datetime.date | None:
    """The date of a `DATE_RE` match, or None when it does not exist."""
    groups = match.groupdict()
    try:
        if groups.get("nday"):
            return datetime.date(int(groups["nyear"]), int(groups["nmonth"]), int(groups["nday"]))
        day_text = re.sub(r"\s", "", groups["day"].lower())
        day = 1 if day_text in ("1er", "ler", "1°", "premier") else int(day_text)
        month = MONTHS[groups["month"].lower().rstrip(".")]
        return datetime.date(int(groups["year"]), month, day)
    except (ValueError, KeyError):
        return None


def find_dates(folded: str, start: int = 0, end: int | None = None):
    """(date, match) for every existing date in `folded[start:end]`, in order."""
    for match in DATE_RE.finditer(folded, start, len(folded) if end is None else end):
        date = parse_date(match)
        if date is not None:
            yield date, match


def parse_number(text: str) -> int | None:
    """3 for "3", "trois", "trois (3)" or "3 (trois)"; None when unreadable, or when the
    digits and the words disagree ("trois (4)"): the text is then ambiguous."""
    values = []
    for part in re.split(r"[()]", text):
        part = part.strip().lower()
        if not part:
            continue
        if part.isdigit():
            values.append(int(part))
            continue
        words = re.sub(r"\s+", "-", part)
        try:
            values.append(text2num(words, "fr"))
        except ValueError:
            if words in ("un", "une"):
                values.append(1)
            else:
                return None
    if not values or len(set(values)) > 1:
        return None
    return values[0]


def duration_months(number: str, unit: str) -> int | None:
    """The months of "trois ans", "36 mois", "deux semestres"; None for days and weeks,
    which make no whole number of months (a notice "de 90 jours" is not 3 months)."""
    value = parse_number(number)
    unit = unit.lower()
    unit = unit if unit == "mois" else unit.rstrip("s")
    if value is None or unit not in MONTHS_PER_UNIT:
        return None
    return value * MONTHS_PER_UNIT[unit]


def french_date(date: datetime.date) -> str:
    """ "17 mai 2010", "1er septembre 2020", for warnings."""
    names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {names[date.month - 1]} {date.year}"
