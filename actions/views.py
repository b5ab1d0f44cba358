"""Reading the yearly cycle (staff): the overview of actions across conventions (with its
totals, chart and CSV export), a convention's partnership page, a plan, a meeting, an
obligation, and the yearly review PDF.

Every page runs a fixed number of queries, whatever the number of rows shown.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from config.csv_export import streaming_csv
from config.pagination import BoundedPaginator, more_than
from conventions.models import Convention
from jobs.registry import ExportKind
from jobs.views import start_export
from users.perms import staff_required

from . import reading, rights
from .enums import ActionStatus
from .filters import ActionFilter, known_axes
from .models import Action, ActionPlan, ObligationFulfilment, Tally, school_year_of

PAGE_SIZE = 50

# "1 prévue", "2 prévues", "3 en cours": the totals' words (singular, plural).
STATUS_COUNTED = {
    ActionStatus.PLANNED: ("prévue", "prévues"),
    ActionStatus.IN_PROGRESS: ("en cours", "en cours"),
    ActionStatus.DONE: ("réalisée", "réalisées"),
    ActionStatus.ABANDONED: ("abandonnée", "abandonnées"),
}


def convention_or_404(reference) -> Convention:
    return get_object_or_404(Convention, reference=reference)


def _rights(convention, user) -> dict:
    return {
        "can_plan": rights.can_manage_plans(convention, user),
        "can_meet": rights.can_record_meetings(convention, user),
        "can_oblige": rights.can_manage_obligations(convention, user),
        "can_deliver": rights.can_record_fulfilments(convention, user),
    }


# The overview -------------------------------------------------------------------------------


def _filtered(request, axes=None):
    return _filter(request.GET, axes)


def _filter(params, axes=None):
    return ActionFilter(
        params or None, queryset=_base_actions(), axes=known_axes() if axes is None else axes
    )


def _base_actions():
    return Action.objects.for_overview()


def chart_rows(counts: list[dict]) -> list[dict]:
    """Bars of the chart: per axis, one segment per status, as x/width in a 0–100 box
    (the longest bar fills it). `counts` is [{axis, status, count}]."""
    axes: dict[str, dict[str, int]] = {}
    for row in counts:
        axes.setdefault(row["axis"], {})[row["status"]] = row["count"]
    top = max((sum(statuses.values()) for statuses in axes.values()), default=0)
    rows = []
    for axis, statuses in axes.items():
        x, segments = 0.0, []
        for status in ActionStatus:
            count = statuses.get(status.value, 0)
            if not count:
                continue
            width = 100 * count / top
            segments.append(
                {
                    "status": status.value,
                    "label": status.label,
                    "count": count,
                    "x": f"{x:.2f}",
                    "width": f"{width:.2f}",
                }
            )
            x += width
        total = sum(statuses.values())
        description = ", ".join(f"{s['label'].lower()} {s['count']}" for s in segments)
        rows.append({"axis": axis, "total": total, "segments": segments, "text": description})
    return rows


@staff_required
def overview(request):
    # Queries: session, user, groups, the tally (axes, years, totals and chart when the
    # filters allow), the page's count and rows, their audiences; with a partner or a
    # public chosen, totals and chart counted over the actions (two more).
    tally = Tally()
    filterset = _filtered(request, axes=tally.axes())
    actions = filterset.qs
    page = BoundedPaginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = reading.overview_rows(page.object_list)
    # Totals and chart from the tally kept by the database when the filters allow (year,
    # axis, state), else counted over the filtered actions.
    choice = filterset.tally_choice()
    counted = actions if choice is None else tally.select(**choice)
    totals = counted.totals()
    export_query = request.GET.copy()
    export_query.pop("page", None)
    years = tally.years()
    return render(
        request,
        "actions/overview.html",
        {
            "filter": filterset,
            "page": page,
            "totals": totals,
            "status_totals": [
                {
                    "status": s.value,
                    "label": STATUS_COUNTED[s][totals[s.value] > 1],
                    "count": totals[s.value],
                }
                for s in ActionStatus
            ],
            "chart": chart_rows(counted.by_axis_and_status()),
            "statuses": ActionStatus.choices,
            "years": years,
            "export_query": export_query.urlencode(),
        },
    )


CSV_COLUMNS = [
    "Convention",
    "Année scolaire",
    "Axe",
    "N°",
    "Action",
    "Objectif",
    "Démarrage",
    "État",
    "Publics",
    "Élèves touchés",
    "Événements réalisés",
    "Commentaire",
]


def _csv_row(action):
    return [
        action.plan.convention.reference,
        action.plan.school_year_label,
        action.axis,
        action.number,
        action.title,
        action.objective,
        action.start_label,
        action.get_status_display(),
        ", ".join(a.get_audience_display() for a in action.audiences.all()),
        "" if action.pupils_reached is None else action.pupils_reached,
        "" if action.events_held is None else action.events_held,
        action.results_comment,
    ]


def export_rows(params):
    """The rows of the CSV of the actions filtered by `params`, 500 at a time (two queries
    per chunk)."""
    actions = _filter(params).qs.prefetch_related("audiences")
    for action in actions.iterator(chunk_size=500):
        yield _csv_row(action)


CSV_EXPORT = ExportKind(
    title="la liste des actions", filename="actions", header=CSV_COLUMNS, rows=export_rows
)


@staff_required
def export(request):
    """The filtered actions for Excel in French: UTF-8 with BOM, semicolons, formulas
    written as text (`config.csv_export`); a page of them or less streamed at once, more
    written by the worker (`jobs`: « Export en préparation », then the download)."""
    if more_than(_filter(request.GET).qs, PAGE_SIZE):
        return start_export(request, kind="actions")
    return streaming_csv(
        f"actions-{timezone.localdate():%Y-%m-%d}.csv", CSV_COLUMNS, export_rows(request.GET)
    )


# A convention's partnership ------------------------------------------------------------------


@staff_required
def partnership(request, reference):
    """Plans, meetings, obligations and yearly reviews of one convention."""
    convention = convention_or_404(reference)
    today = timezone.localdate()
    plans = list(reading.plans_of(convention))
    meetings = list(reading.meetings_of(convention))
    obligations = reading.obligations_of(convention, today=today)
    years = sorted(
        {p.school_year for p in plans} | {school_year_of(m.held_on) for m in meetings},
        reverse=True,
    )
    return render(
        request,
        "actions/partnership.html",
        {
            "convention": convention,
            "today": today,
            "plans": plans,
            "meetings": meetings,
            "obligations": obligations,
            "review_years": [(y, f"{y}-{y + 1}") for y in years],
            **_rights(convention, request.user),
        },
    )


def plan_or_404(convention, year) -> ActionPlan:
    return get_object_or_404(ActionPlan, convention=convention, school_year=year)


@staff_required
def plan_detail(request, reference, year):
    convention = convention_or_404(reference)
    plan = plan_or_404(convention, year)
    plan.convention = convention
    actions = reading.plan_actions(plan)
    return render(
        request,
        "actions/plan.html",
        {
            "convention": convention,
            "plan": plan,
            "actions": actions,
            "totals": plan.actions.totals(),
            "next_exists": ActionPlan.objects.filter(
                convention=convention, school_year=year + 1
            ).exists(),
            **_rights(convention, request.user),
        },
    )


@staff_required
def meeting_detail(request, reference, pk):
    convention = convention_or_404(reference)
    meeting = get_object_or_404(reading.meetings_of(convention), pk=pk)
    reviews = reading.meeting_reviews(meeting)
    actions = reading.plan_actions(meeting.reviewed_plan) if meeting.reviewed_plan else []
    for action in actions:
        action.review = reviews.get(action.pk)
    return render(
        request,
        "actions/meeting.html",
        {
            "convention": convention,
            "meeting": meeting,
            "actions": actions,
            **_rights(convention, request.user),
        },
    )


@staff_required
def obligation_detail(request, reference, pk):
    convention = convention_or_404(reference)
    today = timezone.localdate()
    obligation = get_object_or_404(
        convention.obligations.select_related("party__organisation").prefetch_related(
            "fixed_dates", "fulfilments"
        ),
        pk=pk,
    )
    reading.attach_occurrences(convention, obligation, today=today)
    return render(
        request,
        "actions/obligation.html",
        {
            "convention": convention,
            "obligation": obligation,
            "today": today,
            **_rights(convention, request.user),
        },
    )


@staff_required
def fulfilment_file(request, reference, pk):
    fulfilment = get_object_or_404(
        ObligationFulfilment, pk=pk, obligation__convention__reference=reference
    )
    if not fulfilment.file:
        raise Http404("Aucun fichier n'est joint à cette livraison.")
    try:
        handle = fulfilment.file.open("rb")
    except OSError:
        raise Http404("Le fichier de cette livraison est introuvable.") from None
    name = fulfilment.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
