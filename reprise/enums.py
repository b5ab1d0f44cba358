from django.db import models


class ReadMethod(models.TextChoices):
    """How the text of an imported document was obtained: it tells staff how much to trust
    it (a scan read by OCR has misread letters; a text layer has none)."""

    DOCX = "docx", "Document Word (.docx)"
    ODT = "odt", "Document OpenDocument (.odt)"
    PDF_TEXT = "pdf_text", "PDF, couche texte"
    PDF_MIXED = "pdf_mixed", "PDF, couche texte et reconnaissance de caractères"
    OCR = "ocr", "Reconnaissance de caractères (OCR)"


class ImportState(models.TextChoices):
    """Where an imported document stands. An upload waits for the worker (`PENDING`), is
    read and its facts extracted (`READING`), then staff check the proposal (`TO_REVIEW`)
    and either create the convention (`CONFIRMED`) or set it aside (`REJECTED`). A file
    that cannot be read, or whose text is not a convention, is `FAILED` with its message."""

    PENDING = "pending", "En attente"
    READING = "reading", "Lecture en cours"
    TO_REVIEW = "to_review", "À vérifier"
    CONFIRMED = "confirmed", "Confirmé"
    REJECTED = "rejected", "Rejeté"
    FAILED = "failed", "En erreur"


class ImportSource(models.TextChoices):
    """How a document came in: the upload page, `import_documents` on a folder, or a row of
    a spreadsheet listing the conventions (whose facts win over those read in the file)."""

    UPLOAD = "upload", "Dépôt sur la page de reprise"
    COMMAND = "command", "Commande import_documents"
    SPREADSHEET = "spreadsheet", "Tableau (CSV, XLSX)"
