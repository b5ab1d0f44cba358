"""Every printed document is a tagged PDF (WeasyPrint's `pdf_tags`): a structure tree in
reading order, the language of the text (/Lang fr) and its title shown as the window's title
(DisplayDocTitle), so that a screen reader announces the document and reads its articles in
order. The signed copy stays PDF/A-3b (the `a` level is not claimed: documents/printing.py,
ARCHIVAL_VARIANT)."""

import subprocess
import tempfile
from io import BytesIO

import pikepdf
import pytest
from pypdf import PdfReader

from conventions.models import Amendment, Convention
from documents import printing, review
from documents.signed import store_signed_pdf
from tests.pdftext import find_in_order, normalise

pytestmark = pytest.mark.django_db

SEEDS = [
    "ORM-DONNEES",
    "CITE-METIERS",
    "CGPME-AGEFA",
    "METROPOLE-PE-2018",
    "METROPOLE-PE-DONNEES",
    "CRESS-PACA-2010",
]


def pdfinfo(pdf: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        output = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, text=True, check=True
        ).stdout
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    }


def assert_accessible(pdf: bytes, title: str) -> None:
    assert pdfinfo(pdf)["Tagged"] == "yes"
    document = pikepdf.open(BytesIO(pdf))
    root = document.Root
    assert str(root.Lang) == "fr"
    assert root.ViewerPreferences.DisplayDocTitle is True and root.MarkInfo.Marked is True
    assert str(document.docinfo.Title) == title
    assert "/StructTreeRoot" in root


def tagged_text(pdf: bytes) -> str:
    """The text in the order of the structure tree, as a screen reader reads it: each
    structure element's marked content (page, MCID), the text of each taken from the page."""
    reader = PdfReader(BytesIO(pdf))
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        marked: list = []

        def before(operator, arguments, cm, tm, marked=marked):
            if operator == b"BDC":
                properties = arguments[1] if len(arguments) > 1 else None
                marked.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                marked.append(None)
            elif operator == b"EMC" and marked:
                marked.pop()

        def text(value, cm, tm, font, size, index=index, marked=marked):
            mcid = next((m for m in reversed(marked) if m is not None), None)
            if mcid is not None:
                texts[(index, mcid)] = texts.get((index, mcid), "") + value

        page.extract_text(visitor_operand_before=before, visitor_text=text)

    document = pikepdf.open(BytesIO(pdf))
    pages = {page.objgen: index for index, page in enumerate(document.pages)}
    read = []

    def walk(element, page):
        if isinstance(element, pikepdf.Array):
            for child in element:
                walk(child, page)
        elif isinstance(element, pikepdf.Dictionary):
            if "/Pg" in element:
                page = pages[element.Pg.objgen]
            if "/MCID" in element:  # a marked-content reference
                read.append(texts.get((page, int(element.MCID)), ""))
            elif "/K" in element:
                walk(element.K, page)
        else:  # an MCID on the element's page
            read.append(texts.get((page, int(element)), ""))

    walk(document.Root.StructTreeRoot.K, None)
    return normalise(" ".join(read))


@pytest.mark.parametrize("reference", SEEDS)
def test_every_seed_prints_as_a_tagged_pdf_read_in_the_order_of_its_articles(demo, reference):
    convention = Convention.objects.get(reference=reference)
    pdf = printing.convention_pdf(convention)
    assert_accessible(pdf, convention.title)
    text = tagged_text(pdf)
    headings = [
        normalise(article.heading) for article in convention.numbered_articles() if article.heading
    ]
    find_in_order(text, [convention.parties_intro or "", *headings])


def test_the_avenant_the_review_and_the_stored_signed_copy_are_tagged(demo):
    amendment = Amendment.objects.get(convention__reference="METROPOLE-PE-2018", number=1)
    pdf = printing.amendment_pdf(amendment)
    assert_accessible(pdf, printing.amendment_context(amendment)["document_title"])
    find_in_order(tagged_text(pdf), ["avenant n°1", "entre les soussignés", "fait à"])

    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    pdf = review.review_pdf(convention, 2010)
    assert pdfinfo(pdf)["Tagged"] == "yes"
    with pikepdf.open(BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "fr"

    signed = store_signed_pdf(convention).read()
    assert_accessible(signed, convention.title)
    with pikepdf.open(BytesIO(signed)) as document:
        xmp = document.open_metadata()
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
