"""The due occurrences of a recurring obligation and where each stands on a date.

Pure: no database access. The dates come from `conventions.rules.dates.obligation_due_dates`,
the rule the échéancier uses too (the k-th half-yearly delivery is due by
`term_last_day(start, 6 k)`), so the obligation page, the portal, the yearly review and the
échéancier agree on every date and status.

An occurrence is « remplie » once a fulfilment for its due date was delivered (on or before
`on`), « en retard » the day after its due date without one, « à venir » until then.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from conventions.rules.dates import anniversary, obligation_due_dates

from .enums import OccurrenceStatus

# Upcoming occurrences are listed this far ahead of today.
AHEAD_MONTHS = 12


@dataclass(frozen=True)
class Delivery:
    due_on: datetime.date
    delivered_on: datetime.date
    record: Any = None  # the ObligationFulfilment, for the pages


@dataclass(frozen=True)
class Occurrence:
    number: int
    due_on: datetime.date
    status: str  # OccurrenceStatus
    delivery: Delivery | None = None

    @property
    def status_label(self) -> str:
        return OccurrenceStatus(self.status).label

    @property
    def is_overdue(self) -> bool:
        return self.status == OccurrenceStatus.OVERDUE

    @property
    def is_fulfilled(self) -> bool:
        return self.status == OccurrenceStatus.FULFILLED


def occurrence_status(
    due_on: datetime.date, delivery: Delivery | None, on: datetime.date
) -> OccurrenceStatus:
    if delivery is not None and delivery.delivered_on <= on:
        return OccurrenceStatus.FULFILLED
    if due_on < on:
        return OccurrenceStatus.OVERDUE
    return OccurrenceStatus.UPCOMING


def occurrences(
    *,
    start: datetime.date | None,
    every_months: int | None,
    fixed_dates: Iterable[datetime.date] = (),
    deliveries: Iterable[Delivery] = (),
    on: datetime.date,
    ends_on: datetime.date | None = None,
    ahead_months: int = AHEAD_MONTHS,
) -> list[Occurrence]:
    """Every occurrence due from `start` through `ahead_months` after `on` (and no later than
    the convention's last day `ends_on`), with its status on `on`. Nothing before signature.
    """
    if start is None:
        return []
    until = anniversary(on, ahead_months)
    if ends_on is not None:
        until = min(until, ends_on)
    by_due: dict[datetime.date, Delivery] = {}
    for delivery in sorted(deliveries, key=lambda d: d.delivered_on):
        by_due.setdefault(delivery.due_on, delivery)
    return [
        Occurrence(k, due, occurrence_status(due, by_due.get(due), on), by_due.get(due))
        for k, due in enumerate(obligation_due_dates(start, every_months, until, fixed_dates), 1)
    ]


def summary(items: list[Occurrence]) -> dict:
    """Counts by status and the next occurrence to deliver, for a compact display."""
    counts = {status.value: 0 for status in OccurrenceStatus}
    for item in items:
        counts[item.status] += 1
    next_due = next((i for i in items if i.status == OccurrenceStatus.UPCOMING), None)
    return {"counts": counts, "next_due": next_due}
