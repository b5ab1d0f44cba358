"""French presentation of dates and text, shared by pages, PDFs, e-mails and feeds."""

import datetime
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french_date(value: datetime.date | None) -> str:
    """ "16 mai 2013", "1er mars 2021"; "" for no date."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


_BULLET = re.compile(r"^\s*[-•]\s+")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*:?-{3,}:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    text = escape(text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def render_markup(text: str) -> SafeString:
    """The small markup of convention texts, as safe HTML.

    Paragraphs are separated by blank lines; consecutive lines starting with "- " make a
    bulleted list, "1. " a numbered one; consecutive lines between "|" make a table, whose
    first row is the header when a line of "---" follows it (a "|" inside a cell is
    written "\\|"); **bold** and *italic* inline. Everything else is escaped: users never
    write HTML.

    >>> print(render_markup("Il s'agit de :\\n- diffuser ;\\n- **organiser**."))
    <p>Il s&#x27;agit de :</p>
    <ul><li>diffuser ;</li><li><strong>organiser</strong>.</li></ul>
    >>> print(render_markup("| Année | Montant |\\n|---|---|\\n| 2016 | 30 000 € |"))
    ... # doctest: +ELLIPSIS
    <table class="markup-table"><thead><tr><th scope="col">Année</th>...<td>30 000 €</td>...
    """
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    rows: list[str] = []
    list_tag = None

    def flush_table():
        if rows:
            blocks.append(_table(rows))
            rows.clear()

    def flush_paragraph():
        if paragraph:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            inner = "".join(f"<li>{_inline(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}>{inner}</{list_tag}>")
            items.clear()
        list_tag = None

    for line in (text or "").replace("\r\n", "\n").split("\n"):
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if _TABLE_ROW.match(line):
            flush_paragraph()
            flush_list()
            rows.append(line)
            continue
        flush_table()
        if not line.strip():
            flush_paragraph()
            flush_list()
        elif bullet or numbered:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append(line[(bullet or numbered).end() :])
        else:
            flush_list()
            paragraph.append(line.strip())
    flush_table()
    flush_paragraph()
    flush_list()
    return mark_safe("\n".join(blocks))


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner)]


def _table(lines: list[str]) -> str:
    """A table of the markup: rows of cells between "|"; a rule of "---" under the first
    row makes it the header. Rows shorter than the widest are completed."""
    rows = [_cells(line) for line in lines]
    header = None
    if len(rows) > 1 and all(_TABLE_RULE.match(cell) for cell in rows[1]):
        header, rows = rows[0], rows[2:]
    width = max(len(row) for row in ([header] if header else []) + rows) if rows or header else 0
    html = ['<table class="markup-table">']
    if header:
        cells = "".join(
            f'<th scope="col">{_inline(c)}</th>' for c in header + [""] * (width - len(header))
        )
        html.append(f"<thead><tr>{cells}</tr></thead>")
    html.append("<tbody>")
    for row in rows:
        cells = "".join(f"<td>{_inline(c)}</td>" for c in row + [""] * (width - len(row)))
        html.append(f"<tr>{cells}</tr>")
    html.append("</tbody></table>")
    return "".join(html)
