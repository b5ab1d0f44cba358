"""Rows of a convention's yearly cycle and events: action plans and their actions, recurring
obligations and their deliveries, steering meetings, terminations, renewal decisions.

A part of `builder.Builder` (its `fail`, `valid`, `report` and `party`), apart to keep each
module short; the rules are those of `actions.forms`, `actions.services` and
`conventions.services.lifecycle`.
"""

from django.core.exceptions import ValidationError

from actions.enums import Rhythm
from actions.models import (
    Action,
    ActionAudience,
    ActionContribution,
    ActionPlan,
    ActionReview,
    MeetingAttendance,
    Obligation,
    ObligationDate,
    ObligationFulfilment,
    SteeringMeeting,
    school_year_label,
)
from conventions.models import Convention, RenewalDecision, Termination
from conventions.services.lifecycle import check_termination

from .reader import Node


class CycleRows:
    """The yearly cycle and the events of a convention (mixed into `Builder`)."""

    # The yearly cycle -------------------------------------------------------------------

    def action_plans(self, convention, node, parties, annexes):
        """The plans by school year and their actions by (school year, number)."""
        plans: dict[int, ActionPlan | None] = {}
        actions: dict[tuple[int, int], Action] = {}
        carried = []
        for plan_node in node["action_plans"]:
            year = plan_node["school_year"]
            if "school_year" in plan_node.invalid:
                continue  # the reader said why
            if year in plans:
                self.fail(
                    plan_node,
                    "school_year",
                    f"La convention a déjà un plan pour {school_year_label(year)}.",
                )
                continue
            plans[year] = None
            annex = None
            if (rank := plan_node["annex"]) is not None:
                if not 1 <= rank <= len(annexes):
                    known = f"la convention en a {len(annexes)}"
                    self.fail(plan_node, "annex", f"annexe {rank} inconnue : {known}")
                    continue
                annex = annexes[rank - 1]
                if annex is None:
                    continue
            plan = ActionPlan(convention=convention, annex=annex, **plan_node.columns())
            if not self.valid(plan, plan_node):
                continue
            plan.save()
            plans[year] = plan
            for action_node in plan_node["actions"]:
                action = self.action(plan, action_node, parties, actions)
                if action is not None and action_node["carried_from"] is not None:
                    carried.append((action, action_node))
        for action, action_node in carried:
            reference = action_node["carried_from"]
            source = self.action_named(actions, plans, reference, action_node, "carried_from")
            if source is not None:
                Action.objects.filter(pk=action.pk).update(carried_from=source)
        return plans, actions

    def action(self, plan: ActionPlan, node: Node, parties: dict, actions: dict):
        number = node["number"]
        if "number" in node.invalid:
            return None  # the reader said why
        if (plan.school_year, number) in actions:
            self.fail(node, "number", f"L'action n°{number} existe déjà dans ce plan.")
            return None
        action = Action(plan=plan, **node.columns())
        if not self.valid(action, node):
            return None
        action.save()
        actions[(plan.school_year, number)] = action
        ActionAudience.objects.bulk_create(
            ActionAudience(action=action, audience=code)
            for code in dict.fromkeys(node["audiences"])
        )
        given = set()
        for contribution_node in node["contributions"]:
            party = self.party(parties, contribution_node)
            if party is None:
                continue
            if party.pk in given:
                self.fail(contribution_node, "party", "Une seule contribution par partie.")
                continue
            given.add(party.pk)
            contribution = ActionContribution(
                action=action, party=party, **contribution_node.columns()
            )
            if self.valid(contribution, contribution_node):
                contribution.save()
        return action

    def action_named(self, actions, plans, reference: Node, node: Node, key: str):
        if reference is None or reference.invalid:
            return None  # the reader said why
        year, number = reference["school_year"], reference["number"]
        found = actions.get((year, number))
        if found is None and plans.get(year, 0) is not None:  # a refused plan: said already
            self.fail(
                node,
                key,
                f"la convention n'a pas d'action n°{number} au plan {school_year_label(year)}",
            )
        return found

    def obligations(self, convention: Convention, node: Node, parties: dict) -> None:
        for obligation_node in node["obligations"]:
            party = self.party(parties, obligation_node)
            if party is None:
                continue
            obligation = Obligation(convention=convention, party=party, **obligation_node.columns())
            fixed = sorted(set(obligation_node["fixed_dates"]))
            ok = self.valid(obligation, obligation_node)
            if obligation.rhythm == Rhythm.FIXED_DATES and not fixed:
                self.fail(obligation_node, "fixed_dates", "Indiquez au moins une date d'échéance.")
                ok = False
            if obligation.rhythm != Rhythm.FIXED_DATES and fixed:
                self.fail(
                    obligation_node,
                    "fixed_dates",
                    f"des dates fixes ne vont qu'avec le rythme « {Rhythm.FIXED_DATES.value} »",
                )
            if not ok:
                continue
            obligation.save()
            ObligationDate.objects.bulk_create(
                ObligationDate(obligation=obligation, due_on=day) for day in fixed
            )
            delivered = set()
            for fulfilment_node in obligation_node["fulfilments"]:
                fulfilment = ObligationFulfilment(
                    obligation=obligation, **fulfilment_node.columns()
                )
                if fulfilment.due_on in delivered:
                    self.fail(
                        fulfilment_node,
                        "due_on",
                        "Une livraison est déjà enregistrée pour cette échéance.",
                    )
                    continue
                if fulfilment.delivered_on and fulfilment.delivered_on > self.today:
                    self.fail(
                        fulfilment_node,
                        "delivered_on",
                        "La date de livraison ne peut pas être dans le futur.",
                    )
                if self.valid(fulfilment, fulfilment_node):
                    fulfilment.save()
                    delivered.add(fulfilment.due_on)

    def meetings(self, convention, node, parties, plans, actions) -> None:
        for meeting_node in node["steering_meetings"]:
            meeting = SteeringMeeting(convention=convention, **meeting_node.columns())
            for key in ("reviewed_plan", "adopted_plan"):
                year = meeting_node[key]
                if year is not None and plans.get(year) is None and year not in plans:
                    self.fail(
                        meeting_node,
                        key,
                        f"la convention n'a pas de plan d'action {school_year_label(year)}",
                    )
                setattr(meeting, key, plans.get(year) if year is not None else None)
            if not self.valid(meeting, meeting_node):
                continue
            meeting.save()
            attended = set()
            for attendance_node in meeting_node["attendances"]:
                party = self.party(parties, attendance_node)
                if party is None:
                    continue
                if party.pk in attended:
                    self.fail(
                        attendance_node, "party", "Une seule ligne de participants par partie."
                    )
                    continue
                attended.add(party.pk)
                attendance = MeetingAttendance(
                    meeting=meeting, party=party, **attendance_node.columns()
                )
                if self.valid(attendance, attendance_node):
                    attendance.save()
            reviewed = set()
            for review_node in meeting_node["reviews"]:
                reference = review_node["action"]
                action = self.action_named(actions, plans, reference, review_node, "action")
                if action is None:
                    continue
                if action.pk in reviewed:
                    self.fail(
                        review_node, "action", "Cette action a déjà son bilan dans ce comité."
                    )
                    continue
                reviewed.add(action.pk)
                review = ActionReview(meeting=meeting, action=action, **review_node.columns())
                if self.valid(review, review_node):
                    review.save()

    # Events -----------------------------------------------------------------------------

    def terminations(self, convention: Convention, node: Node, parties: dict) -> None:
        for termination_node in node["terminations"]:
            if not convention.signed_on:
                if "signed_on" not in node.invalid:
                    self.fail(
                        termination_node, None, "Seule une convention signée peut être résiliée."
                    )
                continue
            party = None
            if termination_node["party"]:
                party = self.party(parties, termination_node)
                if party is None:
                    continue
            termination = Termination(
                convention=convention, party=party, **termination_node.columns()
            )
            try:
                check_termination(termination)
            except ValidationError as error:
                self.report(error, termination_node)
                continue
            if self.valid(termination, termination_node):
                termination.save()

    def renewal_decisions(self, convention: Convention, node: Node) -> None:
        for decision_node in node["renewal_decisions"]:
            if not convention.signed_on:
                if "signed_on" not in node.invalid:
                    self.fail(
                        decision_node, None, "Seule une convention signée peut être reconduite."
                    )
                continue
            decision = RenewalDecision(convention=convention, **decision_node.columns())
            if self.valid(decision, decision_node):
                decision.save()
