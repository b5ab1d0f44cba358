from django.db import models


class DocumentKind(models.TextChoices):
    """A stored signed document: the PDF the application generated, or a scan of the paper."""

    GENERATED = "generated", "PDF signé généré"
    SCAN = "scan", "Scan de l'exemplaire papier signé"


class SealState(models.TextChoices):
    """What the check of a stored PDF's seal found (shown on the convention page)."""

    VALID = "valid", "Sceau valide"
    INVALID = "invalid", "Sceau invalide : le document a été modifié"
    UNTRUSTED = "untrusted", "Sceau intact, certificat non reconnu"
    ABSENT = "absent", "Document non scellé"
