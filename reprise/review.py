"""What the review page needs besides the form: the proposal (extracted facts, with the
spreadsheet's facts over them), organisations matched to the parties, and the text read with
each fact's excerpt marked."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify

from partners.models import Organisation

# The facts of the review form, by the key of their evidence (docs/import.md), labelled.
FACT_LABELS = {
    "title": "titre",
    "signature_place": "lieu de signature",
    "signed_on": "date de signature",
    "effective_date": "date d'effet",
    "duration_months": "durée",
    "ends_on": "date de fin",
    "school_years": "années scolaires",
    "notice_months": "préavis",
    "tacit_renewal": "reconduction tacite",
    "renewal_months": "durée d'une reconduction",
    "max_renewals": "reconductions au plus",
    "provisional_months": "application provisoire",
}
PARTY_FACT_LABELS = {
    "name_as_written": "nom",
    "description": "qualité",
    "designation": "désignation",
    "address": "adresse",
    "signatory.name": "signataire",
    "signatory.title": "qualité du signataire",
}


def proposal_of(record) -> dict:
    """The proposed convention of an import (`merged`)."""
    return merged((record.extraction or {}).get("convention") or {}, record.listed_facts or {})


def merged(extracted: dict, listed: dict) -> dict:
    """The extracted convention with the facts of the spreadsheet row over it (its partners
    by position, as names)."""
    extracted = dict(extracted)
    result = {**extracted, **{k: v for k, v in listed.items() if k != "parties"}}
    if listed.get("parties"):
        parties = [dict(p) for p in extracted.get("parties") or []]
        for index, listed_party in enumerate(listed["parties"]):
            if index < len(parties):
                parties[index].update(listed_party)
            else:
                parties.append(dict(listed_party))
        result["parties"] = parties
    # One of duration, school years, fixed end: a listed one replaces the extracted one.
    term_keys = {"duration_months", "school_years", "ends_on"}
    if listed.keys() & term_keys:
        for key in term_keys - listed.keys():
            result.pop(key, None)
    return result


def listed_keys(record) -> set[str]:
    """The facts that come from the spreadsheet (shown as such on the review page)."""
    listed = record.listed_facts or {}
    keys = set(listed) - {"parties"}
    for index, party in enumerate(listed.get("parties") or []):
        keys |= {f"parties[{index}].{key}" for key in party}
    return keys


# --- Organisations -----------------------------------------------------------------------


def folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


ARTICLE = re.compile(r"^(?:l'|le |la |les )", re.I)


def match_organisations(hints: list[dict]) -> list[int | None]:
    """For each party's hint (`name`, `acronym`, `siret`: `Extraction.hints`), the id of
    the organisation it is, or None (« nouvelle organisation »): by SIRET, then by name
    (case, accents and punctuation aside), then by acronym when only one has it. One query
    for every party."""
    sirets = {h["siret"] for h in hints if h.get("siret")}
    acronyms = {h["acronym"] for h in hints if h.get("acronym")}
    names = {ARTICLE.sub("", h.get("name") or "").strip() for h in hints} - {""}
    condition = Q(pk__in=[])
    if sirets:
        condition |= Q(siret__in=sirets)
    for acronym in acronyms:
        condition |= Q(short_name__iexact=acronym)
    for name in names:
        # Candidates; the exact comparison (accents, punctuation aside) is made below.
        words = re.findall(r"\w{4,}", name)[:3]
        if words:
            condition |= Q(*[Q(name__icontains=w) for w in words])
    candidates = list(
        Organisation.objects.filter(condition)
        .order_by("pk")
        .values_list("pk", "name", "short_name", "siret")[:500]
    )
    found = []
    for hint in hints:
        siret = hint.get("siret")
        name = folded(ARTICLE.sub("", hint.get("name") or ""))
        acronym = folded(hint.get("acronym") or "")
        match = next((pk for pk, _, _, s in candidates if siret and s == siret), None)
        if match is None and name:
            match = next((pk for pk, n, _, _ in candidates if folded(n) == name), None)
        if match is None and name:
            # The name as written may carry the acronym: "CRESS PACA".
            match = next(
                (pk for pk, _, short, _ in candidates if short and folded(short) == name), None
            )
        if match is None and acronym:
            same = [pk for pk, _, short, _ in candidates if folded(short) == acronym]
            match = same[0] if len(same) == 1 else None
        found.append(match)
    return found


def suggested_reference(convention: dict, hints: list[dict]) -> str:
    """« CRESS-2010 »: the acronym (or first word) of the first partner that is not the
    académie, and the year of signature; the reviewer checks it is free."""
    label = ""
    for party, hint in zip(convention.get("parties") or [], hints, strict=False):
        name = hint.get("name") or party.get("name_as_written") or ""
        if "academie" in folded(name) or "rectorat" in folded(name):
            continue
        label = hint.get("acronym") or party.get("designation") or name
        break
    words = slugify(ARTICLE.sub("", label)).upper().split("-")[:3]
    year = str(convention.get("signed_on") or "")[:4]
    parts = [w for w in words if w] + ([year] if year.isdigit() else [])
    return "-".join(parts)[:40] or "IMPORT"


def suggested_short_title(convention: dict) -> str:
    parties = convention.get("parties") or []
    partner = next(
        (
            p.get("designation") or p.get("name_as_written")
            for p in parties[1:]
            if p.get("designation") or p.get("name_as_written")
        ),
        "",
    )
    kind = {
        "framework": "Convention cadre",
        "application": "Convention d'application",
        "local": "Convention locale",
    }.get(convention.get("kind"), "Convention")
    return (f"{kind} – {partner.strip(' «»')}" if partner else kind)[:120]


# --- The text, marked --------------------------------------------------------------------


@dataclass
class Segment:
    text: str
    facts: list[str] = field(default_factory=list)  # labels of the facts it supports
    anchors: list[str] = field(default_factory=list)  # ids of the facts starting here
    page_break: int = 0  # > 0: a new page starts here (its number)


def fact_label(key: str) -> str | None:
    if key in FACT_LABELS:
        return FACT_LABELS[key]
    found = re.fullmatch(r"parties\[(\d+)\]\.(.+)", key)
    if found and found[2] in PARTY_FACT_LABELS:
        return f"partie {int(found[1]) + 1}, {PARTY_FACT_LABELS[found[2]]}"
    return None


def anchor(key: str) -> str:
    return "ev-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def marked_text(text: str, evidence: dict) -> list[Segment]:
    """The text cut where an excerpt of a fact of the form starts or ends, each piece with
    the facts it supports (excerpts overlap: « signés le 17 mai 2010 » is in the place's),
    and page breaks (form feeds) as their own pieces."""
    spans = []
    for key, item in evidence.items():
        label = fact_label(key)
        start, end = item.get("start"), item.get("end")
        if label and isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            spans.append((start, min(end, len(text)), key, label))
    cuts = {0, len(text)}
    for start, end, _, _ in spans:
        cuts |= {start, end}
    cuts |= {i for i, ch in enumerate(text) if ch == "\f"} | {
        i + 1 for i, ch in enumerate(text) if ch == "\f"
    }
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    segments, page = [], 1
    for start, end in zip(points, points[1:], strict=False):
        piece = text[start:end]
        if piece == "\f":
            page += 1
            segments.append(Segment("", page_break=page))
            continue
        covering = [(key, label) for s, e, key, label in spans if s <= start and end <= e]
        segment = Segment(piece, facts=list(dict.fromkeys(label for _, label in covering)))
        segment.anchors = [anchor(key) for s, _, key, _ in spans if s == start]
        segments.append(segment)
    return segments
