import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from simple_history.models import HistoricalRecords

from conventions.models import Annex, Convention, Party
from conventions.rights import may_write

from .enums import RHYTHM_MONTHS, ActionStatus, Audience, Rhythm

# A school year runs from 1 September to 31 August: "2010-2011" is school_year 2010.
SCHOOL_YEAR_FIRST_MONTH = 9


def school_year_of(day: datetime.date) -> int:
    """The school year a date falls in: 10 May 2011 → 2010 (« 2010-2011 »)."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year `year`: 1 September → 31 August."""
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


class ActionPlanQuerySet(models.QuerySet):
    def with_counts(self):
        """Each plan with its number of actions and of actions done (one query)."""
        return self.annotate(
            action_count=Count("actions"),
            done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )


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

    objects = ActionPlanQuerySet.as_manager()

    history = HistoricalRecords()

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
        indexes = [
            # The overview's order (latest year first, then by convention): the database
            # reads the first page from here instead of sorting every plan.
            models.Index(
                models.F("school_year").desc(), "convention", name="action_plan_year_order"
            ),
        ]

    def __str__(self):
        return self.full_title

    @property
    def full_title(self) -> str:
        """« Plan d'action 2011-2012 »: its title and its school year, the year once when the
        title already says it."""
        label = self.school_year_label
        if label in self.title or str(self.school_year) in self.title:
            return self.title
        return f"{self.title} {label}"

    @property
    def school_year_label(self):
        return school_year_label(self.school_year)

    @property
    def text_is_frozen(self) -> bool:
        """A plan printed as an annex of a signed convention is part of the signed text:
        its actions' wording no longer changes (their status and results still do)."""
        return self.annex_id is not None and self.convention.is_signed

    def can_be_edited_by(self, user) -> bool:
        return may_write(user)


class ActionQuerySet(models.QuerySet):
    def for_overview(self):
        """Actions with their plan and convention, as the overview and its export list them."""
        return self.select_related("plan__convention")

    def with_audience(self, audience: str):
        return self.filter(
            Exists(ActionAudience.objects.filter(action=OuterRef("pk"), audience=audience))
        )

    def with_partner(self, organisations):
        """Actions of conventions to which one of `organisations` (a queryset) is a party."""
        return self.filter(
            Exists(
                Party.objects.filter(
                    convention=OuterRef("plan__convention"), organisation__in=organisations
                )
            )
        )

    def totals(self) -> dict:
        """Actions by status, pupils reached and events held, computed by the database."""
        by_status = {
            status.value: Count("pk", filter=Q(status=status.value)) for status in ActionStatus
        }
        return self.order_by().aggregate(
            total=Count("pk"),
            pupils=Sum("pupils_reached"),
            events=Sum("events_held"),
            **by_status,
        )

    def by_axis_and_status(self) -> list[dict]:
        """[{axis, status, count}] for the chart, one query."""
        return list(
            self.order_by()
            .values("axis", "status")
            .annotate(count=Count("pk"))
            .order_by("axis", "status")
        )


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
    pupils_reached = models.PositiveIntegerField(
        "élèves touchés", null=True, blank=True, help_text="Laisser vide tant que non mesuré."
    )
    events_held = models.PositiveIntegerField(
        "événements réalisés", null=True, blank=True, help_text="Interventions, salons, visites…"
    )
    results_comment = models.TextField("commentaire sur les résultats", blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="reprise de",
        help_text="L'action du plan précédent, non réalisée, que celle-ci poursuit.",
    )

    objects = ActionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="action_number_positive"),
        ]
        indexes = [
            # The overview's filters and its totals by status.
            models.Index(fields=["status"], name="action_status"),
            # The overview's axis filter and the chart by axis.
            models.Index(fields=["axis"], name="action_axis"),
        ]

    def __str__(self):
        return f"Action {self.number} — {self.title[:80]}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    @property
    def is_open(self) -> bool:
        """Not done and not given up: carried over to next year's plan."""
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionAudience(models.Model):
    """One audience an action reaches (collégiens, parents, ...)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="audiences", verbose_name="action"
    )
    audience = models.CharField("public", max_length=30, choices=Audience)

    class Meta:
        verbose_name = "public visé"
        verbose_name_plural = "publics visés"
        ordering = ["action", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["action", "audience"], name="action_audience_unique"),
        ]
        indexes = [
            # The overview's audience filter: Exists(audience=..., action=outer).
            models.Index(fields=["audience", "action"], name="action_audience_lookup"),
        ]

    def __str__(self):
        return self.get_audience_display()


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
    reviewed_plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_at",
        verbose_name="plan dont il fait le bilan",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "comité de pilotage"
        verbose_name_plural = "comités de pilotage"
        ordering = ["convention", "-held_on"]
        indexes = [
            # A convention's meetings, latest first; the review of a school year (a range).
            models.Index(fields=["convention", "held_on"], name="meeting_convention_date"),
        ]

    def __str__(self):
        return f"Comité de pilotage du {self.held_on:%d/%m/%Y}"

    @property
    def school_year(self) -> int:
        return school_year_of(self.held_on)


class MeetingAttendance(models.Model):
    """Who attended a steering meeting for one party (free text: names and offices)."""

    meeting = models.ForeignKey(
        SteeringMeeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name="comité de pilotage",
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="attendances", verbose_name="partie"
    )
    attendees = models.TextField("participants")

    class Meta:
        verbose_name = "participants d'une partie"
        verbose_name_plural = "participants des parties"
        ordering = ["meeting", "party__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "party"], name="attendance_unique_party"),
        ]

    def __str__(self):
        return f"{self.party} : {self.attendees[:60]}"


class ActionReview(models.Model):
    """What a steering meeting found of one action of the past year: its state, what it
    reached, the committee's assessment."""

    meeting = models.ForeignKey(
        SteeringMeeting,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name="comité de pilotage",
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="reviews", verbose_name="action"
    )
    status = models.CharField("état constaté", max_length=20, choices=ActionStatus)
    pupils_reached = models.PositiveIntegerField("élèves touchés", null=True, blank=True)
    events_held = models.PositiveIntegerField("événements réalisés", null=True, blank=True)
    assessment = models.TextField("bilan du comité", blank=True)

    class Meta:
        verbose_name = "bilan d'une action"
        verbose_name_plural = "bilans des actions"
        ordering = ["meeting", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "action"], name="review_unique_action"),
        ]

    def __str__(self):
        return f"Bilan de l'action {self.action.number}"


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

    history = HistoricalRecords()

    class Meta:
        verbose_name = "engagement récurrent"
        verbose_name_plural = "engagements récurrents"
        ordering = ["convention", "party__position", "pk"]

    def __str__(self):
        return self.title

    @property
    def every_months(self) -> int | None:
        return RHYTHM_MONTHS.get(self.rhythm)

    @property
    def has_fixed_dates(self) -> bool:
        return self.rhythm == Rhythm.FIXED_DATES


class ObligationDate(models.Model):
    """A fixed due date of an obligation whose rhythm is « à dates fixes »."""

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.CASCADE,
        related_name="fixed_dates",
        verbose_name="engagement récurrent",
    )
    due_on = models.DateField("échéance")

    class Meta:
        verbose_name = "date fixe d'un engagement"
        verbose_name_plural = "dates fixes des engagements"
        ordering = ["obligation", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "due_on"], name="obligation_date_unique"),
        ]

    def __str__(self):
        return f"{self.obligation} : {self.due_on:%d/%m/%Y}"


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

    history = HistoricalRecords()

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


class ActionTallyQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(actions__gt=0)

    def axes(self) -> list[str]:
        return list(self.counted().order_by("axis").values_list("axis", flat=True).distinct())


class Tally:
    """The tally's rows, read once (a few hundred: years × axes × states): the overview's
    axes and years, and the totals and chart of any choice of year, axis and state, with no
    other query."""

    def __init__(self):
        self.rows = list(
            ActionTally.objects.counted().values_list(
                "school_year", "axis", "status", "actions", "pupils", "events"
            )
        )

    def axes(self) -> list[str]:
        return sorted({axis for _, axis, *_ in self.rows})

    def years(self) -> list[int]:
        return sorted({year for year, *_ in self.rows}, reverse=True)

    def select(self, *, year=None, axis=None, status=None) -> "Tally":
        chosen = Tally.__new__(Tally)
        chosen.rows = [
            row
            for row in self.rows
            if (year is None or row[0] == year)
            and (axis is None or row[1] == axis)
            and (status is None or row[2] == status)
        ]
        return chosen

    def totals(self) -> dict:
        """As `ActionQuerySet.totals`."""
        totals = {"total": 0, "pupils": 0, "events": 0, **{s.value: 0 for s in ActionStatus}}
        for _, _, status, actions, pupils, events in self.rows:
            totals["total"] += actions
            totals["pupils"] += pupils
            totals["events"] += events
            totals[status] = totals.get(status, 0) + actions
        return totals

    def by_axis_and_status(self) -> list[dict]:
        """As `ActionQuerySet.by_axis_and_status`."""
        counts: dict[tuple[str, str], int] = {}
        for _, axis, status, actions, _, _ in self.rows:
            counts[axis, status] = counts.get((axis, status), 0) + actions
        return [
            {"axis": axis, "status": status, "count": count}
            for (axis, status), count in sorted(counts.items())
        ]


class ActionTally(models.Model):
    """Actions, pupils reached and events held per school year, axis and state, kept by
    database triggers (`actions.tally`): the overview's totals without counting every
    action."""

    school_year = models.PositiveSmallIntegerField("année de la rentrée")
    axis = models.CharField("axe", max_length=200)
    status = models.CharField("état", max_length=20, choices=ActionStatus)
    actions = models.IntegerField("actions", default=0)
    pupils = models.BigIntegerField("élèves touchés", default=0)
    events = models.BigIntegerField("événements réalisés", default=0)

    objects = ActionTallyQuerySet.as_manager()

    class Meta:
        verbose_name = "décompte d'actions"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "axis", "status"], name="action_tally_unique"
            )
        ]

    def __str__(self):
        return f"{self.school_year} · {self.axis} · {self.status} : {self.actions}"
