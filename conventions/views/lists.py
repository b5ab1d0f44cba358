"""The list of conventions, with its filters, sortable columns and CSV export."""

from django.shortcuts import render
from django.utils import timezone

from config.csv_export import streaming_csv
from config.pagination import BoundedPaginator, OrderedIdsPaginator, more_than
from config.routers import replica_reads
from jobs.registry import ExportKind
from jobs.views import start_export
from users.models import User
from users.perms import staff_required

from ..enums import ConventionKind, ConventionStatus
from ..filters import SORTABLE, ConventionFilter
from ..models import Convention, Party
from ..rights import may_write
from ..rules.formatting import french_date

PAGE_SIZE = 25
SEARCH_COUNT_LIMIT = 500


def _filtered(request):
    return _filter(request.GET)


def _filter(params):
    return ConventionFilter(params or None, queryset=Convention.objects.all())


# The columns of a row of the list: reading only them makes 25 rows of a 10,000-row sort
# cheaper to fetch and to build (make bench).
ROW_FIELDS = ("reference", "short_title", "kind", "status", "signed_on", "current_term_end",
              "notice_deadline")  # fmt: skip


def _named(conventions) -> list:
    """The page's conventions with their partners' names: one more query, of plain values."""
    conventions = list(conventions)
    Party.objects.attach_partner_names(conventions)
    return conventions


def _sort_links(request):
    """The column headings, each a link that sorts by it (again: the other way)."""
    current = request.GET.get("o", "")
    links = []
    for param, _field, label in SORTABLE:
        query = request.GET.copy()
        query.pop("page", None)
        descending = current == param
        query["o"] = f"-{param}" if descending else param
        state = "asc" if current == param else "desc" if current == f"-{param}" else ""
        links.append({"label": label, "query": query.urlencode(), "state": state})
    return links


@replica_reads
@staff_required
def convention_list(request):
    filterset = _filtered(request)
    searched = (
        filterset.is_bound
        and filterset.form.is_valid()
        and bool(filterset.form.cleaned_data.get("q"))
    )
    if searched:
        # The search, run once: the ordered ids of its rows (count and page), then the rows.
        # Counted up to 500: a search is for finding, and past that it is to be narrowed;
        # reading a thousand matches cost as much again at 100,000 conventions (make bench).
        paginator = OrderedIdsPaginator(
            filterset.qs,
            PAGE_SIZE,
            rows=lambda ids: Convention.objects.filter(pk__in=ids).only(*ROW_FIELDS),
            limit=SEARCH_COUNT_LIMIT,
        )
    else:
        paginator = BoundedPaginator(filterset.qs.only(*ROW_FIELDS), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _named(page.object_list)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "conventions/list.html",
        {
            "filter": filterset,
            "page": page,
            "sort_links": _sort_links(request),
            "sort": request.GET.get("o", ""),
            "export_query": export_query.urlencode(),
            "can_create": may_write(request.user),
            "searched": searched,
        },
    )


CSV_COLUMNS = [
    "Référence",
    "Titre",
    "Nature",
    "Statut",
    "Partenaires",
    "Signée le",
    "Début",
    "Fin de la période en cours",
    "Date limite de préavis",
    "Dernier jour d'application",
    "Référent",
]


CSV_FIELDS = [
    "reference",
    "title",
    "kind",
    "status",
    "signed_on",
    "term_start",
    "current_term_end",
    "notice_deadline",
    "ends_on",
    "referent__first_name",
    "referent__last_name",
    "referent__username",
]
KIND_LABELS = dict(ConventionKind.choices)
STATUS_LABELS = dict(ConventionStatus.choices)


def _csv_row(row):
    (partners, reference, title, kind, status, signed_on, start, term_end, notice, ends_on,
     first_name, last_name, username) = row  # fmt: skip
    return [
        reference,
        title,
        KIND_LABELS[kind],
        STATUS_LABELS[status],
        partners or "",
        french_date(signed_on),
        french_date(start),
        french_date(term_end),
        french_date(notice),
        french_date(ends_on),
        User.choice_label(first_name, last_name, username) if username else "",
    ]


def export_rows(params):
    """The rows of the CSV of the list filtered by `params` (a query string's QueryDict):
    read in chunks of values, no model instances, in constant memory."""
    for row in _filter(params).qs.values_with_partner_names(*CSV_FIELDS):
        yield _csv_row(row)


CSV_EXPORT = ExportKind(
    title="la liste des conventions", filename="conventions", header=CSV_COLUMNS, rows=export_rows
)


@staff_required
def convention_export(request):
    """Exactly the filtered list, for Excel in French: UTF-8 with BOM, semicolons, no cell
    that a spreadsheet would run as a formula (`config.csv_export`).

    A list of a page or less is streamed at once; a longer one is written by the worker
    (`jobs`: « Export en préparation », then the download). Queries: the user's groups, the
    count, then the rows (streamed) or the export's row.
    """
    if more_than(_filter(request.GET).qs, PAGE_SIZE):
        return start_export(request, kind="conventions")
    return streaming_csv(
        f"conventions-{timezone.localdate():%Y-%m-%d}.csv", CSV_COLUMNS, export_rows(request.GET)
    )
