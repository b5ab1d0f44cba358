"""The convention page (what an upper app adds to it comes through
`conventions.extensions.page_sections`) and its « Historique »."""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from users.perms import staff_required

from ..extensions import if_any, section_parts, sections_context
from ..forms import validate_plausible_date
from ..models import Amendment, Article, Convention, Signatory, parties_with_signatories
from ..rights import may_write
from ..rules.consolidation import consolidate
from ..services import history
from .money import money_context

PAGE_SIZE = 25


def convention_for_page(reference):
    """The convention with its référent and the avenant that created it, if one did, and
    which of its parts it has (`Convention.read_parts`). Its parent, and the conventions it
    renews (`_renewal_chain`), are read when it has them: joined to every page, their 200
    columns were a fifth of its CPU (make bench)."""
    convention = get_object_or_404(
        Convention.objects.select_related("referent", "created_by_amendment"), reference=reference
    )
    convention.read_parts(*section_parts())
    return convention


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


def _amendments(convention, article_labels):
    amendments = list(
        if_any(
            convention,
            "amendments",
            convention.amendments.order_by("number").prefetch_related(
                "changes",
                Prefetch(
                    "signatories",
                    queryset=Signatory.objects.select_related("party__organisation").order_by(
                        "party__position", "pk"
                    ),
                ),
            ),
        )
    )
    for amendment in amendments:
        amendment.changes_list = sorted(amendment.changes.all(), key=lambda c: c.pk)
        for change in amendment.changes_list:
            change.target_label = article_labels.get(change.article_id, "")
    return amendments


# What the page shows of the conventions it renews and that renew it.
CHAIN_SHOWN = ("reference", "status", "renews")


def _renewal_chain(convention):
    """Up to three conventions it renews and two generations that renew it: a query for
    each side, when the convention has some there."""
    current = None
    if convention.renews_id is not None:
        current = (
            Convention.objects.select_related("renews__renews")
            .only(
                *CHAIN_SHOWN,
                *(f"renews__{name}" for name in CHAIN_SHOWN),
                *(f"renews__renews__{name}" for name in CHAIN_SHOWN),
            )
            .get(pk=convention.renews_id)
        )
    before = []
    while current is not None and len(before) < 3:
        before.insert(0, current)
        current = current.renews if Convention.renews.is_cached(current) else None
    after = list(
        if_any(
            convention,
            "renewals",
            convention.renewals.only(*CHAIN_SHOWN)
            .order_by("reference")
            .prefetch_related(
                Prefetch(
                    "renewals", queryset=Convention.objects.only(*CHAIN_SHOWN).order_by("reference")
                )
            ),
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
    parties = parties_with_signatories(convention)
    for amendment in amendments:  # who joins or leaves by each, from the parties read
        amendment.joining = [p for p in parties if p.joined_by_id == amendment.pk]
        amendment.leaving = [
            p for p in parties if p.withdrawal and p.withdrawal.amendment_id == amendment.pk
        ]
    page = {
        "convention": convention,
        "today": today,
        "parties": parties,
        # Parties that joined or left by an avenant: who is bound on the text's date.
        "parties_changed": any(p.joined_by_id or p.withdrawal for p in parties),
        "parties_on": [p for p in parties if p.bound_on(text_date)],
        "text": text,
        "has_articles": bool(articles),
        "show_text_date": convention.is_signed and bool(in_text),
        "text_date": text_date,
        "text_date_raw": text_date_raw,
        "text_date_error": text_date_error,
        "annexes": if_any(convention, "annexes", convention.annexes.order_by("position")),
        "amendments": amendments,
        "children": if_any(convention, "children", convention.children.order_by("reference")),
        "created_by": created_by,
        "renewed_before": before,
        "renewed_after": after,
        "contacts": if_any(
            convention,
            "contacts",
            convention.contacts.select_related("person", "organisation").order_by("position", "pk"),
        ),
        "terminations": if_any(
            convention,
            "terminations",
            convention.terminations.select_related("party__organisation").order_by(
                "received_on", "pk"
            ),
        ),
        "decisions": if_any(
            convention,
            "renewal_decisions",
            convention.renewal_decisions.order_by("-decided_on", "-pk"),
        ),
        "can_edit": convention.can_be_edited_by(request.user),
        "can_sign": convention.can_be_signed_by(request.user),
        "can_amend": convention.can_be_amended_by(request.user),
        "can_renew": convention.can_be_renewed_by(request.user),
        "can_record_events": convention.can_record_events_by(request.user),
        "can_complete": bool(convention.missing_facts)
        and convention.can_record_events_by(request.user),
        "external_references": if_any(
            convention,
            "external_references",
            convention.external_references.order_by("label", "pk"),
        ),
        "can_write_references": may_write(request.user),
        **money_context(request, convention),
    }
    return render(request, "conventions/detail.html", sections_context(request, convention, page))


@staff_required
def convention_history(request, reference):
    """« Historique »: who changed what, when, in the convention and all its parts; read
    only. Queries: session (3), user, convention, count, page of the UNION, then two per
    kind of row on the page (at most 18 kinds), whatever the page size."""
    convention = get_object_or_404(Convention, reference=reference)
    page = Paginator(history.events(convention), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/history.html",
        {"convention": convention, "page": page, "entries": history.entries(page.object_list)},
    )
