"""Writes of the partnership's yearly cycle: plans and actions, steering meetings and their
reviews, obligations and their fulfilments.

Every function takes keyword-only arguments and runs in one transaction. Those that change
what the échéancier shows (meetings, obligations, fulfilments) end with `_after_change`,
which refreshes the convention's stored schedule at once. Refusals raise `ValidationError`
with a French message, which the views show on the form.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from conventions.extensions import convention_changed
from conventions.models import Convention, Party

from .enums import ActionStatus, Rhythm
from .models import (
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


def _after_change(convention: Convention) -> None:
    """The échéancier recomputes the convention's stored schedule (`conventions.extensions`)."""
    convention_changed.send(sender=Convention, convention=convention)


def _check_party(convention: Convention, party: Party) -> None:
    if party.convention_id != convention.pk:
        raise ValidationError({"party": "Cette partie n'est pas partie à la convention."})


# Plans and actions -------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: ActionPlan) -> ActionPlan:
    """Create or update a plan; one plan per convention and school year."""
    taken = ActionPlan.objects.filter(
        convention=plan.convention_id, school_year=plan.school_year
    ).exclude(pk=plan.pk)
    if taken.exists():
        raise ValidationError(
            {
                "school_year": f"La convention a déjà un plan pour "
                f"{school_year_label(plan.school_year)}."
            }
        )
    plan.full_clean(exclude=["convention", "annex"], validate_unique=False)
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, plan: ActionPlan) -> None:
    plan.delete()


def _next_number(plan: ActionPlan) -> int:
    return (plan.actions.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def action_save(
    *,
    action: Action,
    audiences: list[str],
    contributions: dict[int, str] | None = None,
) -> Action:
    """Create or update an action with its audiences and, unless None, what each party
    does ({party pk: text}; an empty text removes that party's part)."""
    plan = action.plan
    if action.number is None:
        action.number = _next_number(plan)
    elif plan.actions.filter(number=action.number).exclude(pk=action.pk).exists():
        raise ValidationError({"number": f"L'action n°{action.number} existe déjà dans ce plan."})
    action.save()
    _set_audiences(action, audiences)
    if contributions is not None:
        parties = set(plan.convention.parties.values_list("pk", flat=True))
        existing = {c.party_id: c for c in action.contributions.all()}
        for party_id, text in contributions.items():
            if party_id not in parties:
                raise ValidationError("Cette partie n'est pas partie à la convention.")
            text = text.strip()
            current = existing.get(party_id)
            if not text:
                if current is not None:
                    current.delete()
            elif current is None:
                ActionContribution.objects.create(action=action, party_id=party_id, text=text)
            elif current.text != text:
                current.text = text
                current.save(update_fields=["text"])
    return action


def _set_audiences(action: Action, audiences: list[str]) -> None:
    wanted = set(audiences)
    current = set(action.audiences.values_list("audience", flat=True))
    action.audiences.filter(audience__in=current - wanted).delete()
    ActionAudience.objects.bulk_create(
        [ActionAudience(action=action, audience=a) for a in sorted(wanted - current)]
    )


@transaction.atomic
def action_results_save(
    *,
    action: Action,
    status: str,
    pupils_reached: int | None,
    events_held: int | None,
    results_comment: str,
    audiences: list[str] | None = None,
) -> Action:
    """What an action became: its state and measured results (the wording stays)."""
    action.status = status
    action.pupils_reached = pupils_reached
    action.events_held = events_held
    action.results_comment = results_comment
    action.save(update_fields=["status", "pupils_reached", "events_held", "results_comment"])
    if audiences is not None:
        _set_audiences(action, audiences)
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    """Remove an action; the following ones keep their numbers (the plan may be printed)."""
    action.delete()


@transaction.atomic
def plan_carry_over(*, plan: ActionPlan, title: str = "") -> ActionPlan:
    """Next school year's plan, started from this one: every action not done (prévue or en
    cours; not réalisée, not abandonnée) is carried over, renumbered from 1 in its order,
    with what each party does and its audiences. Results start afresh; an action already
    under way keeps its start, one still to start is planned for the next rentrée.
    """
    year = plan.school_year + 1
    if ActionPlan.objects.filter(convention=plan.convention_id, school_year=year).exists():
        raise ValidationError(
            f"La convention a déjà un plan pour {school_year_label(year)} : "
            "complétez-le plutôt que d'en créer un autre."
        )
    new = ActionPlan.objects.create(
        convention_id=plan.convention_id, school_year=year, title=title or plan.title
    )
    carried = list(
        plan.actions.filter(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
        .prefetch_related("contributions", "audiences")
        .order_by("number")
    )
    copies = []
    for number, old in enumerate(carried, start=1):
        under_way = old.status == ActionStatus.IN_PROGRESS
        copies.append(
            Action(
                plan=new,
                number=number,
                axis=old.axis,
                title=old.title,
                objective=old.objective,
                modalities=old.modalities,
                start_label=(
                    old.start_label if under_way else f"Rentrée scolaire {school_year_label(year)}"
                ),
                start_date=old.start_date if under_way else None,
                status=old.status,
                carried_from=old,
            )
        )
    Action.objects.bulk_create(copies)
    ActionContribution.objects.bulk_create(
        [
            ActionContribution(action=copy, party_id=c.party_id, text=c.text)
            for old, copy in zip(carried, copies, strict=True)
            for c in old.contributions.all()
        ]
    )
    ActionAudience.objects.bulk_create(
        [
            ActionAudience(action=copy, audience=a.audience)
            for old, copy in zip(carried, copies, strict=True)
            for a in old.audiences.all()
        ]
    )
    return new


# Steering meetings -------------------------------------------------------------------------


def _check_meeting_plans(meeting: SteeringMeeting) -> None:
    for name in ("adopted_plan", "reviewed_plan"):
        plan = getattr(meeting, name)
        if plan is not None and plan.convention_id != meeting.convention_id:
            raise ValidationError({name: "Ce plan n'est pas un plan de cette convention."})


@transaction.atomic
def meeting_save(*, meeting: SteeringMeeting, attendees: dict[int, str]) -> SteeringMeeting:
    """Record (or correct) a steering meeting with who attended for each party
    ({party pk: names}); the échéancier marks that year's meeting as held at once."""
    convention = meeting.convention
    _check_meeting_plans(meeting)
    meeting.save()
    parties = set(convention.parties.values_list("pk", flat=True))
    existing = {a.party_id: a for a in meeting.attendances.all()}
    for party_id, text in attendees.items():
        if party_id not in parties:
            raise ValidationError("Cette partie n'est pas partie à la convention.")
        text = text.strip()
        current = existing.get(party_id)
        if not text:
            if current is not None:
                current.delete()
        elif current is None:
            MeetingAttendance.objects.create(meeting=meeting, party_id=party_id, attendees=text)
        elif current.attendees != text:
            current.attendees = text
            current.save(update_fields=["attendees"])
    _after_change(convention)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: SteeringMeeting) -> None:
    convention = meeting.convention
    meeting.delete()
    _after_change(convention)


@transaction.atomic
def action_review_save(
    *,
    meeting: SteeringMeeting,
    action: Action,
    status: str,
    pupils_reached: int | None,
    events_held: int | None,
    assessment: str,
) -> ActionReview:
    """The committee's review of one action: kept with the meeting, and what it found
    becomes the action's state and results (the overview and the yearly review show them).
    """
    if action.plan.convention_id != meeting.convention_id:
        raise ValidationError("Cette action n'appartient pas à un plan de cette convention.")
    review, _ = ActionReview.objects.update_or_create(
        meeting=meeting,
        action=action,
        defaults={
            "status": status,
            "pupils_reached": pupils_reached,
            "events_held": events_held,
            "assessment": assessment.strip(),
        },
    )
    action.status = status
    action.pupils_reached = pupils_reached
    action.events_held = events_held
    if assessment.strip() and not action.results_comment:
        action.results_comment = assessment.strip()
    action.save(update_fields=["status", "pupils_reached", "events_held", "results_comment"])
    return review


# Obligations -------------------------------------------------------------------------------


@transaction.atomic
def obligation_save(
    *, obligation: Obligation, fixed_dates: list[datetime.date] | None = None
) -> Obligation:
    """Create or update an obligation; with the rhythm « à dates fixes », its dates."""
    convention = obligation.convention
    _check_party(convention, obligation.party)
    dates = sorted(set(fixed_dates or []))
    if obligation.rhythm == Rhythm.FIXED_DATES and not dates:
        raise ValidationError({"fixed_dates": "Indiquez au moins une date d'échéance."})
    obligation.save()
    if obligation.rhythm != Rhythm.FIXED_DATES:
        dates = []
    current = set(obligation.fixed_dates.values_list("due_on", flat=True))
    obligation.fixed_dates.filter(due_on__in=current - set(dates)).delete()
    ObligationDate.objects.bulk_create(
        [ObligationDate(obligation=obligation, due_on=d) for d in dates if d not in current]
    )
    _after_change(convention)
    return obligation


@transaction.atomic
def obligation_delete(*, obligation: Obligation) -> None:
    convention = obligation.convention
    obligation.delete()
    _after_change(convention)


@transaction.atomic
def fulfilment_save(*, fulfilment: ObligationFulfilment) -> ObligationFulfilment:
    """Record what a party delivered for one due occurrence; the échéancier no longer shows
    that occurrence as overdue (from the delivery date on)."""
    taken = ObligationFulfilment.objects.filter(
        obligation=fulfilment.obligation_id, due_on=fulfilment.due_on
    ).exclude(pk=fulfilment.pk)
    if taken.exists():
        raise ValidationError(
            {"due_on": "Une livraison est déjà enregistrée pour cette échéance : modifiez-la."}
        )
    fulfilment.save()
    _after_change(fulfilment.obligation.convention)
    return fulfilment


@transaction.atomic
def fulfilment_delete(*, fulfilment: ObligationFulfilment) -> None:
    convention = fulfilment.obligation.convention
    if fulfilment.file:
        # The stored file goes only once the row is gone for good.
        storage, name = fulfilment.file.storage, fulfilment.file.name
        transaction.on_commit(lambda: storage.delete(name))
    fulfilment.delete()
    _after_change(convention)
