"""Recording, running and purging the background jobs (docs/tasks.md).

A render is asked for by its key: the first request records its row and enqueues its task,
every other one finds the row (single-flight: `Render.key` is unique). The request may wait
a little (`settings.PDF_WAIT_MS`) for the worker, then answers « en préparation ».
The task claims the row (« en attente » → « en cours », one worker wins), calls the
renderer the apps above registered, and records « prêt » or « échec ». A job left
« en attente » or « en cours » for more than `settings.RENDER_STALE_SECONDS` (a task lost, a
worker killed) is enqueued again when asked for; a failed one when asked with a retry.
"""

import datetime
import functools
import logging
import tempfile
import time

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from config.csv_export import write_csv

from . import registry
from .enums import JobState
from .models import EXPORT_FOLDER, Export, Render

logger = logging.getLogger(__name__)

WAITING = (JobState.PENDING, JobState.RUNNING)
# How often a request that waits for its render looks at the row again.
POLL_SECONDS = 0.25
# What a request reads again of a render it waits for.
STATE_FIELDS = ["state", "file", "error", "updated_at"]


def store_file(name: str, content) -> str:
    """Write `content` (bytes or a file) under `name` in the default storage (the local
    media folder, or the object storage every app server reads), replacing what is there."""
    if default_storage.exists(name):
        default_storage.delete(name)
    if isinstance(content, bytes):
        content = ContentFile(content)
    return default_storage.save(name, content)


# --- Renders -----------------------------------------------------------------------------


def _enqueue_render(render_id: int) -> None:
    from .tasks import render_task

    render_task.enqueue(render_id)


def _restart(render: Render) -> bool:
    """Back to « en attente » and enqueued, unless another request did so first (the update
    is conditional on the state and the time read)."""
    restarted = Render.objects.filter(
        pk=render.pk, state=render.state, updated_at=render.updated_at
    ).update(state=JobState.PENDING, error="", updated_at=timezone.now())
    if restarted:
        _enqueue_render(render.pk)
    return bool(restarted)


def request_render(
    *, kind: str, key: str, source: str, retry: bool = False, on_commit: bool = False
) -> Render:
    """The render of `key`, recorded and enqueued the first time it is asked for (once,
    however many ask at once); a failed one enqueued again when `retry`, a lost one when it
    is stale. `on_commit`: the task is enqueued once the current transaction commits (the
    signed PDF, whose row commits with the signature)."""
    try:
        # The source (a whole printed HTML) is written, never read back here.
        render, created = Render.objects.defer("source").get_or_create(
            key=key, defaults={"kind": kind, "source": source}
        )
    except IntegrityError:  # created by another request between the read and the write
        render, created = Render.objects.defer("source").get(key=key), False
    if created:
        if on_commit:
            transaction.on_commit(functools.partial(_enqueue_render, render.pk))
        else:
            _enqueue_render(render.pk)
    else:
        stale = timezone.now() - datetime.timedelta(seconds=settings.RENDER_STALE_SECONDS)
        if (render.state == JobState.FAILED and retry) or (
            render.state in WAITING and render.updated_at < stale
        ):
            if render.state != JobState.FAILED:
                logger.warning("Render %s was left %s: enqueued again", key, render.state)
            _restart(render)
        else:
            return render
    render.refresh_from_db(fields=STATE_FIELDS)
    return render


def wait_for(render: Render, *, seconds: float | None = None) -> Render:
    """`render`, once done or failed, or as it stands after `seconds` (PDF_WAIT_MS)."""
    if seconds is None:
        seconds = settings.PDF_WAIT_MS / 1000
    deadline = time.monotonic() + seconds
    while render.state in WAITING and time.monotonic() < deadline:
        time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))
        render.refresh_from_db(fields=STATE_FIELDS)
    return render


def read_render(render: Render) -> bytes | None:
    """The file a done render wrote, or None when it is gone from the storage (purged
    between the read of its row and this one, removed by hand): then it is enqueued again."""
    try:
        with default_storage.open(render.file, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("Rendered file missing, rendering again: %s", render.file)
        _restart(render)
        return None


def run_render(render_id: int) -> str:
    """The task's work: claim the render, run its renderer, record the outcome."""
    claimed = Render.objects.filter(pk=render_id, state=JobState.PENDING).update(
        state=JobState.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:  # done, running elsewhere, or purged
        return "skipped"
    render = Render.objects.get(pk=render_id)
    try:
        name = registry.renderers[render.kind](render)
    except Exception as error:
        logger.exception("Render %s (%s) failed", render.key, render.kind)
        Render.objects.filter(pk=render_id).update(
            state=JobState.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )  # fmt: skip
        return JobState.FAILED
    Render.objects.filter(pk=render_id).update(
        state=JobState.DONE, file=name, error="", updated_at=timezone.now()
    )
    return JobState.DONE


# --- Exports -----------------------------------------------------------------------------


def request_export(*, user, kind: str, params: str, filename: str) -> Export:
    """The export of `kind` filtered by `params` for `user`: the one they asked for already
    when it is still being written (a double click makes one file), else a new one."""
    export = (
        Export.objects.filter(user=user, kind=kind, params=params, state__in=WAITING)
        .order_by("-pk")
        .first()
    )
    if export is None:
        export = Export.objects.create(user=user, kind=kind, params=params, filename=filename)
        from .tasks import export_task

        export_task.enqueue(export.pk)
        export.refresh_from_db()
    return export


def revive_export(export: Export) -> bool:
    """An export left « en attente » or « en cours » longer than RENDER_STALE_SECONDS (a
    lost task, a killed worker) is enqueued again, once (a conditional update)."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.RENDER_STALE_SECONDS)
    if export.state not in WAITING or export.updated_at >= stale:
        return False
    revived = Export.objects.filter(
        pk=export.pk, state=export.state, updated_at=export.updated_at
    ).update(state=JobState.PENDING, updated_at=timezone.now())
    if revived:
        logger.warning("Export %s was left %s: enqueued again", export.pk, export.state)
        from .tasks import export_task

        export_task.enqueue(export.pk)
    return bool(revived)


def retry_export(export: Export) -> None:
    if Export.objects.filter(pk=export.pk, state=JobState.FAILED).update(
        state=JobState.PENDING, error="", updated_at=timezone.now()
    ):
        from .tasks import export_task

        export_task.enqueue(export.pk)


def run_export(export_id: int) -> str:
    """The task's work: the CSV written in a temporary file, row by row (memory stays
    flat), then stored as the export's file."""
    claimed = Export.objects.filter(pk=export_id, state=JobState.PENDING).update(
        state=JobState.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    export = Export.objects.get(pk=export_id)
    try:
        kind = registry.exports[export.kind]
        with tempfile.TemporaryFile() as handle:
            rows = write_csv(handle, kind.header, kind.rows(QueryDict(export.params)))
            handle.seek(0)
            name = store_file(f"{EXPORT_FOLDER}/{export.pk}/{export.filename}", File(handle))
    except Exception as error:
        logger.exception("Export %s (%s) failed", export.pk, export.kind)
        Export.objects.filter(pk=export_id).update(
            state=JobState.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )  # fmt: skip
        return JobState.FAILED
    Export.objects.filter(pk=export_id).update(
        state=JobState.DONE, file=name, rows=rows, error="", updated_at=timezone.now()
    )
    return JobState.DONE


# --- Purge -------------------------------------------------------------------------------


def purge(*, now: datetime.datetime | None = None, limit: int | None = None) -> int:
    """Delete the renders done more than RENDER_KEEP_DAYS ago and the exports older than
    EXPORT_KEEP_HOURS, with their files (at most `limit` of each); returns how many rows.
    A failed render stays (its page offers to try again), as does one not done yet."""
    now = now or timezone.now()
    renders = Render.objects.filter(
        state=JobState.DONE,
        updated_at__lt=now - datetime.timedelta(days=settings.RENDER_KEEP_DAYS),
    ).order_by("updated_at")
    exports = Export.objects.filter(
        updated_at__lt=now - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    ).order_by("updated_at")
    deleted = 0
    for queryset in (renders, exports):
        for row in queryset[:limit] if limit else queryset:
            if row.file:
                try:
                    default_storage.delete(row.file)
                except OSError:
                    logger.exception("Could not delete %s", row.file)
                    continue
            row.delete()
            deleted += 1
    return deleted
