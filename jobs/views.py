"""The page of a CSV export written by the worker, and its download: only for the user who
asked for it (anyone else gets a 404), staff only as the lists are."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from users.perms import staff_required

from . import registry, services
from .enums import JobState
from .models import Export

# Seconds between two reloads of the « export en préparation » page.
REFRESH_SECONDS = 2


def start_export(request, *, kind: str):
    """Record the export of `kind` filtered by the request's query string, and send the user
    to its page (« export en préparation », then the download)."""
    export_kind = registry.exports[kind]
    params = request.GET.copy()
    params.pop("page", None)
    export = services.request_export(
        user=request.user,
        kind=kind,
        params=params.urlencode(),
        filename=f"{export_kind.filename}-{timezone.localdate():%Y-%m-%d}.csv",
    )
    return redirect("jobs:export", pk=export.pk)


def _own_export(request, pk) -> Export:
    return get_object_or_404(Export, pk=pk, user=request.user)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def export(request, pk):
    # Queries: the user's groups (staff_required), the export; a retry updates it.
    record = _own_export(request, pk)
    if request.method == "POST":  # « Relancer l'export »
        services.retry_export(record)
        return redirect("jobs:export", pk=record.pk)
    if services.revive_export(record):
        record.refresh_from_db()
    kind = registry.exports.get(record.kind)
    waiting = record.state in services.WAITING
    response = TemplateResponse(
        request,
        "jobs/export.html",
        {
            "export": record,
            "title": kind.title if kind else "la liste",
            "waiting": waiting,
            "failed": record.state == JobState.FAILED,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=202 if waiting else 200,
    )
    if waiting:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={request.path}"
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def download(request, pk):
    record = _own_export(request, pk)
    if record.state != JobState.DONE:
        return redirect("jobs:export", pk=record.pk)
    try:
        handle = default_storage.open(record.file, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("Le fichier de cet export n'existe plus : relancez l'export.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=record.filename, content_type="text/csv; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
