"""Due dates of obligations and meetings, and the status of each occurrence as time passes
(pure: no database)."""

import datetime

from actions.enums import OccurrenceStatus
from actions.models import school_year_bounds, school_year_of
from actions.occurrences import Delivery, occurrences, summary
from conventions.rules.dates import obligation_due_dates, periodic_due_dates

D = datetime.date


def test_half_yearly_deliveries_from_a_month_end_start():
    # Start 31 August 2021: 31 February does not exist, the anniversary rolls to 1 March,
    # so the first half-year ends on 28 February; the year on 30 August.
    assert obligation_due_dates(D(2021, 8, 31), 6, D(2023, 3, 1)) == [
        D(2022, 2, 28),
        D(2022, 8, 30),
        D(2023, 2, 28),
    ]


def test_half_yearly_deliveries_across_a_leap_year():
    # Start 31 August 2023: the first half-year ends on 29 February 2024 (leap year).
    assert obligation_due_dates(D(2023, 8, 31), 6, D(2024, 12, 31)) == [
        D(2024, 2, 29),
        D(2024, 8, 30),
    ]


def test_yearly_meetings_from_29_february():
    # Signed on 29 February 2024: 29 February 2025 does not exist → anniversary 1 March,
    # the first year ends on 28 February 2025; in 2028 (leap) on 28 February again.
    assert periodic_due_dates(D(2024, 2, 29), 12, D(2028, 3, 31)) == [
        D(2025, 2, 28),
        D(2026, 2, 28),
        D(2027, 2, 28),
        D(2028, 2, 28),
    ]


def test_seed_004_meetings_and_quarterly_dates_are_counted_from_the_start_not_chained():
    # Seed 004, signed 17 May 2010: the k-th yearly meeting is due by 16 May.
    assert periodic_due_dates(D(2010, 5, 17), 12, D(2013, 5, 16)) == [
        D(2011, 5, 16),
        D(2012, 5, 16),
        D(2013, 5, 16),
    ]
    # Quarterly from 30 November: 29 February 2012 (leap), then 29 May, not 28 May.
    assert obligation_due_dates(D(2011, 11, 30), 3, D(2012, 9, 1)) == [
        D(2012, 2, 29),
        D(2012, 5, 29),
        D(2012, 8, 29),
    ]


def test_monthly_from_the_31st():
    assert obligation_due_dates(D(2021, 1, 31), 1, D(2021, 5, 31)) == [
        D(2021, 2, 28),  # anniversary(31 Jan, 1) = 1 March
        D(2021, 3, 30),
        D(2021, 4, 30),  # 31 April → 1 May; the day before
        D(2021, 5, 30),
    ]


def test_fixed_dates_are_sorted_deduplicated_and_bounded():
    fixed = [D(2022, 3, 1), D(2021, 6, 30), D(2021, 6, 30), D(2021, 12, 15)]
    assert obligation_due_dates(D(2021, 1, 1), None, D(2021, 12, 31), fixed) == [
        D(2021, 6, 30),
        D(2021, 12, 15),
    ]


def test_status_as_time_passes():
    start = D(2021, 1, 1)
    deliveries = [Delivery(D(2021, 6, 30), D(2021, 7, 10))]

    def statuses(on):
        return [
            (o.due_on, o.status)
            for o in occurrences(start=start, every_months=6, deliveries=deliveries, on=on)
        ]

    # On the due date itself: still to come.
    assert statuses(D(2021, 6, 30))[0] == (D(2021, 6, 30), OccurrenceStatus.UPCOMING)
    # The day after: late.
    assert statuses(D(2021, 7, 1))[0] == (D(2021, 6, 30), OccurrenceStatus.OVERDUE)
    # Delivered late on 10 July: fulfilled from that day.
    assert statuses(D(2021, 7, 10))[0] == (D(2021, 6, 30), OccurrenceStatus.FULFILLED)
    # A year on, the second half-year (31 December) was never delivered.
    later = statuses(D(2022, 1, 15))
    assert later[:2] == [
        (D(2021, 6, 30), OccurrenceStatus.FULFILLED),
        (D(2021, 12, 31), OccurrenceStatus.OVERDUE),
    ]
    assert later[2] == (D(2022, 6, 30), OccurrenceStatus.UPCOMING)


def test_occurrences_stop_with_the_convention_and_look_a_year_ahead():
    items = occurrences(start=D(2021, 1, 1), every_months=6, on=D(2021, 1, 1))
    assert [o.due_on for o in items] == [D(2021, 6, 30), D(2021, 12, 31)]
    ended = occurrences(
        start=D(2021, 1, 1), every_months=6, on=D(2025, 1, 1), ends_on=D(2021, 12, 30)
    )
    assert [o.due_on for o in ended] == [D(2021, 6, 30)]
    assert occurrences(start=None, every_months=6, on=D(2025, 1, 1)) == []


def test_summary_counts_and_next_due():
    items = occurrences(
        start=D(2021, 1, 1),
        every_months=3,
        deliveries=[Delivery(D(2021, 3, 31), D(2021, 3, 1))],
        on=D(2021, 8, 1),
    )
    result = summary(items)
    assert result["counts"] == {"upcoming": 4, "overdue": 1, "fulfilled": 1}
    assert result["next_due"].due_on == D(2021, 9, 30)


def test_school_years():
    assert school_year_of(D(2011, 5, 10)) == 2010
    assert school_year_of(D(2010, 9, 1)) == 2010
    assert school_year_of(D(2010, 8, 31)) == 2009
    assert school_year_bounds(2010) == (D(2010, 9, 1), D(2011, 8, 31))
