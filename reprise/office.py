"""Word (.docx) and OpenDocument (.odt) files: zip containers of XML.

Both are checked as zips before any XML is parsed: a zip bomb (a few kilobytes that expand
to gigabytes) is refused from the sizes the zip declares and, since those can lie, by
counting the bytes actually decompressed, stopping at the limit.

The body is read in document order, paragraphs and tables alike, because conventions put
parties, signature blocks and annexes in tables. Headers and footers are kept apart: they
repeat on every page and would break the articles.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from .enums import ReadMethod
from .reading import UnreadableDocument, require_text

# Sizes in a zip: more entries than this is not a document.
MAX_ENTRIES = 5000
# A member may expand at most this many times its compressed size once it is large (XML
# compresses about 10 times; a bomb 1,000 times and more).
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024

CORRUPTED_DOCX = "Le document Word (.docx) est endommagé et ne peut pas être lu."
CORRUPTED_ODT = "Le document OpenDocument (.odt) est endommagé et ne peut pas être lu."
ODT_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.text-template",
}


@dataclass
class OfficeText:
    pages: list[str]
    method: ReadMethod
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


def zip_kind(data: bytes) -> str:
    """ "docx" or "odt" for a zip that is one, after the zip-bomb check; else raise."""
    archive = open_zip(data)
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names and archive.read("mimetype").strip() in ODT_MIMETYPES:
        return "odt"
    if "mimetype" in names:
        raise UnreadableDocument(
            "Ce document OpenDocument n'est pas un texte (tableur, présentation...) : seuls "
            "les textes (.odt) sont acceptés."
        )
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        raise UnreadableDocument(
            "Ce document Office n'est pas un texte Word (classeur ou présentation) : seuls "
            "les documents Word (.docx) sont acceptés."
        )
    raise UnreadableDocument(
        "Cette archive zip n'est ni un document Word (.docx) ni un document OpenDocument (.odt)."
    )


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its declared and its real uncompressed sizes are within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise UnreadableDocument(
            "Le document est endommagé : son contenu (une archive zip) ne peut pas être lu."
        ) from None
    limit = settings.REPRISE_MAX_UNZIPPED_BYTES
    if len(members) > MAX_ENTRIES:
        raise zip_bomb()
    declared = sum(member.file_size for member in members)
    if declared > limit:
        raise zip_bomb()
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise zip_bomb()
    # The declared sizes may lie: decompress everything once, counting, stopping at the limit.
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(1024 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise zip_bomb()
    except UnreadableDocument:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        raise UnreadableDocument(
            "Le document est endommagé : une partie de son contenu (archive zip) ne peut "
            "pas être décompressée."
        ) from None
    return archive


def zip_bomb() -> UnreadableDocument:
    return UnreadableDocument(
        "Le document est refusé : une fois décompressé, il serait démesurément volumineux "
        "(archive piégée ou anormale)."
    )


# --- Word ---------------------------------------------------------------------------------


def read_docx(data: bytes) -> OfficeText:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors...
        raise UnreadableDocument(CORRUPTED_DOCX) from None

    pages = [[]]
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            if child.xpath("./w:pPr/w:pageBreakBefore") and pages[-1]:
                pages.append([])
            for text in textbox_texts(child):
                pages[-1].append(text)
            pages[-1].append(docx_paragraph_text(child))
            if child.xpath(".//w:br[@w:type='page']"):
                pages.append([])
        elif child.tag == qn("w:tbl"):
            pages[-1].append(docx_table_text(child))
    headers = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):  # fmt: skip
            if part.is_linked_to_previous and part is not section.header:
                continue
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text and text not in headers:
                headers.append(text)
    texts = [join_blocks(blocks) for blocks in pages]
    require_text(texts, "Le document Word ne contient aucun texte.")
    return OfficeText(pages=texts, method=ReadMethod.DOCX, headers=headers)


def docx_paragraph_text(p) -> str:
    """The text of a <w:p> with its line breaks and tabs, fields and links included, and
    text boxes left out (read apart by `textbox_texts`)."""
    from docx.oxml.ns import qn

    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:txbxContent")):
        if any(a.tag == qn("w:txbxContent") for a in node.iterancestors()):
            continue
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            # A <w:tab> in a paragraph's properties is a tab stop, not a character.
            if node.getparent().tag != qn("w:tabs"):
                parts.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")) and node.get(qn("w:type")) != "page":
            parts.append("\n")
    return "".join(parts)


def textbox_texts(p) -> list[str]:
    """Paragraphs of the text boxes anchored in `p` (cover pages often are text boxes).
    Word writes each box twice, as DrawingML and as a VML fallback: the fallback is skipped."""
    from docx.oxml.ns import qn

    texts = []
    for box in p.iter(qn("w:txbxContent")):
        if any(a.tag.endswith("}Fallback") for a in box.iterancestors()):
            continue
        for inner in box.iter(qn("w:p")):
            texts.append(docx_paragraph_text(inner))
    return texts


def docx_table_text(tbl) -> str:
    """A table, row by row. A row of one-line cells is one line, cells separated by tabs
    (a data table); otherwise each cell is a block of its own, read column after column
    (a signature block: "Pour l'académie / name / title" beside "Pour l'association ...")."""
    from docx.oxml.ns import qn

    rows = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            blocks = []
            for child in tc.iterchildren():
                if child.tag == qn("w:p"):
                    blocks.append(docx_paragraph_text(child))
                elif child.tag == qn("w:tbl"):
                    blocks.append(docx_table_text(child))
            cells.append("\n".join(b for b in blocks if b.strip()).strip())
        rows.append(cells)
    return table_text(rows)


def table_text(rows: list[list[str]]) -> str:
    lines = []
    for cells in rows:
        if all("\n" not in cell for cell in cells):
            line = "\t".join(cells).rstrip()
            if line.strip():
                lines.append(line)
        else:
            lines.extend(f"\n{cell}\n" for cell in cells if cell)
    return "\n".join(lines).strip("\n")


def join_blocks(blocks: list[str]) -> str:
    """Paragraphs separated by a blank line, as a plain-text convention is written; empty
    paragraphs (spacing) dropped."""
    return "\n\n".join(block.strip("\n") for block in blocks if block.strip())


# --- OpenDocument -------------------------------------------------------------------------


def read_odt(data: bytes) -> OfficeText:
    from odf.opendocument import load

    archive = zipfile.ZipFile(io.BytesIO(data))
    if "META-INF/manifest.xml" in archive.namelist() and (
        b"encryption-data" in archive.read("META-INF/manifest.xml")
    ):
        raise UnreadableDocument(
            "Le document OpenDocument est protégé par un mot de passe : enregistrez-le sans "
            "protection, puis déposez-le de nouveau."
        )
    try:
        document = load(io.BytesIO(data))
        blocks = [block for node in document.text.childNodes for block in odt_blocks(node)]
        headers = odt_headers(document)
    except UnreadableDocument:
        raise
    except Exception:  # odfpy raises xml.sax errors, KeyError, AttributeError...
        raise UnreadableDocument(CORRUPTED_ODT) from None
    text = join_blocks(blocks)
    require_text([text], "Le document OpenDocument ne contient aucun texte.")
    return OfficeText(pages=[text], method=ReadMethod.ODT, headers=headers)


def odt_blocks(node) -> list[str]:
    """The paragraphs under `node`, in order: headings, paragraphs, list items ("- "),
    tables (as `table_text`), sections and frames recursed into."""
    qname = getattr(node, "qname", None)
    if qname is None:
        return []
    _, tag = qname
    if tag in ("p", "h"):
        return [*odt_frames(node), odt_text(node)]
    if tag == "list":
        blocks = []
        for item in node.childNodes:
            for i, block in enumerate(b for child in item.childNodes for b in odt_blocks(child)):
                blocks.append(f"- {block}" if i == 0 and not block.startswith("- ") else block)
        return blocks
    if tag == "table":
        rows = []
        for row in iter_tags(node, "table-row", ROW_GROUPS):
            cells = []
            for cell in row.childNodes:
                if getattr(cell, "qname", (None, None))[1] == "table-cell":
                    parts = [b for child in cell.childNodes for b in odt_blocks(child)]
                    cells.append("\n".join(p for p in parts if p.strip()).strip())
            rows.append(cells)
        return [table_text(rows)]
    if tag in ("section", "frame", "text-box", "list-item", "list-header", "index-body",
               "table-of-content", "alphabetical-index", "illustration-index"):  # fmt: skip
        return [b for child in node.childNodes for b in odt_blocks(child)]
    return []


def odt_frames(paragraph) -> list[str]:
    """Text boxes anchored in a paragraph (draw:frame / draw:text-box)."""
    blocks = []
    for frame in iter_tags(paragraph, "text-box", INLINE):
        blocks += [b for child in frame.childNodes for b in odt_blocks(child)]
    return blocks


def iter_tags(node, name: str, through: set[str]):
    """Children of `node` named `name`, looking inside the children named in `through`."""
    for child in node.childNodes:
        tag = getattr(child, "qname", (None, None))[1]
        if tag == name:
            yield child
        elif tag in through:
            yield from iter_tags(child, name, through)


ROW_GROUPS = {"table-header-rows", "table-rows", "table-row-group"}
INLINE = {"span", "a", "frame", "meta"}


def odt_text(node) -> str:
    """A paragraph's text: spaces (text:s), tabs, line breaks; notes and frames left out."""
    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
            continue
        tag = child.qname[1]
        if tag == "s":
            parts.append(" " * int(child.getAttribute("c") or 1))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag in ("note", "frame", "annotation", "bookmark", "soft-page-break"):
            continue
        else:
            parts.append(odt_text(child))
    return "".join(parts)


def odt_headers(document) -> list[str]:
    headers = []
    for style in document.masterstyles.childNodes:
        for part in style.childNodes:
            if getattr(part, "qname", (None, None))[1] in ("header", "footer"):
                text = "\n".join(b for child in part.childNodes for b in odt_blocks(child))
                if text.strip() and text.strip() not in headers:
                    headers.append(text.strip())
    return headers
