"""Speed of the reprise (`make bench-reprise`, a step of `make bench`; issue 18): 100 text
documents through `import_documents --dry-run`, and the OCR of a 10-page scan, on this
machine. The documents are made from the five seed texts as the accuracy test makes them
(`reprise/tests/documents.py`: python-docx, odfpy, WeasyPrint, a scan rasterised at 200 dpi);
making them is not timed.
"""

import io
import json
import tempfile
import time
from pathlib import Path

from django.core.management import call_command

from reprise.reading import read_document
from reprise.tests import documents

FIXTURES = Path(__file__).resolve().parent.parent / "reprise" / "tests" / "fixtures"
# Issue 18's targets on the 2-core machine.
DRY_RUN_TARGET_S = 60
OCR_TARGET_S = 90


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("seed_*.txt"))]


def dry_run(count: int) -> dict:
    """`count` documents (.docx, .odt and text PDFs in turn, each seed text with its own
    number so that no two are the same file) through `import_documents --dry-run --json`."""
    texts = seed_texts()
    makers = [("docx", documents.to_docx), ("odt", documents.to_odt), ("pdf", documents.to_pdf)]
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            suffix, make = makers[index % len(makers)]
            text = texts[index % len(texts)] + f"\n\nExemplaire n° {index + 1}"
            Path(folder, f"{index:03d}.{suffix}").write_bytes(make(text))
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        call_command("import_documents", folder, "--dry-run", "--json", stdout=out, stderr=err)
        seconds = time.perf_counter() - start
    items = json.loads(out.getvalue())
    return {
        "step": f"{count} documents texte, import_documents --dry-run",
        "seconds": round(seconds, 1),
        "target_s": DRY_RUN_TARGET_S if count >= 100 else None,
        "files": len(items),
        "errors": sum(1 for item in items if item.get("error")),
    }


def scan(pages: int) -> dict:
    """The OCR of a scan of `pages` pages (the seed texts, rasterised at 200 dpi)."""
    pdf = documents.to_pdf("\n\n".join(seed_texts()))
    from pypdf import PdfReader, PdfWriter

    reader, writer = PdfReader(io.BytesIO(pdf)), PdfWriter()
    for page in reader.pages[:pages]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    data = documents.to_scan(out.getvalue())
    start = time.perf_counter()
    result = read_document("scan.pdf", data)
    seconds = time.perf_counter() - start
    return {
        "step": f"OCR d'un scan de {len(result.pages)} pages",
        "seconds": round(seconds, 1),
        "target_s": OCR_TARGET_S if pages >= 10 else None,
        "files": 1,
        "errors": 0,
    }
