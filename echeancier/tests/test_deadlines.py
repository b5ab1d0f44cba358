"""Tests for echeancier.deadlines (pure functions, no Django, no database)."""

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import echeancier.deadlines
from echeancier.deadlines import (
    anniversary,
    breach_last_day,
    notice_deadline,
    periodic_due_dates,
    provisional_last_day,
    renewal_periods,
    term_last_day,
    termination_last_day,
)

ONE_DAY = timedelta(days=1)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
months = st.integers(min_value=0, max_value=120)
positive_months = st.integers(min_value=1, max_value=120)


# --- Examples from the spec ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "m", "expected"),
    [
        (date(2010, 5, 17), 36, date(2013, 5, 17)),
        (date(2021, 1, 31), 1, date(2021, 3, 1)),
        (date(2020, 2, 29), 12, date(2021, 3, 1)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),
        (date(2021, 11, 30), 3, date(2022, 3, 1)),
        (date(2021, 12, 31), 2, date(2022, 3, 1)),
        (date(2022, 8, 31), 1, date(2022, 10, 1)),
        (date(2022, 12, 15), 1, date(2023, 1, 15)),
        (date(2022, 6, 15), 0, date(2022, 6, 15)),
    ],
)
def test_anniversary_examples(start, m, expected):
    assert anniversary(start, m) == expected


@pytest.mark.parametrize(
    ("start", "m", "expected"),
    [
        (date(2010, 5, 17), 36, date(2013, 5, 16)),
        (date(2023, 3, 1), 1, date(2023, 3, 31)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2023, 1, 1), 12, date(2023, 12, 31)),
    ],
)
def test_term_last_day_examples(start, m, expected):
    assert term_last_day(start, m) == expected


@pytest.mark.parametrize(
    ("last_day", "m", "expected"),
    [
        (date(2013, 5, 16), 3, date(2013, 2, 17)),
        (date(2021, 5, 30), 3, date(2021, 2, 28)),
        (date(2024, 5, 30), 3, date(2024, 2, 29)),
        (date(2023, 12, 31), 6, date(2023, 7, 1)),
        (date(2023, 6, 30), 0, date(2023, 7, 1)),
    ],
)
def test_notice_deadline_examples(last_day, m, expected):
    assert notice_deadline(last_day, m) == expected


@pytest.mark.parametrize(
    ("received_on", "m", "requested_on", "expected"),
    [
        (date(2022, 1, 10), 2, None, date(2022, 3, 9)),
        (date(2022, 1, 10), 2, date(2022, 6, 1), date(2022, 5, 31)),
        (date(2022, 1, 10), 2, date(2022, 2, 1), date(2022, 3, 9)),
        (date(2022, 1, 10), 2, date(2022, 3, 10), date(2022, 3, 9)),
    ],
)
def test_termination_last_day_examples(received_on, m, requested_on, expected):
    assert termination_last_day(received_on, m, requested_on) == expected


def test_provisional_last_day_seed():
    assert provisional_last_day(date(2013, 5, 16), 6) == date(2013, 11, 16)


def test_breach_last_day():
    assert breach_last_day(date(2022, 1, 10)) == date(2022, 2, 9)
    assert breach_last_day(date(2022, 1, 31)) == date(2022, 2, 28)


def test_renewal_periods_chain_by_period():
    assert renewal_periods(date(2010, 5, 17), 36, 1) == [
        (date(2010, 5, 17), date(2013, 5, 16)),
        (date(2013, 5, 17), date(2016, 5, 16)),
    ]
    # Chained, not anniversary(start, months * k): the 2nd period ends on
    # 31 March, whereas counting 2 months from start would give 30 March.
    periods = renewal_periods(date(2021, 1, 31), 1, 2)
    assert periods == [
        (date(2021, 1, 31), date(2021, 2, 28)),
        (date(2021, 3, 1), date(2021, 3, 31)),
        (date(2021, 4, 1), date(2021, 4, 30)),
    ]
    assert term_last_day(date(2021, 1, 31), 2) == date(2021, 3, 30)


def test_renewal_periods_no_renewal():
    assert renewal_periods(date(2023, 3, 1), 12, 0) == [(date(2023, 3, 1), date(2024, 2, 29))]


def test_periodic_due_dates_examples():
    assert periodic_due_dates(date(2020, 9, 1), 12, date(2023, 8, 31)) == [
        date(2021, 8, 31),
        date(2022, 8, 31),
        date(2023, 8, 31),
    ]
    assert periodic_due_dates(date(2021, 8, 31), 6, date(2023, 1, 1)) == [
        date(2022, 2, 28),  # 31 Feb 2022 rolls to 1 March, day before
        date(2022, 8, 30),
    ]
    assert periodic_due_dates(date(2020, 9, 1), 12, date(2021, 8, 30)) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda: anniversary(date(2020, 1, 1), -1),
        lambda: term_last_day(date(2020, 1, 1), -1),
        lambda: notice_deadline(date(2020, 1, 1), -1),
        lambda: termination_last_day(date(2020, 1, 1), -1),
        lambda: renewal_periods(date(2020, 1, 1), -1, 1),
        lambda: renewal_periods(date(2020, 1, 1), 12, -1),
        lambda: provisional_last_day(date(2020, 1, 1), -1),
        lambda: periodic_due_dates(date(2020, 1, 1), -1, date(2030, 1, 1)),
        lambda: periodic_due_dates(date(2020, 1, 1), 0, date(2030, 1, 1)),
    ],
)
def test_invalid_months_raise(call):
    with pytest.raises(ValueError):
        call()


# --- Properties -----------------------------------------------------------------


@given(dates, dates, months)
def test_anniversary_monotone(a, b, m):
    a, b = min(a, b), max(a, b)
    assert anniversary(a, m) <= anniversary(b, m)


@given(dates, positive_months, positive_months)
def test_anniversary_increasing_in_months(d, m, extra):
    assert anniversary(d, m) < anniversary(d, m + extra)


@given(dates)
def test_anniversary_zero_is_identity(d):
    assert anniversary(d, 0) == d


@given(dates, positive_months)
def test_anniversary_shape(d, m):
    result = anniversary(d, m)
    assert result > d
    assert result - d >= timedelta(days=28 * m)
    assert result.day == d.day or result.day == 1
    if result.day != d.day:  # rolled over: the day was missing
        assert d.day > 28


@given(dates, months)
def test_term_last_day_is_day_before_anniversary(d, m):
    assert term_last_day(d, m) + ONE_DAY == anniversary(d, m)


@given(dates, months)
def test_notice_deadline_is_latest_day(last_day, m):
    deadline = notice_deadline(last_day, m)
    end = last_day + ONE_DAY
    assert anniversary(deadline, m) <= end
    # Latest such day: the next day is already too late (holds for all m >= 0).
    assert anniversary(deadline + ONE_DAY, m) > end


@given(dates, months)
def test_notice_deadline_round_trip(start, m):
    # Notice received exactly m months before the end of a term still counts.
    last = term_last_day(start, 12)
    assert termination_last_day(notice_deadline(last, m), m, last + ONE_DAY) == last


@given(dates, months, st.one_of(st.none(), dates))
def test_termination_last_day_bounds(received_on, m, requested_on):
    result = termination_last_day(received_on, m, requested_on)
    assert result >= term_last_day(received_on, m)
    assert result >= received_on + timedelta(days=28 * m) - ONE_DAY
    if requested_on is None or requested_on <= anniversary(received_on, m):
        assert result == term_last_day(received_on, m)
    else:
        assert result == requested_on - ONE_DAY


@given(dates, positive_months, st.integers(min_value=0, max_value=10))
def test_renewal_periods_contiguous(start, m, count):
    periods = renewal_periods(start, m, count)
    assert len(periods) == count + 1
    assert periods[0][0] == start
    for first, last in periods:
        assert first <= last
        assert last == term_last_day(first, m)
    for (_, last), (next_first, _) in zip(periods, periods[1:], strict=False):
        assert next_first == last + ONE_DAY


@given(dates, months)
def test_provisional_follows_term(term_last, m):
    result = provisional_last_day(term_last, m)
    assert result + ONE_DAY == anniversary(term_last + ONE_DAY, m)


@given(dates, st.sampled_from([6, 12]), dates)
def test_periodic_due_dates(start, every, until):
    assume(until >= start)
    due = periodic_due_dates(start, every, until)
    assert due == sorted(set(due))
    assert all(d <= until for d in due)
    assert due == [term_last_day(start, every * k) for k in range(1, len(due) + 1)]
    assert term_last_day(start, every * (len(due) + 1)) > until


def test_leap_years():
    assert anniversary(date(2020, 2, 29), 12) == date(2021, 3, 1)
    assert term_last_day(date(2020, 2, 29), 12) == date(2021, 2, 28)
    assert notice_deadline(date(2024, 5, 30), 3) == date(2024, 2, 29)


def test_doctests():
    result = doctest.testmod(echeancier.deadlines)
    assert result.attempted and not result.failed
