"""Reading a convention's yearly cycle in a fixed number of queries, whatever its size.

Shared by the staff pages, the yearly review PDF and the partner portal: each function
takes a convention and returns plain model instances with what they show attached.
"""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Prefetch

from conventions.extensions import if_any
from conventions.models import Convention, Party

from . import occurrences as occ
from .enums import ActionStatus, Audience
from .models import (
    Action,
    ActionAudience,
    ActionContribution,
    ActionPlan,
    ActionReview,
    MeetingAttendance,
    Obligation,
    ObligationFulfilment,
    SteeringMeeting,
    school_year_label,
)


def parties_of(convention: Convention) -> list[Party]:
    """One query."""
    return list(convention.parties.select_related("organisation").order_by("position", "pk"))


def plans_of(convention: Convention):
    """The convention's plans, latest year first, with their counts. One query."""
    return convention.action_plans.with_counts().order_by("-school_year")


def actions_with_details(actions):
    """Actions with their contributions (and party names) and audiences: two more queries."""
    return actions.prefetch_related(
        Prefetch(
            "contributions",
            # The order the document gives them.
            queryset=ActionContribution.objects.select_related("party__organisation").order_by(
                "pk"
            ),
        ),
        Prefetch("audiences", queryset=ActionAudience.objects.order_by("audience")),
    )


def plan_actions(plan: ActionPlan) -> list[Action]:
    """A plan's actions in order, with details. Three queries."""
    return list(actions_with_details(plan.actions.order_by("number")))


def meetings_of(convention: Convention, *, between=None):
    """The convention's steering meetings, latest first, with attendees and the plans they
    reviewed and adopted (optionally those held `between` two dates). Two queries."""
    meetings = convention.steering_meetings.select_related("adopted_plan", "reviewed_plan")
    if between is not None:
        meetings = meetings.filter(held_on__range=between)
    return meetings.prefetch_related(
        Prefetch(
            "attendances",
            queryset=MeetingAttendance.objects.select_related("party__organisation").order_by(
                "party__position", "pk"
            ),
        )
    ).order_by("-held_on", "-pk")


def meeting_reviews(meeting: SteeringMeeting) -> dict[int, ActionReview]:
    """{action pk: review} of one meeting. One query."""
    return {r.action_id: r for r in meeting.reviews.order_by("pk")}


def obligations_of(
    convention: Convention,
    *,
    today: datetime.date,
    party: Party | None = None,
    ahead_months: int = occ.AHEAD_MONTHS,
) -> list[Obligation]:
    """The convention's obligations (or one party's), each with `.occurrences` (every due
    occurrence with its status on `today`) and `.summary`. Three queries."""
    obligations = convention.obligations.select_related("party__organisation").prefetch_related(
        "fixed_dates",
        Prefetch("fulfilments", queryset=ObligationFulfilment.objects.order_by("due_on", "pk")),
    )
    if party is not None:
        obligations = obligations.filter(party=party)
    result = list(obligations.order_by("party__position", "pk"))
    for obligation in result:
        attach_occurrences(convention, obligation, today=today, ahead_months=ahead_months)
    return result


def attach_occurrences(
    convention: Convention,
    obligation: Obligation,
    *,
    today: datetime.date,
    ahead_months: int = occ.AHEAD_MONTHS,
) -> Obligation:
    """Sets `.occurrences`, `.summary` and `.other_fulfilments` (deliveries for a date that
    is no longer due, after a change of rhythm) on an obligation whose `fixed_dates` and
    `fulfilments` are prefetched (or fetched here)."""
    fulfilments = list(obligation.fulfilments.all())
    obligation.occurrences = occ.occurrences(
        start=convention.start_date,
        every_months=obligation.every_months,
        fixed_dates=[d.due_on for d in obligation.fixed_dates.all()],
        deliveries=[occ.Delivery(f.due_on, f.delivered_on, f) for f in fulfilments],
        on=today,
        ends_on=convention.ends_on,
        ahead_months=ahead_months,
    )
    dues = {o.due_on for o in obligation.occurrences}
    obligation.other_fulfilments = [f for f in fulfilments if f.due_on not in dues]
    obligation.summary = occ.summary(obligation.occurrences)
    return obligation


OVERVIEW_FIELDS = ("pk", "plan__convention__reference", "plan__school_year", "axis", "number",
                   "title", "status", "pupils_reached", "events_held")  # fmt: skip


class OverviewRow(NamedTuple):
    """An action as a row of the overview (/actions/) shows it, read as plain values
    (`overview_rows`)."""

    reference: str  # its convention's
    school_year: int
    axis: str
    number: int
    title: str
    audiences: tuple[str, ...]
    status: str
    pupils_reached: int | None
    events_held: int | None

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(audience).label for audience in self.audiences]

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label


def overview_rows(actions) -> list[OverviewRow]:
    """The rows of `actions` (a queryset, sliced or not), in its order: two queries of plain
    values, a third of the CPU of the actions with their plan, convention and audiences
    (make bench)."""
    values = list(
        actions.values_list(
            "pk",
            "plan__convention__reference",
            "plan__school_year",
            "axis",
            "number",
            "title",
            "status",
            "pupils_reached",
            "events_held",
        )  # fmt: skip
    )
    audiences = defaultdict(list)
    for action_id, audience in (
        ActionAudience.objects.filter(action_id__in=[row[0] for row in values])
        .order_by("action_id", "audience")
        .values_list("action_id", "audience")
    ):
        audiences[action_id].append(audience)
    return [
        OverviewRow(reference, year, axis, number, title, tuple(audiences[pk]), *rest)
        for pk, reference, year, axis, number, title, *rest in values
    ]


class ActionRow(NamedTuple):
    """An action as the convention page lists it, with its parties' contributions as
    (organisation's name, text) pairs."""

    number: int
    axis: str
    title: str
    objective: str
    start_label: str
    status: str
    contributions: tuple[tuple[str, str], ...]

    @property
    def status_label(self):
        return ActionStatus(self.status).label


def plans_with_rows(convention) -> list:
    """The convention's action plans, the latest first, each with its actions as
    `plan.rows` (`ActionRow`): three queries, none when it has no plan (`if_any`)."""
    plans = list(
        if_any(convention, "action_plans", convention.action_plans.order_by("-school_year"))
    )
    rows = _action_rows(convention) if plans else {}
    for plan in plans:
        plan.rows = rows.get(plan.pk, [])
    return plans


def _action_rows(convention) -> dict[int, list[ActionRow]]:
    """{plan pk: its actions in order}, in two queries."""
    contributions = defaultdict(list)
    for action_id, short_name, name, text in (
        ActionContribution.objects.filter(action__plan__convention=convention)
        .order_by("pk")
        .values_list(
            "action_id", "party__organisation__short_name", "party__organisation__name", "text"
        )
    ):
        contributions[action_id].append((short_name or name, text))
    rows = defaultdict(list)
    for pk, plan_id, *shown in (
        Action.objects.filter(plan__convention=convention)
        .order_by("number")
        .values_list(
            "pk", "plan_id", "number", "axis", "title", "objective", "start_label", "status"
        )
    ):
        rows[plan_id].append(ActionRow(*shown, tuple(contributions[pk])))
    return rows
