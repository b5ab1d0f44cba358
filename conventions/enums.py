from django.db import models


class ConventionKind(models.TextChoices):
    FRAMEWORK = "framework", "Convention cadre de partenariat"
    PARTNERSHIP = "partnership", "Convention de partenariat"
    APPLICATION = "application", "Convention d'application"
    LOCAL = "local", "Convention locale"


# Kinds that apply a parent convention and cannot exist without one.
CHILD_KINDS = (ConventionKind.APPLICATION, ConventionKind.LOCAL)


class ConventionStatus(models.TextChoices):
    """Where a convention stands on a date. Computed from its dates and events, never typed."""

    DRAFT = "draft", "Projet"
    IN_SIGNATURE = "in_signature", "En signature"
    SIGNED = "signed", "Signée (pas encore en vigueur)"
    IN_FORCE = "in_force", "En vigueur"
    TERMINATING = "terminating", "Résiliation en cours"
    PROVISIONAL = "provisional", "Application provisoire"
    EXPIRED = "expired", "Échue"
    TERMINATED = "terminated", "Résiliée"
    REPLACED = "replaced", "Remplacée"
    # Signed, but a fact the schedule needs (the duration or the term) is unknown: nothing is
    # computed from a guess; someone has to complete it.
    INCOMPLETE = "incomplete", "À compléter"


class ArticleKind(models.TextChoices):
    """How an article's number is printed: "Titre 2", "Article 1", or the bare "1.3.1"."""

    TITLE = "title", "Titre"
    ARTICLE = "article", "Article"
    SECTION = "section", "Sous-article"


class AnnexKind(models.TextChoices):
    TEXT = "text", "Texte"
    CONTACTS = "contacts", "Coordonnées des partenaires"
    DATA_LIST = "data_list", "Liste des données"
    PARTNERSHIP_PLAN = "partnership_plan", "Plan de partenariat"
    ACTION_PLAN = "action_plan", "Plan d'action"
    FINANCIAL = "financial", "Annexe financière"


class ArticleChangeKind(models.TextChoices):
    REPLACE = "replace", "Article remplacé"
    ADD = "add", "Article ajouté"
    REMOVE = "remove", "Article supprimé"


class TerminationKind(models.TextChoices):
    NOTICE = "notice", "Résiliation ou non-reconduction par une partie"
    BREACH = "breach", "Résiliation pour manquement (mise en demeure)"
    MUTUAL = "mutual", "Résiliation d'un commun accord"


# Statuses in which a convention still applies (or will): its deadlines call for action.
ACTIVE_STATUSES = (
    ConventionStatus.SIGNED,
    ConventionStatus.IN_FORCE,
    ConventionStatus.TERMINATING,
    ConventionStatus.PROVISIONAL,
)
ENDED_STATUSES = (
    ConventionStatus.EXPIRED,
    ConventionStatus.TERMINATED,
    ConventionStatus.REPLACED,
)


class CommitmentPeriod(models.TextChoices):
    """How often a financial commitment's amount is due (`conventions.rules.money`)."""

    ONCE = "once", "Une fois"
    YEARLY = "yearly", "Par an"
    SCHOOL_YEAR = "school_year", "Par année scolaire"
