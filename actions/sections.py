"""What the actions app shows on the convention page (`conventions.extensions`)."""

from conventions.extensions import PageSection, if_any

from . import rights
from .reading import plans_with_rows


def convention_cycle(request, convention, page) -> dict:
    """The action plans with their actions, the steering meetings, the recurring
    obligations: five queries at most, whatever their number, none for what the convention
    has not (`PageSection.parts`). A plan's actions and their contributions are read as
    plain values (`reading.plans_with_rows`), its table cached by what it shows
    (`cycle.plan_key`): a convention of two plans built and rendered 130 objects, a third
    of the page's CPU (make bench)."""
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


CONVENTION_CYCLE = PageSection(
    slot="cycle",
    anchor="mise-en-oeuvre",
    title="Plans d'action et comités",
    template="actions/_convention_section.html",
    context=convention_cycle,
    parts=("action_plans", "steering_meetings", "obligations"),
)
