"""The échéancier: the staff home page, what falls due and what is overdue."""

from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from config.pagination import BoundedPaginator, bounded_count
from config.routers import replica_reads
from conventions.models import Convention, Party
from conventions.rules.formatting import MONTHS
from users.models import User
from users.perms import staff_required

from .filters import DeadlineFilter
from .models import Deadline

PAGE_SIZE = 25  # as the other lists
OVERDUE_PREVIEW = 5  # latest overdue rows shown above the upcoming ones; all on their own page
TO_COMPLETE_PREVIEW = 5  # conventions « à compléter » named; all in the filtered list


def _with_rows(deadlines):
    """Everything a row shows, in two queries whatever the number of rows."""
    return (
        deadlines.select_related("convention__referent")
        .only(  # what a row shows, and `Deadline.is_overdue` reads
            "kind",
            "due_on",
            "label",
            "done_on",
            "lapses_on",
            "convention",
            *(f"convention__{name}" for name in ("reference", "short_title", "status", "referent")),
            *(f"convention__referent__{name}" for name in User.CHOICE_LABEL_FIELDS),
        )
        .prefetch_related(Prefetch("convention__parties", queryset=Party.objects.for_names()))
        .order_by("due_on", "convention__reference", "kind", "pk")
    )


def _by_month(deadlines, today):
    """[("décembre 2026", [deadline, ...]), ...] for deadlines sorted by date."""
    for deadline in deadlines:
        deadline.overdue = deadline.is_overdue(today)
    return [
        (f"{MONTHS[month - 1]} {year}", list(rows))
        for (year, month), rows in groupby(deadlines, key=lambda d: (d.due_on.year, d.due_on.month))
    ]


@replica_reads
@staff_required
def index(request):
    # Queries: the référents and the partners of the filters; the count and the page with
    # its conventions' parties; unless only overdue rows are asked for, the overdue count
    # and preview with their parties, and the conventions « à compléter » (a count too when
    # there are more than the preview). None grows with the number of conventions.
    today = timezone.localdate()
    filterset = DeadlineFilter(request.GET, queryset=Deadline.objects.all(), request=request)
    deadlines = filterset.qs
    overdue_only = filterset.overdue_only
    listed = (
        deadlines.overdue(today)
        if overdue_only
        else deadlines.upcoming(today, filterset.window_days)
    )
    page = BoundedPaginator(_with_rows(listed), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_count, overdue_preview = 0, []
    if not overdue_only:
        overdue = deadlines.overdue(today)
        overdue_count = bounded_count(overdue)
        if overdue_count:
            # The most recent first: the oldest may be long past remedy.
            overdue_preview = list(
                _with_rows(overdue).order_by("-due_on", "convention__reference", "kind", "pk")[
                    :OVERDUE_PREVIEW
                ]
            )
            _by_month(overdue_preview, today)
    to_complete = []
    if not overdue_only:
        # One query; a count only when there are more than the preview shows.
        conventions = filterset.conventions_to_complete(Convention.objects.to_complete())
        to_complete = list(
            conventions.only("reference", "short_title").order_by("reference")[
                : TO_COMPLETE_PREVIEW + 1
            ]
        )
    to_complete_count = (
        len(to_complete) if len(to_complete) <= TO_COMPLETE_PREVIEW else bounded_count(conventions)
    )
    query = request.GET.copy()
    query.pop("page", None)
    overdue_query = query.copy()
    overdue_query["overdue"] = "on"
    return render(
        request,
        "echeancier/echeancier.html",
        {
            "filter": filterset,
            "page": page,
            "months": _by_month(list(page.object_list), today),
            "overdue_only": overdue_only,
            "overdue_count": overdue_count,
            "overdue_preview": overdue_preview,
            "to_complete": to_complete[:TO_COMPLETE_PREVIEW],
            "to_complete_count": to_complete_count,
            "window_days": filterset.window_days,
            "query": query.urlencode(),
            "overdue_query": overdue_query.urlencode(),
        },
    )
