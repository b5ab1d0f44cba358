from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from conventions.models import Annex, Convention, Party

from .enums import RHYTHM_MONTHS, ActionStatus, Rhythm


class ActionPlan(models.Model):
    """The plan of actions of one convention for one school year ("2010-2011")."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="action_plans", verbose_name="convention"
    )
    school_year = models.PositiveSmallIntegerField(
        "année scolaire", help_text="L'année de la rentrée : 2010 pour « 2010-2011 »."
    )
    title = models.CharField("titre", max_length=255, default="Plan d'action")
    annex = models.OneToOneField(
        Annex,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plan",
        verbose_name="annexé comme",
        help_text="L'annexe de la convention qui imprime ce plan.",
    )

    class Meta:
        verbose_name = "plan d'action"
        verbose_name_plural = "plans d'action"
        ordering = ["convention", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "school_year"], name="action_plan_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=1990) & Q(school_year__lte=2100),
                name="action_plan_year_plausible",
                violation_error_message="Année scolaire invalide.",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.school_year_label}"

    @property
    def school_year_label(self):
        return f"{self.school_year}-{self.school_year + 1}"


class Action(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name="plan"
    )
    number = models.PositiveSmallIntegerField("numéro")
    axis = models.CharField("axe", max_length=200, help_text="« Information et orientation »")
    title = models.TextField("intitulé")
    objective = models.TextField("objectif", blank=True)
    modalities = models.TextField(
        "modalités communes", blank=True, help_text="Ce qui ne revient pas à une seule partie."
    )
    start_label = models.CharField(
        "démarrage",
        max_length=120,
        blank=True,
        help_text="« Rentrée scolaire 2010-2011 », « 1er trimestre 2011 » ...",
    )
    start_date = models.DateField("date de démarrage", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus, default=ActionStatus.PLANNED
    )

    class Meta:
        verbose_name = "action"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number"),
        ]

    def __str__(self):
        return f"Action {self.number} — {self.title[:80]}"


class ActionContribution(models.Model):
    """What one party does for an action: « Pour la CRESS PACA : ... »."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="contributions", verbose_name="action"
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="contributions", verbose_name="partie"
    )
    text = models.TextField("engagements")

    class Meta:
        verbose_name = "contribution d'une partie"
        verbose_name_plural = "contributions des parties"
        ordering = ["action", "pk"]  # the order the document gives them
        constraints = [
            models.UniqueConstraint(fields=["action", "party"], name="contribution_unique_party"),
        ]

    def __str__(self):
        return f"Pour {self.party}"

    def clean(self):
        if (
            self.party_id
            and self.action_id
            and (self.party.convention_id != self.action.plan.convention_id)
        ):
            raise ValidationError({"party": "Cette partie n'est pas partie à la convention."})


class SteeringMeeting(models.Model):
    """A comité de pilotage: reviews last year's actions and adopts next year's plan."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="steering_meetings",
        verbose_name="convention",
    )
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions", blank=True)
    # Minutes are drafted and corrected among staff before they go out: the partner portal
    # shows them (and the decisions) only once staff tick this box.
    minutes_shared = models.BooleanField(
        "compte rendu partagé avec les partenaires",
        default=False,
        help_text="Coché : le compte rendu et les décisions paraissent sur le portail des "
        "partenaires parties à la convention.",
    )
    adopted_plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_at",
        verbose_name="plan adopté",
    )

    class Meta:
        verbose_name = "comité de pilotage"
        verbose_name_plural = "comités de pilotage"
        ordering = ["convention", "-held_on"]

    def __str__(self):
        return f"Comité de pilotage du {self.held_on:%d/%m/%Y}"


class Obligation(models.Model):
    """A recurring duty of a party: « fournir les données emploi a minima semestriellement »."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="obligations", verbose_name="convention"
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="obligations", verbose_name="partie débitrice"
    )
    title = models.CharField("objet", max_length=255)
    description = models.TextField("détail", blank=True)
    rhythm = models.CharField("rythme", max_length=20, choices=Rhythm)

    class Meta:
        verbose_name = "engagement récurrent"
        verbose_name_plural = "engagements récurrents"
        ordering = ["convention", "party__position", "pk"]

    def __str__(self):
        return self.title

    @property
    def every_months(self) -> int | None:
        return RHYTHM_MONTHS.get(self.rhythm)


class ObligationFulfilment(models.Model):
    """One occurrence of a recurring obligation delivered: the échéancier no longer shows
    the occurrence due on `due_on` as overdue."""

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.CASCADE,
        related_name="fulfilments",
        verbose_name="engagement récurrent",
    )
    due_on = models.DateField("échéance concernée")
    delivered_on = models.DateField("livré le")
    description = models.TextField("observations", blank=True)
    file = models.FileField("pièce jointe", upload_to="obligations/%Y/", blank=True)

    class Meta:
        verbose_name = "livraison d'un engagement"
        verbose_name_plural = "livraisons d'engagements"
        ordering = ["obligation", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "due_on"], name="obligation_fulfilment_unique_due"
            ),
        ]

    def __str__(self):
        return f"{self.obligation} : échéance du {self.due_on:%d/%m/%Y}"
