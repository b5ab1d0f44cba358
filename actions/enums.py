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


class Audience(models.TextChoices):
    """Who an action reaches (an action may reach several)."""

    MIDDLE_SCHOOL = "middle_school", "Collégiens"
    HIGH_SCHOOL = "high_school", "Lycéens"
    APPRENTICES = "apprentices", "Apprentis"
    STS_STUDENTS = "sts_students", "Étudiants de STS"
    STUDENTS = "students", "Étudiants"
    PARENTS = "parents", "Parents"
    TEACHERS = "teachers", "Enseignants"
    GUIDANCE = "guidance", "Conseillers d'orientation"
    SCHOOL_HEADS = "school_heads", "Chefs d'établissement"
    JOB_SEEKERS = "job_seekers", "Demandeurs d'emploi"
    EMPLOYEES = "employees", "Salariés"
    COMPANIES = "companies", "Entreprises et professionnels"


class OccurrenceStatus(models.TextChoices):
    """Where one due occurrence of a recurring obligation stands on a date."""

    UPCOMING = "upcoming", "À venir"
    OVERDUE = "overdue", "En retard"
    FULFILLED = "fulfilled", "Remplie"
