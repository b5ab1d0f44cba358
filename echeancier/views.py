"""The échéancier: the staff home page, what falls due and what is overdue."""

from itertools import groupby

from django.shortcuts import render
from django.utils import timezone

from config.pagination import BoundedPaginator, bounded_count
from config.routers import replica_reads
from conventions.models import Convention, Party
from conventions.rules.formatting import MONTHS
from users.perms import staff_required

from .filters import DeadlineFilter
from .models import Deadline, DeadlineRow

PAGE_SIZE = 25  # as the other lists
OVERDUE_PREVIEW = 5  # latest overdue rows shown above the upcoming ones; all on their own page
TO_COMPLETE_PREVIEW = 5  # conventions « à compléter » named; all in the filtered list


def _named(rows, referent_names):
    """The names each row shows, without building the people and organisations: the
    partners' in one query, the référent's from the filter's list of référents (every
    référent of a convention is in it)."""
    conventions = [row.convention for row in rows]
    Party.objects.attach_partner_names(conventions)
    for convention in conventions:
        convention.referent_name = referent_names.get(convention.referent_id)


def _by_month(rows):
    """[("décembre 2026", [row, ...]), ...] for rows sorted by date."""
    return [
        (f"{MONTHS[month - 1]} {year}", list(of_month))
        for (year, month), of_month in groupby(rows, key=lambda r: (r.due_on.year, r.due_on.month))
    ]


@replica_reads
@staff_required
def index(request):
    # Queries: the référents and the partners of the filters; the count and the page;
    # unless only overdue rows are asked for, the overdue count and preview; the partners'
    # names of every row shown; the conventions « à compléter » (a count too when there
    # are more than the preview). None grows with the number of conventions.
    today = timezone.localdate()
    filterset = DeadlineFilter(request.GET, queryset=Deadline.objects.all(), request=request)
    deadlines = filterset.qs
    overdue_only = filterset.overdue_only
    listed = (
        deadlines.overdue(today)
        if overdue_only
        else deadlines.upcoming(today, filterset.window_days)
    )
    page = BoundedPaginator(listed.in_list_order(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = DeadlineRow.read(page.object_list, today)
    overdue_count, overdue_preview = 0, []
    if not overdue_only:
        overdue = deadlines.overdue(today)
        overdue_count = bounded_count(overdue)
        if overdue_count:
            # The most recent first: the oldest may be long past remedy.
            latest = overdue.order_by("-due_on", "convention__reference", "kind", "pk")
            overdue_preview = DeadlineRow.read(latest[:OVERDUE_PREVIEW], today)
    _named([*page.object_list, *overdue_preview], filterset.referent_names)
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
            "months": _by_month(page.object_list),
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
