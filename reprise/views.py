"""The reprise pages (gestionnaires only): upload documents and follow them, review the
convention proposed from one, confirm or reject it; the original file."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from config.pagination import BoundedPaginator
from users.perms import manager_required, staff_required
from users.roles import is_manager, is_staff_member

from . import forms as review_forms
from .enums import ImportState
from .forms import PartyFormSet, ReviewForm, UploadForm
from .models import CONTENT_TYPES, INLINE_TYPES, DocumentImport
from .review import (
    anchor,
    listed_keys,
    marked_text,
    match_organisations,
    proposal_of,
    suggested_reference,
    suggested_short_title,
)
from .services import (
    ConfirmRefused,
    ImportRefused,
    import_add,
    import_confirm,
    import_reject,
    import_review_anyway,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


@manager_required
def import_list(request):
    """Upload one or many documents; the imports, newest first, with their state."""
    results = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            for upload in form.cleaned_data["files"]:
                results.append(_upload_one(request, upload))
            taken = sum(1 for r in results if r["record"] is not None and r["ok"])
            if taken:
                messages.success(
                    request,
                    f"{taken} document{'s' if taken > 1 else ''} importé{'s' if taken > 1 else ''}"
                    " : la lecture se fait en arrière-plan.",
                )
            form = UploadForm()
    else:
        form = UploadForm()
    # Queries: the count, the page of imports with the convention of the confirmed ones.
    imports = DocumentImport.objects.select_related("convention").order_by("-created_at", "-pk")
    page = BoundedPaginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reprise/list.html",
        {"form": form, "page": page, "results": results, "states": ImportState},
    )


def _upload_one(request, upload) -> dict:
    name = upload.name
    try:
        data = b"".join(upload.chunks())
        record = import_add(name=name, data=data, user=request.user)
    except ImportRefused as error:
        return {"name": name, "ok": False, "message": error.message, "record": error.existing}
    except OperationalError:
        logger.warning("Import of %s not recorded", name, exc_info=True)
        return {
            "name": name,
            "ok": False,
            "message": "La base de données est momentanément indisponible : ce fichier n'a pas "
            "été enregistré. Réessayez dans quelques instants.",
            "record": None,
        }
    record.refresh_from_db(fields=["state", "error"])
    return {"name": name, "ok": True, "message": "", "record": record}


# The evidence shown beside each field of the review form: the key of `Extraction.evidence`.
FIELD_EVIDENCE = {
    "title": "title",
    "kind": "title",
    "signature_place": "signature_place",
    "signed_on": "signed_on",
    "signed_on_unknown": "signed_on",
    "effective_date": "effective_date",
    "duration_months": "duration_months",
    "ends_on": "ends_on",
    "school_years": "school_years",
    "notice_months": "notice_months",
    "tacit_renewal": "tacit_renewal",
    "renewal_months": "renewal_months",
    "max_renewals": "max_renewals",
    "provisional_months": "provisional_months",
}
PARTY_EVIDENCE = {
    "name_as_written": "name_as_written",
    "new_name": "name_as_written",
    "description": "description",
    "designation": "designation",
    "address": "address",
    "signatory_name": "signatory.name",
    "signatory_title": "signatory.title",
}


def _review_context(record: DocumentImport, form, party_forms) -> dict:
    extraction = record.extraction or {}
    evidence = extraction.get("evidence") or {}
    listed = listed_keys(record)

    def fact(key, listed_key=None):
        item = evidence.get(key) if key else None
        return {
            "excerpt": item.get("excerpt", "") if item else "",
            "anchor": anchor(key) if item else "",
            "page": item.get("page") if item else None,
            "listed": (listed_key or key) in listed,
        }

    rows = [(form[name], fact(FIELD_EVIDENCE.get(name), name)) for name in form.fields]
    parties = []
    for index, party_form in enumerate(party_forms):
        rows_of_party = []
        for name in party_form.fields:
            key = PARTY_EVIDENCE.get(name)
            path = f"parties[{index}].{key}" if key else None
            rows_of_party.append((party_form[name], fact(path, path)))
        parties.append({"form": party_form, "rows": rows_of_party, "number": index + 1})
    proposal = proposal_of(record)
    return {
        "record": record,
        "form": form,
        "rows": rows,
        "parties": parties,
        "segments": marked_text(record.text, evidence),
        "warnings": extraction.get("warnings") or [],
        "articles_count": _count_articles(proposal.get("articles") or []),
        "annexes_count": len(proposal.get("annexes") or []),
        "has_preamble": bool(proposal.get("preamble")),
        "inline": record.shown_inline,
        "is_image": record.kind in ("png", "jpeg"),
    }


def _count_articles(nodes) -> int:
    return sum(1 + _count_articles(node.get("children") or []) for node in nodes)


@manager_required
def import_review(request, pk):
    """The original beside the facts proposed; correct them, then confirm."""
    record = get_object_or_404(
        DocumentImport.objects.select_related("convention", "reviewed_by"), pk=pk
    )
    if record.state != ImportState.TO_REVIEW:
        return render(request, "reprise/review_closed.html", {"record": record})
    choices, names = review_forms.organisation_choices()
    proposal = proposal_of(record)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        formset = PartyFormSet(
            request.POST, prefix="parties", form_kwargs={"organisation_choices": choices}
        )
        if form.is_valid() and formset.is_valid():
            document, new_organisations, party_forms = review_forms.to_format(
                form, formset.forms, proposal, names
            )
            try:
                convention = import_confirm(
                    record=record,
                    document=document,
                    corrections=typed(request.POST),
                    user=request.user,
                )
            except ConfirmRefused as refused:
                review_forms.place_problems(refused.problems, form, new_organisations, party_forms)
                _keep_corrections(record, request.POST)
            except OperationalError:
                logger.warning("Confirmation of import %s failed", record.pk, exc_info=True)
                form.add_error(
                    None,
                    "La base de données est momentanément indisponible : rien n'a été créé. "
                    "Réessayez dans quelques instants.",
                )
            else:
                messages.success(
                    request,
                    f"La convention {convention.reference} a été créée à partir de "
                    f"« {record.original_name} ».",
                )
                return redirect(convention.get_absolute_url())
    else:
        form, formset = _initial_forms(record, proposal, choices)
    return render(
        request,
        "reprise/review.html",
        {**_review_context(record, form, formset.forms), "formset": formset},
    )


def _initial_forms(record, proposal, choices):
    hints = ((record.extraction or {}).get("hints") or {}).get("organisations") or []
    parties = proposal.get("parties") or []
    listed = (record.listed_facts or {}).get("parties") or []
    hints = [
        # A partner named by the spreadsheet is matched by that name.
        {"name": party["name_as_written"]}
        if index < len(listed)
        else (hint or {"name": party.get("name_as_written", "")})
        for index, (hint, party) in enumerate(
            zip(hints + [{}] * len(parties), parties, strict=False)
        )
    ]
    if record.corrections:
        form = ReviewForm(record.corrections_data())
        formset = PartyFormSet(
            record.corrections_data(),
            prefix="parties",
            form_kwargs={"organisation_choices": choices},
        )
        return form, formset
    matched = match_organisations(hints)
    form = ReviewForm(
        initial=review_forms.review_initial(
            proposal,
            proposal.get("reference") or suggested_reference(proposal, hints),
            proposal.get("short_title") or suggested_short_title(proposal),
        )
    )
    formset = PartyFormSet(
        prefix="parties",
        initial=[
            review_forms.party_initial(party, matched[i], hints[i])
            for i, party in enumerate(parties)
        ],
        form_kwargs={"organisation_choices": choices},
    )
    return form, formset


def typed(data) -> dict:
    """The form's data as JSON: every key with its values."""
    return {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}


def _keep_corrections(record, data):
    """What was typed, kept when the confirmation is refused: coming back to the page later
    shows it again."""
    record.corrections = typed(data)
    record.save(update_fields=["corrections"])


@manager_required
@require_POST
def import_reject_view(request, pk):
    record = get_object_or_404(DocumentImport, pk=pk)
    if record.state in (ImportState.CONFIRMED, ImportState.REJECTED):
        messages.info(request, "Ce document a déjà été traité.")
    else:
        import_reject(record=record, user=request.user)
        messages.success(request, f"« {record.original_name} » est rejeté : aucune convention.")
    return redirect("reprise:list")


@manager_required
@require_POST
def import_review_anyway_view(request, pk):
    """A document judged not to be a convention, reviewed all the same."""
    record = get_object_or_404(DocumentImport, pk=pk, state=ImportState.FAILED)
    if record.extraction is None:
        raise Http404("Ce document n'a pas pu être lu : il n'y a rien à vérifier.")
    import_review_anyway(record=record, user=request.user)
    messages.success(request, f"« {record.original_name} » est à vérifier.")
    return redirect("reprise:review", pk=record.pk)


# A file uploaded by anyone is shown in the browser's own viewer (a PDF, an image) or
# downloaded (Word, OpenDocument): never run. PDFs with active content were refused when
# read (`services.ACTIVE_PDF`); the policy forbids any script or connection, and lets only
# our own pages frame it (the review page shows it in an <iframe>). Chromium refuses to show
# a PDF in a sandboxed document, so a PDF gets no `sandbox`; everything else does.
ORIGINAL_CSP = "default-src 'none'; frame-ancestors 'self'"


@xframe_options_sameorigin
@staff_required
def import_original(request, pk):
    """The original file: inline for a PDF or an image, else as a download. Gestionnaires
    see every import; lecteurs, the original of a convention created from one."""
    record = get_object_or_404(DocumentImport, pk=pk)
    if not is_manager(request.user) and not (
        is_staff_member(request.user) and record.state == ImportState.CONFIRMED
    ):
        raise PermissionDenied
    try:
        handle = record.file.open("rb")
    except OSError:
        logger.error("Original of import %s missing: %s", record.pk, record.file.name)
        raise Http404("Le fichier original est introuvable.") from None
    inline = record.kind in INLINE_TYPES and "telecharger" not in request.GET
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(record.kind, "application/octet-stream"),
        as_attachment=not inline,
        filename=record.original_name,
    )
    policy = ORIGINAL_CSP if record.kind == "pdf" else f"sandbox; {ORIGINAL_CSP}"
    response["Content-Security-Policy"] = policy
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{record.sha256}"'
    return response


def original_url(record) -> str:
    return reverse("reprise:original", args=[record.pk])
