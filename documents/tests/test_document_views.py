"""The PDF views and the signed documents page, as each persona sees them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionContribution
from conventions.models import Amendment, Annex
from documents import printing
from documents import signed as documents
from documents.enums import DocumentKind
from documents.models import SignedDocument
from partners.models import Contact
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ArticleFactory,
    ConventionFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(manager=True)
    client.force_login(user)
    return user


@pytest.fixture
def reader(client):
    user = UserFactory(reader=True)
    client.force_login(user)
    return user


@pytest.fixture
def partner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def pdf_url(convention):
    return reverse("documents:pdf", args=[convention.reference])


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(pdf_url(ConventionFactory()))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_partner_users_are_refused(client, partner):
    convention = ConventionFactory(signed=True)
    assert client.get(pdf_url(convention)).status_code == 403
    document = documents.store_signed_pdf(convention)
    url = reverse("documents:document_download", args=[convention.reference, document.pk])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["manager", "reader"])
def test_staff_get_the_draft_pdf(client, persona, request):
    request.getfixturevalue(persona)
    convention = ConventionFactory()
    response = client.get(pdf_url(convention))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{convention.reference}-projet.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_unknown_convention_is_a_404(client, reader):
    assert client.get("/conventions/INCONNUE/pdf/").status_code == 404


def test_the_stored_signed_pdf_is_served_as_stored(client, reader, monkeypatch):
    convention = ConventionFactory(signed=True)
    document = documents.store_signed_pdf(convention)
    monkeypatch.setattr(printing, "write_pdf", lambda *a, **k: pytest.fail("rendered again"))
    response = client.get(pdf_url(convention))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.read()
    assert response["ETag"] == f'"{document.sha256}"'


def test_asking_twice_for_a_draft_renders_once(client, reader, monkeypatch):
    convention = ConventionFactory()
    renders = []
    real = printing.write_pdf
    monkeypatch.setattr(
        printing, "write_pdf", lambda html, **kw: renders.append(1) or real(html, **kw)
    )
    first = client.get(pdf_url(convention)).content
    second = client.get(pdf_url(convention)).content
    assert first == second and len(renders) == 1


def grow(convention, size):
    """Articles, annexes with contacts and an action plan: `size` of each."""
    for position in range(1, size + 1):
        parent = ArticleFactory(convention=convention, position=position)
        ArticleFactory(convention=convention, parent=parent, position=1, kind="section")
    contacts = Annex.objects.create(convention=convention, position=1, kind="contacts", title="C")
    plan_annex = Annex.objects.create(
        convention=convention, position=2, kind="action_plan", title="Plan"
    )
    party = convention.parties.order_by("position").first()
    for position in range(size):
        Contact.objects.create(
            convention=convention,
            organisation=party.organisation,
            person=PersonFactory(),
            role="correspondent",
            position=position,
        )
    plan = ActionPlanFactory(convention=convention, annex=plan_annex)
    for number in range(1, size + 1):
        action = ActionFactory(plan=plan, number=number, axis=f"Axe {number % 2}")
        ActionContribution.objects.create(action=action, party=party, text="Diffusion")
    assert contacts.pk


def test_pdf_view_queries_do_not_grow_with_the_convention(client, reader):
    small, large = ConventionFactory(), ConventionFactory()
    grow(small, 1)
    grow(large, 8)
    rendered, served = [], []
    for convention in (small, large):
        for counts in (rendered, served):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(pdf_url(convention)).status_code == 200
            counts.append(len(queries))
    # Session and user, the groups check, the convention, its stored PDF; then parties,
    # signatories, the académie's letterheads, articles, annexes, contacts, actions and
    # their contributions (the HTML printed, whose key names the render); the render's row.
    assert served == [14, 14], served
    # The first time, the render is recorded (a savepoint around its insert) and run by the
    # task (claimed, read, done; the purge looks for expired renders and exports), its row
    # read again.
    assert rendered[0] == rendered[1] <= 14 + 11, rendered


def test_amendment_pdf(client, reader):
    convention = ConventionFactory(signed=True)
    amendment = Amendment.objects.create(convention=convention, number=1, title="Prolongation")
    url = reverse("documents:amendment_pdf", args=[convention.reference, 1])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert f"{convention.reference}-avenant-1-projet.pdf" in response["Content-Disposition"]
    amendment.signed_on = datetime.date(2012, 1, 5)
    amendment.save()
    document = documents.store_signed_amendment_pdf(amendment)
    response = client.get(url)
    assert b"".join(response.streaming_content) == document.read()
    assert (
        client.get(reverse("documents:amendment_pdf", args=[convention.reference, 2])).status_code
        == 404
    )


def test_download_serves_the_stored_file_of_that_convention_only(client, reader):
    convention, other = ConventionFactory(signed=True), ConventionFactory()
    document = documents.store_signed_pdf(convention)
    url = reverse("documents:document_download", args=[convention.reference, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.read()
    wrong = reverse("documents:document_download", args=[other.reference, document.pk])
    assert client.get(wrong).status_code == 404


def upload_url(convention):
    return reverse("documents:upload_scan", args=[convention.reference])


def a_pdf(text="Exemplaire signé"):
    return SimpleUploadedFile("scan signé.pdf", printing.write_pdf(f"<p>{text}</p>"))


def test_readers_cannot_upload(client, reader):
    convention = ConventionFactory(signed=True)
    assert client.get(upload_url(convention)).status_code == 403
    assert client.post(upload_url(convention), {"file": a_pdf()}).status_code == 403
    assert not SignedDocument.objects.exists()


def test_manager_uploads_a_scan(client, manager):
    convention = ConventionFactory(signed=True)
    documents.store_signed_pdf(convention)
    response = client.post(upload_url(convention), {"file": a_pdf()})
    assert response.status_code == 302 and response["Location"] == upload_url(convention)
    scan = SignedDocument.objects.get(kind=DocumentKind.SCAN)
    assert scan.uploaded_by == manager and scan.original_name == "scan signé.pdf"
    assert scan.matches_fingerprint()
    page = client.get(upload_url(convention))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Le scan signé a été enregistré." in content
    assert "Scan de l&#x27;exemplaire papier signé" in content
    assert scan.sha256[:16] in content


def test_manager_uploads_the_scan_of_an_avenant(client, manager):
    convention = ConventionFactory(signed=True)
    amendment = Amendment.objects.create(convention=convention, number=1, title="Prolongation")
    response = client.post(upload_url(convention), {"file": a_pdf(), "amendment": amendment.pk})
    assert response.status_code == 302
    assert SignedDocument.objects.get().amendment == amendment
    other = Amendment.objects.create(convention=ConventionFactory(), number=1, title="Autre")
    response = client.post(upload_url(convention), {"file": a_pdf("2"), "amendment": other.pk})
    assert "Choisissez un avenant de cette convention." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a pdf at all", "Ce fichier n&#x27;est pas un PDF."),
        (b"%PDF-1.4\nnothing else", "Ce PDF est endommagé ou illisible."),
        (None, "Choisissez le fichier PDF du scan."),
    ],
)
def test_upload_refuses_what_is_not_a_pdf_in_french(client, manager, content, message):
    convention = ConventionFactory(signed=True)
    amendment = Amendment.objects.create(convention=convention, number=1, title="Prolongation")
    data = {"amendment": amendment.pk}
    if content is not None:
        data["file"] = SimpleUploadedFile("photo.pdf", content)
    response = client.post(upload_url(convention), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert f'<option value="{amendment.pk}" selected>' in text  # what the user chose is kept
    assert not SignedDocument.objects.exists()


def test_upload_refuses_a_file_too_large_and_a_duplicate(client, manager, settings):
    convention = ConventionFactory(signed=True)
    upload = a_pdf()
    content = upload.read()
    assert client.post(upload_url(convention), {"file": SimpleUploadedFile("a.pdf", content)})
    response = client.post(upload_url(convention), {"file": SimpleUploadedFile("b.pdf", content)})
    assert "Ce fichier a déjà été déposé pour cette convention." in response.content.decode()
    settings.SCAN_MAX_BYTES = 100
    response = client.post(upload_url(convention), {"file": a_pdf("autre")})
    assert "la limite est de 100" in response.content.decode()
    assert SignedDocument.objects.count() == 1


def test_documents_page_queries_do_not_grow_with_documents(client, manager):
    convention = ConventionFactory(signed=True)
    documents.store_signed_pdf(convention)
    counts = []
    for text in ("un", "deux", "trois"):
        client.post(upload_url(convention), {"file": a_pdf(text)})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(upload_url(convention)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[-1], counts


def test_a_file_missing_from_storage_is_reported_not_a_crash(client, manager):
    convention = ConventionFactory(signed=True)
    document = documents.store_signed_pdf(convention)
    document.file.storage.delete(document.file.name)
    assert client.get(pdf_url(convention)).status_code == 404
    page = client.get(upload_url(convention))
    assert page.status_code == 200 and "Fichier introuvable" in page.content.decode()
