from django.db import models


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    ABANDONED = "abandoned", "Abandonnée"


class Rhythm(models.TextChoices):
    """How often a recurring obligation falls due, counted from the convention's start."""

    YEARLY = "yearly", "Annuelle"
    HALF_YEARLY = "half_yearly", "Semestrielle"
    QUARTERLY = "quarterly", "Trimestrielle"
    MONTHLY = "monthly", "Mensuelle"
    FIXED_DATES = "fixed_dates", "À dates fixes"


RHYTHM_MONTHS = {
    Rhythm.YEARLY: 12,
    Rhythm.HALF_YEARLY: 6,
    Rhythm.QUARTERLY: 3,
    Rhythm.MONTHLY: 1,
}
