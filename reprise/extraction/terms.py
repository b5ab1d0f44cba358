"""The term of a convention: duration, fixed end, school years, effective date, notice,
tacit renewal and its limit, provisional application.

Each rule looks for the phrase that states the fact, in the words conventions use, and
returns it with the excerpt it came from. A duration in a sentence about the notice, the
provisional application or a renewal period is not the term. Days and weeks are not turned
into months: "un préavis de 90 jours" is reported to staff, not rounded.
"""

import datetime
import re
from dataclasses import dataclass, field

from .dates import DATE, DURATION, NUMBER, duration_months, find_dates, parse_number
from .text import Evidence, Source

ADJECTIVES = r"(?:(?:initiale|ferme|determinee|totale|globale)\s+)*"
TERM = [
    re.compile(
        r"(?:conclue?s?|etablie?s?|passee?s?|signee?s?|consentie?s?|valables?|prevue?s?|"
        r"engagee?s?|applicables?)\s+pour\s+(?:une\s+(?:duree|periode)\s+"
        rf"{ADJECTIVES}(?:de\s+|d')\s*)?{DURATION}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:pour|d')\s*une\s+(?:duree|periode)\s+{ADJECTIVES}(?:de\s+|d')\s*{DURATION}",
        re.IGNORECASE,
    ),
    re.compile(
        r"duree\s+(?:de\s+(?:la\s+)?(?:presente\s+)?convention|du\s+present\s+(?:accord|"
        rf"protocole))\s+est\s+(?:fixee\s+a|de|d')\s*{DURATION}",
        re.IGNORECASE,
    ),
]
# What, just before a duration, makes it something other than the term.
NOT_TERM = re.compile(
    r"preavis|provisoire|negociation|delai|reconduite?s?\s+(?:tacitement\s+|expressement\s+)?$|"
    r"renouvelee?s?\s+(?:tacitement\s+|expressement\s+)?$|prolong|reconduction|renouvellement",
    re.IGNORECASE,
)
PARENT_TERM = re.compile(
    r"(?:conclue?|valable)\s+pour\s+(?:la|toute\s+la)\s+duree\s+de\s+la\s+convention", re.IGNORECASE
)
SCHOOL_RANGE = re.compile(
    r"annees?\s+scolaires?\s+(?P<y1>\d{4})\s*[-/–]\s*(?:\d{4}|\d{2})\s*(?:a|au|jusqu'a|et)\s+"
    r"(?:l'annee\s+scolaire\s+)?(?P<y2>\d{4})\s*[-/–]\s*(?:\d{4}|\d{2})",
    re.IGNORECASE,
)
SCHOOL_LIST = re.compile(
    r"annees?\s+scolaires?\s+(?P<list>\d{4}\s*[-/–]\s*\d{2,4}(?:\s*(?:,|et)\s*\d{4}\s*[-/–]\s*\d{2,4})+)",
    re.IGNORECASE,
)
SCHOOL_COUNT = re.compile(
    rf"(?:pour|durant|sur)\s+(?:une\s+(?:duree|periode)\s+de\s+)?(?P<number>{NUMBER})\s+"
    r"annees?\s+scolaires?",
    re.IGNORECASE,
)
SCHOOL_ONE = re.compile(
    r"(?:conclue?|valable|etablie?)\s+pour\s+l'annee\s+scolaire\s+(?P<y1>\d{4})\s*[-/–]\s*\d{2,4}",
    re.IGNORECASE,
)
END = re.compile(
    r"(?:jusqu'au|jusqu'a\s+la\s+date\s+du|prend(?:ra)?\s+fin\s+(?:le|au)|expire(?:ra)?\s+le|"
    r"s'achevera\s+le|arrive(?:ra)?\s+a\s+(?:son\s+)?(?:echeance|terme)\s+le)\s+"
    rf"(?P<date>{DATE})",
    re.IGNORECASE,
)
END_SCHOOL_YEAR = re.compile(
    r"jusqu'a\s+la\s+fin\s+de\s+l'annee\s+scolaire\s+(?P<y1>\d{4})\s*[-/–]\s*\d{2,4}", re.IGNORECASE
)
ABOUT_CONVENTION = re.compile(
    r"convention|present\s+(?:accord|protocole)|\belle\b|conclue?|valable|vigueur|effet",
    re.IGNORECASE,
)
EFFECTIVE = re.compile(
    r"(?:prend(?:ra)?\s+effet|entre(?:ra)?\s+en\s+vigueur|est\s+applicable|s'applique(?:ra)?|"
    r"prend(?:ra)?\s+cours|court)\s+(?:a\s+compter\s+du|a\s+partir\s+du|le|des\s+le|au)\s+"
    rf"(?P<date>{DATE})",
    re.IGNORECASE,
)
FROM_DATE = re.compile(rf"a\s+(?:compter|partir)\s+du\s+(?P<date>{DATE})", re.IGNORECASE)
NOTICE = [
    re.compile(rf"preavis\s+(?:minimum\s+|minimal\s+|ecrit\s+)?(?:de\s+|d')\s*{DURATION}", re.I),
    re.compile(rf"{DURATION}\s+(?:de\s+)?preavis", re.IGNORECASE),
    re.compile(
        rf"au\s+(?:moins|minimum|plus\s+tard)\s+{DURATION}\s+avant\s+(?:l'|la\s+date\s+d'|son\s+|"
        r"sa\s+|le\s+|la\s+)?(?:echeance|terme|expiration|fin|date)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"au\s+plus\s+tot\s+{DURATION}\s+apres\s+(?:la\s+)?(?:date\s+de\s+)?(?:la\s+)?reception",
        re.IGNORECASE,
    ),
]
TACIT_NO = re.compile(
    r"ne\s+(?:peut|pourra|sera|saurait)\s+(?:pas\s+|en\s+aucun\s+cas\s+)?(?:etre\s+)?"
    r"(?:reconduite?|renouvelee?)\s+(?:par\s+)?tacite|"
    r"(?:pas|sans|exclut\s+toute|aucune)\s+(?:de\s+)?(?:tacite\s+reconduction|reconduction\s+tacite)|"
    r"n'est\s+pas\s+(?:reconductible|renouvelable)\s+tacitement|"
    r"ne\s+(?:fera|pourra\s+faire)\s+(?:pas\s+)?l'objet\s+d'une\s+(?:tacite\s+reconduction|"
    r"reconduction\s+tacite)",
    re.IGNORECASE,
)
TACIT_YES = re.compile(
    r"tacite\s+reconduction|reconduction\s+tacite|"
    r"(?:reconduite?|renouvelee?|reconductible|renouvelable)s?\s+(?:par\s+)?tacite(?:ment)?|"
    r"tacitement\s+(?:reconduite?|renouvelee?)|"
    r"(?:reconduite?|renouvelee?)\s+de\s+(?:maniere|facon)\s+tacite|"
    r"se\s+renouvelle(?:ra)?\s+(?:ensuite\s+)?(?:par\s+)?tacite(?:ment)?",
    re.IGNORECASE,
)
RENEWAL_PERIOD = re.compile(
    r"(?:pour\s+(?:une\s+|des\s+)?(?:nouvelles?\s+)?(?:duree|periode)s?\s+(?:successives?\s+)?"
    rf"(?:de\s+|d')|par\s+periodes?\s+(?:successives?\s+)?(?:de\s+|d'))\s*{DURATION}",
    re.IGNORECASE,
)
YEARLY = re.compile(r"chaque\s+annee|d'annee\s+en\s+annee|annuellement", re.IGNORECASE)
MAX_RENEWALS = [
    re.compile(
        rf"dans\s+la\s+limite\s+de\s+(?P<n>{NUMBER})\s+(?:fois|reconductions?|renouvellements?)",
        re.I,
    ),
    re.compile(
        r"(?:reconductible|renouvelable|reconduite?|renouvelee?)s?\s+(?:tacitement\s+|"
        rf"expressement\s+)?(?P<n>{NUMBER})\s+fois",
        re.IGNORECASE,
    ),
    re.compile(rf"(?P<n>{NUMBER})\s+(?:fois|reconductions?)\s+(?:au\s+)?maximum", re.IGNORECASE),
    re.compile(r"(?P<n>une)\s+seule\s+fois", re.IGNORECASE),
]
PROVISIONAL = re.compile(r"a\s+titre\s+provisoire|provisoirement", re.IGNORECASE)
PARENT = re.compile(
    r"(?:en\s+application|en\s+declinaison|en\s+execution|vient\s+en\s+declinaison)\s+"
    r"(?:de\s+la|du|de\s+l')\s+(?P<what>(?:convention|accord|protocole)[^.;\n(]{0,200})|"
    r"^[ \t]*vu\s+(?:la|le|l')\s+(?P<vu>(?:convention|accord|protocole)[^\n]{0,200})",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class Terms:
    values: dict = field(default_factory=dict)  # format keys: duration_months, ends_on...
    evidence: dict[str, Evidence] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    parent: dict | None = None  # the parent convention cited: {"text", "signed_on"}
    term_of_parent: bool = False  # "conclue pour la durée de la convention de partenariat"
    term_at: tuple[int, int] | None = None  # span of the duration phrase in the source text


def sentence(folded: str, position: int) -> tuple[int, int]:
    """(start, end) of the sentence around `position`, within 500 characters each side."""
    low = max(0, position - 500)
    starts = [folded.rfind(mark, low, position) for mark in (". ", ".\n", "\n\n", "\f", ";")]
    start = max([s + 1 for s in starts if s >= 0] + [low])
    high = min(len(folded), position + 500)
    ends = [folded.find(mark, position, high) for mark in (". ", ".\n", "\n\n", "\f")]
    end = min([e + 1 for e in ends if e >= 0] + [high])
    return start, end


def months_of(match: re.Match) -> int | None:
    return duration_months(match.group("number"), match.group("unit"))


def terms(src: Source) -> Terms:
    found = Terms()
    folded = src.folded
    term(src, found)
    school_years(src, found)
    end_date(src, found)
    effective(src, found)
    notice(src, found)
    renewal(src, found)
    provisional(src, found)
    if parent_match := PARENT.search(folded):
        group = "what" if parent_match.group("what") else "vu"
        s, e = parent_match.span(group)
        dates = [date for date, _ in find_dates(folded, s, e)]
        found.parent = {"text": re.sub(r"\s+", " ", src.text[s:e]).strip(" ,."),
                        "signed_on": dates[0] if dates else None}  # fmt: skip
        found.evidence["parent"] = src.evidence(parent_match.start(), e)
    return found


def term(src: Source, found: Terms) -> None:
    folded = src.folded
    candidates = []
    for pattern in TERM:
        for match in pattern.finditer(folded):
            start, _ = sentence(folded, match.start())
            before = folded[max(start, match.start() - 80) : match.start()]
            if NOT_TERM.search(before):
                continue
            candidates.append(match)
    if match := PARENT_TERM.search(folded):
        found.term_of_parent = True
        found.evidence["term_of_parent"] = src.evidence(*sentence(folded, match.start()))
    if not candidates:
        return
    match = min(candidates, key=lambda m: m.start())
    months = months_of(match)
    evidence = src.evidence(match.start(), match.end())
    if months is None:
        found.warnings.append(
            f"Durée non convertible en mois : « {evidence.excerpt} » ; à saisir par le personnel."
        )
        return
    found.values["duration_months"] = months
    found.evidence["duration_months"] = evidence
    found.term_at = match.span()
    s, e = sentence(folded, match.start())
    if from_date := FROM_DATE.search(folded, match.end(), e):
        dates = list(find_dates(folded, from_date.start("date"), from_date.end("date")))
        if dates:
            found.values["effective_date"] = dates[0][0]
            found.evidence["effective_date"] = src.evidence(from_date.start(), from_date.end())


def school_years(src: Source, found: Terms) -> None:
    folded = src.folded
    if match := SCHOOL_RANGE.search(folded):
        count = int(match.group("y2")) - int(match.group("y1")) + 1
    elif match := SCHOOL_LIST.search(folded):
        count = len(re.findall(r"\d{4}\s*[-/–]\s*\d{2,4}", match.group("list")))
    elif match := SCHOOL_COUNT.search(folded):
        count = parse_number(match.group("number"))
    elif match := SCHOOL_ONE.search(folded):
        count = 1
    else:
        return
    if not count or count < 1 or count > 20:
        return
    s, e = sentence(folded, match.start())
    if not ABOUT_CONVENTION.search(folded[s:e]):
        return
    if "duration_months" in found.values:
        found.warnings.append(
            "Durée en mois et en années scolaires toutes deux données : la durée en années "
            "scolaires est retenue ; vérifiez."
        )
        found.values.pop("duration_months")
        found.evidence.pop("duration_months")
    found.values["school_years"] = count
    found.evidence["school_years"] = src.evidence(match.start(), match.end())


def end_date(src: Source, found: Terms) -> None:
    folded = src.folded
    for match in END.finditer(folded):
        s, e = sentence(folded, match.start())
        if not ABOUT_CONVENTION.search(folded[s:e]) or NOT_TERM.search(folded[s : match.start()]):
            continue
        dates = list(find_dates(folded, match.start("date"), match.end("date")))
        if dates:
            set_end(src, found, dates[0][0], match)
            return
    if match := END_SCHOOL_YEAR.search(folded):
        set_end(src, found, datetime.date(int(match.group("y1")) + 1, 8, 31), match)


def set_end(src: Source, found: Terms, date: datetime.date, match: re.Match) -> None:
    if "duration_months" in found.values or "school_years" in found.values:
        found.warnings.append(
            "Une durée et une date de fin sont toutes deux données : la durée est retenue, la "
            f"date de fin ({date:%d/%m/%Y}) est à vérifier."
        )
        return
    found.values["ends_on"] = date
    found.evidence["ends_on"] = src.evidence(match.start(), match.end())


def effective(src: Source, found: Terms) -> None:
    if "effective_date" in found.values:
        return
    if match := EFFECTIVE.search(src.folded):
        dates = list(find_dates(src.folded, match.start("date"), match.end("date")))
        if dates:
            found.values["effective_date"] = dates[0][0]
            found.evidence["effective_date"] = src.evidence(match.start(), match.end())


def notice(src: Source, found: Terms) -> None:
    folded = src.folded
    matches = sorted(
        (m for pattern in NOTICE for m in pattern.finditer(folded)), key=lambda m: m.start()
    )
    values = []
    for match in matches:
        months = months_of(match)
        if months is None:
            excerpt = src.evidence(*match.span()).excerpt
            found.warnings.append(
                f"Préavis exprimé en jours ou en semaines : « {excerpt} » ; à saisir en mois "
                "par le personnel."
            )
            continue
        if not values:
            found.values["notice_months"] = months
            found.evidence["notice_months"] = src.evidence(match.start(), match.end())
        values.append(months)
    if len(set(values)) > 1:
        found.warnings.append(
            "Plusieurs préavis : "
            + ", ".join(f"{v} mois" for v in values)
            + f" ; le premier ({values[0]} mois) est retenu."
        )


def renewal(src: Source, found: Terms) -> None:
    folded = src.folded
    if match := TACIT_NO.search(folded):
        found.values["tacit_renewal"] = False
        found.evidence["tacit_renewal"] = src.evidence(*sentence(folded, match.start()))
        return
    match = TACIT_YES.search(folded)
    if not match:
        return
    s, e = sentence(folded, match.start())
    found.values["tacit_renewal"] = True
    found.evidence["tacit_renewal"] = src.evidence(s, e)
    # A period in the sentence that is not the term's own ("conclue pour une durée de 4 ans").
    periods = [
        p for p in RENEWAL_PERIOD.finditer(folded, s, e)
        if found.term_at is None or p.end() <= found.term_at[0] or p.start() >= found.term_at[1]
    ]  # fmt: skip
    if period := next(iter(periods), None):
        months = months_of(period)
        if months:
            found.values["renewal_months"] = months
            found.evidence["renewal_months"] = src.evidence(*period.span())
    elif yearly := YEARLY.search(folded, s, e):
        found.values["renewal_months"] = 12
        found.evidence["renewal_months"] = src.evidence(*yearly.span())
    for pattern in MAX_RENEWALS:
        if limit := pattern.search(folded, s, e):
            value = parse_number(limit.group("n"))
            if value:
                found.values["max_renewals"] = value
                found.evidence["max_renewals"] = src.evidence(*limit.span())
            break
    # "conclue pour une durée de 4 ans, reconduite tacitement chaque année": a term of one
    # year renewed three times (docs: DOMAIN.md, the échéancier's rule), not four years.
    duration = found.values.get("duration_months")
    if (
        duration and duration > 12 and duration % 12 == 0
        and found.values.get("renewal_months") == 12 and "max_renewals" not in found.values
        and found.term_at is not None and s <= found.term_at[0] <= e
        and YEARLY.search(folded, s, e)
    ):  # fmt: skip
        found.values["duration_months"] = 12
        found.values["max_renewals"] = duration // 12 - 1
        found.warnings.append(
            f"« {duration // 12} ans, reconduite tacitement chaque année » lu comme une durée "
            f"d'un an reconduite au plus {duration // 12 - 1} fois ; vérifiez."
        )


def provisional(src: Source, found: Terms) -> None:
    folded = src.folded
    if match := PROVISIONAL.search(folded):
        s, e = sentence(folded, match.start())
        if duration := re.compile(rf"(?:de|d')\s*{DURATION}", re.I).search(folded, match.end(), e):
            months = months_of(duration)
            if months:
                found.values["provisional_months"] = months
                found.evidence["provisional_months"] = src.evidence(match.start(), duration.end())
