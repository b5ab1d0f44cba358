"""What the actions app shows on the convention page (`conventions.extensions`)."""

from django.db.models import Prefetch

from conventions.extensions import PageSection

from . import rights
from .models import Action, ActionContribution


def convention_cycle(request, convention, page) -> dict:
    """The action plans with their actions, the steering meetings, the recurring
    obligations (five queries, whatever their number)."""
    return {
        "action_plans": convention.action_plans.order_by("-school_year").prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("number")),
            Prefetch(
                "actions__contributions",
                queryset=ActionContribution.objects.select_related("party__organisation").order_by(
                    "pk"
                ),
            ),
        ),
        "meetings": convention.steering_meetings.select_related("adopted_plan").order_by(
            "-held_on"
        ),
        "obligations": convention.obligations.select_related("party__organisation").order_by(
            "party__position", "pk"
        ),
        "can_plan": rights.can_manage_plans(convention, request.user),
        "can_meet": rights.can_record_meetings(convention, request.user),
        "can_oblige": rights.can_manage_obligations(convention, request.user),
    }


CONVENTION_CYCLE = PageSection(
    slot="cycle",
    anchor="mise-en-oeuvre",
    title="Plans d'action et comités",
    template="actions/_convention_section.html",
    context=convention_cycle,
)
