"""The stored schedule: each convention's deadlines, and the reminders and digests sent."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from conventions.enums import ACTIVE_STATUSES, ConventionStatus
from conventions.models import Convention, Party

from .enums import ACTIONABLE_DEADLINE_KINDS, DeadlineKind


def _overdue(today) -> Q:
    return Q(
        due_on__lt=today,
        done_on__isnull=True,
        kind__in=ACTIONABLE_DEADLINE_KINDS,
        convention__status__in=ACTIVE_STATUSES,
    ) & (Q(lapses_on__isnull=True) | Q(lapses_on__gte=today))


def _upcoming(today, days) -> Q:
    return Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days))


# The values of a row of the échéancier, in the order `DeadlineRow` takes them.
ROW_FIELDS = ("kind", "due_on", "label", "done_on", "lapses_on", "convention_id",
              "convention__reference", "convention__short_title", "convention__status",
              "convention__referent_id")  # fmt: skip


class DeadlineQuerySet(models.QuerySet):
    def overdue(self, today):
        """Actions not done by their date, on conventions that still apply."""
        return self.filter(_overdue(today))

    def upcoming(self, today, days):
        """What falls due from today to `days` days ahead, inclusive."""
        return self.filter(_upcoming(today, days))

    def due_or_overdue(self, today, days):
        """The échéancier: what is overdue and what falls due in the next `days` days."""
        return self.filter(_overdue(today) | _upcoming(today, days))

    def in_list_order(self):
        return self.order_by("due_on", "convention__reference", "kind", "pk")

    def of_referent(self, user):
        return self.filter(convention__referent=user)

    def with_partner(self, organisations):
        """Deadlines of conventions to which one of `organisations` (a queryset) is a party."""
        return self.filter(
            Exists(
                Party.objects.filter(
                    convention=OuterRef("convention"), organisation__in=organisations
                )
            )
        )

    def visible_in_feed_of(self, user, *, is_manager: bool):
        """A manager's calendar lists every convention's deadlines, others their own."""
        return self if is_manager else self.of_referent(user)


class Deadline(models.Model):
    """One dated thing of a convention's schedule, as the échéancier lists it.

    Materialised by `echeancier.refresh.refresh_schedule` from `echeancier.schedule` (never
    edited by hand) so that the échéancier is one indexed, paginated query. A row keeps its
    pk while its kind, date and subject stay the same: reminders already sent refer to it.
    """

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="deadlines", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=20, choices=DeadlineKind)
    due_on = models.DateField("échéance")
    label = models.CharField("libellé", max_length=400)
    obligation = models.ForeignKey(
        "actions.Obligation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name="engagement récurrent",
    )
    instalment = models.ForeignKey(
        "conventions.Instalment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name="échéance de versement",
    )
    meeting_number = models.PositiveSmallIntegerField("comité n°", null=True, blank=True)
    done_on = models.DateField(
        "fait le",
        null=True,
        blank=True,
        help_text="Décision prise, comité tenu, livraison faite, versement couvert.",
    )
    lapses_on = models.DateField(
        "sans objet après le",
        null=True,
        blank=True,
        help_text="Un préavis manqué n'est plus en retard une fois la période terminée.",
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        db_table = "conventions_deadline"  # moved from conventions, table kept
        verbose_name = "échéance"
        ordering = ["due_on", "convention_id", "kind", "pk"]
        indexes = [
            # The échéancier, the reminders and the calendar feed: a range of due_on.
            models.Index(fields=["due_on"], name="deadline_due_on"),
            # "Mes échéances": the conventions of a référent, then a range of dates.
            models.Index(fields=["convention", "due_on"], name="deadline_convention_due"),
        ]
        constraints = [
            # One deadline of a kind per day and convention, except the occurrences of
            # obligations and the instalments, several of which may fall on one day.
            models.UniqueConstraint(
                fields=["convention", "kind", "due_on"],
                condition=Q(obligation__isnull=True, instalment__isnull=True),
                name="deadline_unique_per_convention",
            ),
            models.UniqueConstraint(
                fields=["obligation", "due_on"],
                condition=Q(obligation__isnull=False),
                name="deadline_unique_per_obligation",
            ),
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(instalment__isnull=False),
                name="deadline_unique_per_instalment",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeadlineKind.OBLIGATION, obligation__isnull=False)
                | (~Q(kind=DeadlineKind.OBLIGATION) & Q(obligation__isnull=True)),
                name="deadline_obligation_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeadlineKind.INSTALMENT, instalment__isnull=False)
                | (~Q(kind=DeadlineKind.INSTALMENT) & Q(instalment__isnull=True)),
                name="deadline_instalment_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeadlineKind.MEETING, meeting_number__isnull=False)
                | (~Q(kind=DeadlineKind.MEETING) & Q(meeting_number__isnull=True)),
                name="deadline_meeting_number_iff_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.due_on:%d/%m/%Y}"

    def is_overdue(self, today) -> bool:
        return (
            self.due_on < today
            and self.done_on is None
            and self.kind in ACTIONABLE_DEADLINE_KINDS
            and self.convention.status in ACTIVE_STATUSES
            and (self.lapses_on is None or self.lapses_on >= today)
        )


class DeadlineRow:
    """A row of the échéancier: what it shows of a deadline and of its convention
    (`.convention`, with what the template reads of a Convention), read as plain values
    (`read`), three times cheaper than a deadline with its convention (make bench). The
    names are set by the view."""

    @classmethod
    def read(cls, deadlines, today) -> list["DeadlineRow"]:
        """The rows of `deadlines`, a queryset (sliced or not), in its order."""
        return [cls(values, today) for values in deadlines.values_list(*ROW_FIELDS)]

    def __init__(self, values, today):
        (self.kind, self.due_on, self.label, self.done_on, self.lapses_on, convention_id,
         reference, short_title, status, referent_id) = values  # fmt: skip
        self.convention = RowConvention(convention_id, reference, short_title, status, referent_id)
        self.overdue = Deadline.is_overdue(self, today)

    def get_kind_display(self):
        return DeadlineKind(self.kind).label


class RowConvention:
    """The convention of a `DeadlineRow`: its reference, titles and status, and the names
    the view sets (`attached_partner_names`, `referent_name`)."""

    attached_partner_names: list[str]
    referent_name: str | None = None

    def __init__(self, pk, reference, short_title, status, referent_id):
        self.pk, self.reference, self.short_title = pk, reference, short_title
        self.status, self.referent_id = status, referent_id

    get_absolute_url = Convention.get_absolute_url
    partner_names = Convention.partner_names

    def get_status_display(self):
        return ConventionStatus(self.status).label


class ReminderSent(models.Model):
    """A reminder mailed about a deadline, `offset_days` before it: each is sent once."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name="échéance"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_received",
        verbose_name="destinataire",
    )
    offset_days = models.PositiveSmallIntegerField("jours avant l'échéance")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        db_table = "conventions_remindersent"  # moved from conventions, table kept
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "offset_days", "recipient"], name="reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"J-{self.offset_days} : {self.deadline}"


class DigestSent(models.Model):
    """The weekly digest mailed to a référent, once per week (identified by its Monday)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests_received",
        verbose_name="destinataire",
    )
    week_of = models.DateField("semaine du")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        db_table = "conventions_digestsent"  # moved from conventions, table kept
        verbose_name = "récapitulatif hebdomadaire envoyé"
        verbose_name_plural = "récapitulatifs hebdomadaires envoyés"
        ordering = ["-week_of", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week_of"], name="digest_sent_once"),
        ]

    def __str__(self):
        return f"Semaine du {self.week_of:%d/%m/%Y}"
