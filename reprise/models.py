"""An imported document (`DocumentImport`): the original file, stored once, what was read
from it, the convention proposed, what staff corrected, and the convention it became."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from conventions.models import Convention

from .enums import ImportSource, ImportState, ReadMethod

# The folder of the default storage (MEDIA_ROOT) that holds the imported originals.
IMPORT_FOLDER = "reprise"

# What the content is (`reading.detect_kind`), as shown to staff.
KIND_LABELS = {
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
    "pdf": "PDF",
    "png": "Image PNG",
    "jpeg": "Image JPEG",
}
# The originals a browser shows itself (the review page puts them beside the facts); Word
# and OpenDocument files are downloaded, and their text is shown instead.
INLINE_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
CONTENT_TYPES = {
    **INLINE_TYPES,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def import_path(instance, filename):
    # Named by fingerprint: the same bytes are never stored twice (`sha256` is unique).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{IMPORT_FOLDER}/{instance.sha256[:2]}/{instance.sha256}.{extension[:8]}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentImportQuerySet(models.QuerySet):
    def open(self):
        """Not yet turned into a convention nor set aside."""
        return self.exclude(state__in=[ImportState.CONFIRMED, ImportState.REJECTED])


class DocumentImport(models.Model):
    """One imported file and the convention proposed from it (docs/import.md)."""

    file = models.FileField("fichier original", upload_to=import_path, max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    kind = models.CharField("nature du contenu", max_length=10, blank=True)
    method = models.CharField("lu par", max_length=10, choices=ReadMethod, blank=True)
    source = models.CharField(
        "origine", max_length=12, choices=ImportSource, default=ImportSource.UPLOAD
    )
    state = models.CharField(
        "état", max_length=10, choices=ImportState, default=ImportState.PENDING
    )
    error = models.TextField("erreur", blank=True)
    # The text read, page by page (the evidence's offsets point into "\f".join(pages)).
    pages = models.JSONField("texte lu, par page", default=list, blank=True)
    # `Extraction.as_dict()`: the proposed convention, the evidence, warnings and hints.
    extraction = models.JSONField("proposition", null=True, blank=True)
    # The facts of a spreadsheet row (format keys): they win over the extracted ones.
    listed_facts = models.JSONField("faits du tableau", default=dict, blank=True)
    # What the reviewer typed, as the form's data, kept when a confirmation is refused.
    corrections = models.JSONField("corrections", default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vérifié par",
    )
    reviewed_at = models.DateTimeField("vérifié le", null=True, blank=True)
    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name="convention créée",
    )

    history = HistoricalRecords(excluded_fields=["pages", "extraction"])
    objects = DocumentImportQuerySet.as_manager()

    class Meta:
        verbose_name = "document importé"
        verbose_name_plural = "documents importés"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Stored once: the same file again is refused with a link to the first.
            models.UniqueConstraint(fields=["sha256"], name="document_import_unique_content"),
            models.CheckConstraint(condition=Q(size__gte=1), name="document_import_not_empty"),
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values), name="document_import_state_valid"
            ),
            # Confirmed exactly when a convention was created from it.
            models.CheckConstraint(
                condition=Q(state=ImportState.CONFIRMED, convention__isnull=False)
                | (~Q(state=ImportState.CONFIRMED) & Q(convention__isnull=True)),
                name="document_import_confirmed_has_convention",
            ),
        ]
        indexes = [
            # The list page: newest first (`ordering`).
            models.Index(fields=["-created_at", "-id"], name="document_import_newest"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    @property
    def shown_inline(self) -> bool:
        """The browser shows the original itself (PDF, image): else its text is shown."""
        return self.kind in INLINE_TYPES

    @property
    def is_open(self) -> bool:
        return self.state == ImportState.TO_REVIEW

    def corrections_data(self):
        """What the reviewer typed, as the form's data (a QueryDict)."""
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        for key, values in self.corrections.items():
            data.setlist(key, values)
        return data

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
