"""The yearly review (bilan annuel) of a convention, printed with the conventions' machinery
(`documents.printing`: heading, print stylesheet, WeasyPrint; the page renders it in the
worker, once per content: `documents.delivery`).

A school year runs from 1 September to 31 August: the review of 2010-2011 shows that year's
plan (its actions by axis, their state and results, the totals), the steering meetings held
that year (attendees, decisions, the review of each action) and each obligation's
occurrences due that year with what was delivered. About twelve queries, whatever the size.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from actions import reading
from actions.enums import ActionStatus
from actions.models import Action, ActionReview, school_year_bounds, school_year_label
from conventions.models import Convention
from conventions.rules.formatting import french_date

from .printing import academy_author, heading_blocks, write_pdf


@dataclass
class Axis:
    name: str
    actions: list[Action]


def _axes(actions: list[Action]) -> list[Axis]:
    axes: list[Axis] = []
    for action in actions:
        if not axes or axes[-1].name != action.axis:
            axes.append(Axis(action.axis, []))
        axes[-1].actions.append(action)
    return axes


def review_context(
    convention: Convention, year: int, *, today: datetime.date | None = None
) -> dict:
    today = today or timezone.localdate()
    first, last = school_year_bounds(year)
    label = school_year_label(year)
    plan = convention.action_plans.filter(school_year=year).first()
    actions = reading.plan_actions(plan) if plan else []
    totals = plan.actions.totals() if plan else {}
    meetings = list(reading.meetings_of(convention, between=(first, last)).reverse())
    reviews = {}
    if meetings:
        for review in (
            ActionReview.objects.filter(meeting__in=meetings)
            .select_related("action")
            .order_by("action__number", "pk")
        ):
            reviews.setdefault(review.meeting_id, []).append(review)
    for meeting in meetings:
        meeting.review_list = reviews.get(meeting.pk, [])
    obligations = reading.obligations_of(convention, today=today)
    for obligation in obligations:
        obligation.year_occurrences = [
            o for o in obligation.occurrences if first <= o.due_on <= last
        ]
    title = f"Bilan annuel {label}"
    return {
        "convention": convention,
        "document_title": f"{title} — {convention.title}",
        "subject": f"{title} de la convention {convention.reference}",
        "author": academy_author(),
        "heading": heading_blocks(),
        "logo": "",
        "logo_alt": "",
        "title": title,
        "year_label": label,
        "first_day": french_date(first),
        "last_day": french_date(last),
        "parties": reading.parties_of(convention),
        "plan": plan,
        "axes": _axes(actions),
        "totals": totals,
        "status_totals": [(status.label, totals.get(status.value, 0)) for status in ActionStatus]
        if plan
        else [],
        "meetings": meetings,
        "obligations": obligations,
        "footer_title": f"{title} — {convention.short_title}",
        "requires_initials": False,
        "is_draft": False,
        "not_signed_copy": False,
        "generated_on": french_date(today),
    }


def review_html(convention: Convention, year: int, *, today: datetime.date | None = None) -> str:
    return render_to_string("print/review.html", review_context(convention, year, today=today))


def review_pdf(convention: Convention, year: int, *, today: datetime.date | None = None) -> bytes:
    """The yearly review as a PDF, rendered at once (its page renders it in the worker)."""
    return write_pdf(review_html(convention, year, today=today))
