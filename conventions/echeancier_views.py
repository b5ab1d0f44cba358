"""The échéancier: the staff home page, what falls due and what is overdue."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from users.perms import staff_required

from .echeancier_filters import DeadlineFilter
from .formatting import MONTHS
from .models import Deadline, Party

PAGE_SIZE = 50


@staff_required
def index(request):
    today = timezone.localdate()
    filterset = DeadlineFilter(
        request.GET, queryset=Deadline.objects.all(), request=request, today=today
    )
    # Queries: the référents for the filter, the partners for the filter, the count, the
    # page (deadline + convention + référent), the parties of the page's conventions.
    deadlines = (
        filterset.qs.select_related("convention__referent")
        .prefetch_related(
            Prefetch(
                "convention__parties",
                queryset=Party.objects.select_related("organisation").order_by("position", "pk"),
            )
        )
        .order_by("due_on", "convention__reference", "kind", "pk")
    )
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    for deadline in page.object_list:
        deadline.overdue = deadline.is_overdue(today)
    months = [
        (f"{MONTHS[month - 1]} {year}", list(rows))
        for (year, month), rows in groupby(
            page.object_list, key=lambda d: (d.due_on.year, d.due_on.month)
        )
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conventions/echeancier.html",
        {
            "filter": filterset,
            "page": page,
            "months": months,
            "today": today,
            "window_days": filterset.window_days,
            "query": query.urlencode(),
        },
    )
