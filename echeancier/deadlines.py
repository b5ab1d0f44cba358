"""Deadline rules for conventions: terms, renewals, notices, terminations.

The calendar arithmetic they stand on (anniversaries, last day of a term, periodic due
dates) is `conventions.rules.dates`, re-exported here.

Pure standard library (no Django, no database). Dates are ``datetime.date``;
durations are whole months (an int >= 0; a year is 12 months).

Month-end rules:
- ``anniversary`` rolls a missing day (e.g. 31 February) to the 1st of the
  following month;
- ``notice_deadline`` clamps a missing day to the last day of that month.
"""

import calendar
from datetime import date

from conventions.rules.dates import (
    ONE_DAY,
    anniversary,
    check_months,
    obligation_due_dates,
    periodic_due_dates,
    school_year_start,
    school_years_last_day,
    shift_month,
    term_last_day,
)

__all__ = [
    "ONE_DAY",
    "anniversary",
    "breach_last_day",
    "notice_deadline",
    "obligation_due_dates",
    "periodic_due_dates",
    "provisional_last_day",
    "renewal_periods",
    "school_year_start",
    "school_years_last_day",
    "term_last_day",
    "termination_last_day",
]


def notice_deadline(last_day: date, months: int) -> date:
    """Last day a notice of ``months`` can still be received for the term to
    stop at ``last_day``: ``last_day + 1 day - months``, a missing day being
    clamped to the last day of its month.

    This equals the definition "latest D with anniversary(D, months) <=
    last_day + 1 day" for every months >= 0 (the formula's D never has a day
    that is missing in the target month, so its anniversary never rolls; and
    the day after D maps to a later day). Checked by property tests.

    >>> notice_deadline(date(2013, 5, 16), 3)
    datetime.date(2013, 2, 17)
    >>> notice_deadline(date(2021, 5, 30), 3)  # 31 Feb 2021 -> 28 Feb
    datetime.date(2021, 2, 28)
    """
    check_months(months)
    end = last_day + ONE_DAY  # first day no longer in force
    year, month = shift_month(end, -months)
    return date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def termination_last_day(received_on: date, months: int, requested_on: date | None = None) -> date:
    """Last day in force after a termination letter received on
    ``received_on`` with a minimum delay of ``months``.

    ``requested_on`` is the date the letter names for the termination to take
    effect (first day no longer in force). The termination takes effect on the
    later of ``requested_on`` and ``anniversary(received_on, months)``; the
    last day in force is the day before.

    >>> termination_last_day(date(2022, 1, 10), 2)
    datetime.date(2022, 3, 9)
    >>> termination_last_day(date(2022, 1, 10), 2, requested_on=date(2022, 6, 1))
    datetime.date(2022, 5, 31)
    """
    effective = anniversary(received_on, months)
    if requested_on is not None and requested_on > effective:
        effective = requested_on
    return effective - ONE_DAY


def renewal_periods(start: date, months: int, count: int) -> list[tuple[date, date]]:
    """Initial term then ``count`` renewals of ``months`` each, as
    (first_day, last_day) tuples.

    Periods are chained: each starts the day after the previous one's last
    day, and its last day is ``term_last_day(first_day, months)``. This is
    deliberately NOT ``anniversary(start, months * k)``: around month ends the
    two differ (below, chaining gives 31 March; from ``start`` it would be 30).
    With months == 0 every period is empty (last_day = first_day - 1 day).

    >>> renewal_periods(date(2021, 1, 31), 1, 2)  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2021, 1, 31), datetime.date(2021, 2, 28)),
     (datetime.date(2021, 3, 1), datetime.date(2021, 3, 31)),
     (datetime.date(2021, 4, 1), datetime.date(2021, 4, 30))]
    """
    check_months(months)
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    periods = []
    first = start
    for _ in range(count + 1):
        last = term_last_day(first, months)
        periods.append((first, last))
        first = last + ONE_DAY
    return periods


def provisional_last_day(term_last: date, months: int) -> date:
    """Last day of a provisional application of ``months`` after a term
    ending on ``term_last``.

    >>> provisional_last_day(date(2013, 5, 16), 6)
    datetime.date(2013, 11, 16)
    """
    return term_last_day(term_last + ONE_DAY, months)


def breach_last_day(formal_notice_received_on: date) -> date:
    """Last day in force after a formal notice for breach (one month).

    >>> breach_last_day(date(2022, 1, 31))
    datetime.date(2022, 2, 28)
    """
    return termination_last_day(formal_notice_received_on, 1)
