"""The facts of a convention read from its text: `extract(text) -> Extraction`.

Rules written for French administrative texts, no network, no learned model: each module
reads one topic (`title`, `parties`, `articles`, `signature`, `terms`) and returns the values
with the excerpts they came from. The result uses the keys of the interchange format
(docs/format.md), so that a proposal can be reviewed, corrected and loaded like any file.

Unknown is a value: a fact the text does not give is left out (or `unknown` where the format
has it: `signed_on`, `duration_months`) with a French warning, never guessed.
"""

import datetime
import re
from dataclasses import dataclass, field

from . import articles as articles_module
from .parties import parties as find_parties
from .signature import signature as find_signature
from .terms import terms as find_terms
from .text import Evidence, Source, clean, fold
from .title import kind as kind_of
from .title import title as find_title

ANNEX_KINDS = [
    (re.compile(r"coordonnees|correspondants?|contacts?", re.I), "contacts"),
    (re.compile(r"liste\s+des\s+donnees", re.I), "data_list"),
    (re.compile(r"plan\s+de\s+partenariat", re.I), "partnership_plan"),
    (re.compile(r"plan\s+d'actions?", re.I), "action_plan"),
]
FORMULA_LINE = re.compile(
    r"^[ \t]*(?:il\s+)?(?:a\s+ete|est)\s+[^\n]*ce\s+qui\s+suit[^\n]*$"
    r"|^[ \t]*(?:preambule|expose)\s*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class Extraction:
    """What `extract` proposes.

    `convention`: a convention with the interchange format's keys (title, kind, preamble,
    parties, articles, annexes, signature_place, signed_on, effective_date, duration_months,
    school_years, ends_on, notice_months, tacit_renewal, renewal_months, max_renewals,
    provisional_months); dates are `datetime.date`. The keys that need the database
    (`reference`, `short_title`, `parties[].organisation`, `parent`) are left to the review.
    `evidence`: field path ("title", "parties[1].signatory.name", "articles[2].children[0]")
    -> `Evidence` (excerpt, offsets in the text given to `extract`, page).
    `warnings`: French sentences for staff.
    `hints`: what helps the review match records: `organisations` (per party: name without
    article, acronym, SIRET), `parent` (the convention cited: text, date), `article_numbers`
    (as written, in order).
    """

    convention: dict
    evidence: dict[str, Evidence] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    hints: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The extraction as JSON values (dates as "2010-05-17"), as `import_documents
        --json` is to print it."""
        return {
            "convention": jsonable(self.convention),
            "evidence": {path: item.as_dict() for path, item in self.evidence.items()},
            "warnings": list(self.warnings),
            "hints": jsonable(self.hints),
        }


def jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def extract(text: str) -> Extraction:
    """The proposed convention read from `text` (pages separated by form feeds)."""
    src = Source(text)
    result = Extraction(convention={})
    convention, evidence, warnings = result.convention, result.evidence, result.warnings

    outline = articles_module.outline(src)
    block = find_parties(src, outline.first_heading)
    title_limit = block.start if block else (outline.first_heading or min(len(src.text), 3000))
    if found := find_title(src, title_limit):
        convention["title"], evidence["title"] = found
        convention["kind"] = kind_of(found[0])
    else:
        warnings.append("Titre introuvable.")

    # Parties.
    convention["parties"] = []
    organisations = []
    for i, party in enumerate(block.parties if block else []):
        convention["parties"].append(party.fields)
        organisations.append(party.hint)
        for key, item in party.evidence.items():
            evidence[f"parties[{i}].{key}"] = item
        if "signatory" not in party.fields:
            name = party.fields.get("name_as_written", f"n° {i + 1}")
            warnings.append(f"Signataire introuvable pour la partie « {name} ».")
    if not block:
        warnings.append(
            "Parties introuvables : aucun bloc « Entre ... et ... » avant les articles."
        )
    elif len(block.parties) < 2:
        warnings.append("Une seule partie trouvée : une convention en a au moins deux.")
    result.hints["organisations"] = organisations

    # Preamble: between the parties and the first article, formula and sommaire left out.
    if block and outline.first_heading and outline.first_heading > block.end:
        preamble = preamble_text(src, block.end, outline.first_heading)
        if preamble:
            convention["preamble"] = preamble
            evidence["preamble"] = src.evidence(block.end, outline.first_heading)

    # Articles and annexes.
    tree, article_evidence = articles_module.as_format(src, outline.nodes)
    convention["articles"] = tree
    evidence.update(article_evidence)
    result.hints["article_numbers"] = outline.numbers
    warnings.extend(outline.warnings)
    if not tree:
        warnings.append("Aucun article numéroté trouvé.")
    convention["annexes"] = []
    for i, (annex_title, start, end) in enumerate(outline.annexes):
        annex_kind = next((c for p, c in ANNEX_KINDS if p.search(fold(annex_title))), "text")
        convention["annexes"].append({"kind": annex_kind, "title": annex_title})
        evidence[f"annexes[{i}]"] = src.evidence(start, end)

    # Signature, after the last article (or anywhere when no article was found).
    after = max((n.start for n in walk(outline.nodes)), default=0)
    annex_start = outline.annexes[0][1] if outline.annexes else len(src.text)
    signed = find_signature(src, after, annex_start)
    warnings.extend(signed.warnings)
    evidence.update(signed.evidence)
    if signed.place:
        convention["signature_place"] = signed.place
    else:
        warnings.append("Lieu de signature introuvable.")
    if signed.signed_on:
        convention["signed_on"] = signed.signed_on
    else:
        convention["signed_on"] = "unknown"
        warnings.append("Date de signature introuvable : la convention sera « à compléter ».")

    # Term.
    terms = find_terms(src)
    convention.update(terms.values)
    evidence.update(terms.evidence)
    warnings.extend(terms.warnings)
    if terms.parent:
        result.hints["parent"] = terms.parent
    if not {"duration_months", "school_years", "ends_on"} & terms.values.keys():
        if terms.term_of_parent:
            warnings.append(
                "Durée : celle de la convention parente (« conclue pour la durée de la "
                "convention ... ») ; rattachez la convention parente."
            )
        else:
            convention["duration_months"] = "unknown"
            warnings.append(
                "Durée introuvable : ni durée, ni date de fin, ni années scolaires ; la "
                "convention sera « à compléter »."
            )
    if (
        signed.signed_on
        and terms.values.get("ends_on")
        and terms.values["ends_on"] < signed.signed_on
    ):
        warnings.append("La date de fin précède la date de signature : vérifiez-les.")

    missing = [
        label
        for label, ok in (
            ("titre", "title" in convention),
            ("parties", len(convention["parties"]) >= 2),
            ("articles", bool(tree)),
            ("formule de signature", signed.found),
        )
        if not ok
    ]
    if len(missing) >= 3:
        warnings.insert(
            0,
            "Ce texte ne ressemble pas à une convention : "
            + ", ".join(missing)
            + " introuvables. Vérifiez le fichier déposé.",
        )
    return result


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.children)


def preamble_text(src: Source, start: int, end: int) -> str:
    """The preamble ("Vu ...", "Considérant ...") without the formula before the articles,
    a "PRÉAMBULE" heading or a table of contents."""
    toc = articles_module.toc_lines(src, articles_module.lines(src))
    kept = []
    for index, (line_start, line_end) in enumerate(articles_module.lines(src)):
        if line_end <= start or line_start >= end or index in toc:
            continue
        line = src.folded[max(line_start, start) : min(line_end, end)]
        if FORMULA_LINE.fullmatch(line) or not line.strip():
            if kept and kept[-1] != "":
                kept.append("")
            continue
        kept.append(src.text[max(line_start, start) : min(line_end, end)])
    text = articles_module.body(Source("\n".join(kept)), 0, len("\n".join(kept)))
    text = re.sub(r"^(?:d'autre part|ci-apres[^\n]*)[.,]?\s*", "", text, flags=re.I)
    return clean(text) if len(text) < 40 else text.strip()
