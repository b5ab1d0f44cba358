"""Stored files in S3-compatible object storage (S3_BUCKET): signed PDFs, scans, logos.

The store is moto's S3 server on this machine (tests/objectstore.py), reached over HTTP by
django-storages as a deployment reaches MinIO; what is in the bucket is read back with boto3.
"""

import base64
import datetime
import io
import uuid

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from config.settings import object_storage
from documents import printing
from documents.models import SignedDocument
from partners.models import Letterhead
from tests import objectstore
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def store():
    with objectstore.s3_server() as store:
        yield store


class Bucket:
    """A folder of the test store's bucket, made the default storage; read with boto3."""

    def __init__(self, settings, store):
        storage = store.storage_settings()
        self.prefix = f"test-{uuid.uuid4().hex[:12]}"
        storage["OPTIONS"]["location"] = self.prefix
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        self.store = store
        self.s3 = store.client()

    def read(self, name):
        return self.store.read(f"{self.prefix}/{name}")

    def delete(self, name):
        self.s3.delete_object(Bucket=self.store.bucket, Key=f"{self.prefix}/{name}")

    def names(self):
        listed = self.s3.list_objects_v2(Bucket=self.store.bucket, Prefix=f"{self.prefix}/")
        return sorted(item["Key"][len(self.prefix) + 1 :] for item in listed.get("Contents", []))


@pytest.fixture
def bucket(settings, store):
    return Bucket(settings, store)


@pytest.fixture
def sign_through_the_pages(manager_client, django_capture_on_commit_callbacks):
    """Both signatures of a draft, sent through the signature form; what the signature
    leaves to after its commit (storing the signed PDF) runs as it would."""

    def sign(convention):
        pks = convention.parties.order_by("position").values_list("signatories__pk", flat=True)
        for signatory, day in zip(pks, ("2024-05-02", "2024-05-10"), strict=True):
            with django_capture_on_commit_callbacks(execute=True):
                response = manager_client.post(
                    reverse("conventions:sign", args=[convention.reference, signatory]),
                    {"signed_on": day, "place": "Marseille", "name": "N", "title": "T"},
                )
            assert response.status_code == 302

    return sign


@time_machine.travel(datetime.date(2024, 6, 1))
def test_the_signed_pdf_goes_to_the_bucket_and_is_served_from_it(
    manager_client, sign_through_the_pages, bucket, settings
):
    convention = ConventionFactory()
    ArticleFactory(convention=convention)
    sign_through_the_pages(convention)

    document = SignedDocument.objects.get(convention=convention)
    name = f"conventions/{convention.reference}/{convention.reference}-signee.pdf"
    assert bucket.names() == [name]
    response = manager_client.get(reverse("documents:pdf", args=[convention.reference]))
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == bucket.read(name)
    assert document.matches_fingerprint()
    assert served.startswith(b"%PDF-")
    # Nothing on this machine's disk.
    assert not settings.MEDIA_ROOT.exists()


@time_machine.travel(datetime.date(2024, 6, 1))
def test_a_document_missing_from_the_bucket_is_a_french_404(
    manager_client, sign_through_the_pages, bucket
):
    convention = ConventionFactory()
    ArticleFactory(convention=convention)
    sign_through_the_pages(convention)
    document = SignedDocument.objects.get(convention=convention)
    bucket.delete(document.file.name)

    response = manager_client.get(reverse("documents:pdf", args=[convention.reference]))
    assert response.status_code == 404
    assert "introuvable" in response.content.decode()


def test_a_letterhead_logo_in_the_bucket_is_printed(bucket):
    academy = OrganisationFactory(academy=True)
    head = Letterhead(
        organisation=academy, name="Avec logo", valid_from=datetime.date(2000, 1, 1), text="X"
    )
    head.logo.save("marianne.png", ContentFile(PNG), save=False)
    head.full_clean()
    head.save()
    assert bucket.read(head.logo.name) == PNG
    convention = ConventionFactory(parties=[academy, OrganisationFactory()])
    ArticleFactory(convention=convention)

    first = PdfReader(io.BytesIO(printing.convention_pdf(convention))).pages[0]
    images = [
        obj.get_object()
        for obj in first["/Resources"].get("/XObject", {}).values()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert [(image["/Width"], image["/Height"]) for image in images] == [(1, 1)]


def test_the_fetcher_reads_only_logos_from_the_storage(bucket):
    from django.core.files.storage import default_storage

    default_storage.save("conventions/X/X-signee.pdf", ContentFile(b"%PDF-secret"))
    default_storage.save("letterheads/logo.png", ContentFile(PNG))
    fetcher = printing.print_url_fetcher()
    assert fetcher("stored:letterheads/logo.png").read() == PNG
    for url in [
        "stored:conventions/X/X-signee.pdf",
        "stored:letterheads/../conventions/X/X-signee.pdf",
        "stored:letterheads/%2e%2e/conventions/X/X-signee.pdf",
        "stored:letterheads/missing.png",
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher(url)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"S3_BUCKET": "b", "S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL must be an http"),
        ({"S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "k"}, "go together"),
        ({"S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "sideways"}, "S3_ADDRESSING_STYLE must be"),
    ],
)
def test_bad_object_storage_settings_fail_loudly(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        object_storage(environ)


def test_without_a_bucket_files_stay_in_the_media_folder():
    assert object_storage({}) is None
    storage = object_storage({"S3_BUCKET": "conventions", "S3_PREFIX": "/aix/"})
    assert storage["OPTIONS"]["location"] == "aix"
    assert storage["OPTIONS"]["addressing_style"] is None  # Amazon's own: boto3 chooses


@pytest.mark.django_db(transaction=True)
def test_a_backup_takes_the_files_from_the_bucket_and_restores_them_to_another(
    settings, store, tmp_path
):
    from django.core.management import call_command

    from documents.signed import store_scan

    source = Bucket(settings, store)
    convention = ConventionFactory(signed=True)
    scan = b"%PDF-1.4 the paper copy, signed by hand"
    document = store_scan(convention=convention, data=scan, original_name="scan.pdf", user=None)
    archive = tmp_path / "backup.zip"
    call_command("export_all", str(archive))

    call_command("flush", "--noinput")
    target = Bucket(settings, store)  # an empty folder: another instance's bucket
    call_command("import_all", str(archive))

    assert target.names() == source.names() == [document.file.name]
    assert target.read(document.file.name) == scan
    assert SignedDocument.objects.get().read() == scan
