"""The numbered text: titles, articles, sections, and the annexes after the signatures.

French conventions number their text in many ways: "Article 1er", "ARTICLE PREMIER :",
"Article 2 –", "Art. 3.", "TITRE I – OBJET", "1.3.1 Participation...", "Article 10.1 -".
A line is a heading only if its number follows the previous one (article 3 after article 2,
section 1.3.2 after 1.3.1 under 1.3): a line of the text that happens to start with
"Article 5 de la loi..." or "2.5 millions" is then left in the body. Lines of a table of
contents ("Titre 1 – Objet ... p 2") are never headings.

In the interchange format an article's number follows from its position and is not written;
the numbers as written are returned beside the tree (`Outline.numbers`) so that a gap or a
duplicate can be shown to staff.
"""

import re
from dataclasses import dataclass, field

from .text import Source, clean, sentence_case

ARTICLE = re.compile(
    r"(?:article|art\.)\s*(?:n°\s*)?"
    r"(?P<num>\d{1,3}(?:\s?\.\s?\d{1,3})*(?:\s?er\b)?|premier\b|[ivxlc]+\b|l\b)"
    r"\s*(?P<sep>[-–—:.)]+)?\s*(?P<head>.*)",
    re.IGNORECASE,
)
TITLE = re.compile(
    r"(?:titre|chapitre)\s+(?P<num>\d{1,2}(?:\s?er\b)?|premier\b|[ivxlc]+\b)"
    r"\s*(?P<sep>[-–—:.)]+)?\s*(?P<head>.*)",
    re.IGNORECASE,
)
SECTION = re.compile(
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})(?:\.|\))?\s*(?P<sep>[-–—:]+)?\s*(?P<head>\S.*)"
)
ANNEX = re.compile(
    r"annexe\s*(?:n°\s*)?(?P<num>\d{1,2}|[ivx]+\b|[a-z]\b)?\s*(?P<sep>[-–—:.)]+)?\s*(?P<head>.*)",
    re.IGNORECASE,
)
TOC_ENTRY = re.compile(
    r"(?:\.{3,}|…+|\t| {2,})\s*(?:p\.?|page)?\s*\d{1,3}\s*$|\s(?:p\.?|page)\s*\d{1,3}\s*$"
)
TOC_TITLE = re.compile(r"\s*(?:sommaire|table des matieres)\s*:?\s*$", re.IGNORECASE)
# The end of the articles: the signature formula.
SIGNATURE_START = re.compile(
    r"\s*(?:fait\s+(?:a|en)\b|effectuee?s?\s+en\b|signee?s?\s+(?:a|le)\b|"
    r"(?:la\s+)?(?:presente\s+)?convention\s+est\s+(?:signee|etablie|faite)\s+en\s+"
    r"(?:deux|trois|quatre|cinq|\d)\s+exemplaires)",
    re.IGNORECASE,
)
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
MAX_HEADING = 200


@dataclass
class Node:
    kind: str  # "title", "article", "section": how the format prints its number
    number: str  # as written, normalised: "1", "2.3", "10.1"
    heading: str
    start: int  # offsets in the source text: the heading line
    line_end: int
    end: int = 0  # end of its own body (before its first child or the next heading)
    children: list["Node"] = field(default_factory=list)


@dataclass
class Outline:
    nodes: list[Node]  # top level, each with its children
    numbers: list[str]  # every number as written, in document order
    first_heading: int | None  # offset of the first heading line
    end: int  # where the articles end (signature formula, first annex, end of text)
    annexes: list[tuple[str, int, int]]  # (title, start, end of heading line)
    warnings: list[str]


def lines(src: Source) -> list[tuple[int, int]]:
    """(start, end) of each line of the text, page breaks ending lines too."""
    found, position = [], 0
    for match in re.finditer(r"[\n\f]", src.text):
        found.append((position, match.start()))
        position = match.end()
    found.append((position, len(src.text)))
    return found


def strip_span(src: Source, start: int, end: int) -> tuple[int, int]:
    while start < end and src.text[start] in " \t*":
        start += 1
    while end > start and src.text[end - 1] in " \t*":
        end -= 1
    return start, end


def roman(value: str) -> int | None:
    value = value.lower()
    if not value or any(ch not in ROMAN for ch in value):
        return None
    total = 0
    for i, ch in enumerate(value):
        n = ROMAN[ch]
        total += -n if i + 1 < len(value) and ROMAN[value[i + 1]] > n else n
    return total


def normalise_number(raw: str) -> str | None:
    raw = re.sub(r"\s", "", raw.lower())
    if raw != "premier":
        raw = re.sub(r"er$", "", raw)
    if raw in ("premier", "l", ""):
        return "1"
    if re.fullmatch(r"\d+(?:\.\d+)*", raw):
        return ".".join(str(int(part)) for part in raw.split("."))
    number = roman(raw)
    return str(number) if number else None


def heading_text(src: Source, match: re.Match, offset: int, next_line: tuple[int, int] | None):
    """The heading of a numbered line; when the line holds only the number ("ARTICLE 1"),
    the next line if it looks like a heading (short, no final full stop)."""
    head_start, head_end = offset + match.start("head"), offset + match.end("head")
    head = clean(src.text[head_start:head_end])
    if not head and next_line:
        candidate = clean(src.text[next_line[0] : next_line[1]])
        if (
            candidate
            and len(candidate) <= 120
            and not candidate.endswith(".")
            and (candidate[0].isupper())
        ):
            head = candidate
    head = re.sub(r"^[-–—:.)\s]+", "", head).rstrip(" :.").strip()
    return sentence_case(head)


def plausible(match: re.Match, src_line: str, lowercase: bool = False) -> bool:
    """A numbered line is a heading when its text reads as one: not a sentence that starts
    with "Article 5 de la loi", not a number followed by digits ("Article L. 5312-1")."""
    head = match.group("head").strip().lstrip("*").strip()
    if len(head) > MAX_HEADING:
        return False
    if head[:1].isdigit():
        return False
    # "1.3 actions de partenariat": a section's number is check enough, when the line reads
    # as a heading, not a sentence.
    heading_like = lowercase and len(head) < 120 and not head.endswith((",", ";", "."))
    capital = head[:1].isupper() or head[:1] in "«\"'"
    if not match.group("sep") and head and not capital and not heading_like:
        return False
    return not TOC_ENTRY.search(src_line)


def outline(src: Source) -> Outline:
    """The headings of `src` as a tree, and where the articles and the annexes are."""
    all_lines = lines(src)
    toc = toc_lines(src, all_lines)
    found: list[Node] = []
    numbers: list[str] = []
    warnings: list[str] = []
    by_number: dict[str, Node] = {}
    last_article = 0
    last_title = 0
    top: list[Node] = []
    current_title: Node | None = None

    for index, (start, end) in enumerate(all_lines):
        if index in toc:
            continue
        s, e = strip_span(src, start, end)
        line = src.folded[s:e]
        if not line:
            continue
        following = next_nonblank(src, all_lines, index)
        original_first = src.text[s]
        node = None
        if match := TITLE.fullmatch(line):
            number = normalise_number(match.group("num"))
            follows = number and (
                int(number) == last_title + 1 or (last_title == 0 and int(number) <= 2)
            )
            if original_first.isupper() and follows and plausible(match, line):
                node = Node("title", number, heading_text(src, match, s, following), s, e)
                last_title = int(number)
                current_title = node
                top.append(node)
                by_number[f"T{number}"] = node
        elif match := ARTICLE.fullmatch(line):
            number = normalise_number(match.group("num"))
            if original_first.isupper() and number and plausible(match, line):
                node = article_node(src, match, s, e, following, number, by_number)
                if node and "." not in number:
                    value = int(number)
                    restart = (
                        current_title is not None and value == 1 and (not current_title.children)
                    )
                    if (
                        value == last_article + 1
                        or restart
                        or (last_article < value <= last_article + 3 and not found)
                    ):
                        last_article = value
                        (current_title.children if current_title else top).append(node)
                        by_number[number] = node
                    elif last_article < value <= last_article + 3:
                        warnings.append(
                            f"Numérotation des articles : l'article {value} suit l'article "
                            f"{last_article}."
                        )
                        last_article = value
                        (current_title.children if current_title else top).append(node)
                        by_number[number] = node
                    else:
                        node = None
        elif (match := SECTION.fullmatch(line)) and plausible(match, line, lowercase=True):
            number = normalise_number(match.group("num"))
            parent = by_number.get(number.rsplit(".", 1)[0]) or by_number.get(
                "T" + number.rsplit(".", 1)[0]
            )
            if parent and next_child(parent) == number:
                node = Node("section", number, heading_text(src, match, s, following), s, e)
                parent.children.append(node)
                by_number[number] = node
        if node:
            found.append(node)
            numbers.append(("Titre " if node.kind == "title" else "") + node.number)
        elif found and SIGNATURE_START.match(line):
            break

    articles_end = len(src.text)
    if found:
        for start, end in all_lines:
            if start > found[-1].line_end and SIGNATURE_START.match(src.folded[start:end]):
                articles_end = start
                break
    annexes = annex_headings(src, all_lines, toc, found[-1].line_end if found else 0)
    if annexes and annexes[0][1] < articles_end:
        articles_end = annexes[0][1]
    for i, node in enumerate(found):
        node.end = found[i + 1].start if i + 1 < len(found) else articles_end
    return Outline(
        nodes=top,
        numbers=numbers,
        first_heading=found[0].start if found else None,
        end=articles_end,
        annexes=annexes,
        warnings=warnings,
    )


def article_node(src, match, s, e, following, number, by_number) -> Node | None:
    """An "Article n" heading; "Article 10.1" nests under article 10 like a section."""
    node = Node("article", number, heading_text(src, match, s, following), s, e)
    if "." in number:
        parent = by_number.get(number.rsplit(".", 1)[0])
        if not parent or next_child(parent) != number:
            return None
        parent.children.append(node)
        by_number[number] = node
    return node


def next_child(parent: Node) -> str:
    """The number the next child of `parent` must have: "1.3" after "1.2" under "1"."""
    rank = len(parent.children) + 1
    return f"{parent.number}.{rank}"


def next_nonblank(src: Source, all_lines, index: int):
    for start, end in all_lines[index + 1 : index + 4]:
        if src.text[start:end].strip():
            return start, end
    return None


def toc_lines(src: Source, all_lines) -> set[int]:
    """Indexes of the lines of a table of contents: entries ending with a page number, and
    the lines under a "SOMMAIRE" heading up to the first line that is not an entry."""
    toc = set()
    in_toc = False
    for index, (start, end) in enumerate(all_lines):
        line = src.folded[start:end]
        if TOC_TITLE.fullmatch(line):
            in_toc = True
            toc.add(index)
            continue
        if TOC_ENTRY.search(line) and len(line.strip()) < 200 and re.search(r"[a-z]", line, re.I):
            toc.add(index)
            continue
        if in_toc and line.strip():
            in_toc = False
    return toc


def annex_headings(src: Source, all_lines, toc: set[int], after: int) -> list:
    """(title, start, end) of the "ANNEXE 1 – TITLE" headings after the articles."""
    found = []
    for index, (start, end) in enumerate(all_lines):
        if start <= after or index in toc:
            continue
        s, e = strip_span(src, start, end)
        match = ANNEX.fullmatch(src.folded[s:e])
        if not match or not src.text[s : s + 1].isupper():
            continue
        head = match.group("head").strip()
        if len(head) > MAX_HEADING or (not match.group("sep") and not match.group("num")):
            continue
        following = next_nonblank(src, all_lines, index)
        title = heading_text(src, match, s, following)
        if title:
            found.append((title, s, e))
    return found


def body(src: Source, start: int, end: int) -> str:
    """The text between two headings as the format writes it: paragraphs separated by a
    blank line, the lines of a paragraph cut by the page joined, list items kept apart."""
    paragraphs, current = [], []
    for line in re.split(r"\n|\f", src.text[start:end]):
        line = line.strip().replace("**", "")
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        item = re.match(r"(?:[-–•▪◦●*]|\d{1,2}[.)])\s+", line)
        if item and current:
            paragraphs.append(current)
            current = []
        if item and line[0] in "–•▪◦●*":
            line = "- " + line[item.end() :]
        current.append(line)
        if line.endswith((".", ":", ";")) and not item:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return "\n\n".join(" ".join(p) for p in paragraphs).strip()


def as_format(src: Source, nodes: list[Node], path: str = "articles") -> tuple[list, dict]:
    """The articles as the interchange format writes them (kind, heading, body, children),
    and the evidence of each: its heading line."""
    result, evidence = [], {}
    for i, node in enumerate(nodes):
        item_path = f"{path}[{i}]"
        first_child = node.children[0].start if node.children else node.end
        item = {
            "kind": node.kind,
            "heading": node.heading,
            "body": body(src, node.line_end, first_child),
        }
        children, child_evidence = as_format(src, node.children, f"{item_path}.children")
        if children:
            item["children"] = children
        evidence[item_path] = src.evidence(node.start, node.line_end)
        evidence.update(child_evidence)
        result.append(item)
    return result, evidence


def count(nodes: list[Node]) -> int:
    return sum(1 + count(node.children) for node in nodes)
