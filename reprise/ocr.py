"""Optical character recognition in French: Tesseract (Debian's tesseract-ocr and
tesseract-ocr-fra), pages rendered by poppler's pdftoppm. Nothing leaves the server.

Chosen over OCRmyPDF: we need the text, not a searchable PDF, and the Tesseract binary alone
does it, where OCRmyPDF brings Ghostscript and a pipeline of its own. Tesseract is called
directly rather than through pytesseract, because it must run with OMP_THREAD_LIMIT=1: its
OpenMP threads fight over the two cores and make a page 4 times slower (16 s instead of 4 s,
measured on the seed conventions); two pages are read at once instead.

Pages are rendered at 300 dpi in grey, Tesseract's preferred input.
"""

import io
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .enums import ReadMethod
from .reading import UnreadableDocument, require_text

RENDER_DPI = 300
LANGUAGE = "fra"
# Tesseract reads a page in 2 to 5 seconds; two minutes means something is wrong with it.
PAGE_TIMEOUT = 120
# Larger images are refused before decoding (Pillow's decompression-bomb guard is 89 Mpx).
MAX_PIXELS = 80_000_000
WORKERS = min(2, os.cpu_count() or 1)

NO_TEXT_IN_IMAGE = (
    "Aucun texte n'a pu être reconnu dans cette image : vérifiez qu'il s'agit bien de la "
    "numérisation d'un document, lisible et à l'endroit."
)


@dataclass
class OcrText:
    pages: list[str]
    method: ReadMethod
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


def tesseract(image_path: Path) -> str:
    """The French text of the image file at `image_path`."""
    try:
        result = subprocess.run(
            ["tesseract", str(image_path), "stdout", "-l", LANGUAGE],
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(
            "La reconnaissance de caractères a pris trop de temps sur une page : le document "
            "est-il une image de très grande taille ?"
        ) from None
    except FileNotFoundError:
        raise UnreadableDocument(
            "La reconnaissance de caractères n'est pas installée sur le serveur (Tesseract) : "
            "prévenez l'administrateur."
        ) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()[-200:]
        raise UnreadableDocument(f"La reconnaissance de caractères a échoué : {message}")
    return result.stdout.decode("utf-8", errors="replace").strip("\n")


def read_image(data: bytes, kind: str) -> OcrText:
    """A scanned page saved as a JPEG or PNG image."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise UnreadableDocument(
                "L'image est trop grande pour être lue (plus de 80 millions de pixels)."
            )
        image.load()
    except UnreadableDocument:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        label = "PNG" if kind == "png" else "JPEG"
        raise UnreadableDocument(
            f"L'image {label} est endommagée et ne peut pas être lue."
        ) from None
    with tempfile.TemporaryDirectory(prefix="reprise-ocr-") as tmp:
        path = Path(tmp) / "image.png"
        prepare(image).save(path)
        text = tesseract(path)
    require_text([text], NO_TEXT_IN_IMAGE)
    return OcrText(pages=[text], method=ReadMethod.OCR, ocr_pages=[1])


def prepare(image):
    """Grey levels, no transparency: what Tesseract reads best. A low-resolution photo is
    enlarged so that letters are at least about 20 pixels high."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    image = image.convert("L")
    if image.width < 1500:
        scale = 1500 / image.width
        image = image.resize((1500, round(image.height * scale)), Image.LANCZOS)
    return image


def ocr_pdf_pages(path: Path, numbers: list[int]) -> dict[int, str]:
    """The OCR text of the pages `numbers` (1-based) of the PDF at `path`."""
    with tempfile.TemporaryDirectory(prefix="reprise-ocr-") as tmp:

        def read_page(number: int) -> str:
            prefix = Path(tmp) / f"page-{number}"
            try:
                subprocess.run(
                    ["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-png", "-singlefile",
                     "-f", str(number), "-l", str(number), str(path), str(prefix)],
                    capture_output=True, timeout=PAGE_TIMEOUT, check=True,
                )  # fmt: skip
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                raise UnreadableDocument(
                    f"La page {number} du PDF ne peut pas être convertie en image pour la "
                    "reconnaissance de caractères : le fichier est sans doute endommagé."
                ) from None
            return tesseract(Path(f"{prefix}.png"))

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return dict(zip(numbers, pool.map(read_page, numbers), strict=True))
