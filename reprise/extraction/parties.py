"""The parties: the "Entre ... et ..." block before the articles.

Conventions open with "Entre les soussignés", "ENTRE", or "Entre l'académie ..., d'une part,
et ...". A cover page often repeats "entre X et Y" without representatives: the block kept is
the first one that names a representative, a "d'une part" or a "ci-après". It ends at the
formula before the articles ("il a été convenu ce qui suit"), a preamble ("Vu", "Considérant",
"Préambule"), a table of contents or the first article.

Each party is split into its name as written, its qualité ("Association loi 1901"), its
address ("sis au", "siège social :", "domicilié en cette qualité au"), its designation
(« ci-après dénommé « l'ORM » ») and its representative ("représenté(e) par"): a person's
name and the title beside it, whichever comes first.
"""

import re
from dataclasses import dataclass, field

from .text import Evidence, Source, clean, fold, loose

START = re.compile(r"^[ \t*]*entre\b", re.IGNORECASE | re.MULTILINE)
FORMULA = re.compile(
    r"(?:convenu|arrete|conviennent|decide)[^.\n]{0,60}?ce\s+qui\s+suit", re.IGNORECASE
)
PREAMBLE = re.compile(
    r"^[ \t*]*(?:preambule|expose\b|vu\b|considerant\b|sommaire\b|table\s+des\s+matieres)",
    re.IGNORECASE | re.MULTILINE,
)
SEPARATOR = re.compile(
    r"\n[ \t*]*et[ \t*]*[,;:]?[ \t]*(?=\n)|d'une\s+part\s*[,;.]?\s*(?:\n\s*)?\bet\b[ \t]*:?",
    re.IGNORECASE,
)
REPRESENTED = re.compile(
    r"represente(?:e)?s?\s+(?:par|en\s+la\s+personne\s+de)\s+|agissant\s+par\s+", re.IGNORECASE
)
SIGNATORY_END = re.compile(
    r"\bd'une\s+part|\bd'autre\s+part|ci-?\s?apres|faisant\s+election|domicilie|\bsise?\b|"
    r"\bsiege\b|agissant|dument|en\s+vertu|habilite|ayant\s+(?:tous\s+)?pouvoirs?|"
    r"\bdemeurant|\bsitue|\n[ \t]*\n",
    re.IGNORECASE,
)
NAME_END = re.compile(
    r",|\s(?:represente|sise?|siege|domicilie|dont|faisant|ci-?\s?apres|agissant|"
    r"immatricule|situe|ayant|numero\s+siret|siret)\b",
    re.IGNORECASE,
)
DESCRIPTION = re.compile(
    r"\b(?:association\s+(?:regie\s+par\s+la\s+|de\s+la\s+|declaree\s+)?loi\s+"
    r"(?:du\s+1\s?er\s+juillet\s+)?1901|association\s+reconnue\s+d'utilite\s+publique|"
    r"etablissement\s+public(?:\s+(?:a\s+caractere|administratif|local|national|"
    r"d'enseignement|scientifique|culturel|et|professionnel|industriel|commercial|"
    r"de\s+cooperation\s+intercommunale|superieur)\b,?){0,6}|"
    r"groupement\s+d'interet\s+public|"
    r"societe\s+(?:anonyme|par\s+actions\s+simplifiee|a\s+responsabilite\s+limitee|"
    r"cooperative)|collectivite\s+territoriale|chambre\s+consulaire|"
    r"syndicat\s+professionnel|fondation\s+reconnue\s+d'utilite\s+publique)",
    re.IGNORECASE,
)
POSTCODE = r"\b\d{2}\s?\d{3}\b"
ADDRESS_MARKER = re.compile(
    r"(?:\bsise?\s+(?:au|a|en)?|siege\s+social\s*:?\s*(?:au|a|est\s+(?:situe\s+)?(?:au|a))?|"
    r"dont\s+le\s+siege(?:\s+social)?\s+est\s+(?:situe\s+|fixe\s+)?(?:au|a)?|"
    r"domiciliee?\s+en\s+cette\s+qualite\s*,?\s*(?:au|a)?|"
    r"faisant\s+election\s+de\s+domicile\s+(?:au|a)?|demeurant\s+(?:au|a)?|"
    r"situee?\s+(?:au|a))\s*",
    re.IGNORECASE,
)
ADDRESS = re.compile(
    rf"(?P<address>[^\n]*?{POSTCODE}[ \t]+[A-Za-zÀ-ÿ'][A-Za-zÀ-ÿ' \t-]*?"
    rf"(?:[ \t]+cedex(?:[ \t]+\d{{1,2}})?)?)(?=\s*(?:,|\.|\n|$|represent|ci-?apres|d'une|d'autre))",
    re.IGNORECASE,
)
STREET = re.compile(
    r"^(?:\d{1,4}\s*(?:bis|ter)?\s*,?\s*)?(?:rue|avenue|av\.|boulevard|bd|place|chemin|allee|"
    r"quai|route|cours|impasse|square|bp|cs|tour|immeuble)\b",
    re.IGNORECASE,
)
DESIGNATION = re.compile(
    r"ci-?\s?apres\s*(?P<verb>(?:denomme|designe|appele|nomme)e?s?)?\s*(?P<ensemble>ensemble\s*)?"
    r"(?::\s*)?(?:[«\"]|<<)\s*(?P<d>[^»\"\n]{1,80}?)\s*(?:[»\"]|>>)",
    re.IGNORECASE,
)
CIVILITY = re.compile(
    r"^(?:monsieur|madame|mademoiselle|m\.|mme|mlle|mr|me|maitre|docteur|dr|professeur|pr)\s+",
    re.IGNORECASE,
)
TITLE_PREFIX = re.compile(
    r"^(?:par\s+)?(?:(?:monsieur|madame|m\.|mme)\s+)?(?:(?:le|la|l'|son|sa|leur)\s*)?",
    re.IGNORECASE,
)
PARTICLES = {"de", "du", "des", "d'", "van", "von", "der", "den", "le", "la", "di", "da",
             "del", "dos", "ben", "el", "y"}  # fmt: skip
OFFICE_WORDS = {
    "recteur", "rectrice", "president", "presidente", "directeur", "directrice", "chancelier",
    "chanceliere", "maire", "prefet", "prefete", "academie", "universite", "universites",
    "region", "regional", "regionale", "general", "generale", "delegue", "deleguee",
    "secretaire", "chef", "ministre", "adjoint", "adjointe", "administrateur", "administratrice",
    "tresorier", "tresoriere", "gerant", "gerante", "conseiller", "conseillere", "vice", "doyen",
    "proviseur", "principal", "principale", "inspecteur", "inspectrice", "representant",
    "representante", "charge", "chargee", "mission", "territorial", "territoriale", "national",
    "nationale", "departemental", "departementale", "emploi", "association", "etat",
    "exercice", "qualite", "cedex", "marseille", "paris", "lyon", "directeur-general",
}  # fmt: skip
NAME_TOKEN = re.compile(
    r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)*|[A-ZÀ-Þ]{2,}(?:-[A-ZÀ-Þ]{2,})*|"
    r"[A-ZÀ-Þ]\.(?:-[A-ZÀ-Þ]\.)?|[A-ZÀ-Þ]'[A-ZÀ-Þ][A-Za-zà-ÿ]+|d'[A-ZÀ-Þ][A-Za-zà-ÿ]+"
)


@dataclass
class Party:
    fields: dict  # the format's keys of a party
    evidence: dict[str, Evidence] = field(default_factory=dict)
    hint: dict = field(default_factory=dict)  # for matching an organisation
    start: int = 0
    end: int = 0


@dataclass
class Block:
    start: int  # where the "Entre" line starts
    end: int  # where the block ends (formula, preamble, first article)
    parties: list[Party]


def find_block(src: Source, first_heading: int | None) -> tuple[int, int] | None:
    """(start, end) of the parties' block, or None."""
    starts = [m.start() for m in START.finditer(src.folded)]
    limit = first_heading if first_heading is not None else len(src.text)
    for i, start in enumerate(starts):
        if start >= limit:
            break
        window_end = min(starts[i + 1] if i + 1 < len(starts) else limit, start + 4000, limit)
        window = src.folded[start:window_end]
        if re.search(r"represente|d'une\s+part|ci-?\s?apres|soussigne", window, re.IGNORECASE):
            ends = [limit, start + 6000]
            for pattern in (FORMULA, PREAMBLE):
                match = pattern.search(src.folded, start + 5)
                if match:
                    # From the start of its line: "il a été convenu ce qui suit".
                    ends.append(src.folded.rfind("\n", 0, match.start()) + 1)
            return start, min(ends)
    return None


def parties(src: Source, first_heading: int | None) -> Block | None:
    found = find_block(src, first_heading)
    if not found:
        return None
    start, end = found
    # The "Entre" word (and "les soussignés") opens the block; the first party follows.
    opening = re.match(
        r"[ \t*]*entre\b(?:\s+les\s+soussigne(?:e)?s)?\s*:?", src.folded[start:end], re.I
    )
    chunk_start = start + opening.end()
    cuts = [chunk_start]
    for match in SEPARATOR.finditer(src.folded, chunk_start, end):
        cuts.append(match.end())
    cuts.append(end)
    result = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if re.search(r"[A-Za-z]{3}", src.folded[a:b]):
            result.append(party(src, a, b))
    designations_from_acronyms(src, result, end)
    return Block(start, end, result)


def party(src: Source, start: int, end: int) -> Party:
    folded = src.folded
    fields, evidence, hint = {}, {}, {}
    # Name: the first line, cut before the representative, the address, the qualité...
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n\f]+", folded[start:end])]
    lines = [
        (start + a, start + b) for a, b in lines if folded[start + a : start + b].strip(" \t*,:")
    ]
    if lines:
        n_start, n_end = name_span(src, lines)
        if n_end > n_start:
            fields["name_as_written"] = clean(src.text[n_start:n_end])
            evidence["name_as_written"] = src.evidence(n_start, n_end)
    if match := DESCRIPTION.search(folded, start, end):
        fields["description"] = clean(src.text[match.start() : match.end()])
        evidence["description"] = src.evidence(match.start(), match.end())
    if address := find_address(src, start, end, lines):
        fields["address"] = clean(src.text[address[0] : address[1]])
        evidence["address"] = src.evidence(*address)
    for match in DESIGNATION.finditer(folded, start, end):
        if match.group("ensemble"):
            continue
        d_start, d_end = match.span("d")
        fields["designation"] = clean(src.text[d_start:d_end])
        evidence["designation"] = src.evidence(match.start(), match.end())
        break
    if match := REPRESENTED.search(folded, start, end):
        signatory, span = representative(src, match.end(), end)
        if signatory:
            fields["signatory"] = signatory
            evidence["signatory"] = src.evidence(match.start(), span)
            if signatory.get("name"):
                evidence["signatory.name"] = evidence["signatory"]
            if signatory.get("title"):
                evidence["signatory.title"] = evidence["signatory"]
    if siret := re.search(r"siret\s*(?:n°\s*)?:?\s*(\d(?:\s?\d){13})", folded[start:end], re.I):
        hint["siret"] = re.sub(r"\s", "", siret.group(1))
    name = fields.get("name_as_written", "")
    hint["name"] = (
        re.sub(r"^(?:l'|la |le |les )", "", name, flags=re.I)[:1].upper()
        + re.sub(r"^(?:l'|la |le |les )", "", name, flags=re.I)[1:]
    )
    if acronym := re.search(r"\(([A-Z][A-Z0-9 &'.-]{1,20})\)", name):
        hint["acronym"] = acronym.group(1)
    return Party(fields, evidence, hint, start, end)


def name_span(src: Source, lines: list[tuple[int, int]]) -> tuple[int, int]:
    """The name as written: the first line of the party, cut before what follows the name;
    continued on the next line when it was cut by the page ("... entreprises des" /
    "Bouches-du-Rhône (CGPME PACA),")."""
    folded = src.folded
    start, end = lines[0]
    while start < end and folded[start] in " \t*":
        start += 1
    if cut := NAME_END.search(folded, start, end):
        return start, cut.start()
    for next_start, next_end in lines[1:3]:
        nxt = folded[next_start:next_end].strip(" \t*")
        tail = folded[start:end].rstrip(" *").split(" ")[-1].lower()
        continues = nxt[:1].islower() or nxt[:1] == "(" or tail in PARTICLES | {"et", "l'"}
        if not continues or STREET.match(nxt) or REPRESENTED.match(nxt) or re.search(POSTCODE, nxt):
            break
        end = next_end
        if cut := NAME_END.search(folded, next_start, next_end):
            return start, cut.start()
    while end > start and folded[end - 1] in " \t*,.;":
        end -= 1
    return start, end


def find_address(src: Source, start: int, end: int, lines) -> tuple[int, int] | None:
    folded = src.folded
    marker = ADDRESS_MARKER.search(folded, start, end)
    if marker and (match := ADDRESS.match(folded, marker.end(), end)):
        return match.span("address")
    # A line of its own with a postcode: "Place Lucien Paye, 13100 Aix-en-Provence".
    for line_start, line_end in lines[1:]:
        line = folded[line_start:line_end]
        if not re.search(POSTCODE, line) or REPRESENTED.search(line):
            continue
        if match := ADDRESS.match(folded, line_start, line_end):
            s, e = match.span("address")
            while s < e and folded[s] in " \t*":
                s += 1
            return s, e
    return None


def representative(src: Source, start: int, end: int) -> tuple[dict, int]:
    """{"name", "title"} of "représenté(e) par ..." from `start`, and where it ends."""
    folded = src.folded
    stop = end
    if match := SIGNATORY_END.search(folded, start, end):
        stop = match.start()
    if match := DESCRIPTION.search(folded, start, stop):
        stop = match.start()
    pieces = []
    position = start
    for piece in re.split(r",", src.text[start:stop]):
        piece_start = position
        position += len(piece) + 1
        value = clean(piece)
        if not value:
            continue
        if STREET.match(fold(value)) or re.search(POSTCODE, value):
            stop = piece_start
            break
        pieces.append(value)
    if not pieces:
        return {}, stop
    name_index = next((i for i, piece in enumerate(pieces) if is_person(piece)), None)
    if name_index is None:
        title_pieces, name = pieces, ""
    else:
        name = person_name(pieces[name_index])
        title_pieces = pieces[:name_index] if name_index else pieces[1:]
    title = ", ".join(title_pieces)
    title = re.sub(r"^en\s+(?:sa|leur)\s+qualite\s+de\s+", "", title, flags=re.I)
    title = title[len(TITLE_PREFIX.match(fold(title)).group(0)) :].strip()
    signatory = {}
    if name:
        signatory["name"] = name
    if title:
        signatory["title"] = title
    return signatory, stop


def is_person(piece: str) -> bool:
    """Whether `piece` is a person's name: "Jean-Paul de Gaudemar", "Monsieur Jean-Charles
    BLANC", "M. Michel Faure", "Mme Dupont"; not an office ("Recteur de l'académie") nor a place."""
    bare = CIVILITY.sub("", piece.strip())
    # « Mme Dupont »: a civility makes a lone surname a person.
    least = 1 if bare != piece.strip() else 2
    tokens = bare.split()
    if not least <= len(tokens) <= 5 or not NAME_TOKEN.fullmatch(tokens[0]):
        return False
    for token in tokens:
        lower = fold(token).lower()
        if lower in OFFICE_WORDS or any(part in OFFICE_WORDS for part in lower.split("-")):
            return False
        if lower not in PARTICLES and not NAME_TOKEN.fullmatch(token):
            return False
    return sum(1 for token in tokens if token.lower() not in PARTICLES) >= least


def person_name(piece: str) -> str:
    """The name without civility, a surname in capitals written as a name ("BLANC" ->
    "Blanc"): the format keeps names as people write them, not as a letterhead shouts them."""
    tokens = CIVILITY.sub("", piece.strip()).split()
    result = []
    for token in tokens:
        if len(token) > 1 and token.isupper():
            token = "-".join(part.capitalize() for part in token.split("-"))
            token = re.sub(r"'(\w)", lambda m: "'" + m.group(1).upper(), token)
        result.append(token)
    return " ".join(result)


def designations_from_acronyms(src: Source, found: list[Party], after: int) -> None:
    """A party named without an acronym but called "(CRESS)" further on, right after its
    name, is designated by it: "… Provence-Alpes-Côte d'Azur (CRESS)"."""
    for item in found:
        name = item.fields.get("name_as_written", "")
        if not name or "designation" in item.fields or "(" in name:
            continue
        words = loose(re.sub(r"^(?:l'|la |le |les )", "", name, flags=re.I)).split()
        if len(words) < 2:
            continue
        pattern = r"[\s\-–—']+".join(re.escape(word) for word in words)
        regex = re.compile(rf"{pattern}\s*\(\s*(?P<a>[A-Z][A-Z0-9&.-]{{1,15}})\s*\)", re.I)
        if match := regex.search(src.folded, after):
            acronym = src.text[match.start("a") : match.end("a")]
            if acronym.isupper():
                item.fields["designation"] = acronym
                item.evidence["designation"] = src.evidence(match.start(), match.end())
                item.hint.setdefault("acronym", acronym)
