"""The rows of the yearly cycle in a convention's « Historique » (`conventions.extensions`)."""

from django.db.models import Q

from conventions.extensions import HistoryKind

from .models import Action, ActionPlan, Obligation, ObligationFulfilment, SteeringMeeting


def _of_plans(convention_id, history_of) -> Q:
    """Actions through their plan's history: a deleted plan still brings its actions."""
    plans = history_of(ActionPlan).objects.filter(convention_id=convention_id).values("id")
    return Q(plan_id__in=plans)


def _of_obligations(convention_id, history_of) -> Q:
    obligations = history_of(Obligation).objects.filter(convention_id=convention_id)
    return Q(obligation_id__in=obligations.values("id"))


KINDS = [
    HistoryKind("actionplan", ActionPlan),
    HistoryKind("action", Action, _of_plans),
    HistoryKind("meeting", SteeringMeeting),
    HistoryKind("obligation", Obligation),
    HistoryKind("fulfilment", ObligationFulfilment, _of_obligations),
]
