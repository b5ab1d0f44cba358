"""What the actions app shows on the convention page (`conventions.extensions`)."""

from collections import defaultdict
from typing import NamedTuple

from conventions.extensions import PageSection, if_any

from . import rights
from .enums import ActionStatus
from .models import Action, ActionContribution


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


def convention_cycle(request, convention, page) -> dict:
    """The action plans with their actions, the steering meetings, the recurring
    obligations: five queries at most, whatever their number, none for what the convention
    has not (`PageSection.parts`). A plan's actions and their contributions are read as
    plain values (`plan.rows`), its table cached by what it shows (`cycle.plan_key`): a
    convention of two plans built and rendered 130 objects, a third of the page's CPU
    (make bench)."""
    return {
        "action_plans": plans_with_rows(convention),
        "meetings": if_any(
            convention,
            "steering_meetings",
            convention.steering_meetings.select_related("adopted_plan").order_by("-held_on"),
        ),
        "obligations": if_any(
            convention,
            "obligations",
            convention.obligations.select_related("party__organisation").order_by(
                "party__position", "pk"
            ),
        ),
        "can_plan": rights.can_manage_plans(convention, request.user),
        "can_meet": rights.can_record_meetings(convention, request.user),
        "can_oblige": rights.can_manage_obligations(convention, request.user),
    }


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


CONVENTION_CYCLE = PageSection(
    slot="cycle",
    anchor="mise-en-oeuvre",
    title="Plans d'action et comités",
    template="actions/_convention_section.html",
    context=convention_cycle,
    parts=("action_plans", "steering_meetings", "obligations"),
)
