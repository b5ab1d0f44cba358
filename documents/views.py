"""The printed convention and its signed documents (staff only).

`pdf` serves the stored signed PDF when there is one, else the current text (a draft marked
PROJET) rendered by the worker, stored by content (`documents.delivery`): « en
préparation » until it is ready. No list page renders a PDF.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from conventions.models import Amendment, Convention
from users.perms import manager_required, staff_required

from . import delivery, printing, review
from .delivery import pdf_response, preparing_page, printed_pdf
from .forms import ScanUploadForm
from .models import SignedDocument
from .signed import convention_documents, store_scan

logger = logging.getLogger(__name__)


# A stored file (a scan uploaded by staff, a signed PDF) is downloaded, never shown in the
# browser's own viewer; were a proxy to drop that, the sandbox still forbids it any script.
STORED_FILE_CSP = "sandbox; default-src 'none'"


def stored_response(document: SignedDocument) -> FileResponse:
    """A stored document as a download (staff pages and the partners' portal)."""
    try:
        handle = document.file.open("rb")
    except OSError:
        logger.error("Stored document missing: %s", document.file.name)
        raise Http404("Le fichier de ce document est introuvable.") from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=document.download_name,
    )
    response["ETag"] = f'"{document.sha256}"'
    response["Content-Security-Policy"] = STORED_FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stored_or_pending(request, convention, amendment, label):
    found = delivery.signed_or_pending(request, convention, amendment, label=label)
    return stored_response(found) if isinstance(found, SignedDocument) else found


@staff_required
def convention_pdf(request, reference):
    # Queries: the convention, its stored PDF (and the job storing it); to print, parties,
    # signatories, articles, annexes (contacts, actions when annexed); the render's row.
    convention = get_object_or_404(Convention, reference=reference)
    label = f"la convention {convention.reference}"
    if response := _stored_or_pending(request, convention, None, label):
        return response
    pdf = printed_pdf(request, printing.convention_html(convention))
    if not isinstance(pdf, bytes):
        return preparing_page(request, pdf, label=label)
    if not convention.is_signed:
        suffix = "-projet"
    else:
        suffix = "" if printing.holds_signed_text(convention) else "-texte-connu"
    return pdf_response(pdf, f"{convention.reference}{suffix}.pdf")


@staff_required
def amendment_pdf(request, reference, number):
    amendment = get_object_or_404(
        Amendment.objects.select_related("convention"),
        convention__reference=reference,
        number=number,
    )
    label = f"l'avenant n° {number} à la convention {reference}"
    if response := _stored_or_pending(request, amendment.convention, amendment, label):
        return response
    pdf = printed_pdf(request, printing.amendment_html(amendment))
    if not isinstance(pdf, bytes):
        return preparing_page(request, pdf, label=label)
    suffix = "-projet" if amendment.signed_on is None else ""
    return pdf_response(pdf, f"{reference}-avenant-{number}{suffix}.pdf")


@staff_required
def document_download(request, reference, pk):
    document = get_object_or_404(SignedDocument, pk=pk, convention__reference=reference)
    return stored_response(document)


@manager_required
def upload_scan(request, reference):
    """The convention's signed documents, and the form to file the scan of a paper copy."""
    convention = get_object_or_404(Convention, reference=reference)
    if request.method == "POST":
        form = ScanUploadForm(request.POST, request.FILES, convention=convention)
        if form.is_valid():
            try:
                store_scan(
                    convention=convention,
                    amendment=form.cleaned_data["amendment"],
                    data=form.cleaned_data["data"],
                    original_name=form.cleaned_data["file"].name,
                    shared_with_partners=form.cleaned_data["shared_with_partners"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            except OperationalError:  # a locked database: nothing kept, not even the file
                logger.warning("Scan of %s not recorded", convention.reference, exc_info=True)
                form.add_error(
                    None,
                    "La base de données est momentanément indisponible : le scan n'a pas été "
                    "enregistré. Réessayez dans quelques instants.",
                )
            else:
                messages.success(request, "Le scan signé a été enregistré.")
                return redirect("documents:upload_scan", reference=convention.reference)
    else:
        form = ScanUploadForm(convention=convention)
    return render(
        request,
        "documents/documents.html",
        {
            "convention": convention,
            "documents": convention_documents(convention),
            "form": form,
            "max_size": settings.SCAN_MAX_BYTES,
        },
    )


@staff_required
def review_pdf(request, reference, year):
    """The yearly review (bilan annuel) of a school year, as a PDF."""
    convention = get_object_or_404(Convention, reference=reference)
    if not 1990 <= year <= 2100:
        raise Http404("Année scolaire invalide.")
    label = f"le bilan annuel {year}-{year + 1} de la convention {convention.reference}"
    pdf = printed_pdf(request, review.review_html(convention, year))
    if not isinstance(pdf, bytes):
        return preparing_page(request, pdf, label=label)
    return pdf_response(pdf, f"{convention.reference}-bilan-{year}-{year + 1}.pdf")
