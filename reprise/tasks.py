"""Background tasks (Django's tasks framework, `settings.TASKS`): reading a document, OCR
included, takes from a fraction of a second (a Word file) to a minute (a scan of twenty
pages), so it runs in the worker (`manage.py db_worker`), never in the request."""

from django.tasks import task

from .services import import_process


@task()
def read_import(import_id: int) -> str:
    """Read the imported document `import_id` and propose its convention; returns its state."""
    record = import_process(import_id)
    return record.state if record is not None else "skipped"
