"""The partner portal: read-only pages, each behind `portal_view`, each reading through
`portal.queries` (that is, through `Convention.objects.visible_to(user)`)."""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions.reading import plans_with_rows
from config.pagination import BoundedPaginator
from conventions.extensions import if_any
from conventions.models import Article, Party, parties_with_signatories
from conventions.models.money import Ledger, ledger
from conventions.rules.consolidation import consolidate, signed_amendments
from documents import delivery, printing
from documents.models import SignedDocument
from documents.views import stored_response
from echeancier.calendar import FEED_PAST_DAYS, FeedEntry, feed_for
from echeancier.models import Deadline
from users.models import CalendarToken

from . import queries
from .access import is_partner, portal_view
from .models import DocumentDownload

PAGE_SIZE = 25
# The frame of the portal's pages (« document en préparation » included).
FRAME = "portal/base.html"
# The home page's and the convention page's "next deadlines".
UPCOMING_DAYS = 365
UPCOMING_ROWS = 10
# A recurring duty shows its occurrences from two years back to one year ahead.
OCCURRENCES_PAST_DAYS = 2 * 365
# The lists of the convention page that come from the apps above `conventions`.
PORTAL_PARTS = ("action_plans", "steering_meetings", "obligations", "signed_documents")


@portal_view
def home(request):
    today = timezone.localdate()
    conventions = (
        queries.visible_conventions(request.user)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation").order_by("position", "pk"),
            )
        )
        .order_by("-signed_on", "reference")
    )
    page = BoundedPaginator(conventions, PAGE_SIZE).get_page(request.GET.get("page"))
    for convention in page:
        convention.public_ends_on = queries.public_ends_on(convention)
    upcoming = queries.for_display(
        queries.upcoming_deadlines(request.user, today=today, days=UPCOMING_DAYS)[:UPCOMING_ROWS],
        today=today,
    )
    return render(
        request,
        "portal/home.html",
        {
            "organisations": request.user.partner_organisations.order_by("name"),
            "page": page,
            "upcoming": upcoming,
            "upcoming_days": UPCOMING_DAYS,
        },
    )


def _obligations(request, convention, today):
    occurrences = Deadline.objects.filter(
        due_on__gte=today - datetime.timedelta(days=OCCURRENCES_PAST_DAYS),
        due_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
    ).order_by("due_on", "pk")
    obligations = list(
        queries.obligations_concerning(request.user)
        .filter(convention=convention)
        .select_related("party__organisation")
        .prefetch_related(Prefetch("deadlines", queryset=occurrences, to_attr="occurrences"))
        .order_by("party__position", "pk")
    )
    for obligation in obligations:
        for deadline in obligation.occurrences:
            deadline.convention = convention  # no query per row for `is_overdue`
        obligation.occurrences = queries.for_display(obligation.occurrences, today=today)
    return obligations


@portal_view
def convention_detail(request, reference):
    convention = queries.convention_for(request.user, reference)
    today = timezone.localdate()
    articles = convention.numbered_articles()
    labels = {a.pk: Article.label(a.kind, a.number) for a in articles}
    amendments = signed_amendments(convention)
    for amendment in amendments:
        for change in amendment.changes_list:
            change.target_label = labels.get(change.article_id, "")
    # Which lists it has: those it has not are not read (`Convention.read_parts`).
    convention.read_parts(*PORTAL_PARTS)
    deadlines = queries.upcoming_deadlines(request.user, today=today, days=UPCOMING_DAYS).filter(
        convention=convention
    )[:UPCOMING_ROWS]
    for_convention = queries.for_display(deadlines, today=today)
    return render(
        request,
        "portal/convention.html",
        {
            "convention": convention,
            "today": today,
            "ends_on": queries.public_ends_on(convention),
            "parent_visible": convention.parent_visible,
            "parties": parties_with_signatories(convention, current_only=True),
            "contacts": if_any(
                convention,
                "contacts",
                convention.contacts.select_related("person", "organisation").order_by(
                    "position", "pk"
                ),
            ),
            "text": consolidate(articles, amendments, on=today),
            # Without its articles here, its printed text is not the signed copy (the scan
            # is): documents.printing.holds_signed_text, from the articles read.
            "holds_signed_text": bool(articles),
            "annexes": if_any(convention, "annexes", convention.annexes.order_by("position")),
            "amendments": amendments,
            "scans": if_any(
                convention,
                "signed_documents",
                convention.signed_documents.for_partners()
                .scans()
                .select_related("amendment")
                .order_by("amendment__number", "created_at", "pk"),
            ),
            "action_plans": plans_with_rows(convention),
            "meetings": if_any(
                convention,
                "steering_meetings",
                convention.steering_meetings.select_related("adopted_plan").order_by(
                    "-held_on", "pk"
                ),
            ),
            "obligations": (
                _obligations(request, convention, today) if convention.has_obligations else []
            ),
            "deadlines": for_convention,
            "upcoming_days": UPCOMING_DAYS,
            # What the user's organisations pay and receive: three queries, none without money.
            "money": ledger(
                queries.commitments_concerning(request.user).filter(convention=convention),
                today=today,
            )
            if convention.has_financial_commitments
            else Ledger([]),
        },
    )


# --- Signed documents, each download logged ----------------------------------------------


def _log(request, *, convention, amendment=None, document=None, file_name, sha256):
    DocumentDownload.objects.create(
        user=request.user,
        username=request.user.get_username(),
        convention=convention,
        amendment=amendment,
        document=document,
        file_name=file_name,
        sha256=sha256,
    )


def _stored(request, document):
    response = stored_response(document)  # 404 if the file is gone from storage
    _log(
        request,
        convention=document.convention,
        amendment=document.amendment,
        document=document,
        file_name=document.download_name,
        sha256=document.sha256,
    )
    return response


def _printed(request, html: str, *, label, convention, amendment=None, file_name):
    """A text signed before the application existed has no stored PDF: the portal serves it
    printed as signed (no PROJET mark), the same bytes each time (rendered once by the
    worker, stored by content: « en préparation » until then)."""
    pdf = delivery.printed_pdf(request, html)
    if not isinstance(pdf, bytes):
        return delivery.preparing_page(request, pdf, label=label, frame=FRAME)
    _log(
        request,
        convention=convention,
        amendment=amendment,
        file_name=file_name,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    return delivery.pdf_response(pdf, file_name, attachment=True)


@portal_view
def convention_pdf(request, reference):
    convention = queries.convention_for(request.user, reference)
    label = f"la convention {convention.reference}"
    found = delivery.signed_or_pending(request, convention, label=label, frame=FRAME)
    if isinstance(found, SignedDocument):
        return _stored(request, found)
    if found is not None:
        return found
    suffix = "signe" if printing.holds_signed_text(convention) else "connu"
    return _printed(
        request,
        printing.convention_html(convention),
        label=label,
        convention=convention,
        file_name=f"{convention.reference}-texte-{suffix}.pdf",
    )


@portal_view
def amendment_pdf(request, reference, number):
    amendment = queries.signed_amendment_for(request.user, reference, number)
    label = f"l'avenant n° {number} à la convention {reference}"
    found = delivery.signed_or_pending(
        request, amendment.convention, amendment, label=label, frame=FRAME
    )
    if isinstance(found, SignedDocument):
        return _stored(request, found)
    if found is not None:
        return found
    return _printed(
        request,
        printing.amendment_html(amendment),
        label=label,
        convention=amendment.convention,
        amendment=amendment,
        file_name=f"{reference}-avenant-{number}-texte-signe.pdf",
    )


@portal_view
def document_download(request, reference, pk):
    return _stored(request, queries.shared_document_for(request.user, reference, pk))


# --- The private calendar feed -----------------------------------------------------------


@portal_view
def calendar(request):
    """The address of the partner's feed, created the first time they look at it (a GET
    that creates the secret once, then always shows the same: the portal has no form).
    Staff revoke it with the access; a partner who needs a new one asks the rectorat."""
    token, _ = CalendarToken.objects.get_or_create(user=request.user)
    return render(
        request,
        "portal/calendar.html",
        {
            "feed_url": settings.SITE_URL
            + reverse("portal:calendar_feed", kwargs={"token": token.token}),
            "past_days": FEED_PAST_DAYS,
        },
    )


def _feed_entry(deadline) -> FeedEntry:
    convention = deadline.convention
    return FeedEntry(
        label=queries.public_label(deadline),
        done_on=queries.public_done_on(deadline),
        url=settings.SITE_URL + reverse("portal:convention", args=[convention.reference]),
    )


@login_not_required
@require_safe
def calendar_feed(request, token):
    """No login (a calendar application cannot log in): the secret token is the credential.
    Queries: the token with its user, the user's groups, organisations, the deadlines."""
    calendar_token = get_object_or_404(CalendarToken.objects.select_related("user"), token=token)
    user = calendar_token.user
    if not is_partner(user):
        raise Http404  # revoked, or not a partner's address
    today = timezone.localdate()
    deadlines = (
        queries.deadlines_for(user)
        .filter(due_on__gte=today - datetime.timedelta(days=FEED_PAST_DAYS))
        .select_related("convention")
        .order_by("due_on", "convention__reference", "kind", "pk")
    )
    response = HttpResponse(
        feed_for(
            deadlines,
            now=timezone.now(),
            name="Échéances de nos conventions avec l'académie",
            entry_for=_feed_entry,
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
