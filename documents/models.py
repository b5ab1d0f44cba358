"""The signed documents kept for a convention or an avenant: generated PDF/A and scans."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from conventions.models import Amendment, Convention

from .enums import DocumentKind

# The folder of the default storage (MEDIA_ROOT) that holds every signed document's file.
SIGNED_FOLDER = "conventions"


def signed_document_path(instance, filename):
    return f"{SIGNED_FOLDER}/{instance.convention.reference}/{filename}"


class SignedDocumentQuerySet(models.QuerySet):
    def generated(self):
        return self.filter(kind=DocumentKind.GENERATED)

    def scans(self):
        return self.filter(kind=DocumentKind.SCAN)

    def for_partners(self):
        """What the portal may offer of a (visible) convention's stored documents: the
        generated signed PDFs, which hold the text every party signed, and the scans staff
        chose to share; never a document of an avenant not yet signed."""
        return self.filter(
            Q(kind=DocumentKind.GENERATED) | Q(shared_with_partners=True),
            Q(amendment__isnull=True) | Q(amendment__signed_on__isnull=False),
        )


class SignedDocument(models.Model):
    """A signed PDF, kept as stored: never regenerated, never changed (see `documents.py`).

    The generated one is written once, when the last party signs; scans of the paper copy
    signed by hand are kept next to it. `sha256` fingerprints the stored bytes.
    """

    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        related_name="signed_documents",
        verbose_name="convention",
    )
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_documents",
        verbose_name="avenant",
        help_text="Vide : le document de la convention elle-même.",
    )
    kind = models.CharField("nature", max_length=10, choices=DocumentKind)
    file = models.FileField("fichier", upload_to=signed_document_path, max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("taille (octets)")
    sealed = models.BooleanField("scellé", default=False)
    # A scan may carry handwritten notes or internal stamps: staff share it on purpose.
    # The generated PDF is always offered to the parties (see `for_partners`).
    shared_with_partners = models.BooleanField(
        "partagé avec les partenaires",
        default=False,
        help_text="Coché : les partenaires parties à la convention téléchargent ce scan sur "
        "leur portail. Le PDF signé généré leur est toujours proposé.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = SignedDocumentQuerySet.as_manager()

    class Meta:
        db_table = "conventions_signeddocument"  # moved from conventions, table kept
        verbose_name = "document signé"
        verbose_name_plural = "documents signés"
        ordering = ["convention", "amendment", "kind", "created_at", "pk"]
        constraints = [
            # Generated once: one generated PDF per convention, one per avenant.
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(kind=DocumentKind.GENERATED, amendment__isnull=True),
                name="signed_document_one_generated_per_convention",
            ),
            models.UniqueConstraint(
                fields=["amendment"],
                condition=Q(kind=DocumentKind.GENERATED, amendment__isnull=False),
                name="signed_document_one_generated_per_amendment",
            ),
            # The same file is not filed twice for a convention.
            models.UniqueConstraint(
                fields=["convention", "sha256"], name="signed_document_unique_content"
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="signed_document_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="signed_document_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.convention.reference}"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def matches_fingerprint(self) -> bool:
        """Whether the stored bytes still hash to the fingerprint taken when they were filed."""
        return hashlib.sha256(self.read()).hexdigest() == self.sha256

    @property
    def download_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
