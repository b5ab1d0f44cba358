"""References of a convention outside the application: a partner's own number (« Accord N°
CNES/90552 »), its publication (NOR, BO)."""

from django.db import models
from simple_history.models import HistoricalRecords

from .convention import Convention


class ExternalReference(models.Model):
    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="external_references",
        verbose_name="convention",
    )
    label = models.CharField(
        "nature", max_length=80, help_text="« N° CNES », « NOR », « BO », « Réf. région »."
    )
    value = models.CharField("référence", max_length=200, help_text="« CNES/90552 ».")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "référence externe"
        verbose_name_plural = "références externes"
        ordering = ["convention", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "label", "value"],
                name="external_reference_unique",
                violation_error_message="Cette référence est déjà enregistrée.",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.value}"
