"""The reprise pages: upload (one or many files), the list, the review page, confirm and
reject, the original; personas, bounded queries, every bad input in French (issue 18,
points 1, 3 and 5). Reading runs in the test through the immediate tasks backend."""

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from conventions.models import Convention
from documents import printing
from documents.enums import DocumentKind
from documents.models import SignedDocument
from echeancier.models import Deadline
from partners.models import Organisation
from reprise.enums import ImportState
from reprise.models import DocumentImport
from reprise.tests import documents
from tests.factories import ConventionFactory, OrganisationFactory
from tests.personas import assert_login_redirect, count_queries

FIXTURES = Path(__file__).parent / "fixtures"
SEED_004 = (FIXTURES / "seed_004.txt").read_text(encoding="utf-8")

SHORT = """CONVENTION DE PARTENARIAT

Entre les soussignés

l'académie d'Aix-Marseille, représentée par Bernard Beignier, recteur de l'académie,

d'une part,

et

l'association Exemple, ci-après dénommée « l'Association », représentée par sa
présidente, Madame Anne MARTIN,

d'autre part,

il a été convenu ce qui suit :

Article 1 – Objet
La présente convention organise le partenariat.

Article 2 – Durée
La présente convention est conclue pour une durée de trois ans. Elle peut être dénoncée
avec un préavis de trois mois.

Fait à Marseille, le 3 juin 2019"""

NOT_A_CONVENTION = (
    "Madame, Monsieur,\n\nNous vous remercions de votre courrier du 3 mars et vous prions "
    "d'agréer nos salutations distinguées.\n\nLe service des achats"
)


def shown(response) -> str:
    """The page as read (entities decoded: « n'a » is written « n&#x27;a »)."""
    return html.unescape(response.content.decode())


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_files(client, *files):
    return client.post("/reprise/", {"files": list(files)})


def imported(client, name, data):
    response = post_files(client, upload(name, data))
    assert response.status_code == 200
    return DocumentImport.objects.get(original_name=name)


# --- Personas ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/reprise/", "/reprise/{pk}/", "/reprise/{pk}/original/"])
def test_only_gestionnaires_use_the_reprise(url, client, reader_client, gestionnaire, academy):
    record = imported_by_service(gestionnaire, "c.docx", documents.to_docx(SHORT))
    url = url.format(pk=record.pk)
    assert reader_client.get(url).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))


def test_partner_users_are_refused(partner_client, gestionnaire):
    record = imported_by_service(gestionnaire, "c.docx", documents.to_docx(SHORT))
    for url in ("/reprise/", f"/reprise/{record.pk}/", f"/reprise/{record.pk}/original/"):
        assert partner_client.get(url).status_code == 403
    assert partner_client.post(f"/reprise/{record.pk}/rejeter/").status_code == 403
    assert post_files(partner_client, upload("x.docx", b"x")).status_code == 403


def imported_by_service(user, name, data):
    from reprise.services import import_add

    record = import_add(name=name, data=data, user=user)
    record.refresh_from_db()
    return record


# --- Upload and list -----------------------------------------------------------------------


def test_several_files_are_uploaded_at_once_and_read(manager_client, academy):
    response = post_files(
        manager_client,
        upload("seed-004.docx", documents.to_docx(SEED_004)),
        upload("courte.odt", documents.to_odt(SHORT)),
        upload("courte.pdf", documents.to_pdf(SHORT)),
    )
    assert response.status_code == 200
    assert "3 documents importés" in response.text
    states = dict(DocumentImport.objects.values_list("original_name", "state"))
    assert states == {
        "seed-004.docx": ImportState.TO_REVIEW,
        "courte.odt": ImportState.TO_REVIEW,
        "courte.pdf": ImportState.TO_REVIEW,
    }
    record = DocumentImport.objects.get(original_name="seed-004.docx")
    assert record.kind == "docx" and record.method == "docx" and record.size > 0
    assert record.extraction["convention"]["signed_on"] == "2010-05-17"
    assert "Jean-Paul de Gaudemar" in record.text
    assert record.history.count() >= 2  # created, then read
    listing = manager_client.get("/reprise/")
    assert listing.text.count('data-testid="row"') == 3
    assert "À vérifier" in listing.text


def test_the_same_file_twice_is_refused_with_a_link_to_the_first(manager_client, academy):
    data = documents.to_docx(SHORT)
    first = imported(manager_client, "premiere.docx", data)
    response = post_files(manager_client, upload("copie.docx", data))
    assert "Ce fichier a déjà été importé le" in shown(response)
    assert "« premiere.docx »" in shown(response)
    assert f'href="/reprise/{first.pk}/" data-testid="first-import"' in response.text
    assert DocumentImport.objects.count() == 1


def test_the_list_has_a_bounded_number_of_queries(manager_client, gestionnaire, academy):
    from reprise.services import import_add

    for i in range(30):
        import_add(name=f"f{i}.docx", data=documents.to_docx(SHORT + f"\n{i}"), user=gestionnaire)
    manager_client.get("/reprise/")  # the first request after login refreshes the session
    # session, user, groups (manager_required), count, the page (with the conventions).
    response, queries = count_queries(manager_client, "/reprise/")
    assert response.status_code == 200
    assert response.text.count('data-testid="row"') == 25
    assert queries == 5
    assert manager_client.get("/reprise/?page=2").text.count('data-testid="row"') == 5


# --- Bad input (point 5): a French message for that file, the others go on ----------------


def encrypted_pdf():
    writer = PdfWriter(clone_from=io.BytesIO(documents.to_pdf(SHORT)))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupted_pdf():
    pdf = documents.to_pdf(SHORT)
    return pdf[:200] + bytes(range(256)) * 20 + pdf[-100:]


def corrupted_docx():
    data = bytearray(documents.to_docx(SHORT))
    middle = len(data) // 2
    data[middle : middle + 400] = b"\x00" * 400
    return bytes(data)


def zip_bomb():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (5 * 1024 * 1024))
    return out.getvalue()


def blank_image():
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1200, 1600), "white").save(out, "PNG")
    return out.getvalue()


def test_bad_files_get_their_message_and_the_good_one_goes_on(manager_client, settings, academy):
    settings.REPRISE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    response = post_files(
        manager_client,
        upload("vide.pdf", b""),
        upload("enorme.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)),
        upload("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        upload("bombe.docx", zip_bomb()),
        upload("abime.docx", corrupted_docx()),
        upload("bonne.docx", documents.to_docx(SHORT)),
    )
    text = shown(response)
    assert response.status_code == 200
    assert "<strong>vide.pdf</strong>" in text and "Le fichier est vide." in text
    assert "Le fichier dépasse la taille maximale acceptée (3,0 Mo pour 2,0 Mo au plus)." in text
    assert "Format Word 97-2003 (.doc) non pris en charge" in text
    assert "démesurément volumineux" in text
    assert "Le document est endommagé : une partie de son contenu" in text
    # Refused at once: nothing stored for them; the good file is read.
    assert list(DocumentImport.objects.values_list("original_name", "state")) == [
        ("bonne.docx", ImportState.TO_REVIEW)
    ]
    stored = list((settings.MEDIA_ROOT / "reprise").rglob("*.*"))
    assert len(stored) == 1


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("protege.pdf", encrypted_pdf, "Le PDF est protégé par un mot de passe"),
        ("abime.pdf", corrupted_pdf, "Le PDF est endommagé et ne peut pas être lu."),
        ("blanc.png", blank_image, "Aucun texte n'a pu être reconnu dans cette image"),
        (
            "courrier.docx",
            lambda: documents.to_docx(NOT_A_CONVENTION),
            "Ce texte ne ressemble pas à une convention",
        ),
    ],
)
def test_files_that_cannot_be_read_are_in_error_with_their_message(
    manager_client, name, make, message
):
    record = imported(manager_client, name, make())
    assert record.state == ImportState.FAILED
    assert record.error.startswith(message)
    assert record.convention is None
    listing = shown(manager_client.get("/reprise/"))
    assert "En erreur" in listing and message in listing
    page = manager_client.get(f"/reprise/{record.pk}/")
    assert page.status_code == 200 and message in shown(page)
    assert 'data-testid="review-form"' not in page.text
    assert Convention.objects.count() == 0


def test_no_file_chosen_is_said_in_french(manager_client):
    response = manager_client.post("/reprise/", {})
    assert response.status_code == 200
    assert "Choisissez au moins un fichier." in response.text


# --- Review, confirm, reject ---------------------------------------------------------------


def review_data(page_form, **changes):
    """The review form's data as the page shows it (initial values), with `changes`."""
    form, formset = page_form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(
        {
            f"parties-{k}": v
            for k, v in {
                "TOTAL_FORMS": len(formset.forms),
                "INITIAL_FORMS": formset.initial_form_count(),
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            }.items()
        }
    )
    for index, party in enumerate(formset.forms):
        for name in party.fields:
            value = party[name].value()
            if value:
                data[f"parties-{index}-{name}"] = value
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def page_forms(client, record):
    response = client.get(f"/reprise/{record.pk}/")
    assert response.status_code == 200
    return response.context["form"], response.context["formset"]


def test_the_review_page_shows_the_text_with_each_excerpt_marked(manager_client, academy):
    record = imported(manager_client, "seed-004.docx", documents.to_docx(SEED_004))
    response, queries = count_queries(manager_client, f"/reprise/{record.pk}/")
    assert response.status_code == 200
    # session, user, groups, the import, the organisations (for every party), matching.
    assert queries == 6
    text = response.text
    assert '<mark id="ev-signed-on"' in text or 'id="ev-signature-place"' in text
    assert "<mark>conclue pour une durée de trois ans</mark>" in text
    assert 'title="durée"' in text
    assert "22 articles" in text  # counted, carried as read
    form = response.context["form"]
    assert str(form["signed_on"].value()) == "2010-05-17"
    assert form["duration_months"].value() == 36
    assert form["term"].value() == "duration"
    parties = response.context["formset"].forms
    assert parties[0]["organisation"].value() == str(academy.pk)  # matched by name
    assert parties[1]["organisation"].value() == ""  # « nouvelle organisation »
    assert parties[1]["new_short_name"].value() == "CRESS"
    assert parties[1]["signatory_name"].value() == "Michel Faure"
    assert 'data-testid="download-original"' in text
    assert "<iframe" not in text  # a Word file: its text is shown


def test_an_organisation_is_matched_by_acronym_or_siret(manager_client, academy):
    cress = OrganisationFactory(name="CRESS Provence-Alpes-Côte d'Azur", short_name="CRESS")
    record = imported(manager_client, "seed-004.docx", documents.to_docx(SEED_004))
    parties = page_forms(manager_client, record)[1].forms
    assert parties[1]["organisation"].value() == str(cress.pk)


def test_confirming_creates_the_signed_convention_with_its_deadlines(manager_client, academy):
    record = imported(manager_client, "seed-004.docx", documents.to_docx(SEED_004))
    data = review_data(
        page_forms(manager_client, record),
        reference="CRESS-PACA-2010",
        notice_months="2",  # corrected
    )
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    assert response["Location"] == convention.get_absolute_url()
    assert convention.signed_on.isoformat() == "2010-05-17"
    assert convention.duration_months == 36 and convention.notice_months == 2
    assert convention.parties.count() == 2
    assert convention.articles.count() == 22
    assert Organisation.objects.filter(short_name="CRESS").exists()  # the new organisation
    assert Deadline.objects.filter(convention=convention).exists()
    record.refresh_from_db()
    assert record.state == ImportState.CONFIRMED and record.convention == convention
    assert record.reviewed_by is not None and record.reviewed_at is not None
    assert record.corrections["notice_months"] == ["2"]
    # A Word original: no signed document is made from it; the convention page links it,
    # and what the application prints for it is a reconstitution.
    assert not SignedDocument.objects.filter(convention=convention).exists()
    assert "Reconstitution du texte signé" in printing.convention_html(convention)
    page = shown(manager_client.get(convention.get_absolute_url()))
    assert 'data-testid="imported-from"' in page and "« seed-004.docx »" in page
    original = manager_client.get(f"/reprise/{record.pk}/original/")
    assert b"".join(original.streaming_content) == record.read()
    assert original["Content-Disposition"].startswith("attachment")
    # Once confirmed, the review page says what it became.
    closed = manager_client.get(f"/reprise/{record.pk}/")
    assert "Convention créée" in closed.text and 'data-testid="review-form"' not in closed.text


def test_a_pdf_becomes_the_signed_document_of_the_convention(manager_client, academy):
    data = documents.to_pdf(SHORT)
    record = imported(manager_client, "courte.pdf", data)
    page = manager_client.get(f"/reprise/{record.pk}/").text
    assert f'<iframe class="reprise-original fr-mb-3w" src="/reprise/{record.pk}/original/"' in page
    inline = manager_client.get(f"/reprise/{record.pk}/original/")
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    form_data = review_data(page_forms(manager_client, record), reference="EXEMPLE-2019")
    response = manager_client.post(f"/reprise/{record.pk}/", form_data)
    assert response.status_code == 302, response.context["form"].errors
    convention = Convention.objects.get(reference="EXEMPLE-2019")
    document = SignedDocument.objects.get(convention=convention)
    assert document.kind == DocumentKind.SCAN
    assert document.read() == data
    assert not SignedDocument.objects.generated().exists()


def test_unknown_date_and_term_give_a_convention_to_complete(manager_client, academy):
    text = SHORT.replace(", le 3 juin 2019", "").replace(
        "conclue pour une durée de trois ans", "signée par les parties"
    )
    record = imported(manager_client, "sans-date.docx", documents.to_docx(text))
    form, formset = page_forms(manager_client, record)
    assert form["signed_on_unknown"].value() is True and form["term"].value() == "unknown"
    data = review_data((form, formset), reference="SANS-DATE")
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    convention = Convention.objects.get(reference="SANS-DATE")
    assert convention.signed_on is None and convention.signed_on_unknown
    assert convention.term_unknown
    assert convention in Convention.objects.to_complete()


def test_a_refused_confirmation_says_why_in_french_and_keeps_what_was_typed(
    manager_client, academy
):
    ConventionFactory(reference="PRISE")
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    data = review_data(
        page_forms(manager_client, record),
        reference="PRISE",
        title="Titre corrigé à la main",
        **{"parties-1-new_siret": "12345678901234"},
    )
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "une convention de la base porte déjà la référence « PRISE »" in str(
        form.errors["reference"]
    )
    party = response.context["formset"].forms[1]
    assert "new_siret" in party.errors
    assert "Titre corrigé à la main" in response.text
    assert Convention.objects.filter(reference="PRISE").count() == 1
    assert not Organisation.objects.filter(name__icontains="Exemple").exists()
    record.refresh_from_db()
    assert record.state == ImportState.TO_REVIEW
    # What was typed is kept for later.
    again = manager_client.get(f"/reprise/{record.pk}/")
    assert again.context["form"]["title"].value() == "Titre corrigé à la main"


def test_bad_input_on_the_review_form_is_refused_in_french(manager_client, academy):
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    data = review_data(
        page_forms(manager_client, record),
        signed_on="32/13/2019",
        duration_months="beaucoup",
        reference="PAS DE BLANCS",
    )
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["signed_on"] == ["Saisissez une date valide (jj/mm/aaaa)."]
    assert errors["duration_months"] == ["Saisissez un nombre entier."]
    assert "beaucoup" in response.text
    # The reference's characters are the model's rule, checked by the loader.
    data.update(signed_on="2019-06-03", duration_months="36")
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert "Lettres sans accent" in str(response.context["form"].errors["reference"])
    assert Convention.objects.count() == 0


def test_confirming_has_a_bounded_number_of_queries(manager_client, academy):
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    data = review_data(page_forms(manager_client, record), reference="EX-2019")
    response, queries = count_queries(manager_client, f"/reprise/{record.pk}/", "post", data=data)
    assert response.status_code == 302
    # The loader's writes (2 parties and their signatories, 2 articles, a new organisation,
    # their history rows, the schedule and the search document): they grow with what the
    # text holds, not with the database.
    assert queries <= 130
    for i in range(30):
        OrganisationFactory(name=f"Organisation {i}")
    other = SHORT.replace("l'association Exemple", "l'association Autre")
    record = imported(manager_client, "autre.docx", documents.to_docx(other))
    data = review_data(page_forms(manager_client, record), reference="EX-2019-B")
    response, more = count_queries(manager_client, f"/reprise/{record.pk}/", "post", data=data)
    assert response.status_code == 302 and more == queries


def test_rejecting_sets_the_document_aside(manager_client, academy):
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    response, queries = count_queries(manager_client, f"/reprise/{record.pk}/rejeter/", "post")
    assert response.status_code == 302
    assert queries <= 8
    record.refresh_from_db()
    assert record.state == ImportState.REJECTED and record.convention is None
    page = manager_client.get(f"/reprise/{record.pk}/")
    assert "aucune convention n'a été créée" in shown(page)


def test_a_lecteur_downloads_the_original_of_a_confirmed_import(manager_client, lecteur, academy):
    from django.test import Client

    reader_client = Client()
    reader_client.force_login(lecteur)
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    assert reader_client.get(f"/reprise/{record.pk}/original/").status_code == 403
    data = review_data(page_forms(manager_client, record), reference="EX-2019")
    assert manager_client.post(f"/reprise/{record.pk}/", data).status_code == 302
    response = reader_client.get(f"/reprise/{record.pk}/original/")
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_original_and_a_closed_import_have_bounded_queries(manager_client, academy):
    record = imported(manager_client, "courrier.docx", documents.to_docx(NOT_A_CONVENTION))
    # session, user, groups (read once: a staff member? a manager?), the import.
    response, queries = count_queries(manager_client, f"/reprise/{record.pk}/original/")
    assert response.status_code == 200 and queries == 4
    b"".join(response.streaming_content)
    # session, user, groups, the import with its convention and reviewer.
    response, queries = count_queries(manager_client, f"/reprise/{record.pk}/")
    assert response.status_code == 200 and queries == 4
    assert "Écarter ce document" in shown(response)


def test_an_unknown_import_is_a_404(manager_client):
    assert manager_client.get("/reprise/999/").status_code == 404
    assert manager_client.get("/reprise/999/original/").status_code == 404
    assert manager_client.post("/reprise/999/rejeter/").status_code == 404


def test_an_upload_costs_the_same_queries_per_file(manager_client, academy):
    def upload_queries(*names):
        files = [upload(n, documents.to_docx(SHORT + f"\n{n}")) for n in names]
        return count_queries(manager_client, "/reprise/", "post", data={"files": files})[1]

    upload_queries("a.docx")  # the first request after login also refreshes the session
    two, three = (
        upload_queries("b1.docx", "b2.docx"),
        upload_queries("c1.docx", "c2.docx", "c3.docx"),
    )
    # Each file: the duplicate check; its insert and history row in a savepoint (4); reading
    # it with the immediate backend: lock, « lecture » and its history row in a savepoint
    # (5), the result and its history row (2); its state for the page: 13 queries.
    assert three - two == 13
    # session, user, groups; the list's count and page.
    assert two == 5 + 2 * 13


def test_the_articles_and_preamble_as_read_are_corrected_before_confirming(manager_client, academy):
    """A word the reading got wrong in an article is corrected on the review page: the
    convention is created with the corrected text; untouched, the articles are those read."""
    from reprise.extraction import extract
    from reprise.forms import articles_as_text

    read = extract(SEED_004).convention["articles"]
    # The text shown reads back into the same articles.
    assert extract(articles_as_text(read)).convention["articles"] == read
    record = imported(manager_client, "seed-004.docx", documents.to_docx(SEED_004))
    forms = page_forms(manager_client, record)
    text = forms[0]["articles_text"].value()
    assert text.startswith("Titre 1 – Objet de la convention")
    corrected = text.replace("bilan annuel des actions conjointes", "bilan annuel commun", 1)
    assert corrected != text
    data = review_data(
        forms, reference="CRESS-PACA-2010", articles_text=corrected,
        preamble="Vu le code de l'éducation,",
    )  # fmt: skip
    response = manager_client.post(f"/reprise/{record.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    assert convention.articles.count() == 22
    first = convention.numbered_articles()[0]
    assert "bilan annuel commun" in first.body and "conjointes" not in first.body
    assert convention.preamble == "Vu le code de l'éducation,"


def test_a_text_judged_not_a_convention_is_reviewed_anyway_when_staff_say_so(
    manager_client, lecteur, academy
):
    from django.test import Client

    reader_client = Client()
    reader_client.force_login(lecteur)
    record = imported(manager_client, "courrier.docx", documents.to_docx(NOT_A_CONVENTION))
    assert record.state == ImportState.FAILED
    page = shown(manager_client.get(f"/reprise/{record.pk}/"))
    assert 'data-testid="review-anyway"' in page
    assert reader_client.post(f"/reprise/{record.pk}/verifier/").status_code == 403
    response = manager_client.post(f"/reprise/{record.pk}/verifier/")
    assert response["Location"] == f"/reprise/{record.pk}/"
    record.refresh_from_db()
    assert record.state == ImportState.TO_REVIEW and record.error == ""
    assert 'data-testid="review-form"' in shown(manager_client.get(f"/reprise/{record.pk}/"))
    # Only such a document: one to review already is not « reviewed anyway » again.
    assert manager_client.post(f"/reprise/{record.pk}/verifier/").status_code == 404
