"""Store the computed schedule: the columns on `Convention` and the rows of `Deadline`.

`refresh_schedule(convention, today=...)` is called after every change to a convention, its
parent, avenants, events (terminations, renewal decisions), steering meetings, obligation
fulfilments or money (commitments, instalments, payments); `refresh_due_schedules(today=...)`
by the daily `refresh_schedules` command for the passage of time. Both read and write in
batches: about fifteen queries per batch of
conventions, whatever its size, and the same per wave of cascade (children of a parent
whose end moved, the convention a newly signed one replaces).
"""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.text import Truncator

from actions.enums import Rhythm
from actions.models import Obligation, ObligationDate, ObligationFulfilment, SteeringMeeting
from config.bulk import insert_rows, update_rows
from conventions.models import (
    Amendment,
    Convention,
    Instalment,
    Payment,
    RenewalDecision,
    Signatory,
    Termination,
)

from . import schedule as core
from .models import Deadline

BATCH_SIZE = 500
LABEL_MAX_LENGTH = Deadline._meta.get_field("label").max_length
MAX_CASCADE_WAVES = 10  # parent → application → local: a few levels at most

SCHEDULE_FIELDS = [
    "status",
    "term_start",
    "current_term_end",
    "notice_deadline",
    "provisional_end",
    "ends_on",
    "schedule_computed_on",
    "next_refresh_on",
]
# The columns of a new deadline, in the order `_store_deadlines` gives them.
DEADLINE_COLUMNS = ["convention_id", "kind", "due_on", "label", "obligation_id",
                    "meeting_number", "instalment_id", "done_on", "lapses_on"]  # fmt: skip


def refresh_schedule(convention: Convention, *, today: datetime.date) -> Convention:
    """Recompute and store `convention`'s schedule and status on `today`, then those of the
    conventions that depend on it. Updates `convention` in place and returns it."""
    with transaction.atomic():
        stored = _refresh_batch([convention.pk], today)
        waves = _dependents(stored)
        # The convention it renews: its "remplacée" depends on this one's signature and
        # start, and the `renews` link itself may just have been set.
        if convention.renews_id:
            waves.add(convention.renews_id)
        _cascade(waves - {convention.pk}, today)
    fresh = stored[convention.pk][1]
    for name in SCHEDULE_FIELDS:
        setattr(convention, name, getattr(fresh, name))
    return convention


def refresh_due_schedules(*, today: datetime.date, ids: Iterable[int] | None = None) -> int:
    """Recompute every convention whose schedule may have changed since it was stored (a
    stored date reached, never computed), or those of them among `ids` (`generate_data`,
    chunk after chunk); returns how many were recomputed."""
    due = Convention.objects.schedule_due(today)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    return _refresh_pks(due.order_by("pk").values_list("pk", flat=True), today)


def refresh_all_schedules(*, today: datetime.date) -> int:
    """Recompute every convention (after a change of the rules: `refresh_schedules --all`)."""
    return _refresh_pks(Convention.objects.order_by("pk").values_list("pk", flat=True), today)


def _refresh_pks(pks, today: datetime.date) -> int:
    pks = list(pks)
    count = 0
    for start in range(0, len(pks), BATCH_SIZE):
        with transaction.atomic():
            stored = _refresh_batch(pks[start : start + BATCH_SIZE], today)
            count += len(stored)
            count += _cascade(_dependents(stored), today)
    return count


def _cascade(pks: set[int], today: datetime.date) -> int:
    """Recompute `pks`, then their dependents, wave after wave. A dependent computed in the
    same batch as the convention it depends on is computed again: it saw that convention's
    stored dates of before (an application convention refreshed with its parent kept an end
    the parent no longer has)."""
    count = 0
    for _ in range(MAX_CASCADE_WAVES):
        if not pks:
            break
        stored = _refresh_batch(sorted(pks), today)
        count += len(stored)
        pks = _dependents(stored)
    return count


def _dependents(stored: dict[int, tuple[Convention, Convention]]) -> set[int]:
    """Conventions to recompute after these: the children of those whose end moved, the
    predecessors of those whose signature or start moved."""
    moved_end = [pk for pk, (old, new) in stored.items() if old.ends_on != new.ends_on]
    moved_start = [
        new.renews_id
        for old, new in stored.values()
        if new.renews_id and (old.status, old.term_start) != (new.status, new.term_start)
    ]
    children = (
        set(Convention.objects.filter(parent__in=moved_end).values_list("pk", flat=True))
        if moved_end
        else set()
    )
    return children | set(moved_start)


def _refresh_batch(pks: Iterable[int], today: datetime.date):
    """Recompute and store the conventions `pks`; returns {pk: (before, after)}."""
    conventions = list(Convention.objects.filter(pk__in=pks).order_by("pk"))
    if not conventions:
        return {}
    inputs = _inputs(conventions)
    before = {}
    schedules = {}
    for convention in conventions:
        before[convention.pk] = Convention(
            pk=convention.pk,
            renews_id=convention.renews_id,
            **{name: getattr(convention, name) for name in SCHEDULE_FIELDS},
        )
        schedule = core.compute_schedule(inputs[convention.pk], on=today)
        schedules[convention.pk] = schedule
        convention.status = schedule.status
        convention.term_start = schedule.term_start
        convention.current_term_end = schedule.current_term_end
        convention.notice_deadline = schedule.notice_deadline
        convention.provisional_end = schedule.provisional_end
        convention.ends_on = schedule.ends_on
        convention.schedule_computed_on = today
        convention.next_refresh_on = schedule.next_change_on
    update_rows(
        Convention,
        SCHEDULE_FIELDS,
        [(c.pk, *(getattr(c, name) for name in SCHEDULE_FIELDS)) for c in conventions],
    )
    _store_deadlines(schedules)
    return {c.pk: (before[c.pk], c) for c in conventions}


def _inputs(conventions: list[Convention]) -> dict[int, core.ScheduleInput]:
    """Everything the computation needs, for many conventions, in a fixed number of queries."""
    pks = [c.pk for c in conventions]
    signatures = defaultdict(list)
    for convention_id, signed_on in Signatory.objects.filter(
        party__convention__in=pks, amendment__isnull=True, signed_on__isnull=False
    ).values_list("party__convention_id", "signed_on"):
        signatures[convention_id].append(signed_on)
    amendments = defaultdict(list)
    for convention_id, signed_on, effective_on, months, last_day, number in (
        Amendment.objects.filter(convention__in=pks, signed_on__isnull=False)
        .filter(Q(new_duration_months__isnull=False) | Q(new_last_day__isnull=False))
        .values_list(
            "convention_id",
            "signed_on",
            "effective_date",
            "new_duration_months",
            "new_last_day",
            "number",
        )
    ):
        amendments[convention_id].append(
            core.DurationChange(
                signed_on,
                new_duration_months=months,
                number=number,
                new_last_day=last_day,
                effective_on=effective_on,
            )
        )
    terminations = defaultdict(list)
    for row in (
        Termination.objects.filter(convention__in=pks)
        .order_by("received_on", "pk")
        .values_list(
            "convention_id",
            "kind",
            "received_on",
            "requested_on",
            "cured_on",
            "agreed_last_day",
            "party__organisation__short_name",
            "party__organisation__name",
        )
    ):
        convention_id, kind, received, requested, cured, agreed, short_name, name = row
        terminations[convention_id].append(
            core.TerminationEvent(
                kind, received, requested, cured, agreed, short_name or name or ""
            )
        )
    decisions = defaultdict(list)
    for convention_id, decided_on, renew in RenewalDecision.objects.filter(
        convention__in=pks
    ).values_list("convention_id", "decided_on", "renew"):
        decisions[convention_id].append(core.RenewalEvent(decided_on, renew))
    successors = defaultdict(list)
    for renews_id, signed_on, effective, reference in Convention.objects.filter(
        renews__in=pks
    ).values_list("renews_id", "signed_on", "effective_date", "reference"):
        start = (effective or signed_on) if signed_on else None
        successors[renews_id].append(core.Successor(signed_on, start, reference))
    parent_ids = {c.parent_id for c in conventions if c.parent_id}
    parents = {
        pk: (ends_on, reference)
        for pk, ends_on, reference in Convention.objects.filter(pk__in=parent_ids).values_list(
            "pk", "ends_on", "reference"
        )
    }
    meetings = defaultdict(list)
    for convention_id, held_on in SteeringMeeting.objects.filter(convention__in=pks).values_list(
        "convention_id", "held_on"
    ):
        meetings[convention_id].append(held_on)
    deliveries = defaultdict(list)
    for obligation_id, due_on, delivered_on in ObligationFulfilment.objects.filter(
        obligation__convention__in=pks
    ).values_list("obligation_id", "due_on", "delivered_on"):
        deliveries[obligation_id].append((due_on, delivered_on))
    fixed_dates = defaultdict(list)
    for obligation_id, due_on in ObligationDate.objects.filter(
        obligation__convention__in=pks
    ).values_list("obligation_id", "due_on"):
        fixed_dates[obligation_id].append(due_on)
    obligations = defaultdict(list)
    for obligation in (
        Obligation.objects.filter(convention__in=pks)
        .select_related("party__organisation")
        .order_by("party__position", "pk")
    ):
        obligations[obligation.convention_id].append(
            core.ObligationInput(
                id=obligation.pk,
                title=obligation.title,
                party_name=obligation.party.organisation.display_name,
                every_months=obligation.every_months,
                rhythm_label=Rhythm(obligation.rhythm).label,
                deliveries=tuple(deliveries[obligation.pk]),
                fixed_dates=tuple(sorted(fixed_dates[obligation.pk])),
            )
        )
    instalments, payments = _money(pks)
    inputs = {}
    for c in conventions:
        parent_last_day, parent_reference = parents.get(c.parent_id, (None, ""))
        inputs[c.pk] = core.ScheduleInput(
            signed_on=c.signed_on,
            signature_unknown=c.signed_on_unknown,
            effective_date=c.effective_date,
            sent_for_signature_on=c.sent_for_signature_on,
            party_signatures=tuple(signatures[c.pk]),
            duration_months=c.duration_months,
            school_years=c.school_years,
            fixed_last_day=c.fixed_last_day,
            term_unknown=c.term_unknown,
            notice_months=c.notice_months,
            provisional_months=c.provisional_months,
            tacit_renewal=c.tacit_renewal,
            renewal_months=c.renewal_months,
            max_renewals=c.max_renewals,
            has_parent=c.parent_id is not None,
            parent_reference=parent_reference,
            parent_last_day=parent_last_day,
            amendments=tuple(amendments[c.pk]),
            terminations=tuple(terminations[c.pk]),
            renewal_decisions=tuple(decisions[c.pk]),
            successors=tuple(successors[c.pk]),
            yearly_steering_meeting=c.yearly_steering_meeting,
            meetings_held=tuple(meetings[c.pk]),
            obligations=tuple(obligations[c.pk]),
            instalments=tuple(instalments[c.pk]),
            payments=tuple(payments[c.pk]),
        )
    return inputs


def _money(pks):
    """The instalments of the conventions' financial commitments, with who pays whom, and
    the payments: two queries."""
    instalments = defaultdict(list)
    for row in (
        Instalment.objects.filter(commitment__convention__in=pks)
        .order_by("due_on", "pk")
        .values_list(
            "commitment__convention_id",
            "pk",
            "commitment_id",
            "due_on",
            "amount",
            "commitment__label",
            "commitment__payer__organisation__short_name",
            "commitment__payer__organisation__name",
            "commitment__payee__organisation__short_name",
            "commitment__payee__organisation__name",
        )
    ):
        convention_id, pk, commitment_id, due_on, amount, label, *names = row
        payer_short, payer, payee_short, payee = names
        instalments[convention_id].append(
            core.InstalmentInput(
                id=pk,
                commitment_id=commitment_id,
                due_on=due_on,
                amount=amount,
                payer_name=payer_short or payer,
                payee_name=payee_short or payee,
                label=label,
            )
        )
    payments = defaultdict(list)
    for convention_id, commitment_id, paid_on, amount in (
        Payment.objects.filter(commitment__convention__in=pks)
        .order_by("paid_on", "pk")
        .values_list("commitment__convention_id", "commitment_id", "paid_on", "amount")
    ):
        payments[convention_id].append(core.PaymentInput(commitment_id, paid_on, amount))
    return instalments, payments


def _store_deadlines(schedules: dict[int, core.Schedule]) -> None:
    """Bring the stored deadlines in line with the computed ones, keeping the rows (and so
    the reminders sent about them) whose kind, date and subject did not change."""
    existing = defaultdict(dict)
    for deadline in Deadline.objects.filter(convention__in=schedules.keys()).order_by("pk"):
        key = (
            deadline.kind,
            deadline.due_on,
            deadline.obligation_id,
            deadline.meeting_number,
            deadline.instalment_id,
        )
        existing[deadline.convention_id][key] = deadline
    to_create, to_update, to_delete = [], [], []
    for convention_id, schedule in schedules.items():
        stored = existing[convention_id]
        for item in schedule.deadlines:
            # Titles and names are free text: keep within the column.
            label = item.label
            if len(label) > LABEL_MAX_LENGTH or not unicodedata.is_normalized("NFC", label):
                label = Truncator(label).chars(LABEL_MAX_LENGTH)  # 50 µs: only when needed
            deadline = stored.pop(item.key, None)
            if deadline is None:
                to_create.append(
                    (
                        convention_id,
                        item.kind,
                        item.due_on,
                        label,
                        item.obligation_id,
                        item.meeting_number,
                        item.instalment_id,
                        item.done_on,
                        item.lapses_on,
                    )
                )
            elif (deadline.label, deadline.done_on, deadline.lapses_on) != (
                label,
                item.done_on,
                item.lapses_on,
            ):
                deadline.label = label
                deadline.done_on, deadline.lapses_on = item.done_on, item.lapses_on
                to_update.append(deadline)
        to_delete += [d.pk for d in stored.values()]
    if to_delete:
        Deadline.objects.filter(pk__in=to_delete).delete()
    if to_update:
        Deadline.objects.bulk_update(to_update, ["label", "done_on", "lapses_on"])
    insert_rows(Deadline, DEADLINE_COLUMNS, to_create)
