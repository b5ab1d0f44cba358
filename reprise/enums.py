from django.db import models


class ReadMethod(models.TextChoices):
    """How the text of an imported document was obtained: it tells staff how much to trust
    it (a scan read by OCR has misread letters; a text layer has none)."""

    DOCX = "docx", "Document Word (.docx)"
    ODT = "odt", "Document OpenDocument (.odt)"
    PDF_TEXT = "pdf_text", "PDF, couche texte"
    PDF_MIXED = "pdf_mixed", "PDF, couche texte et reconnaissance de caractères"
    OCR = "ocr", "Reconnaissance de caractères (OCR)"
