"""A signed PDF is kept only with its row: a signature whose transaction does not commit
(a locked database) leaves nothing behind, neither file nor job (the worker writes the PDF
only once the signature has committed: `documents.delivery.schedule_signed`), a retry
stores the PDF under the same stable name, and `sweep_signed_files` finds what a killed
worker left.

The failure is real: a receiver of `convention_signed`, connected after the documents app's,
raises the error SQLite raises on a locked database; the transaction is rolled back by
Django as it would be.
"""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.db.models.signals import pre_save
from django.urls import reverse

from conventions import services
from conventions.extensions import amendment_signed, convention_signed
from conventions.models import Amendment, Convention, Signatory
from documents.models import SignedDocument
from documents.printing import write_pdf
from documents.signed import sha256_hex, store_signed_pdf
from jobs.models import Render
from tests.factories import ArticleFactory, ConventionFactory

LOCKED = "database is locked"


def media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class LockedAfterThePdf:
    """Connected after the documents app's receiver: notes the files on disk (none: the PDF
    waits for the commit), then fails as a locked SQLite database does."""

    def __init__(self, settings):
        self.settings = settings
        self.seen: list[list[str]] = []

    def __call__(self, sender, **kwargs):
        self.seen.append(media_files(self.settings))
        raise OperationalError(LOCKED)


@pytest.fixture
def locked_after_the_pdf(settings):
    receiver = LockedAfterThePdf(settings)
    convention_signed.connect(receiver, dispatch_uid="test.locked")
    amendment_signed.connect(receiver, dispatch_uid="test.locked")
    yield receiver
    convention_signed.disconnect(dispatch_uid="test.locked")
    amendment_signed.disconnect(dispatch_uid="test.locked")


def draft_with_one_signature_left():
    convention = ConventionFactory()
    ArticleFactory(convention=convention, body="Les parties coopèrent.")
    first, last = Signatory.objects.filter(party__convention=convention).order_by("party__position")
    services.convention_sign(signatory=first, on=datetime.date(2024, 5, 2), place="Marseille")
    return convention, last


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_after_the_pdf_is_written_leaves_nothing_and_says_retry(
    manager_client, settings, locked_after_the_pdf
):
    convention, last = draft_with_one_signature_left()
    url = reverse("conventions:sign", args=[convention.reference, last.pk])
    form = {"signed_on": "2024-05-10", "place": "Aix-en-Provence", "name": "C", "title": "D"}

    response = manager_client.post(url, form)

    # No PDF is written inside the signature's transaction...
    name = f"conventions/{convention.reference}/{convention.reference}-signee.pdf"
    assert locked_after_the_pdf.seen == [[]]
    # ...the user is told to try again, on the form, not with a server error...
    assert response.status_code == 200
    content = response.content.decode()
    assert "la signature n&#x27;a pas été enregistrée" in content
    assert "Réessayez dans quelques instants" in content
    # ...and nothing is left: no signature, no row, no file.
    convention.refresh_from_db()
    last.refresh_from_db()
    assert convention.signed_on is None and last.signed_on is None
    assert not SignedDocument.objects.exists() and not Render.objects.exists()
    assert media_files(settings) == []

    # Sent again once the database answers: signed, one file, under the same name.
    convention_signed.disconnect(dispatch_uid="test.locked")
    response = manager_client.post(url, form)
    assert response.status_code == 302
    document = SignedDocument.objects.get(convention=convention)
    assert document.file.name == name
    assert media_files(settings) == [name]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_avenant_signature_leaves_no_file(settings, locked_after_the_pdf):
    convention = ConventionFactory(signed=True)
    amendment = services.amendment_create(convention=convention, title="Prolongation")
    first, last = amendment.signatories.order_by("party__position")
    services.amendment_sign(signatory=first, on=datetime.date(2012, 3, 1), place="Aix")
    with pytest.raises(OperationalError, match=LOCKED):
        services.amendment_sign(signatory=last, on=datetime.date(2012, 3, 2), place="Aix")
    assert locked_after_the_pdf.seen == [[]]  # the PDF waits for the commit
    assert Amendment.objects.get(pk=amendment.pk).signed_on is None
    assert not SignedDocument.objects.exists() and not Render.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_a_signature_rolled_back_to_its_savepoint_leaves_no_file(settings, locked_after_the_pdf):
    """Inside a longer transaction, only the signature's savepoint is rolled back: its
    file goes, the transaction goes on."""
    convention, last = draft_with_one_signature_left()
    with transaction.atomic():
        with pytest.raises(OperationalError, match=LOCKED):
            services.convention_sign(signatory=last, on=datetime.date(2024, 5, 10), place="Aix")
        assert locked_after_the_pdf.seen == [[]]
        assert media_files(settings) == [] and not Render.objects.exists()
        assert Convention.objects.get(pk=convention.pk).signed_on is None


@pytest.mark.django_db
def test_a_file_left_by_a_killed_worker_is_replaced_not_copied(
    settings, django_capture_on_commit_callbacks
):
    convention, last = draft_with_one_signature_left()
    name = f"conventions/{convention.reference}/{convention.reference}-signee.pdf"
    left = Path(settings.MEDIA_ROOT) / name
    left.parent.mkdir(parents=True)
    left.write_bytes(b"%PDF-1.7 half written by a worker killed before its commit")

    with django_capture_on_commit_callbacks(execute=True):  # the worker, after the commit
        services.convention_sign(signatory=last, on=datetime.date(2024, 5, 10), place="Aix")

    document = SignedDocument.objects.get(convention=convention)
    assert document.file.name == name
    assert media_files(settings) == [name]  # no "-signee_06hfeWz.pdf" beside it
    assert sha256_hex(document.read()) == document.sha256
    assert b"killed" not in document.read()


@pytest.mark.django_db
def test_sweep_lists_orphan_files_and_deletes_them_only_when_asked(settings):
    kept = store_signed_pdf(ConventionFactory(signed=True))
    root = Path(settings.MEDIA_ROOT)
    old = root / "conventions" / "CONV-GONE" / "CONV-GONE-signee.pdf"
    recent = root / "conventions" / "CONV-NOW" / "CONV-NOW-signee.pdf"
    for path in (old, recent):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"%PDF-1.7 orphan")
    two_hours_ago = (datetime.datetime.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(kept.file.path, (two_hours_ago, two_hours_ago))

    out = StringIO()
    call_command("sweep_signed_files", stdout=out)
    assert out.getvalue().splitlines() == [
        "conventions/CONV-GONE/CONV-GONE-signee.pdf",
        "1 fichier(s) sans document ; relancez avec --delete pour les supprimer.",
    ]
    assert old.exists()  # a dry run by default

    out = StringIO()
    call_command("sweep_signed_files", "--delete", stdout=out)
    assert "1 fichier(s) sans document supprimé(s)." in out.getvalue()
    assert not old.exists()
    assert recent.exists()  # maybe a signature in progress: left for a later run
    assert Path(kept.file.path).exists() and kept.matches_fingerprint()

    call_command("sweep_signed_files", "--delete", "--min-age", "0", stdout=StringIO())
    assert not recent.exists() and Path(kept.file.path).exists()


@pytest.mark.django_db
def test_a_scan_not_recorded_leaves_no_file_and_says_retry(manager_client, settings):
    """The database fails as the scan's row is written (a receiver of pre_save raises what
    SQLite raises when locked): the file already written goes, the page says to retry."""
    convention = ConventionFactory(signed=True)

    def locked(sender, **kwargs):
        raise OperationalError(LOCKED)

    pre_save.connect(locked, sender=SignedDocument, dispatch_uid="test.locked")
    try:
        response = manager_client.post(
            reverse("documents:upload_scan", args=[convention.reference]),
            {"file": SimpleUploadedFile("scan.pdf", write_pdf("<p>Exemplaire signé</p>"))},
        )
    finally:
        pre_save.disconnect(dispatch_uid="test.locked", sender=SignedDocument)
    assert response.status_code == 200
    content = response.content.decode()
    assert "le scan n&#x27;a pas été enregistré. Réessayez dans quelques instants." in content
    assert not SignedDocument.objects.exists()
    assert media_files(settings) == []
