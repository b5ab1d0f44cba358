from django.conf import settings
from django.db import models


class DocumentDownload(models.Model):
    """One download of a signed document from the partner portal: who, when, which file.

    `document` is the stored file when there is one; a convention signed before the
    application existed has none, and the portal serves its printed signed text, named by
    `file_name` and fingerprinted by `sha256` like a stored one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="portal_downloads",
        verbose_name="utilisateur",
    )
    username = models.CharField(
        "identifiant", max_length=150, help_text="Gardé si le compte est supprimé."
    )
    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.PROTECT,
        related_name="portal_downloads",
        verbose_name="convention",
    )
    amendment = models.ForeignKey(
        "conventions.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_downloads",
        verbose_name="avenant",
    )
    document = models.ForeignKey(
        "documents.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_downloads",
        verbose_name="document enregistré",
        help_text="Vide : le texte signé imprimé à la demande.",
    )
    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    downloaded_at = models.DateTimeField("téléchargé le", auto_now_add=True)

    class Meta:
        verbose_name = "téléchargement (portail)"
        verbose_name_plural = "téléchargements (portail)"
        ordering = ["-downloaded_at", "-pk"]
        indexes = [
            # "Who downloaded this convention's documents?", newest first.
            models.Index(fields=["convention", "-downloaded_at"], name="download_convention_at"),
        ]

    def __str__(self):
        return f"{self.username} — {self.file_name}"
