from django.db import models


class JobState(models.TextChoices):
    PENDING = "pending", "en attente"
    RUNNING = "running", "en cours"
    DONE = "done", "prêt"
    FAILED = "failed", "échec"
