"""CSV exports of more than a page are written by the worker (docs/tasks.md): the list's
export answers « Export en préparation », then offers the file, the same file the immediate
export would have streamed; only to the user who asked."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conventions.views import lists
from jobs.enums import JobState
from jobs.models import Export
from jobs.services import run_export
from tests.factories import ConventionFactory, UserFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPORT = reverse("conventions:export")


def staff(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(reader=True, **kwargs))
    return client


def conventions(count):
    for n in range(count):
        # Formula-looking titles: written as text in both ways of exporting.
        ConventionFactory(reference=f"EXP-{n:03d}", title=f'=HYPERLINK("x";"{n}") n°{n}')


def download(client, response) -> bytes:
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Export prêt" in page.content.decode()
    file = client.get(response["Location"] + "fichier/")
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith('attachment; filename="conventions-')
    return b"".join(file.streaming_content)


def test_the_file_the_worker_writes_is_the_one_streamed_at_once(monkeypatch):
    size = lists.PAGE_SIZE + 5
    conventions(size)
    client = staff()
    written = download(client, client.get(EXPORT, {"o": "-reference"}))
    monkeypatch.setattr(lists, "PAGE_SIZE", 1000)  # the same list, small enough to stream
    streamed = client.get(EXPORT, {"o": "-reference"})
    assert streamed.status_code == 200
    assert written == b"".join(streamed.streaming_content)
    assert written.startswith(b"\xef\xbb\xbfR\xc3\xa9f\xc3\xa9rence;Titre;")
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == size + 1
    last = size - 1
    assert rows[1][:2] == [f"EXP-{last:03d}", f'\'=HYPERLINK("x";"{last}") n°{last}']
    assert Export.objects.get().rows == size


def test_the_export_follows_the_filters_and_a_page_or_less_streams_at_once():
    conventions(lists.PAGE_SIZE + 1)
    client = staff()
    response = client.get(EXPORT, {"q": "EXP-001"})
    assert response.status_code == 200 and not Export.objects.exists()
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [row[0] for row in rows[1:]] == ["EXP-001"]
    written = download(client, client.get(EXPORT, {"q": "EXP", "page": "2"}))
    assert Export.objects.get().params == "q=EXP"  # the page is not a filter
    assert written.count(b"\r\n") == lists.PAGE_SIZE + 2


@pytest.mark.django_db(transaction=True)  # the worker closes the database connection
def test_with_the_queue_the_export_is_in_preparation_until_the_worker_writes_it(settings):
    settings.TASKS = DATABASE_TASKS
    conventions(lists.PAGE_SIZE + 1)
    client = staff()
    response = client.get(EXPORT)
    page = client.get(response["Location"])
    assert page.status_code == 202 and "Export en préparation" in page.content.decode()
    assert page["Refresh"] == f"2; url={response['Location']}"
    # A second click while it is written: the same export, not a second one.
    assert client.get(EXPORT)["Location"] == response["Location"]
    assert client.get(response["Location"] + "fichier/").status_code == 302  # not ready

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert download(client, response).count(b"\r\n") == lists.PAGE_SIZE + 2


def test_only_the_user_who_asked_downloads_the_export(partner_client):
    conventions(lists.PAGE_SIZE + 1)
    owner = staff()
    response = owner.get(EXPORT)
    other = staff(manager=True)
    assert other.get(response["Location"]).status_code == 404
    assert other.get(response["Location"] + "fichier/").status_code == 404
    assert other.post(response["Location"]).status_code == 404
    # Partners: no staff page at all.
    assert partner_client.get(response["Location"]).status_code == 403
    assert partner_client.get(EXPORT).status_code == 403


def test_the_actions_and_money_exports_go_through_the_worker_too():
    from tests.factories import ActionFactory, ActionPlanFactory

    plan = ActionPlanFactory()
    for n in range(1, 52):
        ActionFactory(plan=plan, number=n)
    client = staff()
    response = client.get(reverse("actions:export"))
    assert response.status_code == 302
    file = client.get(response["Location"] + "fichier/")
    assert file["Content-Disposition"].startswith('attachment; filename="actions-')
    assert b"".join(file.streaming_content).count(b"\r\n") == 52


def test_a_failed_export_says_so_and_can_be_tried_again():
    client = staff()
    user = client.get(reverse("home")).wsgi_request.user
    export = Export.objects.create(user=user, kind="conventions", params="", filename="c.csv")
    Export.objects.filter(pk=export.pk).update(kind="inconnu")  # its writer is gone
    assert run_export(export.pk) == JobState.FAILED
    url = reverse("jobs:export", args=[export.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Échec de l'export" in page.content.decode()
    assert "Relancer l'export" in page.content.decode()
    Export.objects.filter(pk=export.pk).update(kind="conventions")
    assert client.post(url).status_code == 302
    export.refresh_from_db()
    assert export.state == JobState.DONE and export.rows == 0


def test_the_export_pages_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    conventions(lists.PAGE_SIZE + 1)
    client = staff()
    client.get(reverse("home"))
    # Session, user, groups, the count; the export's row looked up, created (a savepoint),
    # the task run in the request by the test backend (claim, read, the rows and their
    # parties, done; the purge's two reads), the export read again; the sliding session.
    with django_assert_max_num_queries(17):
        response = client.get(EXPORT)
    # Session, user, groups, the export.
    with django_assert_max_num_queries(5):
        assert client.get(response["Location"]).status_code == 200
    with django_assert_max_num_queries(5):
        file = client.get(response["Location"] + "fichier/")
        assert file.status_code == 200
    file.close()


def test_an_export_left_running_by_a_killed_worker_is_written_again():
    conventions(lists.PAGE_SIZE + 1)
    client = staff()
    user = client.get(reverse("home")).wsgi_request.user
    export = Export.objects.create(
        user=user, kind="conventions", params="", filename="c.csv", state=JobState.RUNNING
    )
    url = reverse("jobs:export", args=[export.pk])
    assert client.get(url).status_code == 202  # running for a moment: left alone
    Export.objects.filter(pk=export.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client.get(url)  # enqueued again (and run at once by the test backend)
    assert page.status_code == 200 and "Export prêt" in page.content.decode()
    assert Export.objects.get(pk=export.pk).rows == lists.PAGE_SIZE + 1
