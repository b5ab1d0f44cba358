"""The jobs done in the background (docs/tasks.md), each a row that says where it stands, so
that a page can tell « en préparation », « prêt » or « échec » and offer to try again."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import JobState

# The folders of the default storage that hold the rendered PDFs and the exports' files.
RENDER_FOLDER = "pdf-cache"
EXPORT_FOLDER = "exports"


class Render(models.Model):
    """One piece of work per content, however many ask for it (single-flight): its `key`
    is unique, so that twenty requests at once for the same uncached PDF record one row and
    enqueue one task. A PDF's key is the SHA-256 of what it prints (`documents.printing.
    content_key`); a signed PDF's, the document it stores (« signed:convention:12 »)."""

    key = models.CharField("clé", max_length=100, unique=True)
    kind = models.CharField("nature", max_length=40)  # a name of `registry.renderers`
    source = models.TextField("source", blank=True)  # the HTML printed, or the JSON of ids
    state = models.CharField("état", max_length=10, choices=JobState, default=JobState.PENDING)
    file = models.CharField("fichier", max_length=255, blank=True)
    error = models.TextField("erreur", blank=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    # Moved by every change of state: a job left « en attente » or « en cours » long after
    # it (a lost task, a killed worker) is enqueued again when asked for.
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "rendu"
        verbose_name_plural = "rendus"
        indexes = [
            # The purge: the oldest renders first (`services.purge`).
            models.Index(fields=["updated_at"], name="jobs_render_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="jobs_render_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key[:24]} ({self.get_state_display()})"


class Export(models.Model):
    """A CSV export of more rows than a page, written by the worker for the user who asked:
    only they may download it (a 404 for anyone else)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="demandé par",
    )
    kind = models.CharField("nature", max_length=40)  # a name of `registry.exports`
    params = models.TextField("filtres", blank=True)  # the list's query string
    filename = models.CharField("nom du fichier", max_length=100)
    state = models.CharField("état", max_length=10, choices=JobState, default=JobState.PENDING)
    file = models.CharField("fichier", max_length=255, blank=True)
    rows = models.PositiveIntegerField("lignes", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        indexes = [
            models.Index(fields=["updated_at"], name="jobs_export_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="jobs_export_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"
