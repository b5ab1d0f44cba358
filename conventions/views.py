"""Reading conventions: the list (with its CSV export) and the convention page."""

import csv
import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actions import rights as action_rights
from actions.models import Action, ActionContribution
from users.models import User
from users.perms import staff_required

from . import history
from .consolidation import consolidate
from .enums import ConventionKind, ConventionStatus
from .filters import SORTABLE, ConventionFilter
from .formatting import french_date
from .forms import validate_plausible_date
from .models import Amendment, Article, Convention, Party, Signatory
from .rights import may_write

PAGE_SIZE = 25


def _filtered(request):
    return ConventionFilter(request.GET or None, queryset=Convention.objects.all())


# The columns of a row of the list: reading only them makes 25 rows of a 10,000-row sort
# cheaper to fetch and to build (make bench).
ROW_FIELDS = ("reference", "short_title", "kind", "status", "signed_on", "current_term_end",
              "notice_deadline")  # fmt: skip


def _with_partners(queryset):
    """Each convention's parties with their organisation: one more query for the page."""
    return queryset.only(*ROW_FIELDS).prefetch_related(
        Prefetch("parties", queryset=Party.objects.for_names())
    )


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


@staff_required
def convention_list(request):
    filterset = _filtered(request)
    rows = _with_partners(filterset.qs)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
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
        },
    )


class _Echo:
    def write(self, value):
        return value


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


@staff_required
def convention_export(request):
    """Exactly the filtered list, for Excel in French: UTF-8 with BOM, semicolons.

    Streamed in chunks of rows (values, no model instances): 10,000 conventions take about a
    second, in constant memory.
    """
    queryset = _filtered(request).qs
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for row in queryset.values_with_partner_names(*CSV_FIELDS):
            yield writer.writerow(_csv_row(row))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"conventions-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def convention_for_page(reference):
    return get_object_or_404(
        Convention.objects.select_related(
            "parent", "referent", "renews__renews__renews", "created_by_amendment__convention"
        ),
        reference=reference,
    )


def _text_date(request, today):
    """The date of the consolidated text: ?au=YYYY-MM-DD, else today; an error for bad input."""
    raw = request.GET.get("au", "").strip()
    if not raw:
        return today, raw, ""
    try:
        value = datetime.date.fromisoformat(raw)
        validate_plausible_date(value)
    except (ValueError, ValidationError):
        return today, raw, "Saisissez une date valide (jj/mm/aaaa)."
    return value, raw, ""


def _parties_with_signatories(convention):
    parties = list(convention.parties.select_related("organisation").order_by("position", "pk"))
    signatories = {
        s.party_id: s
        for s in Signatory.objects.filter(party__convention=convention, amendment=None)
    }
    for party in parties:
        party.signatory = signatories.get(party.pk)
    return parties


def _amendments(convention, article_labels):
    amendments = list(
        convention.amendments.order_by("number").prefetch_related(
            "changes",
            Prefetch(
                "signatories",
                queryset=Signatory.objects.select_related("party__organisation").order_by(
                    "party__position", "pk"
                ),
            ),
        )
    )
    for amendment in amendments:
        amendment.changes_list = sorted(amendment.changes.all(), key=lambda c: c.pk)
        for change in amendment.changes_list:
            change.target_label = article_labels.get(change.article_id, "")
    return amendments


def _renewal_chain(convention):
    """Up to three conventions it renews and two generations that renew it (two queries)."""
    before, current = [], convention.renews
    while current is not None and len(before) < 3:
        before.insert(0, current)
        current = current.renews if Convention.renews.is_cached(current) else None
    after = list(
        convention.renewals.order_by("reference").prefetch_related(
            Prefetch("renewals", queryset=Convention.objects.order_by("reference"))
        )
    )
    return before, after


@staff_required
def convention_detail(request, reference):
    convention = convention_for_page(reference)
    today = timezone.localdate()
    text_date, text_date_raw, text_date_error = _text_date(request, today)
    articles = convention.numbered_articles()
    labels = {a.pk: Article.label(a.kind, a.number) for a in articles}
    amendments = _amendments(convention, labels)
    in_text = [a for a in amendments if a.is_signed]
    text = consolidate(articles, in_text, on=text_date)
    before, after = _renewal_chain(convention)
    try:  # read by select_related: no query
        created_by = convention.created_by_amendment
    except Amendment.DoesNotExist:
        created_by = None
    action_plans = convention.action_plans.order_by("-school_year").prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("number")),
        Prefetch(
            "actions__contributions",
            queryset=ActionContribution.objects.select_related("party__organisation").order_by(
                "pk"
            ),
        ),
    )
    return render(
        request,
        "conventions/detail.html",
        {
            "convention": convention,
            "today": today,
            "parties": _parties_with_signatories(convention),
            "text": text,
            "show_text_date": convention.is_signed and bool(in_text),
            "text_date": text_date,
            "text_date_raw": text_date_raw,
            "text_date_error": text_date_error,
            "annexes": convention.annexes.order_by("position"),
            "amendments": amendments,
            "children": convention.children.order_by("reference"),
            "created_by": created_by,
            "renewed_before": before,
            "renewed_after": after,
            "action_plans": action_plans,
            "meetings": convention.steering_meetings.select_related("adopted_plan").order_by(
                "-held_on"
            ),
            "obligations": convention.obligations.select_related("party__organisation").order_by(
                "party__position", "pk"
            ),
            "contacts": convention.contacts.select_related("person", "organisation").order_by(
                "position", "pk"
            ),
            "terminations": convention.terminations.select_related("party__organisation").order_by(
                "received_on", "pk"
            ),
            "decisions": convention.renewal_decisions.order_by("-decided_on", "-pk"),
            "signed_documents": convention.signed_documents.select_related("amendment").order_by(
                "amendment__number", "kind", "created_at"
            ),
            "can_upload_scan": may_write(request.user),  # as `upload_scan` requires
            "can_edit": convention.can_be_edited_by(request.user),
            "can_sign": convention.can_be_signed_by(request.user),
            "can_amend": convention.can_be_amended_by(request.user),
            "can_renew": convention.can_be_renewed_by(request.user),
            "can_record_events": convention.can_record_events_by(request.user),
            "can_plan": action_rights.can_manage_plans(convention, request.user),
            "can_meet": action_rights.can_record_meetings(convention, request.user),
            "can_oblige": action_rights.can_manage_obligations(convention, request.user),
        },
    )


@staff_required
def convention_history(request, reference):
    """« Historique »: who changed what, when, in the convention and all its parts; read
    only. Queries: session (3), user, convention, count, page of the UNION, then two per
    kind of row on the page (at most 15 kinds), whatever the page size."""
    convention = get_object_or_404(Convention, reference=reference)
    page = Paginator(history.events(convention), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/history.html",
        {"convention": convention, "page": page, "entries": history.entries(page.object_list)},
    )
