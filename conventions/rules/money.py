"""Money of a convention, pure: French amounts, which instalments are paid, the totals.

No database, no float: amounts are `Decimal` with two decimals. Pages, exports, the
échéancier and the portal all read amounts and payments through these functions, so that
they agree on what is paid and what remains.

The rules:

- An amount prints as « 30 000,00 € »: a non-breaking space (U+00A0, `NBSP`) between
  groups of three digits and before the euro sign, a decimal comma.
- Payments pay the instalments first in, first out: the payments in date order fill the
  instalments in due-date order; an instalment is paid on the date the cumulated payments
  reach the cumulated amounts of the instalments up to it.
- What a commitment commits: the sum of its instalments when it has a schedule; else its
  amount when it is paid once; a yearly (or school-yearly) commitment without schedule
  commits its amount per year, and no total is invented (its number of years is the
  convention's business, which may be renewed or terminated).
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NBSP = "\u00a0"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# DecimalField(max_digits=12, decimal_places=2): ten digits before the comma.
MAX_AMOUNT = Decimal("9999999999.99")

ONCE = "once"
YEARLY = "yearly"
SCHOOL_YEAR = "school_year"
PER_PERIOD = {YEARLY: "par an", SCHOOL_YEAR: "par année scolaire"}

AMOUNT_EXAMPLE = "Saisissez un montant en euros, par exemple 12 500,00."


def _grouped(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def amount_fr(value: Decimal | None) -> str:
    """The number as French text, without the currency: « 30 000,00 », « -12,50 »; ""
    for None.

    >>> amount_fr(Decimal("1234567.8")).replace(NBSP, "_")
    '1_234_567,80'
    >>> amount_fr(Decimal("0"))
    '0,00'
    """
    if value is None:
        return ""
    value = Decimal(value).quantize(CENT)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    return f"{sign}{_grouped(units)},{cents}"


def euros(value: Decimal | None) -> str:
    """« 30 000,00 € » (non-breaking spaces); "" for None.

    >>> euros(Decimal("30000")) == "30\u00a0000,00\u00a0€"
    True
    >>> euros(Decimal("999.5")).replace(NBSP, " ")
    '999,50 €'
    """
    if value is None:
        return ""
    return f"{amount_fr(value)}{NBSP}€"


def decimal_fr(value: Decimal | None) -> str:
    """The number for a spreadsheet in French: a decimal comma, no grouping, so that Excel
    reads a number: « 30000,00 »; "" for None.

    >>> decimal_fr(Decimal("30000"))
    '30000,00'
    """
    if value is None:
        return ""
    return f"{Decimal(value).quantize(CENT):.2f}".replace(".", ",")


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """An amount typed in French or in plain digits, as a `Decimal` with two decimals;
    `ValueError` (whose message says what to type) for anything else.

    Spaces of any kind between digits, a decimal comma or point (at most two decimals) and
    a trailing « € » are accepted; a second separator is not (« 12,5,0 », « 12.500,00 » are
    ambiguous).

    >>> parse_amount("12 500,00"), parse_amount("12500.00"), parse_amount("12500")
    (Decimal('12500.00'), Decimal('12500.00'), Decimal('12500.00'))
    >>> parse_amount("12\u00a0500,5 €")
    Decimal('12500.50')
    >>> parse_amount("12,5,0")
    Traceback (most recent call last):
    ...
    ValueError: Saisissez un montant en euros, par exemple 12 500,00.
    """
    cleaned = _SPACES.sub("", str(text)).removesuffix("€")
    if not _AMOUNT.match(cleaned):
        raise ValueError(AMOUNT_EXAMPLE)
    try:
        value = Decimal(cleaned.replace(",", ".")).quantize(CENT)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise ValueError(AMOUNT_EXAMPLE) from error
    return value


def amount_with_period(amount: Decimal, period: str) -> str:
    """« 30 000,00 € », « 10 000,00 € par an », « 5 000,00 € par année scolaire ».

    >>> amount_with_period(Decimal("10000"), "yearly").replace(NBSP, " ")
    '10 000,00 € par an'
    """
    per = PER_PERIOD.get(period)
    return f"{euros(amount)} {per}" if per else euros(amount)


# --- Which instalments are paid -------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How far the payments cover one instalment: `covered` (0 to its amount) and the date
    it became fully covered (`paid_on`, None while it is not)."""

    covered: Decimal
    paid_on: datetime.date | None

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


def coverage(
    instalments: Sequence[tuple[datetime.date, Decimal]],
    payments: Iterable[tuple[datetime.date, Decimal]],
) -> list[Coverage]:
    """The coverage of each instalment `(due_on, amount)`, in the order given, by the
    payments `(paid_on, amount)`: first in, first out.

    >>> d = datetime.date
    >>> coverage(
    ...     [(d(2024, 3, 1), Decimal(100)), (d(2024, 1, 1), Decimal(100))],
    ...     [(d(2024, 2, 10), Decimal(150)), (d(2024, 1, 5), Decimal(60))],
    ... )  # doctest: +NORMALIZE_WHITESPACE
    [Coverage(covered=Decimal('100'), paid_on=datetime.date(2024, 2, 10)),
     Coverage(covered=Decimal('100'), paid_on=datetime.date(2024, 2, 10))]

    The instalment due on 1 January is paid on 10 February, when 60 + 150 reach 100; the
    one of 1 March then too, 210 reaching 200.
    """
    order = sorted(range(len(instalments)), key=lambda i: (instalments[i][0], i))
    cumulated = []  # (date, cumulated amount paid by then)
    paid = ZERO
    for paid_on, amount in sorted(payments, key=lambda p: p[0]):
        paid += amount
        cumulated.append((paid_on, paid))
    result: list[Coverage | None] = [None] * len(instalments)
    threshold = ZERO
    for index in order:
        previous, threshold = threshold, threshold + instalments[index][1]
        reached = next((day for day, total in cumulated if total >= threshold), None)
        covered = min(instalments[index][1], max(ZERO, paid - previous))
        result[index] = Coverage(covered=covered, paid_on=reached)
    return result


# --- Totals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """What one commitment, or several, commit, what was paid and what remains.

    `committed` sums the commitments whose total is known (paid once, or scheduled);
    `per_year` and `per_school_year` the amounts of periodic commitments without schedule,
    whose total is not known. `remaining` is what the commitments of known total still
    owe (negative when more was paid)."""

    committed: Decimal = ZERO
    per_year: Decimal = ZERO
    per_school_year: Decimal = ZERO
    paid: Decimal = ZERO
    remaining: Decimal = ZERO
    # Whether any commitment has a known total: else `committed` and `remaining` mean
    # nothing and the pages show « — ».
    known: bool = False

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(
            committed=self.committed + other.committed,
            per_year=self.per_year + other.per_year,
            per_school_year=self.per_school_year + other.per_school_year,
            paid=self.paid + other.paid,
            remaining=self.remaining + other.remaining,
            known=self.known or other.known,
        )

    @property
    def committed_label(self) -> str:
        """« 30 000,00 € », « 30 000,00 € + 10 000,00 € par an », « 10 000,00 € par an ».

        >>> Totals(committed=Decimal(5), per_year=Decimal(7), known=True).committed_label
        '5,00\u00a0€ + 7,00\u00a0€ par an'
        >>> Totals().committed_label
        '—'
        """
        parts = [euros(self.committed)] if self.known else []
        if self.per_year:
            parts.append(amount_with_period(self.per_year, YEARLY))
        if self.per_school_year:
            parts.append(amount_with_period(self.per_school_year, SCHOOL_YEAR))
        return " + ".join(parts) or "—"

    @property
    def overpaid(self) -> bool:
        return self.known and self.remaining < 0

    @property
    def excess(self) -> Decimal:
        """What was paid beyond the known total (0 when not overpaid)."""
        return -self.remaining if self.overpaid else ZERO


def commitment_totals(
    *, amount: Decimal, period: str, instalments: Iterable[Decimal], payments: Iterable[Decimal]
) -> Totals:
    """The totals of one commitment.

    >>> t = commitment_totals(amount=Decimal(300), period="once", instalments=[],
    ...                       payments=[Decimal(100)])
    >>> t.committed, t.paid, t.remaining, t.known
    (Decimal('300'), Decimal('100.00'), Decimal('200.00'), True)
    >>> t = commitment_totals(amount=Decimal(300), period="yearly",
    ...                       instalments=[Decimal(300), Decimal(250)], payments=[])
    >>> t.committed, t.per_year, t.remaining
    (Decimal('550.00'), Decimal('0.00'), Decimal('550.00'))
    >>> t = commitment_totals(amount=Decimal(300), period="yearly", instalments=[],
    ...                       payments=[Decimal(300)])
    >>> t.known, t.per_year, t.paid, t.committed_label.replace(NBSP, " ")
    (False, Decimal('300'), Decimal('300.00'), '300,00 € par an')
    """
    instalments = list(instalments)
    paid = sum(payments, ZERO)
    if instalments:
        committed = sum(instalments, ZERO)
    elif period == ONCE:
        committed = amount
    else:
        per = {"per_year" if period == YEARLY else "per_school_year": amount}
        return Totals(paid=paid, **per)
    return Totals(committed=committed, paid=paid, remaining=committed - paid, known=True)


@dataclass(frozen=True)
class YearTotal:
    """One calendar year: the instalments due in it, the payments made in it."""

    year: int
    due: Decimal = ZERO
    paid: Decimal = ZERO


def totals_by_year(
    instalments: Iterable[tuple[datetime.date, Decimal]],
    payments: Iterable[tuple[datetime.date, Decimal]],
) -> list[YearTotal]:
    """The years of the instalments' due dates and of the payments, in order.

    >>> d = datetime.date
    >>> totals_by_year([(d(2024, 3, 1), Decimal(100)), (d(2025, 3, 1), Decimal(100))],
    ...                [(d(2024, 12, 31), Decimal(40)), (d(2026, 1, 2), Decimal(60))])
    ... # doctest: +NORMALIZE_WHITESPACE
    [YearTotal(year=2024, due=Decimal('100.00'), paid=Decimal('40.00')),
     YearTotal(year=2025, due=Decimal('100.00'), paid=Decimal('0.00')),
     YearTotal(year=2026, due=Decimal('0.00'), paid=Decimal('60.00'))]
    """
    due: dict[int, Decimal] = {}
    paid: dict[int, Decimal] = {}
    for day, amount in instalments:
        due[day.year] = due.get(day.year, ZERO) + amount
    for day, amount in payments:
        paid[day.year] = paid.get(day.year, ZERO) + amount
    return [
        YearTotal(year, due.get(year, ZERO), paid.get(year, ZERO))
        for year in sorted(due.keys() | paid.keys())
    ]


def instalment_label(*, amount: Decimal, payer: str, payee: str, label: str) -> str:
    """The échéancier's label of an instalment.

    >>> instalment_label(amount=Decimal(10000), payer="Département", payee="GIP FCIP",
    ...                  label="Subvention").replace(NBSP, " ")
    'Versement de 10 000,00 € — Département à GIP FCIP (Subvention)'
    """
    return f"Versement de {euros(amount)} — {payer} à {payee} ({label})"
