"""The services of the yearly cycle: carrying a plan over, meetings and reviews, obligations
and deliveries, and the échéancier that follows them at once (time pinned)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actions import services
from actions.enums import ActionStatus, Audience, Rhythm
from actions.models import Action, ActionReview, Obligation, ObligationFulfilment, SteeringMeeting
from echeancier.enums import DeadlineKind
from echeancier.models import Deadline
from echeancier.refresh import refresh_schedule
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ConventionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _action(plan, number, status, **kwargs):
    action = ActionFactory(plan=plan, number=number, status=status, **kwargs)
    return action


def test_carry_over_keeps_what_was_not_done_renumbered_with_parties_and_audiences():
    plan = ActionPlanFactory(school_year=2010, title="Plan de partenariat")
    academy, partner = plan.convention.parties.order_by("position")
    done = _action(plan, 1, ActionStatus.DONE, title="Salon Métierama", pupils_reached=300)
    planned = _action(plan, 2, ActionStatus.PLANNED, title="Visites d'entreprises")
    _action(plan, 3, ActionStatus.ABANDONED, title="Forum abandonné")
    under_way = _action(
        plan,
        4,
        ActionStatus.IN_PROGRESS,
        title="Outil pédagogique SES",
        axis="Actions pédagogiques",
        start_label="Rentrée scolaire 2010-2011",
        pupils_reached=40,
        events_held=2,
        results_comment="Deux fiches faites",
    )
    services.action_save(
        action=planned,
        audiences=[Audience.MIDDLE_SCHOOL, Audience.PARENTS],
        contributions={partner.pk: "Professionnels volontaires", academy.pk: "Préparation"},
    )

    new = services.plan_carry_over(plan=plan)

    assert new.school_year == 2011 and new.title == "Plan de partenariat"
    actions = list(new.actions.order_by("number"))
    assert [(a.number, a.title, a.status) for a in actions] == [
        (1, "Visites d'entreprises", ActionStatus.PLANNED),
        (2, "Outil pédagogique SES", ActionStatus.IN_PROGRESS),
    ]
    first, second = actions
    assert first.carried_from == planned and second.carried_from == under_way
    assert first.start_label == "Rentrée scolaire 2011-2012"
    assert second.start_label == "Rentrée scolaire 2010-2011"  # already under way
    assert second.axis == "Actions pédagogiques"
    # Results start afresh.
    assert (second.pupils_reached, second.events_held, second.results_comment) == (None, None, "")
    assert sorted(a.audience for a in first.audiences.all()) == ["middle_school", "parents"]
    assert {c.party_id: c.text for c in first.contributions.all()} == {
        partner.pk: "Professionnels volontaires",
        academy.pk: "Préparation",
    }
    # The old plan is untouched.
    assert plan.actions.count() == 4
    done.refresh_from_db()
    assert done.pupils_reached == 300

    with pytest.raises(ValidationError, match="déjà un plan pour 2011-2012"):
        services.plan_carry_over(plan=plan)


def test_carry_over_of_a_plan_all_done_gives_an_empty_plan():
    plan = ActionPlanFactory(school_year=2015)
    _action(plan, 1, ActionStatus.DONE)
    new = services.plan_carry_over(plan=plan, title="Plan 2016")
    assert new.title == "Plan 2016" and new.actions.count() == 0


def test_action_numbers_follow_and_stay_unique():
    plan = ActionPlanFactory()
    first = services.action_save(action=Action(plan=plan, axis="A", title="Un"), audiences=[])
    second = services.action_save(action=Action(plan=plan, axis="A", title="Deux"), audiences=[])
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError):
        services.action_save(
            action=Action(plan=plan, number=1, axis="A", title="Doublon"), audiences=[]
        )


def _meeting_deadlines(convention):
    return list(
        Deadline.objects.filter(convention=convention, kind=DeadlineKind.MEETING)
        .order_by("due_on")
        .values_list("meeting_number", "due_on", "done_on")
    )


@time_machine.travel(datetime.datetime(2011, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_a_recorded_meeting_settles_its_year_in_the_echeancier_at_once():
    convention = ConventionFactory(signed=True, yearly_steering_meeting=True)
    refresh_schedule(convention, today=D(2011, 6, 1))
    # Due by 16 May 2011 and not held: overdue on 1 June 2011.
    assert _meeting_deadlines(convention)[0] == (1, D(2011, 5, 16), None)
    assert Deadline.objects.overdue(D(2011, 6, 1)).filter(convention=convention).exists()

    plan = ActionPlanFactory(convention=convention, school_year=2010)
    action = _action(plan, 1, ActionStatus.IN_PROGRESS)
    meeting = services.meeting_save(
        meeting=SteeringMeeting(
            convention=convention, held_on=D(2011, 5, 10), place="Rectorat", reviewed_plan=plan
        ),
        attendees={p.pk: f"Délégué de {p.pk}" for p in convention.parties.all()},
    )
    assert meeting.attendances.count() == 2
    assert _meeting_deadlines(convention)[0] == (1, D(2011, 5, 16), D(2011, 5, 10))
    assert not Deadline.objects.overdue(D(2011, 6, 1)).filter(convention=convention).exists()

    services.action_review_save(
        meeting=meeting,
        action=action,
        status=ActionStatus.DONE,
        pupils_reached=120,
        events_held=3,
        assessment="Objectifs atteints",
    )
    action.refresh_from_db()
    assert (action.status, action.pupils_reached, action.events_held) == ("done", 120, 3)
    assert action.results_comment == "Objectifs atteints"
    # Reviewing again corrects the same review.
    services.action_review_save(
        meeting=meeting,
        action=action,
        status=ActionStatus.DONE,
        pupils_reached=150,
        events_held=3,
        assessment="Chiffres corrigés",
    )
    assert ActionReview.objects.get(meeting=meeting).pupils_reached == 150

    services.meeting_delete(meeting=meeting)
    assert _meeting_deadlines(convention)[0] == (1, D(2011, 5, 16), None)


def test_a_meeting_cannot_adopt_another_conventions_plan():
    convention = ConventionFactory(signed=True)
    foreign = ActionPlanFactory()
    with pytest.raises(ValidationError):
        services.meeting_save(
            meeting=SteeringMeeting(
                convention=convention, held_on=D(2011, 5, 10), adopted_plan=foreign
            ),
            attendees={},
        )
    assert not SteeringMeeting.objects.exists()


def test_obligation_deliveries_and_overdue_detection_as_time_passes():
    convention = ConventionFactory(signed=True)  # from 17 May 2010
    party = convention.parties.order_by("position").last()
    with time_machine.travel(D(2010, 6, 1), tick=False):
        obligation = services.obligation_save(
            obligation=Obligation(
                convention=convention, party=party, title="Données emploi", rhythm="half_yearly"
            )
        )
    first_due = D(2010, 11, 16)  # term_last_day(17 May 2010, 6)

    def overdue(today):
        refresh_schedule(convention, today=today)
        return list(
            Deadline.objects.overdue(today)
            .filter(obligation=obligation)
            .order_by("due_on")
            .values_list("due_on", flat=True)
        )

    assert overdue(D(2010, 11, 16)) == []  # due today: not late yet
    assert overdue(D(2010, 11, 17)) == [first_due]
    assert overdue(D(2011, 5, 17)) == [first_due, D(2011, 5, 16)]

    with time_machine.travel(D(2011, 5, 20), tick=False):
        services.fulfilment_save(
            fulfilment=ObligationFulfilment(
                obligation=obligation,
                due_on=first_due,
                delivered_on=D(2011, 5, 20),
                description="Données du 1er semestre",
            )
        )
        # Refreshed at once by the service: only the second half-year is still late.
        assert list(
            Deadline.objects.overdue(D(2011, 5, 20))
            .filter(obligation=obligation)
            .values_list("due_on", flat=True)
        ) == [D(2011, 5, 16)]
        with pytest.raises(ValidationError):
            services.fulfilment_save(
                fulfilment=ObligationFulfilment(
                    obligation=obligation, due_on=first_due, delivered_on=D(2011, 5, 20)
                )
            )


@time_machine.travel(datetime.datetime(2011, 1, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_fixed_date_obligations_reach_the_echeancier():
    convention = ConventionFactory(signed=True)
    party = convention.parties.order_by("position").first()
    obligation = services.obligation_save(
        obligation=Obligation(
            convention=convention, party=party, title="Bilan financier", rhythm=Rhythm.FIXED_DATES
        ),
        fixed_dates=[D(2011, 3, 31), D(2010, 12, 31)],
    )
    rows = list(
        Deadline.objects.filter(obligation=obligation)
        .order_by("due_on")
        .values_list("due_on", "label")
    )
    assert [r[0] for r in rows] == [D(2010, 12, 31), D(2011, 3, 31)]
    assert "à dates fixes" in rows[0][1]
    assert Deadline.objects.overdue(D(2011, 1, 10)).filter(obligation=obligation).count() == 1

    # Changing the dates changes the échéancier.
    obligation.rhythm = Rhythm.FIXED_DATES
    services.obligation_save(obligation=obligation, fixed_dates=[D(2011, 6, 30)])
    dues = Deadline.objects.filter(obligation=obligation).values_list("due_on", flat=True)
    assert list(dues) == [D(2011, 6, 30)]
    with pytest.raises(ValidationError):
        services.obligation_save(obligation=obligation, fixed_dates=[])
