"""PDFs off the request path (docs/tasks.md): what a PDF view answers.

A view prints the HTML of its document (a few queries, a few milliseconds), whose content
key names the render: stored already, the PDF is served at once; otherwise the render is
recorded (once per content, however many ask: `jobs.services.request_render`) and left to
the worker; the request waits at most `settings.PDF_WAIT_MS`, then answers 202 with
« Document en préparation », a page that reloads itself (the `Refresh` header: no script
needed) until the PDF is there. A render that failed shows a French page and a link that
tries again (`?relancer=1`), never a 500.

The signed PDF of a convention or an avenant is rendered and sealed by the worker too, once
the signature has committed (`schedule_signed`); until it is stored, its PDF views show
« en préparation » rather than a reconstitution of the text.
"""

import json

from django.http import HttpResponse
from django.template.response import TemplateResponse

from conventions.models import Amendment, Convention
from jobs.enums import JobState
from jobs.models import RENDER_FOLDER, Render
from jobs.services import STATE_FIELDS, read_render, request_render, store_file, wait_for

from . import printing
from .signed import generated_document, store_signed_amendment_pdf, store_signed_pdf

# Seconds between two reloads of the « en préparation » page.
REFRESH_SECONDS = 2
RETRY_PARAM = "relancer"


def _retry(request) -> bool:
    return RETRY_PARAM in request.GET


def printed_pdf(request, html: str) -> bytes | Render:
    """The PDF that prints `html`, or, when it is not ready within the wait, its render."""
    render = request_render(
        kind="pdf", key=printing.content_key(html), source=html, retry=_retry(request)
    )
    for _ in range(2):  # a file gone from the storage is rendered again: one more wait
        render = wait_for(render)
        if render.state != JobState.DONE:
            break
        pdf = read_render(render)
        if pdf is not None:
            return pdf
        render.refresh_from_db(fields=STATE_FIELDS)
    return render


def preparing_page(request, render: Render, *, label: str, frame: str = "base.html"):
    """« Document en préparation » (202), reloading itself; « échec » with a retry link."""
    failed = render.state == JobState.FAILED
    response = TemplateResponse(
        request,
        "documents/preparing.html",
        {
            "frame": frame,
            "label": label,
            "failed": failed,
            "url": request.path,
            "retry_url": f"{request.path}?{RETRY_PARAM}=1",
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=200 if failed else 202,
    )
    if not failed:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={request.path}"
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(pdf: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def render_pdf(render: Render) -> str:
    """The renderer of « pdf » (`jobs.registry`): the HTML printed by WeasyPrint, stored in
    the default storage, so that any app server serves it."""
    return store_file(f"{RENDER_FOLDER}/{render.key}.pdf", printing.write_pdf(render.source))


# --- The signed PDF ----------------------------------------------------------------------


def signed_key(convention_id: int, amendment_id: int | None = None) -> str:
    if amendment_id is None:
        return f"signed:convention:{convention_id}"
    return f"signed:amendment:{amendment_id}"


def schedule_signed(convention: Convention, amendment: Amendment | None = None) -> Render:
    """Record the signed PDF to store, in the signature's transaction; its task is enqueued
    once that transaction commits (the signed text, frozen by the database's triggers from
    then on, is what the worker prints)."""
    amendment_id = amendment.pk if amendment is not None else None
    return request_render(
        kind="signed",
        key=signed_key(convention.pk, amendment_id),
        source=json.dumps({"convention": convention.pk, "amendment": amendment_id}),
        on_commit=True,
    )


def store_signed(render: Render) -> str:
    """The renderer of « signed »: generate, seal and store the signed PDF (idempotent).
    Its file belongs to its `SignedDocument`: nothing for the purge of renders to delete."""
    ids = json.loads(render.source)
    if ids["amendment"] is None:
        store_signed_pdf(Convention.objects.get(pk=ids["convention"]))
    else:
        store_signed_amendment_pdf(
            Amendment.objects.select_related("convention").get(pk=ids["amendment"])
        )
    return ""


def signed_job(request, convention: Convention, amendment: Amendment | None = None):
    """The job storing the signed PDF of `convention` (or of `amendment`), when there is
    one: after the brief wait when it is not done (enqueued again when lost, or failed and
    retried). None for a document signed before the application kept its PDFs, or whose
    job was purged once done."""
    key = signed_key(convention.pk, amendment.pk if amendment is not None else None)
    render = Render.objects.filter(key=key).defer("source").first()
    if render is None or render.state == JobState.DONE:
        return render
    render = request_render(kind=render.kind, key=key, source=render.source, retry=_retry(request))
    return wait_for(render)


def signed_or_pending(
    request, convention: Convention, amendment: Amendment | None = None, *, label: str,
    frame: str = "base.html",
):  # fmt: skip
    """The stored signed PDF (a `SignedDocument`), « en préparation » while the worker
    stores it (a response), or None (a draft; a text signed before the application kept its
    PDFs: it is printed instead)."""
    stored = generated_document(convention, amendment)
    signed_on = amendment.signed_on if amendment is not None else convention.signed_on
    if stored is None and signed_on is not None:
        job = signed_job(request, convention, amendment)
        if job is not None and job.state != JobState.DONE:
            return preparing_page(request, job, label=label, frame=frame)
        if job is not None:  # stored during the wait
            stored = generated_document(convention, amendment)
    return stored
