"""A convention's schedule and status on a date, computed from its dates, clauses and events.

Pure: no database access. `echeancier.refresh` reads the rows, builds a `ScheduleInput`,
calls `compute_schedule(...)` and stores the result (columns on `Convention`, rows of
`Deadline`). All date arithmetic goes through `echeancier.deadlines`.

The rules, with seed 004 (CRESS PACA, signed 17 May 2010, 36 months, 3 months' notice, six
months of provisional application) as the worked example:

- A term starts on the start date (signature, or the effective date) and lasts the duration
  (the latest signed avenant's new duration, counted from the start): last day 16 May 2013.
- Its notice deadline is `notice_deadline(last_day, notice_months)`: 17 February 2013.
- With tacit renewal, another period of `renewal_months` (default: the duration) follows,
  up to `max_renewals` times, unless a non-renewal arrives in the term's decision window
  (after the previous period's notice deadline, up to this one's): a `RenewalDecision`
  with renew=False, or a party's notice letter (`Termination` kind notice) without a
  requested date. A letter naming a date ends the convention on
  `termination_last_day(received, notice, requested)`, and no later than that term's end.
- After the final term, a convention with `provisional_months` stays applicable while a
  renewal is negotiated, through `provisional_last_day(...)` (16 November 2013), unless a
  non-renewal was decided or notified before the term ended; a decision not to renew
  taken during that window ends it on the day of the decision.
- A formal notice for breach received on R ends it on `breach_last_day(R)` unless cured by
  then; a mutual agreement on its agreed last day.
- A convention d'application (or locale) ends at the latest with its parent; without a
  duration of its own it lasts exactly as long.
- A newer signed convention that `renews` this one ends it the day before it starts.
- Each instalment of a financial commitment is a deadline « Versement », whatever the
  horizon, done on the day the payments made by then cover it, first in, first out
  (`conventions.rules.money.coverage`).

Events count from their date: on 1 March 2012 a letter received in 2013 is not known yet,
which is what lets tests drive the status through time.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from conventions.enums import ConventionStatus, TerminationKind
from conventions.rules import money
from conventions.rules.formatting import french_date

from .deadlines import (
    ONE_DAY,
    anniversary,
    breach_last_day,
    notice_deadline,
    obligation_due_dates,
    periodic_due_dates,
    provisional_last_day,
    school_years_last_day,
    term_last_day,
    termination_last_day,
)
from .enums import DeadlineKind

# Periodic deadlines (renewal periods, meetings, obligations) are listed this far ahead;
# the daily command recomputes a convention at least every REFRESH_AT_LEAST_EVERY_MONTHS,
# so the échéancier's longest window (365 days) is always fully materialised.
HORIZON_MONTHS = 24
REFRESH_AT_LEAST_EVERY_MONTHS = 12

# Why a convention ends (or will), which decides "échue" / "résiliée" / "remplacée".
END_EXPIRY = "expiry"
END_TERMINATION = "termination"
END_PARENT = "parent"
END_REPLACED = "replaced"
# On a tie the first wins: a letter of non-renewal ending the term makes it "résiliée".
_END_PRIORITY = [END_TERMINATION, END_REPLACED, END_PARENT, END_EXPIRY]


@dataclass(frozen=True)
class TerminationEvent:
    kind: str  # TerminationKind
    received_on: datetime.date | None = None
    requested_on: datetime.date | None = None
    cured_on: datetime.date | None = None
    agreed_last_day: datetime.date | None = None
    party_name: str = ""


@dataclass(frozen=True)
class RenewalEvent:
    decided_on: datetime.date
    renew: bool


@dataclass(frozen=True)
class DurationChange:
    """A signed avenant that changes the term in force on its effective date: a new
    duration, counted from the start of that term, or a new last day (« prolongée
    jusqu'au 31 décembre 2023 »). Renewal periods, if any, chain from the new last day."""

    signed_on: datetime.date
    new_duration_months: int | None = None
    number: int = 0
    new_last_day: datetime.date | None = None
    effective_on: datetime.date | None = None  # None: its signature date

    @property
    def takes_effect(self) -> datetime.date:
        return self.effective_on or self.signed_on


@dataclass(frozen=True)
class Successor:
    """A convention that `renews` this one."""

    signed_on: datetime.date | None
    start: datetime.date | None
    reference: str = ""


@dataclass(frozen=True)
class ObligationInput:
    id: int
    title: str
    party_name: str
    every_months: int | None  # None: « à dates fixes », the dates are `fixed_dates`
    rhythm_label: str = ""
    # (due_on, delivered_on) of each recorded fulfilment
    deliveries: tuple[tuple[datetime.date, datetime.date], ...] = ()
    fixed_dates: tuple[datetime.date, ...] = ()


@dataclass(frozen=True)
class InstalmentInput:
    """An instalment of a financial commitment, and who pays whom for what."""

    id: int
    commitment_id: int
    due_on: datetime.date
    amount: Decimal
    payer_name: str = ""
    payee_name: str = ""
    label: str = ""


@dataclass(frozen=True)
class PaymentInput:
    commitment_id: int
    paid_on: datetime.date
    amount: Decimal


@dataclass(frozen=True)
class ScheduleInput:
    signed_on: datetime.date | None = None
    # Signed before the application, on a date the known text does not give: "à compléter".
    signature_unknown: bool = False
    effective_date: datetime.date | None = None
    sent_for_signature_on: datetime.date | None = None
    # Signature dates already given by some parties (of the convention, not of avenants).
    party_signatures: tuple[datetime.date, ...] = ()
    duration_months: int | None = None
    school_years: int | None = None  # « années scolaires 2016-2017 à 2018-2019 »: 3
    fixed_last_day: datetime.date | None = None  # « jusqu'au 31 août 2025 »
    term_unknown: bool = False  # the text gives no term: "à compléter", nothing guessed
    notice_months: int = 0
    provisional_months: int = 0
    tacit_renewal: bool = False
    renewal_months: int | None = None
    max_renewals: int | None = None
    has_parent: bool = False
    parent_reference: str = ""
    # The parent's last day of application when known (its stored `ends_on`).
    parent_last_day: datetime.date | None = None
    amendments: tuple[DurationChange, ...] = ()
    terminations: tuple[TerminationEvent, ...] = ()
    renewal_decisions: tuple[RenewalEvent, ...] = ()
    successors: tuple[Successor, ...] = ()
    yearly_steering_meeting: bool = False
    meetings_held: tuple[datetime.date, ...] = ()
    obligations: tuple[ObligationInput, ...] = ()
    instalments: tuple[InstalmentInput, ...] = ()
    payments: tuple[PaymentInput, ...] = ()

    @property
    def start(self) -> datetime.date | None:
        if self.signed_on is None:
            # Signed on an unknown date: its term runs from its effective date, if it has one.
            return self.effective_date if self.signature_unknown else None
        return self.effective_date or self.signed_on


@dataclass(frozen=True)
class Period:
    """One term: the initial one (number 0) or a tacit renewal (1, 2, ...)."""

    number: int
    first: datetime.date
    last: datetime.date
    notice_deadline: datetime.date | None
    renews: bool  # another period follows
    declined_on: datetime.date | None = None  # non-renewal decided or notified then
    # A non-renewal counts for this period when it comes after `window_after` (the previous
    # period's notice deadline) and by `window_end` (this one's, or the last day if final).
    window_after: datetime.date | None = None
    window_end: datetime.date | None = None

    def in_window(self, day: datetime.date) -> bool:
        return (self.window_after is None or day > self.window_after) and day <= self.window_end


@dataclass(frozen=True)
class DeadlineItem:
    kind: str  # DeadlineKind
    due_on: datetime.date
    label: str
    done_on: datetime.date | None = None
    obligation_id: int | None = None
    meeting_number: int | None = None
    instalment_id: int | None = None
    # After this day a missed deadline is no longer overdue: a notice deadline once its
    # term is over (the convention renewed or ended meanwhile).
    lapses_on: datetime.date | None = None

    @property
    def key(self):
        """What identifies a deadline across recomputations (stored rows keep their pk)."""
        return (self.kind, self.due_on, self.obligation_id, self.meeting_number, self.instalment_id)


@dataclass(frozen=True)
class Schedule:
    status: str  # ConventionStatus
    term_start: datetime.date | None = None
    current_term_end: datetime.date | None = None
    notice_deadline: datetime.date | None = None
    provisional_end: datetime.date | None = None
    ends_on: datetime.date | None = None
    end_reason: str | None = None
    next_change_on: datetime.date | None = None
    periods: tuple[Period, ...] = ()
    deadlines: tuple[DeadlineItem, ...] = field(default=())


def compute_schedule(
    data: ScheduleInput, *, on: datetime.date, horizon: datetime.date | None = None
) -> Schedule:
    """The schedule of a convention and its status on the date `on`.

    `horizon` bounds the periodic deadlines listed (default: `HORIZON_MONTHS` after `on`).
    """
    horizon = horizon or anniversary(on, HORIZON_MONTHS)
    start = data.start
    if start is None:
        if data.signature_unknown:
            return Schedule(status=ConventionStatus.INCOMPLETE)
        return Schedule(
            status=_unsigned_status(data, on), next_change_on=_unsigned_next_change(data, on)
        )

    terminations = [t for t in data.terminations if _known(t, on)]
    decisions = [d for d in data.renewal_decisions if d.decided_on <= on]
    changes = _term_changes(data, on)

    event_dates = [t.received_on for t in terminations if t.received_on]
    event_dates += [d.decided_on for d in decisions]
    periods = _periods(data, start, changes, on, max([on, horizon, *event_dates]), decisions)
    final = periods[-1] if periods and not periods[-1].renews else None

    # Every way the convention can end, the earliest wins.
    ends: list[tuple[datetime.date, str]] = []
    provisional_end = None
    if final is not None:
        ends.append((final.last, END_EXPIRY))
        if data.provisional_months and final.declined_on is None:
            provisional_end = provisional_last_day(final.last, data.provisional_months)
            ends[-1] = (provisional_end, END_EXPIRY)
            for decision in decisions:
                if not decision.renew and final.last < decision.decided_on <= provisional_end:
                    ends.append((decision.decided_on, END_EXPIRY))
    if data.has_parent and data.parent_last_day:
        ends.append((data.parent_last_day, END_PARENT))
    for successor in data.successors:
        signed = successor.signed_on and successor.signed_on <= on
        if signed and successor.start and successor.start > start:
            ends.append((successor.start - ONE_DAY, END_REPLACED))
    for termination in terminations:
        last = _termination_last_day(termination, data, periods, on)
        if last is not None:
            ends.append((last, END_TERMINATION))
    ends_on, end_reason = (
        min(ends, key=lambda e: (e[0], _END_PRIORITY.index(e[1]))) if ends else (None, None)
    )

    # Periods after the end never happen.
    if ends_on is not None:
        periods = [p for p in periods if p.first <= ends_on] or periods[:1]
    current = _current_period(periods, on)
    if provisional_end is not None and (final is None or ends_on is None or ends_on <= final.last):
        provisional_end = None  # it ended before the term did: no provisional application

    status = _status(data, on, start, ends_on, end_reason, final, provisional_end)
    current_term_end = current.last if current else None
    if not periods and end_reason == END_PARENT:
        current_term_end = ends_on
    schedule = Schedule(
        status=status,
        term_start=start,
        current_term_end=current_term_end,
        notice_deadline=current.notice_deadline if current else None,
        provisional_end=provisional_end,
        ends_on=ends_on,
        end_reason=end_reason,
        periods=tuple(periods),
    )
    deadlines = _deadlines(data, schedule, terminations, on, horizon)
    next_change = _next_change(data, schedule, on)
    return replace(schedule, deadlines=tuple(deadlines), next_change_on=next_change)


def _known(termination: TerminationEvent, on: datetime.date) -> bool:
    """Whether the event has happened by `on` (a mutual agreement without date always has)."""
    return termination.received_on is None or termination.received_on <= on


def _unsigned_status(data: ScheduleInput, on: datetime.date) -> str:
    sent = data.sent_for_signature_on is not None and data.sent_for_signature_on <= on
    if sent or any(signed <= on for signed in data.party_signatures):
        return ConventionStatus.IN_SIGNATURE
    return ConventionStatus.DRAFT


def _unsigned_next_change(data: ScheduleInput, on: datetime.date) -> datetime.date | None:
    later = [d for d in (data.sent_for_signature_on, *data.party_signatures) if d and d > on]
    return min(later, default=None)


def _term_changes(data: ScheduleInput, on: datetime.date) -> list[DurationChange]:
    """The avenants signed by `on` that change a term, in the order they take effect."""
    return sorted(
        (a for a in data.amendments if a.signed_on <= on),
        key=lambda a: (a.takes_effect, a.signed_on, a.number),
    )


def _initial_last_day(data: ScheduleInput, start: datetime.date) -> datetime.date | None:
    """The last day of the initial term, as the text gives it (None: no term, or unknown)."""
    if data.term_unknown:
        return None
    if data.fixed_last_day is not None:
        return data.fixed_last_day
    if data.school_years:
        return school_years_last_day(start, data.school_years)
    if data.duration_months:
        return term_last_day(start, data.duration_months)
    return None


def _renewal_months(data: ScheduleInput, duration_months: int | None) -> int:
    """The length of a tacit renewal: as the text says, else the initial duration (a school
    year is 12 months; a term fixed by its last day renews by years)."""
    if data.renewal_months:
        return data.renewal_months
    if duration_months:
        return duration_months
    if data.school_years:
        return 12 * data.school_years
    return 12


def _notice_deadline(data: ScheduleInput, last: datetime.date) -> datetime.date | None:
    if data.notice_months:
        return notice_deadline(last, data.notice_months)
    # Without notice, a renewable term can still be declined up to its last day.
    return last if data.tacit_renewal else None


def _periods(
    data: ScheduleInput,
    start: datetime.date,
    changes: list[DurationChange],
    on: datetime.date,
    until: datetime.date,
    decisions: list[RenewalEvent],
) -> list[Period]:
    """The initial term and its tacit renewals, through the one that contains `until`.

    An avenant changes the term in force on its effective date: a new last day, or a new
    duration counted from that term's first day; later renewals chain from the new last day.
    A non-renewal counts for the term whose decision window contains it: after the previous
    period's notice deadline, up to this one's (up to its last day for the final term).
    """
    declines = [d.decided_on for d in decisions if not d.renew]
    declines += [
        t.received_on
        for t in data.terminations
        if t.kind == TerminationKind.NOTICE and t.received_on and t.received_on <= on
    ]
    periods: list[Period] = []
    first, number, window_start = start, 0, None
    last = _initial_last_day(data, start)
    months = data.duration_months
    pending = list(changes)
    while True:
        # The avenants that take effect by the end of this term (or, without a term, once
        # it runs): those of earlier terms were applied there.
        while pending and (last is None or pending[0].takes_effect <= last):
            change = pending.pop(0)
            if change.new_last_day is not None:
                last = change.new_last_day
            elif change.new_duration_months:
                months = change.new_duration_months
                last = term_last_day(first, months)
        if last is None:
            return periods
        deadline = _notice_deadline(data, last)
        may_renew = data.tacit_renewal and (data.max_renewals is None or number < data.max_renewals)
        window_end = deadline if may_renew and deadline else last
        declined = min(
            (d for d in declines if (window_start is None or d > window_start) and d <= window_end),
            default=None,
        )
        renews = may_renew and declined is None
        periods.append(
            Period(number, first, last, deadline, renews, declined, window_start, window_end)
        )
        if not renews or (last >= until and last >= on):
            return periods
        renewal = _renewal_months(data, months)
        first, number, window_start = last + ONE_DAY, number + 1, window_end
        last = term_last_day(first, renewal)


def _period_containing(periods: list[Period], day: datetime.date) -> Period | None:
    return next((p for p in periods if p.first <= day <= p.last), None)


def _current_period(periods: list[Period], on: datetime.date) -> Period | None:
    if not periods:
        return None
    if on < periods[0].first:
        return periods[0]
    return _period_containing(periods, on) or periods[-1]


def _termination_last_day(
    termination: TerminationEvent,
    data: ScheduleInput,
    periods: list[Period],
    on: datetime.date,
) -> datetime.date | None:
    """The last day in force this event brings, or None when it ends nothing."""
    if termination.kind == TerminationKind.MUTUAL:
        return termination.agreed_last_day
    received = termination.received_on
    if termination.kind == TerminationKind.BREACH:
        last = breach_last_day(received)
        cured = termination.cured_on
        if cured is not None and cured <= on and cured <= last:
            return None
        return last
    # A party's letter: non-renewal of the term whose decision window holds it, or, with no
    # term to decline (no duration, or during provisional application), a termination.
    declined = next((p for p in periods if p.declined_on and p.in_window(received)), None)
    if declined is not None:
        if termination.requested_on is None:
            return declined.last
        return min(
            declined.last,
            termination_last_day(received, data.notice_months, termination.requested_on),
        )
    return termination_last_day(received, data.notice_months, termination.requested_on)


def _status(
    data: ScheduleInput,
    on: datetime.date,
    start: datetime.date,
    ends_on: datetime.date | None,
    end_reason: str | None,
    final: Period | None,
    provisional_end: datetime.date | None,
) -> str:
    if data.signed_on is not None and data.signed_on > on:
        return _unsigned_status(data, on)
    replaced = any(
        s.signed_on and s.signed_on <= on and s.start and s.start <= on and s.start > start
        for s in data.successors
    )
    if ends_on is not None and on > ends_on:
        if replaced:
            return ConventionStatus.REPLACED
        if end_reason == END_TERMINATION:
            return ConventionStatus.TERMINATED
        return ConventionStatus.EXPIRED
    if end_reason == END_TERMINATION and on >= start:
        return ConventionStatus.TERMINATING
    if data.term_unknown or data.signature_unknown:
        return ConventionStatus.INCOMPLETE
    if on < start:
        return ConventionStatus.SIGNED
    if provisional_end is not None and final is not None and on > final.last:
        return ConventionStatus.PROVISIONAL
    return ConventionStatus.IN_FORCE


def _next_change(data: ScheduleInput, schedule: Schedule, on: datetime.date):
    """The first day after `on` on which the schedule or status may differ (None: never,
    unless someone records something)."""
    candidates = [data.signed_on, data.start]
    for period in schedule.periods:
        candidates.append(period.last + ONE_DAY)
    if schedule.ends_on:
        candidates.append(schedule.ends_on + ONE_DAY)
    candidates += [a.signed_on for a in data.amendments]
    candidates += [d.decided_on for d in data.renewal_decisions]
    for t in data.terminations:
        candidates += [t.received_on, t.cured_on]
    for s in data.successors:
        candidates += [s.signed_on, s.start]
    # A meeting or a delivery recorded ahead of its date settles its deadline on that day.
    candidates += data.meetings_held
    candidates += [delivered for o in data.obligations for _, delivered in o.deliveries]
    candidates += [p.paid_on for p in data.payments]  # a payment recorded ahead of its date
    later = [d for d in candidates if d is not None and d > on]
    if schedule.ends_on is None or schedule.ends_on >= on:
        # Periodic deadlines are listed HORIZON_MONTHS ahead: extend them in time.
        later.append(anniversary(on, REFRESH_AT_LEAST_EVERY_MONTHS))
    return min(later, default=None)


# --- The deadlines of the échéancier ------------------------------------------------------


def _deadlines(
    data: ScheduleInput,
    schedule: Schedule,
    terminations: list[TerminationEvent],
    on: datetime.date,
    horizon: datetime.date,
) -> list[DeadlineItem]:
    start = schedule.term_start
    ends_on = schedule.ends_on
    until = min(horizon, ends_on) if ends_on else horizon
    items: list[DeadlineItem] = []
    current = _current_period(list(schedule.periods), on)

    # Actions that settle a notice deadline: any decision, letter or signed successor.
    decided = [d.decided_on for d in data.renewal_decisions if d.decided_on <= on]
    decided += [t.received_on for t in terminations if t.received_on]
    decided += [s.signed_on for s in data.successors if s.signed_on and s.signed_on <= on]

    previous_deadline = None
    for period in schedule.periods:
        # Past and current periods in full; later renewals within the horizon.
        if current is not None and period.number > current.number and period.first > horizon:
            break
        cut = ends_on is not None and ends_on < period.last
        deadline = period.notice_deadline
        if deadline and deadline >= period.first and (ends_on is None or deadline <= ends_on):
            done = min(
                (
                    d
                    for d in decided
                    if (previous_deadline is None or d > previous_deadline) and d <= deadline
                ),
                default=None,
            )
            items.append(
                DeadlineItem(
                    DeadlineKind.NOTICE,
                    deadline,
                    _notice_label(data, period),
                    done_on=done,
                    lapses_on=period.last,
                )
            )
        previous_deadline = period.notice_deadline
        if not cut:
            items.append(
                DeadlineItem(
                    DeadlineKind.TERM_END,
                    period.last,
                    _term_end_label(data, schedule, period),
                )
            )
    if schedule.provisional_end and ends_on == schedule.provisional_end:
        items.append(
            DeadlineItem(
                DeadlineKind.PROVISIONAL_END,
                schedule.provisional_end,
                f"Fin de l'application provisoire ({data.provisional_months} mois après le "
                "terme) : sans nouvelle convention signée, la convention cesse de s'appliquer",
            )
        )
    natural_ends = {i.due_on for i in items if i.kind != DeadlineKind.NOTICE}
    if ends_on is not None and ends_on not in natural_ends:
        items.append(
            DeadlineItem(DeadlineKind.END, ends_on, _end_label(data, schedule, terminations))
        )

    if data.yearly_steering_meeting:
        for k, due in enumerate(periodic_due_dates(start, 12, until), start=1):
            year_first = anniversary(start, 12 * (k - 1))
            held = min(
                (d for d in data.meetings_held if year_first <= d <= due and d <= on), default=None
            )
            items.append(
                DeadlineItem(
                    DeadlineKind.MEETING,
                    due,
                    f"Comité de pilotage annuel n°{k} (année du {french_date(year_first)} "
                    f"au {french_date(due)})",
                    done_on=held,
                    meeting_number=k,
                )
            )
    for obligation in data.obligations:
        dues = obligation_due_dates(start, obligation.every_months, until, obligation.fixed_dates)
        delivered = {}
        for due_on, delivered_on in obligation.deliveries:
            if delivered_on <= on:
                delivered[due_on] = min(delivered_on, delivered.get(due_on, delivered_on))
        rhythm = f"échéance {obligation.rhythm_label.lower()} " if obligation.rhythm_label else ""
        for k, due in enumerate(dues, 1):
            items.append(
                DeadlineItem(
                    DeadlineKind.OBLIGATION,
                    due,
                    f"{obligation.title} — {obligation.party_name} ({rhythm}n°{k})",
                    done_on=delivered.get(due),
                    obligation_id=obligation.id,
                )
            )
    items += _instalments(data, on)
    items.sort(
        key=lambda i: (
            i.due_on,
            i.kind,
            i.obligation_id or 0,
            i.meeting_number or 0,
            i.instalment_id or 0,
        )
    )
    return items


def _instalments(data: ScheduleInput, on: datetime.date) -> list[DeadlineItem]:
    """Every instalment, whatever the horizon (they are few, and each was written down):
    done on the day the payments made by `on` covered it, first in, first out."""
    by_commitment: dict[int, list[InstalmentInput]] = {}
    for instalment in data.instalments:
        by_commitment.setdefault(instalment.commitment_id, []).append(instalment)
    items = []
    for commitment_id, instalments in by_commitment.items():
        payments = [
            (p.paid_on, p.amount)
            for p in data.payments
            if p.commitment_id == commitment_id and p.paid_on <= on
        ]
        covered = money.coverage([(i.due_on, i.amount) for i in instalments], payments)
        for instalment, coverage in zip(instalments, covered, strict=True):
            items.append(
                DeadlineItem(
                    DeadlineKind.INSTALMENT,
                    instalment.due_on,
                    money.instalment_label(
                        amount=instalment.amount,
                        payer=instalment.payer_name,
                        payee=instalment.payee_name,
                        label=instalment.label,
                    ),
                    done_on=coverage.paid_on,
                    instalment_id=instalment.id,
                )
            )
    return items


def _notice_label(data: ScheduleInput, period: Period) -> str:
    months = f"préavis de {data.notice_months} mois" if data.notice_months else "sans préavis"
    if period.renews or (data.tacit_renewal and period.declined_on):
        return (
            f"Date limite pour dénoncer la convention ({months}) : sans décision, elle est "
            f"reconduite tacitement au-delà du {french_date(period.last)}"
        )
    return (
        f"Date limite de préavis ({months}) pour notifier la non-reconduction ou la "
        f"résiliation avant le terme du {french_date(period.last)}"
    )


def _term_end_label(data: ScheduleInput, schedule: Schedule, period: Period) -> str:
    name = "période initiale" if period.number == 0 else f"reconduction n°{period.number}"
    if period.renews:
        return f"Fin de la {name} : reconduction tacite le {french_date(period.last + ONE_DAY)}"
    if schedule.provisional_end:
        return (
            f"Terme de la convention ({name}) ; application provisoire possible jusqu'au "
            f"{french_date(schedule.provisional_end)}"
        )
    if period.declined_on:
        return (
            f"Terme de la convention ({name}) : non-reconduction décidée ou notifiée le "
            f"{french_date(period.declined_on)}"
        )
    return f"Terme de la convention ({name})"


def _end_label(
    data: ScheduleInput, schedule: Schedule, terminations: list[TerminationEvent]
) -> str:
    reason = schedule.end_reason
    if reason == END_PARENT:
        return f"Fin avec la convention parente {data.parent_reference}".rstrip()
    if reason == END_REPLACED:
        successor = min(
            (s for s in data.successors if s.start and s.start - ONE_DAY == schedule.ends_on),
            key=lambda s: s.start,
            default=None,
        )
        by = f" par {successor.reference}" if successor and successor.reference else ""
        return f"Dernier jour avant son remplacement{by}"
    if reason == END_TERMINATION:
        for t in terminations:
            if t.kind == TerminationKind.BREACH and breach_last_day(t.received_on) == (
                schedule.ends_on
            ):
                return (
                    f"Fin du délai de la mise en demeure reçue le {french_date(t.received_on)} "
                    ": sans réparation du manquement, la convention prend fin"
                )
            if t.kind == TerminationKind.MUTUAL and t.agreed_last_day == schedule.ends_on:
                return "Dernier jour convenu (résiliation d'un commun accord)"
        by = next((t.party_name for t in terminations if t.party_name), "")
        by = f" à l'initiative de {by}" if by else ""
        return f"Dernier jour d'application après résiliation{by}"
    return "Dernier jour d'application : décision de ne pas renouveler"
