"""The title and the kind of a convention.

The title is the last heading naming the act ("CONVENTION DE PARTENARIAT", "Convention cadre
de partenariat", "AVENANT N°1 CONVENTION D'APPLICATION ...") above the parties. When it does
not name the parties, a cover page often does ("Convention de partenariat / entre /
l'académie d'Aix-Marseille / et / la Cité des Métiers ..."): the title is then completed
with them, as the house style writes a title.
"""

import re

from .text import Evidence, Source, clean, fold, sentence_case

HEADING = re.compile(
    r"^[ \t*]*(?:avenant|convention|accord|protocole|contrat|charte)\b[^\n\f]{0,250}$",
    re.IGNORECASE | re.MULTILINE,
)
ENTRE_LINE = re.compile(r"[ \t*]*entre[ \t*]*:?[ \t*]*", re.IGNORECASE)
ET_LINE = re.compile(r"[ \t*]*et[ \t*]*,?[ \t*]*", re.IGNORECASE)
LETTERHEAD = re.compile(
    r"[ \t*]*(?:ministere|region\s+academique|republique|prefet|liberte|academie\s+d)",
    re.IGNORECASE,
)
DESCRIPTION_TAIL = re.compile(r",\s*(?:association|etablissement|societe)\b.*$", re.IGNORECASE)
KINDS = [
    (re.compile(r"convention[\s-]+cadre|accord[\s-]+cadre", re.IGNORECASE), "framework"),
    (re.compile(r"convention\s+d'application", re.IGNORECASE), "application"),
    (re.compile(r"convention\s+locale", re.IGNORECASE), "local"),
]


def title(src: Source, before: int) -> tuple[str, Evidence] | None:
    """The title, read above offset `before` (the parties' block), and its evidence."""
    candidates = [
        m for m in HEADING.finditer(src.folded, 0, before)
        if src.text[m.start() : m.end()].strip(" \t*")[:1].isupper()
        and not src.folded[m.start() : m.end()].rstrip().endswith((".", ";"))
    ]  # fmt: skip
    if not candidates:
        return None
    main = candidates[-1]
    text = clean(src.text[main.start() : main.end()])
    evidence = src.evidence(main.start(), main.end())
    if " entre " in fold(text).lower():
        return text, evidence
    for candidate in candidates:
        names = cover_parties(src, candidate.end(), before)
        if names:
            return f"{sentence_case(text)} entre {join_names(names)}", evidence
    return text, evidence


def cover_parties(src: Source, position: int, limit: int) -> list[str]:
    """The parties a cover page lists after a title: "entre" / X / "et" / Y [/ "et" / Z]."""
    lines = [
        line for line in src.text[position:limit].replace("\f", "\n").split("\n") if line.strip()
    ]
    if not lines or not ENTRE_LINE.fullmatch(fold(lines[0])):
        return []
    names, current = [], []
    for line in lines[1:12]:
        folded = fold(line)
        if ET_LINE.fullmatch(folded):
            if current:
                names.append(current)
            current = []
            continue
        stripped = line.strip(" \t*")
        upper = stripped.upper() == stripped and any(ch.isalpha() for ch in stripped)
        if LETTERHEAD.match(folded) or HEADING.match(folded) or (current and upper):
            break
        if current and (len(current) >= 3 or not (stripped[:1].islower() or not upper)):
            break
        if re.search(r"represente|d'une\s+part|soussigne", folded, re.IGNORECASE):
            return []
        current.append(stripped)
    if current:
        names.append(current)
    if len(names) < 2:
        return []
    return [DESCRIPTION_TAIL.sub("", clean(" ".join(name))) for name in names]


def join_names(names: list[str]) -> str:
    """ "X et Y", "X, Y et Z"."""
    return ", ".join(names[:-1]) + " et " + names[-1]


def kind(title_text: str) -> str:
    """The format's kind of a title: framework, application, local, else partnership."""
    folded = fold(title_text)
    for pattern, code in KINDS:
        if pattern.search(folded):
            return code
    return "partnership"
