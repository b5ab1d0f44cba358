"""Calendar arithmetic of the texts: anniversaries, last days of a term, periodic due dates.

Pure standard library (no Django, no database), at the bottom of the project: the
échéancier's deadline rules (`echeancier.deadlines`) and the recurring obligations of the
action plans (`actions.occurrences`) both count on it. Dates are ``datetime.date``;
durations are whole months (an int >= 0; a year is 12 months). ``anniversary`` rolls a
missing day (e.g. 31 February) to the 1st of the following month.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def check_months(months: int) -> None:
    if months < 0:
        raise ValueError(f"months must be >= 0, got {months}")


def shift_month(d: date, months: int) -> tuple[int, int]:
    """(year, month) of the month ``months`` after the month of ``d``.

    >>> shift_month(date(2021, 11, 5), 3)
    (2022, 2)
    >>> shift_month(date(2021, 5, 31), -3)
    (2021, 2)
    """
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


def anniversary(start: date, months: int) -> date:
    """Same day of the month, ``months`` later; a missing day rolls to the 1st
    of the following month.

    >>> anniversary(date(2010, 5, 17), 36)
    datetime.date(2013, 5, 17)
    >>> anniversary(date(2021, 1, 31), 1)
    datetime.date(2021, 3, 1)
    """
    check_months(months)
    year, month = shift_month(start, months)
    if start.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, start.day)
    year, month = shift_month(date(year, month, 1), 1)
    return date(year, month, 1)


def term_last_day(start: date, months: int) -> date:
    """Last day in force of a term of ``months`` starting on ``start`` (the
    start day counts): the day before ``anniversary(start, months)``.

    >>> term_last_day(date(2010, 5, 17), 36)
    datetime.date(2013, 5, 16)
    >>> term_last_day(date(2023, 3, 1), 1)
    datetime.date(2023, 3, 31)
    """
    return anniversary(start, months) - ONE_DAY


def periodic_due_dates(start: date, every_months: int, until: date) -> list[date]:
    """Due dates ``term_last_day(start, every_months * k)`` for k = 1, 2, ...
    up to ``until`` inclusive (computed from ``start``, not chained).
    ``every_months`` must be > 0 (0 would never advance).

    >>> periodic_due_dates(date(2020, 9, 1), 12, date(2022, 8, 31))
    [datetime.date(2021, 8, 31), datetime.date(2022, 8, 31)]
    """
    check_months(every_months)
    if every_months == 0:
        raise ValueError("every_months must be > 0")
    dates = []
    k = 1
    while (due := term_last_day(start, every_months * k)) <= until:
        dates.append(due)
        k += 1
    return dates


def obligation_due_dates(
    start: date, every_months: int | None, until: date, fixed_dates: Iterable[date] = ()
) -> list[date]:
    """The due dates of a recurring obligation up to ``until`` inclusive: every
    ``every_months`` from ``start`` (``periodic_due_dates``), or, with no rhythm in months
    (« à dates fixes »), the fixed dates themselves, in order.

    >>> obligation_due_dates(date(2021, 8, 31), 6, date(2022, 12, 31))
    [datetime.date(2022, 2, 28), datetime.date(2022, 8, 30)]
    >>> obligation_due_dates(date(2021, 1, 1), None, date(2021, 12, 31),
    ...                      [date(2022, 3, 1), date(2021, 6, 30)])
    [datetime.date(2021, 6, 30)]
    """
    if every_months:
        return periodic_due_dates(start, every_months, until)
    return sorted({d for d in fixed_dates if d <= until})


def school_year_start(d: date) -> date:
    """1 September of the school year holding ``d`` (a school year runs from 1 September
    to 31 August).

    >>> school_year_start(date(2016, 10, 15))
    datetime.date(2016, 9, 1)
    >>> school_year_start(date(2017, 8, 31))
    datetime.date(2016, 9, 1)
    """
    return date(d.year if d.month >= 9 else d.year - 1, 9, 1)


def school_years_last_day(start: date, school_years: int) -> date:
    """Last day of a term of ``school_years`` school years counted from the school year of
    ``start``: 31 August of its first year + ``school_years``.

    « années scolaires 2016-2017 à 2018-2019 », effective 1 September or signed 15 October
    2016: three school years, last day 31 August 2019.

    >>> school_years_last_day(date(2016, 9, 1), 3)
    datetime.date(2019, 8, 31)
    >>> school_years_last_day(date(2016, 10, 15), 3)
    datetime.date(2019, 8, 31)
    >>> school_years_last_day(date(2017, 3, 1), 1)
    datetime.date(2017, 8, 31)
    """
    if school_years < 1:
        raise ValueError(f"school_years must be >= 1, got {school_years}")
    return date(school_year_start(start).year + school_years, 8, 31)
