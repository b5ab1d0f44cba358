"""Stored schedules: refresh_schedule, the daily refresh_schedules command, loaddemo."""

import datetime
import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import ObligationFulfilment
from conventions.enums import ConventionKind
from conventions.enums import ConventionStatus as S
from conventions.models import Convention
from devtools.demo import load_demo
from echeancier.enums import DeadlineKind
from echeancier.models import Deadline
from echeancier.refresh import refresh_due_schedules, refresh_schedule
from partners.models import Organisation
from tests.factories import (
    ConventionFactory,
    ObligationFactory,
    RenewalDecisionFactory,
    SteeringMeetingFactory,
    TerminationFactory,
)

pytestmark = pytest.mark.django_db


def _daily(on):
    """What cron does on the morning of `on`."""
    with time_machine.travel(datetime.datetime(on.year, on.month, on.day, 6, tzinfo=datetime.UTC)):
        call_command("refresh_schedules", stdout=io.StringIO())


def _reload(convention):
    return Convention.objects.get(pk=convention.pk)


def test_seed_004_stored_schedule_and_status_today_and_in_2012(db):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)):
        load_demo()
    cress = Convention.objects.get(reference="CRESS-PACA-2010")
    assert cress.term_start == date(2010, 5, 17)
    assert cress.current_term_end == date(2013, 5, 16)
    assert cress.notice_deadline == date(2013, 2, 17)
    assert cress.provisional_end == date(2013, 11, 16)
    assert cress.status == S.EXPIRED
    assert cress.get_status_display() == "Échue"
    refresh_schedule(cress, today=date(2012, 3, 1))
    assert cress.status == S.IN_FORCE
    assert _reload(cress).get_status_display() == "En vigueur"
    # Every loaded convention has been computed; the drafts stay drafts.
    assert not Convention.objects.filter(schedule_computed_on__isnull=True).exists()
    assert Convention.objects.get(reference="CITE-METIERS").status == S.DRAFT
    assert Convention.objects.get(reference="METROPOLE-PE-2018").status == S.IN_FORCE


def test_time_machine_through_every_status_of_one_convention():
    convention = ConventionFactory(duration_months=12, notice_months=3, provisional_months=2)
    refresh_schedule(convention, today=date(2024, 1, 10))
    assert convention.status == S.DRAFT

    convention.sent_for_signature_on = date(2024, 1, 15)
    convention.save()
    refresh_schedule(convention, today=date(2024, 1, 15))
    assert _reload(convention).status == S.IN_SIGNATURE

    convention.signed_on = date(2024, 2, 1)
    convention.effective_date = date(2024, 3, 1)
    convention.save()
    refresh_schedule(convention, today=date(2024, 2, 1))
    convention = _reload(convention)
    assert convention.status == S.SIGNED
    assert convention.next_refresh_on == date(2024, 3, 1)
    assert convention.current_term_end == date(2025, 2, 28)
    assert convention.notice_deadline == date(2024, 12, 1)

    _daily(date(2024, 2, 29))
    assert _reload(convention).status == S.SIGNED
    _daily(date(2024, 3, 1))
    assert _reload(convention).status == S.IN_FORCE
    _daily(date(2025, 3, 1))
    assert _reload(convention).status == S.PROVISIONAL
    assert _reload(convention).provisional_end == date(2025, 4, 30)

    # A new convention replaces it during the negotiation.
    successor = ConventionFactory(
        renews=convention, signed_on=date(2025, 4, 10), effective_date=date(2025, 4, 15)
    )
    refresh_schedule(successor, today=date(2025, 4, 10))
    convention = _reload(convention)
    assert convention.status == S.PROVISIONAL
    assert convention.ends_on == date(2025, 4, 14)
    _daily(date(2025, 4, 15))
    assert _reload(successor).status == S.IN_FORCE
    assert _reload(convention).status == S.REPLACED

    # The successor: a letter of termination, then the end it asks for.
    TerminationFactory(
        convention=successor,
        kind="notice",
        received_on=date(2025, 6, 2),
        requested_on=date(2025, 10, 1),
    )
    refresh_schedule(successor, today=date(2025, 6, 2))
    successor = _reload(successor)
    assert successor.status == S.TERMINATING
    assert successor.ends_on == date(2025, 9, 30)
    _daily(date(2025, 9, 30))
    assert _reload(successor).status == S.TERMINATING
    _daily(date(2025, 10, 1))
    assert _reload(successor).status == S.TERMINATED


def test_expired_after_a_decision_not_to_renew():
    convention = ConventionFactory(signed=True, provisional_months=6)
    RenewalDecisionFactory(convention=convention, decided_on=date(2013, 1, 15), renew=False)
    refresh_schedule(convention, today=date(2013, 1, 15))
    convention = _reload(convention)
    assert (convention.status, convention.ends_on) == (S.IN_FORCE, date(2013, 5, 16))
    assert convention.provisional_end is None
    notice = convention.deadlines.get(kind=DeadlineKind.NOTICE)
    assert notice.done_on == date(2013, 1, 15)
    _daily(date(2013, 5, 17))
    assert _reload(convention).status == S.EXPIRED


def test_breach_then_cure_recorded():
    convention = ConventionFactory(signed=True, duration_months=None)
    breach = TerminationFactory(convention=convention, kind="breach", received_on=date(2012, 1, 9))
    refresh_schedule(convention, today=date(2012, 1, 9))
    assert _reload(convention).status == S.TERMINATING
    assert _reload(convention).ends_on == date(2012, 2, 8)
    breach.cured_on = date(2012, 2, 1)
    breach.save()
    refresh_schedule(convention, today=date(2012, 2, 1))
    convention = _reload(convention)
    assert (convention.status, convention.ends_on) == (S.IN_FORCE, None)
    assert not convention.deadlines.filter(kind=DeadlineKind.END).exists()


def test_a_parent_ending_ends_its_application_conventions():
    parent = ConventionFactory(signed=True, duration_months=None, notice_months=0)
    child = ConventionFactory(
        kind=ConventionKind.APPLICATION,
        parent=parent,
        signed_on=date(2011, 3, 1),
        duration_months=None,
        notice_months=2,
    )
    refresh_schedule(parent, today=date(2012, 1, 1))
    refresh_schedule(child, today=date(2012, 1, 1))
    assert _reload(child).ends_on is None
    assert list(parent.dependents_ending_with_it()) == [child]

    TerminationFactory(
        convention=parent,
        kind="mutual",
        received_on=date(2012, 1, 5),
        agreed_last_day=date(2012, 6, 30),
    )
    refresh_schedule(parent, today=date(2012, 1, 5))  # cascades to the child
    child = _reload(child)
    assert child.ends_on == date(2012, 6, 30)
    assert child.current_term_end == date(2012, 6, 30)
    assert child.status == S.IN_FORCE
    assert child.deadlines.get(kind=DeadlineKind.END).label == (
        f"Fin avec la convention parente {parent.reference}"
    )
    _daily(date(2012, 7, 1))
    assert _reload(parent).status == S.TERMINATED
    assert _reload(child).status == S.EXPIRED
    assert list(parent.dependents_ending_with_it()) == []


def test_a_parent_refreshed_with_its_child_in_one_batch_ends_it():
    parent = ConventionFactory(signed_on=date(2010, 1, 4), duration_months=24)
    child = ConventionFactory(
        kind=ConventionKind.APPLICATION,
        parent=parent,
        signed_on=date(2010, 3, 1),
        duration_months=None,
        notice_months=0,
    )
    # Neither computed yet: one batch holds both, the child's turn comes with its parent's
    # end not stored yet.
    assert refresh_due_schedules(today=date(2011, 1, 1)) >= 2
    child = _reload(child)
    assert child.ends_on == _reload(parent).ends_on == date(2012, 1, 3)
    assert child.deadlines.get(kind=DeadlineKind.END).label == (
        f"Fin avec la convention parente {parent.reference}"
    )


def test_deadline_rows_keep_their_identity_and_learn_what_was_done():
    convention = ConventionFactory(signed=True, yearly_steering_meeting=True)
    obligation = ObligationFactory(convention=convention)
    refresh_schedule(convention, today=date(2011, 1, 1))
    meeting = convention.deadlines.get(kind=DeadlineKind.MEETING, meeting_number=1)
    first_delivery = convention.deadlines.get(obligation=obligation, due_on=date(2010, 11, 16))
    assert meeting.due_on == date(2011, 5, 16)
    assert first_delivery.done_on is None
    assert Deadline.objects.overdue(date(2011, 1, 1)).filter(pk=first_delivery.pk).exists()

    SteeringMeetingFactory(convention=convention, held_on=date(2011, 5, 3))
    ObligationFulfilment.objects.create(
        obligation=obligation, due_on=date(2010, 11, 16), delivered_on=date(2011, 1, 20)
    )
    refresh_schedule(convention, today=date(2011, 6, 1))
    meeting_after = convention.deadlines.get(kind=DeadlineKind.MEETING, meeting_number=1)
    assert (meeting_after.pk, meeting_after.done_on) == (meeting.pk, date(2011, 5, 3))
    first_delivery.refresh_from_db()
    assert first_delivery.done_on == date(2011, 1, 20)
    assert not Deadline.objects.overdue(date(2011, 6, 1)).filter(pk=first_delivery.pk).exists()


def test_periodic_deadlines_are_materialised_two_years_ahead_and_extended_daily():
    convention = ConventionFactory(signed_on=date(2020, 1, 1), duration_months=None)
    ObligationFactory(convention=convention, rhythm="quarterly")
    refresh_schedule(convention, today=date(2020, 1, 1))
    assert convention.deadlines.order_by("due_on").last().due_on == date(2021, 12, 31)
    assert _reload(convention).next_refresh_on == date(2021, 1, 1)
    _daily(date(2021, 1, 1))
    assert convention.deadlines.order_by("due_on").last().due_on == date(2022, 12, 31)


def test_the_daily_command_recomputes_only_what_time_can_change():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)):
        load_demo()
    assert refresh_due_schedules(today=date(2026, 11, 23)) == 0
    # METROPOLE-PE-2018 (open-ended) is due again a year later, for its horizon.
    assert refresh_due_schedules(today=date(2027, 11, 23)) == 1


def _due_conventions(count):
    for _ in range(count):
        convention = ConventionFactory(signed=True, yearly_steering_meeting=True)
        ObligationFactory(convention=convention)
        TerminationFactory(convention=convention, kind="breach", received_on=date(2011, 1, 3))
        RenewalDecisionFactory(convention=convention)


def test_the_daily_command_costs_the_same_queries_for_3_or_12_conventions():
    _due_conventions(3)
    with CaptureQueriesContext(connection) as few:
        assert refresh_due_schedules(today=date(2011, 1, 3)) == 3
    _due_conventions(9)
    Convention.objects.update(schedule_computed_on=None)
    with CaptureQueriesContext(connection) as many:
        assert refresh_due_schedules(today=date(2011, 1, 3)) == 12
    assert len(many) == len(few), [q["sql"] for q in many]


def test_an_edit_in_the_admin_recomputes_the_schedule(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    convention = ConventionFactory(signed=True, provisional_months=6)
    refresh_schedule(convention, today=date(2013, 1, 2))
    assert _reload(convention).provisional_end == date(2013, 11, 16)
    with time_machine.travel(datetime.datetime(2013, 1, 15, 9, tzinfo=datetime.UTC)):
        response = client.post(
            "/admin/conventions/renewaldecision/add/",
            {"convention": convention.pk, "decided_on": "15/01/2013", "renew": "", "note": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    convention = _reload(convention)
    assert (convention.ends_on, convention.provisional_end) == (date(2013, 5, 16), None)
    assert convention.deadlines.get(kind=DeadlineKind.NOTICE).done_on == date(2013, 1, 15)


def test_a_missed_notice_deadline_is_overdue_until_its_term_ends():
    convention = ConventionFactory(
        signed_on=date(2020, 1, 1), duration_months=12, notice_months=3, tacit_renewal=True
    )
    refresh_schedule(convention, today=date(2020, 10, 2))
    notice = convention.deadlines.get(kind=DeadlineKind.NOTICE, due_on=date(2020, 10, 1))
    assert notice.lapses_on == date(2020, 12, 31)
    assert list(Deadline.objects.overdue(date(2020, 10, 2))) == [notice]
    assert list(Deadline.objects.overdue(date(2020, 12, 31))) == [notice]
    _daily(date(2021, 1, 1))  # renewed tacitly: nothing left to decide for 2020
    assert not Deadline.objects.overdue(date(2021, 1, 1)).exists()
    assert _reload(convention).notice_deadline == date(2021, 10, 1)


def test_long_titles_fit_the_label_column():
    convention = ConventionFactory(signed=True)
    ObligationFactory(convention=convention, title="Fournir " + "des données " * 20)
    partner = convention.parties.order_by("position").last().organisation
    Organisation.objects.filter(pk=partner.pk).update(name="Association " * 20, short_name="")
    refresh_schedule(convention, today=date(2011, 1, 1))
    labels = convention.deadlines.filter(kind=DeadlineKind.OBLIGATION).values_list(
        "label", flat=True
    )
    assert labels and all(len(label) <= 400 and label.endswith("…") for label in labels)
    before = list(convention.deadlines.order_by("pk").values_list("pk", "label"))
    refresh_schedule(convention, today=date(2011, 1, 1))
    assert list(convention.deadlines.order_by("pk").values_list("pk", "label")) == before
