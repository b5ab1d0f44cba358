"""Reading runs in the background: with the database backend (django-tasks-db, as in
production) an upload waits « en attente » until the worker (`db_worker`) reads it."""

import pytest
from django.core.management import call_command

from reprise.enums import ImportState
from reprise.models import DocumentImport
from reprise.services import import_add, import_process
from reprise.tests import documents
from reprise.tests.test_pages import SHORT

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_what_the_upload_queued(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    record = import_add(name="courte.docx", data=documents.to_docx(SHORT))
    record.refresh_from_db()
    assert record.state == ImportState.PENDING and record.pages == []
    assert DBTaskResult.objects.filter(task_path="reprise.tasks.read_import").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    record.refresh_from_db()
    assert record.state == ImportState.TO_REVIEW
    assert record.extraction["convention"]["signed_on"] == "2019-06-03"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_reading_is_idempotent_and_resumes_after_a_stopped_worker(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    record = import_add(name="courte.docx", data=documents.to_docx(SHORT))
    # A worker stopped while reading leaves it « lecture »: read again.
    DocumentImport.objects.filter(pk=record.pk).update(state=ImportState.READING)
    assert import_process(record.pk).state == ImportState.TO_REVIEW
    # Read already: left as it is.
    DocumentImport.objects.filter(pk=record.pk).update(error="gardé")
    assert import_process(record.pk) is None
    assert DocumentImport.objects.get(pk=record.pk).error == "gardé"


def test_a_missing_original_is_an_error_not_a_crash(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    record = import_add(name="courte.docx", data=documents.to_docx(SHORT))
    record.file.storage.delete(record.file.name)
    record = import_process(record.pk)
    assert record.state == ImportState.FAILED
    assert record.error == "Le fichier original est introuvable sur le serveur."
