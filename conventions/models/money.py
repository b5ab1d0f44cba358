"""Money: what a party commits to pay another under a convention (or one of its avenants),
the schedule of instalments, and the payments recorded as they happen.

Money is not part of the signed text: a commitment is recorded on a draft or on a signed
convention, and the freeze triggers (`triggers.py`) leave these tables alone. The rules
(French amounts, which instalments are paid, totals) are pure, in `rules/money.py`.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..enums import CommitmentPeriod
from ..rules import money as rules
from .amendments import Amendment
from .convention import Convention
from .parties import Party

AMOUNT_POSITIVE = "Le montant doit être supérieur à zéro."


def amount_field(verbose_name="montant (€)", **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(rules.CENT, message=AMOUNT_POSITIVE)],
        **kwargs,
    )


def _positive(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(amount__gt=0), name=name, violation_error_message=AMOUNT_POSITIVE
    )


class FinancialCommitmentQuerySet(models.QuerySet):
    def for_display(self):
        """With the convention, the payer's and payee's organisations and the avenant: what
        a row shows, in one query."""
        return self.select_related(
            "convention", "payer__organisation", "payee__organisation", "amendment"
        ).order_by("convention__reference", "pk")

    def involving(self, organisations):
        """Commitments in which one of `organisations` (a queryset or a list) pays or
        receives."""
        return self.filter(
            Q(payer__organisation__in=organisations) | Q(payee__organisation__in=organisations)
        )


class FinancialCommitment(models.Model):
    """« L'État s'engage à verser à l'association une subvention annuelle de 30 000 € »: one
    party pays another an amount, once or per (school) year, under the convention or under
    an avenant."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="financial_commitments",
        verbose_name="convention",
    )
    amendment = models.ForeignKey(
        Amendment,
        # RESTRICT: an avenant that made a commitment is not deleted alone, but the whole
        # convention still is (its commitments with it).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="financial_commitments",
        verbose_name="prévu par l'avenant",
        help_text="Vide : prévu par la convention elle-même.",
    )
    payer = models.ForeignKey(
        Party,
        on_delete=models.RESTRICT,
        related_name="commitments_paid",
        verbose_name="payeur",
    )
    payee = models.ForeignKey(
        Party,
        on_delete=models.RESTRICT,
        related_name="commitments_received",
        verbose_name="bénéficiaire",
    )
    label = models.CharField(
        "objet", max_length=255, help_text="« Subvention de fonctionnement », « Contribution »…"
    )
    amount = amount_field(
        help_text="Le montant total s'il est versé une fois, sinon le montant par an ou par "
        "année scolaire."
    )
    period = models.CharField(
        "périodicité", max_length=20, choices=CommitmentPeriod, default=CommitmentPeriod.ONCE
    )
    imputation = models.CharField(
        "imputation budgétaire",
        max_length=255,
        blank=True,
        help_text="Programme, action, ligne budgétaire : « BOP 214, action 08 »…",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    objects = FinancialCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement financier"
        verbose_name_plural = "engagements financiers"
        ordering = ["convention", "pk"]
        constraints = [
            _positive("commitment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(payer=F("payee")),
                name="commitment_payer_not_payee",
                violation_error_message="Le payeur et le bénéficiaire sont deux parties "
                "différentes.",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        """The payer, the payee and the avenant belong to the commitment's convention."""
        super().clean()
        errors = {}
        for name in ("payer", "payee"):
            party = getattr(self, name) if getattr(self, f"{name}_id") else None
            if party is not None and party.convention_id != self.convention_id:
                errors[name] = "Choisissez une partie de cette convention."
        if self.payer_id and self.payer_id == self.payee_id:
            errors["payee"] = "Le bénéficiaire doit être une autre partie que le payeur."
        if self.amendment_id and self.amendment.convention_id != self.convention_id:
            errors["amendment"] = "Cet avenant n'est pas un avenant de cette convention."
        if errors:
            raise ValidationError(errors)

    @property
    def amount_label(self) -> str:
        """« 30 000,00 € », « 10 000,00 € par an »."""
        return rules.amount_with_period(self.amount, self.period)


class Instalment(models.Model):
    """One dated payment due under a commitment (« 10 000 € au 30 juin 2024 »): a deadline
    of the échéancier, done when the payments cover it (`rules.money.coverage`)."""

    commitment = models.ForeignKey(
        FinancialCommitment,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name="engagement",
    )
    due_on = models.DateField("échéance")
    amount = amount_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "échéance de versement"
        verbose_name_plural = "échéances de versement"
        ordering = ["commitment", "due_on", "pk"]
        constraints = [_positive("instalment_amount_positive")]

    def __str__(self):
        return f"{rules.euros(self.amount)} au {self.due_on:%d/%m/%Y}"


class Payment(models.Model):
    """A payment made under a commitment, as recorded (« mandat n° 2024-1234 »)."""

    commitment = models.ForeignKey(
        FinancialCommitment,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name="engagement",
    )
    paid_on = models.DateField("versé le")
    amount = amount_field()
    reference = models.CharField(
        "référence",
        max_length=120,
        blank=True,
        help_text="Numéro de mandat, de virement ou de titre de recette.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement"
        ordering = ["commitment", "paid_on", "pk"]
        constraints = [_positive("payment_amount_positive")]

    def __str__(self):
        return f"{rules.euros(self.amount)} le {self.paid_on:%d/%m/%Y}"


# --- Reading: commitments with their schedule, payments and totals -----------------------


@dataclass
class Ledger:
    """Commitments, each with `.instalment_rows` (each instalment with `.coverage` and
    `.overdue`), `.payment_rows` and `.totals`; their `totals` and `by_year`."""

    commitments: list[FinancialCommitment]
    totals: rules.Totals = field(default_factory=rules.Totals)
    by_year: list[rules.YearTotal] = field(default_factory=list)

    def __bool__(self):
        return bool(self.commitments)


def summary(commitments) -> tuple[rules.Totals, list[rules.YearTotal]]:
    """The totals and the years of commitments read by `ledger`."""
    totals = sum((c.totals for c in commitments), rules.Totals())
    by_year = rules.totals_by_year(
        [(i.due_on, i.amount) for c in commitments for i in c.instalment_rows],
        [(p.paid_on, p.amount) for c in commitments for p in c.payment_rows],
    )
    return totals, by_year


def ledger(commitments, *, today: datetime.date) -> Ledger:
    """Read `commitments` (a queryset) with their instalments and payments: three queries
    whatever their number, one when there is none."""
    rows = list(commitments.for_display())
    if not rows:
        return Ledger([])
    selected = commitments.values("pk")
    instalments: dict[int, list[Instalment]] = {c.pk: [] for c in rows}
    payments: dict[int, list[Payment]] = {c.pk: [] for c in rows}
    for instalment in Instalment.objects.filter(commitment__in=selected).order_by("due_on", "pk"):
        instalments[instalment.commitment_id].append(instalment)
    for payment in Payment.objects.filter(commitment__in=selected).order_by("paid_on", "pk"):
        payments[payment.commitment_id].append(payment)
    for commitment in rows:
        _attach(commitment, instalments[commitment.pk], payments[commitment.pk], today)
    totals, by_year = summary(rows)
    return Ledger(rows, totals, by_year)


def _attach(commitment, instalments, payments, today):
    covered = rules.coverage(
        [(i.due_on, i.amount) for i in instalments], [(p.paid_on, p.amount) for p in payments]
    )
    for instalment, coverage in zip(instalments, covered, strict=True):
        instalment.coverage = coverage
        paid = coverage.paid_on is not None and coverage.paid_on <= today
        instalment.overdue = (
            commitment.convention.is_signed and instalment.due_on < today and not paid
        )
    commitment.instalment_rows = instalments
    commitment.payment_rows = payments
    # A single amount whose schedule says otherwise: the schedule counts, the page says so.
    commitment.schedule_differs = (
        commitment.period == CommitmentPeriod.ONCE
        and bool(instalments)
        and sum(i.amount for i in instalments) != commitment.amount
    )
    commitment.totals = rules.commitment_totals(
        amount=commitment.amount,
        period=commitment.period,
        instalments=[i.amount for i in instalments],
        payments=[p.amount for p in payments],
    )
