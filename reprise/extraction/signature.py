"""Place and date of signature: "Fait à Marseille, le 3 juin 2019", "Effectuée en deux
exemplaires originaux, signés le 17 mai 2010 à Aix-en-Provence", one "Fait à ..., le ..."
per party column.

A blank left for the date ("Fait à Marseille, le", "le _____") gives the place and no date:
the convention is then signed on an unknown date (« à compléter »), never on a guess. With
several dates, the convention is signed on the last one (the last party's signature).
"""

import re
from dataclasses import dataclass, field

from .dates import DATE_RE, parse_date
from .text import Evidence, Source, clean

FORMULA = re.compile(
    r"\b(?:fait|effectuee?s?|etablie?s?|signee?s?)\s+(?:(?:a|le|en)\b|a\s*,)", re.IGNORECASE
)
PLACE = re.compile(
    r"\b(?:a|au)\s+(?P<place>[A-Z][\w' -]{1,50}?)(?=\s*(?:,|\.|;|\n|\t|\f|$|\s+le\b|"
    r"\s+en\s+(?:deux|trois|quatre|cinq|six|\d+|double|triple)\b|\s+signee?s?\b|\s+l[ea]s?\s+\d))"
)


@dataclass
class Signature:
    place: str = ""
    signed_on: object = None  # datetime.date
    evidence: dict[str, Evidence] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    found: bool = False  # a signature formula was found, dated or not


def signature(src: Source, start: int, end: int) -> Signature:
    """The signature facts in `src.text[start:end]` (after the last article)."""
    result = Signature()
    places = []
    for match in FORMULA.finditer(src.folded, start, end):
        line_end = src.folded.find("\n", match.end())
        sentence_end = min(x for x in (line_end, end, match.end() + 160) if x >= 0)
        # A formula cut over two lines: "Fait à Aix en Provence, le" / "en deux exemplaires".
        result.found = True
        folded_scope = src.folded[match.start() : sentence_end]
        place = PLACE.search(folded_scope)
        if place and not re.fullmatch(r"[_. ]*", place.group("place")):
            value = clean(
                src.text[match.start() + place.start("place") : match.start() + place.end("place")]
            )
            if not re.match(r"(?i)(?:la|le|les|l')\b", value) and len(value) >= 2:
                places.append(value)
                if "signature_place" not in result.evidence:
                    span = (
                        match.start() + place.start("place"),
                        match.start() + place.end("place"),
                    )
                    result.evidence["signature_place"] = src.evidence(match.start(), span[1])
        for date_match in DATE_RE.finditer(folded_scope):
            date = parse_date(date_match)
            if date and (result.signed_on is None or date >= result.signed_on):
                result.signed_on = date
                result.evidence["signed_on"] = src.evidence(
                    match.start(), match.start() + date_match.end()
                )
    if places:
        result.place = places[0]
        distinct = {p.casefold() for p in places}
        if len(distinct) > 1:
            result.warnings.append(
                "Plusieurs lieux de signature : "
                + ", ".join(sorted(set(places)))
                + f" ; « {places[0]} » est retenu."
            )
    return result
