"""Reading documents into text, and refusing what cannot be read with a French message
(issue 18, point 5): every bad input has its test here."""

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from reprise.enums import ReadMethod
from reprise.extraction import extract
from reprise.reading import UnreadableDocument, read_document
from reprise.tests import documents

TEXT = """CONVENTION DE PARTENARIAT

Entre les soussignés

l'académie d'Aix-Marseille, représentée par **Bernard Beignier**, recteur,

d'une part,

et

l'association Exemple, représentée par sa présidente, Madame Anne MARTIN,

d'autre part,

Article 1 – Objet
La présente convention est conclue pour une durée de trois ans.

Sommaire\tp 2

Fait à Marseille, le 3 juin 2019"""


def test_a_docx_is_read_paragraphs_and_tables_in_order():
    result = read_document("convention.docx", documents.to_docx(TEXT))
    assert result.method == ReadMethod.DOCX and result.kind == "docx"
    text = result.text
    assert "représentée par Bernard Beignier, recteur," in text
    assert text.index("Article 1 – Objet") < text.index("Sommaire\tp 2") < text.index("Fait à")
    assert result.warnings == []


def test_docx_headers_and_footers_are_kept_apart():
    import docx

    document = docx.Document(io.BytesIO(documents.to_docx(TEXT)))
    document.sections[0].footer.paragraphs[0].text = "Convention – page 1"
    out = io.BytesIO()
    document.save(out)
    result = read_document("convention.docx", out.getvalue())
    assert result.headers == ["Convention – page 1"]
    assert "page 1" not in result.text


def test_an_odt_is_read_with_its_tables():
    result = read_document("convention.odt", documents.to_odt(TEXT))
    assert result.method == ReadMethod.ODT
    assert "Sommaire\tp 2" in result.text
    assert "Madame Anne MARTIN" in result.text


def test_a_pdf_with_a_text_layer_is_read_page_by_page():
    result = read_document("convention.pdf", documents.to_pdf(TEXT + "\n\n" + TEXT))
    assert result.method == ReadMethod.PDF_TEXT and result.ocr_pages == []
    assert "représentée par Bernard Beignier, recteur," in result.text
    assert len(result.pages) >= 1


def test_the_content_decides_not_the_name():
    result = read_document("convention.pdf", documents.to_docx(TEXT))
    assert result.kind == "docx"
    assert result.warnings == [
        "L'extension « .pdf » ne correspond pas au contenu, lu comme Word (.docx)."
    ]


def test_a_scanned_image_is_read_by_ocr_in_french():
    pdf = documents.to_pdf("Fait à Marseille, le 3 juin 2019\n\nreprésentée par sa présidente")
    scan = documents.to_scan(pdf, dpi=200)
    result = read_document("scan.pdf", scan)
    assert result.method == ReadMethod.OCR and result.ocr_pages == [1]
    assert "Fait à Marseille, le 3 juin 2019" in result.text
    assert "représentée" in result.text


def test_a_png_is_read_by_ocr():
    from PIL import Image

    scan = documents.to_scan(documents.to_pdf("Un préavis de trois mois est requis."), dpi=200)
    image = next(iter(PdfReader(io.BytesIO(scan)).pages[0].images)).image
    out = io.BytesIO()
    image.crop((0, 0, image.width, image.height // 6)).save(out, "PNG")
    result = read_document("page.png", out.getvalue())
    assert result.kind == "png" and result.method == ReadMethod.OCR
    assert "Un préavis de trois mois est requis." in result.text
    assert Image  # Pillow is what reads the image


# --- bad input ----------------------------------------------------------------------------


def refused(name: str, data: bytes) -> str:
    with pytest.raises(UnreadableDocument) as error:
        read_document(name, data)
    return str(error.value)


def test_an_empty_file_is_refused():
    assert refused("vide.pdf", b"") == "Le fichier est vide."


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.REPRISE_MAX_UPLOAD_BYTES = 1000
    message = refused("gros.docx", documents.to_docx(TEXT))
    assert message.startswith("Le fichier dépasse la taille maximale acceptée (")
    assert "0,0 Mo au plus" in message


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=io.BytesIO(documents.to_pdf(TEXT)))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    assert "protégé par un mot de passe" in refused("convention.pdf", out.getvalue())


def test_a_pdf_locked_only_against_copying_is_read():
    """Encrypted with an empty user password (restrictions only), as many exported PDFs:
    any viewer opens it, so do we."""
    writer = PdfWriter(clone_from=io.BytesIO(documents.to_pdf(TEXT)))
    writer.encrypt(user_password="", owner_password="owner", permissions_flag=0)
    out = io.BytesIO()
    writer.write(out)
    assert "Bernard Beignier" in read_document("convention.pdf", out.getvalue()).text


def test_a_corrupted_pdf_is_refused():
    pdf = documents.to_pdf(TEXT)
    broken = pdf[:200] + bytes(range(256)) * 20 + pdf[-100:]
    assert refused("convention.pdf", broken) == "Le PDF est endommagé et ne peut pas être lu."


def test_a_truncated_pdf_is_refused():
    assert "endommagé" in refused("convention.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")


def test_a_corrupted_docx_is_refused():
    data = bytearray(documents.to_docx(TEXT))
    middle = len(data) // 2
    data[middle : middle + 400] = b"\x00" * 400
    assert "endommagé" in refused("convention.docx", bytes(data))


def test_a_zip_that_is_no_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "bonjour")
    assert "ni un document Word" in refused("convention.docx", out.getvalue())


def test_a_zip_bomb_docx_is_refused_before_it_is_read(settings):
    """A few hundred kilobytes that would expand to more than the limit (here lowered to
    8 MB, 200 MB in production) are refused from the zip's sizes, before any XML is read."""
    settings.REPRISE_MAX_UNZIPPED_BYTES = 8 * 1024 * 1024
    source = zipfile.ZipFile(io.BytesIO(documents.to_docx(TEXT)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("word/media/padding.xml", b"\x00" * (20 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 100_000
    assert "démesurément volumineux" in refused("convention.docx", data)


def test_a_highly_compressed_member_is_refused_even_under_the_total_limit():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (5 * 1024 * 1024))
    assert "démesurément volumineux" in refused("convention.docx", out.getvalue())


def test_an_image_without_text_is_refused():
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1200, 1600), "white").save(out, "PNG")
    assert "Aucun texte n'a pu être reconnu" in refused("photo.png", out.getvalue())


def test_a_blank_scanned_pdf_is_refused():
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1654, 2339), "white").save(out, "PDF", resolution=200)
    assert "Aucun texte n'a pu être lu dans ce PDF" in refused("scan.pdf", out.getvalue())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Convention de partenariat\n", "Type de fichier non pris en charge"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word 97-2003 (.doc)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "protégé par un mot de passe",
        ),
        (b"{\\rtf1\\ansi Convention}", "Format RTF non pris en charge"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "L'image PNG est endommagée"),
    ],
)
def test_unsupported_or_broken_types_are_refused(data, expected):
    assert expected in refused("convention.doc", data)


def test_a_text_that_is_not_a_convention_is_flagged():
    text = read_document(
        "courrier.docx",
        documents.to_docx(
            "Madame, Monsieur,\n\nNous vous remercions de votre courrier du 3 mars et vous "
            "prions d'agréer nos salutations distinguées.\n\nLe service des achats"
        ),
    ).text
    warnings = extract(text).warnings
    assert warnings[0].startswith("Ce texte ne ressemble pas à une convention : titre, parties,")
    assert (
        "Durée introuvable : ni durée, ni date de fin, ni années scolaires ; la convention "
        "sera « à compléter »." in warnings
    )
