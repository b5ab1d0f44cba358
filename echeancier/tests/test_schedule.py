"""The pure schedule: dates, status at any date, events. No database."""

from dataclasses import replace
from datetime import date

import pytest

from conventions.enums import ConventionStatus as S
from conventions.rules.formatting import french_date
from echeancier.enums import DeadlineKind
from echeancier.schedule import (
    DurationChange,
    ObligationInput,
    RenewalEvent,
    ScheduleInput,
    Successor,
    TerminationEvent,
    compute_schedule,
)

CRESS = ScheduleInput(
    signed_on=date(2010, 5, 17),
    duration_months=36,
    notice_months=3,
    provisional_months=6,
    yearly_steering_meeting=True,
)


def status(data, on):
    return compute_schedule(data, on=on).status


def kinds(schedule, kind):
    return [d for d in schedule.deadlines if d.kind == kind]


def test_seed_004_cress_paca_dates_in_french():
    schedule = compute_schedule(CRESS, on=date(2026, 11, 23))
    assert french_date(schedule.term_start) == "17 mai 2010"
    assert french_date(schedule.current_term_end) == "16 mai 2013"
    assert french_date(schedule.notice_deadline) == "17 février 2013"
    assert french_date(schedule.provisional_end) == "16 novembre 2013"
    assert french_date(schedule.ends_on) == "16 novembre 2013"


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2010, 5, 16), S.DRAFT),  # signed tomorrow: nothing known of it yet
        (date(2010, 5, 17), S.IN_FORCE),
        (date(2012, 3, 1), S.IN_FORCE),
        (date(2013, 5, 16), S.IN_FORCE),
        (date(2013, 5, 17), S.PROVISIONAL),
        (date(2013, 11, 16), S.PROVISIONAL),
        (date(2013, 11, 17), S.EXPIRED),
        (date(2026, 11, 23), S.EXPIRED),
    ],
)
def test_seed_004_status_through_time(on, expected):
    assert status(CRESS, on) == expected


def test_draft_then_in_signature_then_signed_then_in_force():
    data = ScheduleInput(duration_months=12, notice_months=1)
    assert status(data, date(2024, 1, 1)) == S.DRAFT
    sent = ScheduleInput(duration_months=12, sent_for_signature_on=date(2024, 2, 1))
    assert status(sent, date(2024, 1, 31)) == S.DRAFT
    assert status(sent, date(2024, 2, 1)) == S.IN_SIGNATURE
    one_party = ScheduleInput(duration_months=12, party_signatures=(date(2024, 3, 1),))
    assert status(one_party, date(2024, 3, 2)) == S.IN_SIGNATURE
    later = ScheduleInput(
        signed_on=date(2024, 4, 1),
        effective_date=date(2024, 9, 1),
        duration_months=12,
        party_signatures=(date(2024, 3, 1), date(2024, 4, 1)),
    )
    assert status(later, date(2024, 3, 15)) == S.IN_SIGNATURE
    assert status(later, date(2024, 4, 1)) == S.SIGNED
    assert status(later, date(2024, 9, 1)) == S.IN_FORCE
    schedule = compute_schedule(later, on=date(2024, 4, 1))
    assert schedule.term_start == date(2024, 9, 1)
    assert schedule.current_term_end == date(2025, 8, 31)
    assert schedule.next_change_on == date(2024, 9, 1)


def test_a_draft_has_no_dates_and_no_deadlines():
    schedule = compute_schedule(ScheduleInput(duration_months=60), on=date(2026, 1, 1))
    assert (schedule.term_start, schedule.current_term_end, schedule.ends_on) == (None,) * 3
    assert schedule.deadlines == ()


TACIT = ScheduleInput(
    signed_on=date(2020, 1, 1),
    duration_months=12,
    notice_months=3,
    tacit_renewal=True,
    max_renewals=2,
)


def test_tacit_renewal_periods_and_their_notice_deadlines():
    schedule = compute_schedule(TACIT, on=date(2021, 6, 15))
    assert [(p.first, p.last) for p in schedule.periods] == [
        (date(2020, 1, 1), date(2020, 12, 31)),
        (date(2021, 1, 1), date(2021, 12, 31)),
        (date(2022, 1, 1), date(2022, 12, 31)),
    ]
    assert schedule.status == S.IN_FORCE
    assert schedule.current_term_end == date(2021, 12, 31)
    assert schedule.notice_deadline == date(2021, 10, 1)
    # The number of renewals is capped: the end is known from the start.
    assert schedule.ends_on == date(2022, 12, 31)
    assert status(TACIT, date(2023, 1, 1)) == S.EXPIRED


def test_unlimited_tacit_renewal_has_no_known_end_and_lists_periods_within_the_horizon():
    data = ScheduleInput(
        signed_on=date(2020, 1, 1),
        duration_months=12,
        renewal_months=6,
        notice_months=1,
        tacit_renewal=True,
    )
    schedule = compute_schedule(data, on=date(2030, 3, 1))
    assert schedule.ends_on is None
    assert schedule.status == S.IN_FORCE
    # 2020 then half-years: the one containing 1 March 2030 is January-June 2030.
    assert schedule.current_term_end == date(2030, 6, 30)
    assert schedule.notice_deadline == date(2030, 6, 1)
    ends = [d.due_on for d in kinds(schedule, DeadlineKind.TERM_END)]
    assert date(2020, 12, 31) in ends and date(2032, 6, 30) in ends
    assert max(ends) <= date(2032, 12, 31)


def test_renewal_decision_not_to_renew_before_the_notice_deadline_ends_the_term():
    data = replace(TACIT, renewal_decisions=(RenewalEvent(date(2021, 9, 1), False),))
    # Unknown before it is taken.
    assert compute_schedule(data, on=date(2021, 8, 31)).ends_on == date(2022, 12, 31)
    schedule = compute_schedule(data, on=date(2021, 9, 1))
    assert schedule.ends_on == date(2021, 12, 31)
    assert schedule.status == S.IN_FORCE  # the rectorat decided: nothing is being terminated
    assert status(data, date(2022, 1, 1)) == S.EXPIRED
    notice = kinds(schedule, DeadlineKind.NOTICE)
    assert [(n.due_on, n.done_on) for n in notice] == [
        (date(2020, 10, 1), None),
        (date(2021, 10, 1), date(2021, 9, 1)),
    ]


def test_a_decision_after_the_notice_deadline_is_too_late_for_this_term():
    data = replace(TACIT, renewal_decisions=(RenewalEvent(date(2021, 10, 2), False),))
    schedule = compute_schedule(data, on=date(2021, 11, 1))
    assert schedule.ends_on == date(2022, 12, 31)  # renewed once more, not a third time
    assert status(data, date(2022, 6, 1)) == S.IN_FORCE


def test_a_partys_letter_before_the_notice_deadline_is_a_non_renewal():
    letter = TerminationEvent("notice", received_on=date(2020, 9, 15), party_name="ASSO")
    data = replace(TACIT, terminations=(letter,))
    assert status(data, date(2020, 9, 14)) == S.IN_FORCE
    schedule = compute_schedule(data, on=date(2020, 9, 15))
    assert schedule.status == S.TERMINATING
    assert schedule.ends_on == date(2020, 12, 31)
    assert status(data, date(2021, 1, 1)) == S.TERMINATED


def test_a_letter_naming_a_date_takes_effect_then_at_the_earliest_after_the_notice():
    # Seed 003: effective on the date in the letter, at the earliest 2 months after receipt.
    parent = ScheduleInput(signed_on=date(2018, 11, 6), notice_months=2)
    early = TerminationEvent("notice", received_on=date(2022, 1, 10), requested_on=date(2022, 2, 1))
    data = replace(parent, terminations=(early,))
    schedule = compute_schedule(data, on=date(2022, 1, 10))
    assert schedule.ends_on == date(2022, 3, 9)
    assert schedule.status == S.TERMINATING
    assert status(data, date(2022, 3, 9)) == S.TERMINATING
    assert status(data, date(2022, 3, 10)) == S.TERMINATED
    late = TerminationEvent("notice", received_on=date(2022, 1, 10), requested_on=date(2022, 6, 1))
    data = replace(parent, terminations=(late,))
    assert compute_schedule(data, on=date(2022, 2, 1)).ends_on == date(2022, 5, 31)
    # Without a date: the notice alone.
    bare = TerminationEvent("notice", received_on=date(2022, 1, 10))
    data = replace(parent, terminations=(bare,))
    assert compute_schedule(data, on=date(2022, 2, 1)).ends_on == date(2022, 3, 9)


def test_an_indefinite_convention_is_in_force_with_no_end():
    data = ScheduleInput(signed_on=date(2018, 11, 6))
    schedule = compute_schedule(data, on=date(2026, 11, 23))
    assert schedule.status == S.IN_FORCE
    assert (schedule.current_term_end, schedule.notice_deadline, schedule.ends_on) == (None,) * 3


def test_breach_not_cured_ends_it_a_month_after_the_formal_notice():
    breach = TerminationEvent("breach", received_on=date(2022, 1, 31))
    data = ScheduleInput(signed_on=date(2018, 11, 6), terminations=(breach,))
    assert status(data, date(2022, 1, 30)) == S.IN_FORCE
    schedule = compute_schedule(data, on=date(2022, 2, 1))
    assert schedule.status == S.TERMINATING
    assert schedule.ends_on == date(2022, 2, 28)
    assert schedule.next_change_on == date(2022, 3, 1)
    (end,) = kinds(schedule, DeadlineKind.END)
    assert end.due_on == date(2022, 2, 28)
    assert "mise en demeure reçue le 31 janvier 2022" in end.label
    assert status(data, date(2022, 3, 1)) == S.TERMINATED


def test_breach_cured_in_time_leaves_it_in_force_from_the_cure():
    breach = TerminationEvent("breach", received_on=date(2022, 1, 31), cured_on=date(2022, 2, 20))
    data = ScheduleInput(signed_on=date(2018, 11, 6), terminations=(breach,))
    schedule = compute_schedule(data, on=date(2022, 2, 10))
    assert schedule.status == S.TERMINATING
    assert schedule.next_change_on == date(2022, 2, 20)
    cured = compute_schedule(data, on=date(2022, 2, 20))
    assert cured.status == S.IN_FORCE
    assert cured.ends_on is None
    assert kinds(cured, DeadlineKind.END) == []
    assert status(data, date(2022, 6, 1)) == S.IN_FORCE


def test_breach_cured_too_late_still_ends_it():
    breach = TerminationEvent("breach", received_on=date(2022, 1, 31), cured_on=date(2022, 3, 5))
    data = ScheduleInput(signed_on=date(2018, 11, 6), terminations=(breach,))
    assert status(data, date(2022, 3, 10)) == S.TERMINATED


def test_mutual_agreement():
    mutual = TerminationEvent(
        "mutual", received_on=date(2015, 3, 1), agreed_last_day=date(2015, 6, 30)
    )
    data = replace(CRESS, signed_on=date(2014, 1, 6), terminations=(mutual,))
    assert status(data, date(2015, 2, 28)) == S.IN_FORCE
    assert status(data, date(2015, 3, 1)) == S.TERMINATING
    schedule = compute_schedule(data, on=date(2015, 7, 1))
    assert schedule.status == S.TERMINATED
    assert schedule.ends_on == date(2015, 6, 30)
    assert schedule.provisional_end is None
    (end,) = kinds(schedule, DeadlineKind.END)
    assert "commun accord" in end.label


def test_an_application_convention_never_outlives_its_parent():
    child = ScheduleInput(
        signed_on=date(2019, 3, 1),
        notice_months=2,
        has_parent=True,
        parent_reference="METROPOLE-PE-2018",
        parent_last_day=date(2023, 11, 5),
    )
    schedule = compute_schedule(child, on=date(2023, 1, 1))
    assert schedule.status == S.IN_FORCE
    assert schedule.current_term_end == date(2023, 11, 5)  # "pour la durée de la convention"
    assert schedule.ends_on == date(2023, 11, 5)
    (end,) = kinds(schedule, DeadlineKind.END)
    assert end.label == "Fin avec la convention parente METROPOLE-PE-2018"
    assert status(child, date(2023, 11, 6)) == S.EXPIRED
    # With a longer duration of its own, the parent's end still wins.
    longer = replace(child, duration_months=120)
    assert compute_schedule(longer, on=date(2023, 1, 1)).ends_on == date(2023, 11, 5)
    # While the parent's end is unknown, it lasts.
    open_ended = replace(child, parent_last_day=None)
    assert compute_schedule(open_ended, on=date(2030, 1, 1)).status == S.IN_FORCE


def test_replaced_by_a_newer_convention_once_that_one_starts():
    successor = Successor(
        signed_on=date(2013, 4, 2), start=date(2013, 7, 1), reference="CRESS-2013"
    )
    data = replace(CRESS, successors=(successor,))
    assert status(data, date(2013, 4, 1)) == S.IN_FORCE
    schedule = compute_schedule(data, on=date(2013, 5, 20))
    assert schedule.status == S.PROVISIONAL
    assert schedule.ends_on == date(2013, 6, 30)
    assert status(data, date(2013, 7, 1)) == S.REPLACED
    (end,) = kinds(schedule, DeadlineKind.END)
    assert end.label == "Dernier jour avant son remplacement par CRESS-2013"
    # The successor's signature settles the notice deadline.
    (notice,) = kinds(schedule, DeadlineKind.NOTICE)
    assert notice.done_on is None  # signed after the deadline of 17 February 2013


def test_expired_then_replaced_when_the_newer_one_starts_later():
    successor = Successor(signed_on=date(2015, 1, 5), start=date(2015, 1, 5))
    data = replace(CRESS, successors=(successor,))
    assert status(data, date(2014, 6, 1)) == S.EXPIRED
    assert status(data, date(2015, 1, 5)) == S.REPLACED


def test_an_unsigned_successor_replaces_nothing():
    successor = Successor(signed_on=None, start=None)
    data = replace(CRESS, successors=(successor,))
    assert status(data, date(2013, 12, 1)) == S.EXPIRED


def test_avenant_with_a_new_duration_moves_the_dates_from_its_signature():
    avenant = DurationChange(signed_on=date(2012, 6, 1), new_duration_months=60, number=1)
    data = replace(CRESS, amendments=(avenant,))
    assert compute_schedule(data, on=date(2012, 5, 31)).current_term_end == date(2013, 5, 16)
    schedule = compute_schedule(data, on=date(2012, 6, 1))
    assert schedule.current_term_end == date(2015, 5, 16)
    assert schedule.notice_deadline == date(2015, 2, 17)
    assert status(data, date(2014, 1, 1)) == S.IN_FORCE


def test_no_provisional_application_after_a_decision_not_to_renew():
    data = replace(CRESS, renewal_decisions=(RenewalEvent(date(2013, 1, 10), False),))
    schedule = compute_schedule(data, on=date(2013, 5, 20))
    assert schedule.status == S.EXPIRED
    assert schedule.ends_on == date(2013, 5, 16)
    assert schedule.provisional_end is None
    assert kinds(schedule, DeadlineKind.PROVISIONAL_END) == []


def test_a_decision_not_to_renew_during_provisional_application_ends_it_that_day():
    data = replace(CRESS, renewal_decisions=(RenewalEvent(date(2013, 8, 1), False),))
    assert status(data, date(2013, 7, 31)) == S.PROVISIONAL
    schedule = compute_schedule(data, on=date(2013, 8, 1))
    assert schedule.ends_on == date(2013, 8, 1)
    assert status(data, date(2013, 8, 2)) == S.EXPIRED


def test_yearly_steering_meetings_due_and_held():
    data = replace(CRESS, meetings_held=(date(2011, 4, 12),))
    schedule = compute_schedule(data, on=date(2012, 6, 1))
    meetings = kinds(schedule, DeadlineKind.MEETING)
    assert [(m.meeting_number, m.due_on, m.done_on) for m in meetings] == [
        (1, date(2011, 5, 16), date(2011, 4, 12)),
        (2, date(2012, 5, 16), None),
        (3, date(2013, 5, 16), None),  # the whole term is within the horizon
    ]
    assert (
        meetings[0].label == "Comité de pilotage annuel n°1 (année du 17 mai 2010 au 16 mai 2011)"
    )


def test_half_yearly_obligations_of_seed_003_due_and_delivered():
    obligation = ObligationInput(
        id=7,
        title="Fournir les données emploi",
        party_name="Pôle emploi",
        every_months=6,
        rhythm_label="Semestrielle",
        deliveries=((date(2019, 8, 31), date(2019, 8, 20)),),
    )
    data = ScheduleInput(signed_on=date(2019, 3, 1), obligations=(obligation,))
    schedule = compute_schedule(data, on=date(2020, 1, 15), horizon=date(2021, 3, 1))
    due = [(d.due_on, d.done_on) for d in kinds(schedule, DeadlineKind.OBLIGATION)]
    assert due == [
        (date(2019, 8, 31), date(2019, 8, 20)),
        (date(2020, 2, 29), None),
        (date(2020, 8, 31), None),
        (date(2021, 2, 28), None),
    ]
    assert kinds(schedule, DeadlineKind.OBLIGATION)[1].label == (
        "Fournir les données emploi — Pôle emploi (échéance semestrielle n°2)"
    )


def test_next_change_is_the_next_date_that_moves_the_status():
    assert compute_schedule(CRESS, on=date(2013, 6, 1)).next_change_on == date(2013, 11, 17)
    # Nothing more happens to an expired convention, unless someone records something.
    assert compute_schedule(CRESS, on=date(2014, 1, 1)).next_change_on is None
    # An open-ended one is recomputed yearly, to extend its periodic deadlines.
    open_ended = ScheduleInput(signed_on=date(2018, 11, 6))
    assert compute_schedule(open_ended, on=date(2024, 2, 29)).next_change_on == date(2025, 3, 1)
