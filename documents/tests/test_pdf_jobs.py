"""PDFs off the request path (docs/tasks.md): with the database queue, as in production, a
PDF not rendered yet answers « Document en préparation » at once, however many ask for it
one render is recorded and one task enqueued, and the worker (`db_worker`) renders it once;
then the page serves it. A failed render says so, in French, with a retry; never a 500.
The signed PDF is stored by the worker once the signature has committed."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conventions import services
from conventions.models import Signatory
from documents import printing
from documents.models import SignedDocument
from echeancier.refresh import refresh_schedule
from jobs.enums import JobState
from jobs.models import Render
from jobs.services import purge
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory, UserFactory
from tests.pdftext import normalise, pages_text

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(reader=True))
    return client


@pytest.fixture
def queue(settings):
    """The database queue of production; the request does not wait for the worker."""
    settings.TASKS = DATABASE_TASKS
    settings.PDF_WAIT_MS = 0


@pytest.fixture
def renders(monkeypatch):
    """The HTML of every PDF WeasyPrint renders (the real one)."""
    seen = []
    real = printing.write_pdf

    def counting(html, **kwargs):
        seen.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(printing, "write_pdf", counting)
    return seen


def draft():
    convention = ConventionFactory()
    ArticleFactory(convention=convention, heading="Objet", body="Les parties coopèrent.")
    return convention


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_for_one_uncached_pdf_make_one_job_and_one_render(queue, renders):
    from django_tasks_db.models import DBTaskResult

    convention = draft()
    url = reverse("documents:pdf", args=[convention.reference])
    clients = [staff_client() for _ in range(4)]
    for n in range(20):
        response = clients[n % 4].get(url)
        assert response.status_code == 202
        assert "Document en préparation" in response.content.decode()
        assert response["Refresh"] == f"2; url={url}"
    assert Render.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path="jobs.tasks.render_task").count() == 1
    assert renders == []  # nothing rendered in a request

    run_worker()

    assert len(renders) == 1
    render = Render.objects.get()
    assert render.state == JobState.DONE and render.file == f"pdf-cache/{render.key}.pdf"
    assert default_storage.exists(render.file)
    response = clients[0].get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"{convention.reference}-projet.pdf" in response["Content-Disposition"]
    text = normalise(" ".join(pages_text(response.content)))
    assert "les parties coopèrent." in text and "projet" in text
    assert len(renders) == 1  # served as stored

    # A change of the text is another content: rendered again, once.
    convention.articles.update(body="Les parties coopèrent étroitement.")
    assert clients[1].get(url).status_code == 202
    run_worker()
    assert "étroitement" in normalise(" ".join(pages_text(clients[1].get(url).content)))
    assert len(renders) == 2 and Render.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_preparing_page_waits_briefly_for_the_worker(queue, settings):
    """Within PDF_WAIT_MS the request waits; past it, the preparing page, in French."""
    settings.PDF_WAIT_MS = 300
    convention = draft()
    url = reverse("documents:review_pdf", args=[convention.reference, 2010])
    started = timezone.now()
    response = staff_client().get(url)
    assert response.status_code == 202
    assert (timezone.now() - started).total_seconds() < 2
    page = response.content.decode()
    assert f"le bilan annuel 2010-2011 de la convention {convention.reference}" in page
    assert response["Cache-Control"] == "no-store"


def test_the_preparing_page_takes_a_bounded_number_of_queries(
    db, queue, reader_client, django_assert_max_num_queries
):
    convention = draft()
    url = reverse("documents:pdf", args=[convention.reference])
    # Session, user, groups, the convention, its stored PDF; the printed HTML (parties,
    # signatories, letterheads, articles, annexes); the render's row (read, then its insert
    # in a savepoint), the task's row, the render read again; the sliding session saved.
    with django_assert_max_num_queries(19):
        assert reader_client.get(url).status_code == 202
    with django_assert_max_num_queries(13):  # asked again: found, still waiting
        assert reader_client.get(url).status_code == 202


def test_a_failed_render_says_so_and_a_retry_renders_it(db, monkeypatch, reader_client):
    convention = draft()
    url = reverse("documents:pdf", args=[convention.reference])

    def broken(html, **kwargs):
        raise RuntimeError("WeasyPrint a échoué")

    monkeypatch.setattr(printing, "write_pdf", broken)
    response = reader_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Échec de la préparation du document" in page
    assert f'href="{url}?relancer=1"' in page
    render = Render.objects.get()
    assert render.state == JobState.FAILED and "WeasyPrint a échoué" in render.error
    # Asked again without a retry: the failure stays on screen, nothing is run again.
    assert "Échec" in reader_client.get(url).content.decode()
    assert Render.objects.get().attempts == 1

    monkeypatch.undo()
    response = reader_client.get(f"{url}?relancer=1")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    render.refresh_from_db()
    assert (render.state, render.attempts) == (JobState.DONE, 2)


def test_a_lost_render_is_enqueued_again_and_a_purged_file_rendered_again(
    db, reader_client, renders
):
    convention = draft()
    url = reverse("documents:pdf", args=[convention.reference])
    key = printing.content_key(printing.convention_html(convention))
    # A worker killed while rendering: « en cours » for an hour.
    Render.objects.create(
        key=key, kind="pdf", source=printing.convention_html(convention), state=JobState.RUNNING
    )
    Render.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert reader_client.get(url).status_code == 200
    assert len(renders) == 1
    # Its file gone from the storage: rendered again, served.
    default_storage.delete(Render.objects.get().file)
    assert reader_client.get(url).content.startswith(b"%PDF-")
    assert len(renders) == 2
    assert reader_client.get(url).content.startswith(b"%PDF-")


def test_the_purge_deletes_old_renders_and_their_files_but_not_failures(db, reader_client):
    convention = draft()
    reader_client.get(reverse("documents:pdf", args=[convention.reference]))
    done = Render.objects.get()
    failed = Render.objects.create(key="f" * 64, kind="pdf", state=JobState.FAILED)
    assert purge() == 0
    Render.objects.update(updated_at=timezone.now() - datetime.timedelta(days=8))
    assert purge() == 1
    assert list(Render.objects.all()) == [failed]
    assert not default_storage.exists(done.file)


def sign_all(convention):
    for day, signatory in enumerate(
        Signatory.objects.filter(party__convention=convention).order_by("pk"), start=1
    ):
        services.convention_sign(signatory=signatory, on=datetime.date(2024, 5, day), place="Aix")


@pytest.mark.django_db(transaction=True)
def test_the_signed_pdf_is_stored_by_the_worker_after_the_commit(queue):
    academy, partner = OrganisationFactory(academy=True), OrganisationFactory()
    convention = ConventionFactory(parties=[academy, partner])
    ArticleFactory(convention=convention, heading="Objet", body="Les parties coopèrent.")
    sign_all(convention)
    assert not SignedDocument.objects.exists()  # not in the signature's request
    assert Render.objects.get().key == f"signed:convention:{convention.pk}"

    staff = staff_client()
    url = reverse("documents:pdf", args=[convention.reference])
    response = staff.get(url)
    assert response.status_code == 202 and "Document en préparation" in response.content.decode()
    # The portal too says « en préparation », never a reconstitution meanwhile.
    member = UserFactory()
    partner.members.add(member)
    refresh_schedule(convention, today=timezone.localdate())
    portal = Client()
    portal.force_login(member)
    portal_url = reverse("portal:convention_pdf", args=[convention.reference])
    response = portal.get(portal_url)
    assert response.status_code == 202 and "Document en préparation" in response.content.decode()

    run_worker()

    document = SignedDocument.objects.generated().get(convention=convention)
    response = staff.get(url)
    assert b"".join(response.streaming_content) == document.read()
    assert "les parties coopèrent." in normalise(" ".join(pages_text(document.read())))
    assert portal.get(portal_url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_failed_signed_pdf_shows_the_failure_and_is_stored_on_retry(queue, monkeypatch):
    convention = draft()
    sign_all(convention)

    def broken(html, **kwargs):
        raise OSError("Disque plein")

    monkeypatch.setattr(printing, "write_pdf", broken)
    run_worker()
    render = Render.objects.get()
    assert render.state == JobState.FAILED and "Disque plein" in render.error
    assert not SignedDocument.objects.exists()

    staff = staff_client()
    url = reverse("documents:pdf", args=[convention.reference])
    response = staff.get(url)
    assert response.status_code == 200 and "Échec de la préparation" in response.content.decode()

    monkeypatch.undo()
    assert staff.get(f"{url}?relancer=1").status_code == 202  # enqueued again
    run_worker()
    assert SignedDocument.objects.generated().filter(convention=convention).exists()
    assert staff.get(url).status_code == 200
