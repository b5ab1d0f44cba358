"""Make real documents from a plain text, as a convention's author would have: a Word file
(python-docx), an OpenDocument file (odfpy), a PDF with a text layer (WeasyPrint) and a scan
of that PDF (pages rasterised at 200 dpi, assembled into an image-only PDF by Pillow).

The text is the plain form of the seed conventions: paragraphs separated by a blank line,
line breaks kept inside a paragraph, `**bold**`, and blocks whose every line holds a tab
are tables (the sommaire of seed 004, the annexes' tables).
"""

import html
import io
import re
import subprocess
import tempfile
from pathlib import Path

BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def blocks(text: str) -> list[tuple[str, object]]:
    """("table", rows) or ("paragraph", lines) for each block of `text`."""
    result = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all("\t" in line for line in lines):
            result.append(("table", [line.split("\t") for line in lines]))
        else:
            result.append(("paragraph", lines))
    return result


def runs(line: str) -> list[tuple[str, bool]]:
    """(text, bold) pieces of a paragraph; bold may span its line breaks."""
    pieces, last = [], 0
    for match in BOLD.finditer(line):
        pieces.append((line[last : match.start()], False))
        pieces.append((match.group(1), True))
        last = match.end()
    pieces.append((line[last:], False))
    return [(t, b) for t, b in pieces if t]


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, content in blocks(text):
        if kind == "table":
            width = max(len(row) for row in content)
            table = document.add_table(rows=len(content), cols=width)
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = BOLD.sub(r"\1", cell)
            continue
        paragraph = document.add_paragraph()
        for piece, bold in runs("\n".join(content)):
            for i, line in enumerate(piece.split("\n")):
                if i:
                    paragraph.add_run().add_break()
                if line:
                    paragraph.add_run(line).bold = bold
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import LineBreak, P, Span

    document = OpenDocumentText()
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(strong)
    for kind, content in blocks(text):
        if kind == "table":
            width = max(len(row) for row in content)
            table = Table()
            table.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in content:
                tr = TableRow()
                for cell in row + [""] * (width - len(row)):
                    tc = TableCell()
                    tc.addElement(P(text=BOLD.sub(r"\1", cell)))
                    tr.addElement(tc)
                table.addElement(tr)
            document.text.addElement(table)
            continue
        paragraph = P()
        for piece, bold in runs("\n".join(content)):
            for i, line in enumerate(piece.split("\n")):
                if i:
                    paragraph.addElement(LineBreak())
                if line and bold:
                    paragraph.addElement(Span(stylename=strong, text=line))
                elif line:
                    paragraph.addText(line)
        document.text.addElement(paragraph)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


CSS = """
@page { size: A4; margin: 2cm 2.2cm; }
body { font-family: "Liberation Serif", serif; font-size: 11pt; line-height: 1.3; }
p { margin: 0 0 0.6em; }
table { border-collapse: collapse; margin: 0 0 0.8em; }
td { border: 0.5pt solid #444; padding: 2pt 4pt; vertical-align: top; font-size: 10pt; }
"""


def to_html(text: str) -> str:
    parts = []
    for kind, content in blocks(text):
        if kind == "table":
            rows = "".join(
                "<tr>"
                + "".join(f"<td>{html.escape(BOLD.sub(r'\1', c))}</td>" for c in row)
                + "</tr>"
                for row in content
            )
            parts.append(f"<table>{rows}</table>")
            continue
        inner = "".join(
            f"<strong>{html.escape(t)}</strong>" if b else html.escape(t)
            for t, b in runs("\n".join(content))
        )
        parts.append("<p>" + inner.replace("\n", "<br>") + "</p>")
    body = "\n".join(parts)
    return f"<html lang='fr'><head><style>{CSS}</style></head><body>{body}</body></html>"


def to_pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(text)).write_pdf()


def to_scan(pdf: bytes, dpi: int = 200) -> bytes:
    """An image-only PDF: each page of `pdf` rasterised at `dpi` in grey, as a scanner
    would, with no text layer left."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "text.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")],
            check=True,
        )
        images = [Image.open(path) for path in sorted(Path(tmp).glob("p-*.png"))]
        out = io.BytesIO()
        images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
        for image in images:
            image.close()
    return out.getvalue()
