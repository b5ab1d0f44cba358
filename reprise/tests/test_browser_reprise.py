"""The reprise in Debian's Chromium, driven by Playwright (issue 18, « Done means »): upload a
.docx made from a seed text, correct one fact on the review page, confirm; the convention is
in the list, its deadlines in the échéancier, and its original is the uploaded file, byte for
byte. Set SCREENSHOT_DIR to keep a screenshot of each step."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conventions.models import Convention
from conventions.rules.formatting import french_date
from reprise.models import DocumentImport
from reprise.tests import documents
from tests.browser import screenshot
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_004 = (Path(__file__).parent / "fixtures" / "seed_004.txt").read_text(encoding="utf-8")


def test_gestionnaire_imports_reviews_and_confirms_a_docx(live_server, browser, tmp_path):
    UserFactory(username="gestionnaire", password="demo", manager=True)
    OrganisationFactory(name="Académie d'Aix-Marseille", short_name="Rectorat", academy=True)
    # Seed 004 (three years, three months' notice), signed so that its term ends in 80 days:
    # its notice falls due within the échéancier's window.
    today = timezone.localdate()
    end = today + datetime.timedelta(days=80)
    signed = datetime.date(end.year - 3, end.month, min(end.day, 28))
    text = SEED_004.replace("17 mai 2010", french_date(signed))
    data = documents.to_docx(text)

    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(base + "/connexion/?next=/reprise/")
    page.fill("#id_username", "gestionnaire")
    page.fill("#id_password", "demo")
    page.click("button:has-text('Se connecter')")
    expect(page.locator("h1")).to_have_text("Reprise de l'existant")

    # Upload: read at once by the tests' immediate tasks backend (a worker in production).
    page.set_input_files(
        "#id_files",
        files=[
            {
                "name": "convention-cress.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": data,
            }
        ],
    )
    page.click("button:has-text('Importer')")
    expect(page.get_by_test_id("result")).to_contain_text("convention-cress.docx : importé")
    expect(page.get_by_test_id("state")).to_have_text("À vérifier")
    screenshot(page, "reprise-1-list")

    # Review: the excerpts are marked in the text; correct the notice, give the reference.
    page.get_by_role("link", name="convention-cress.docx").first.click()
    expect(page.get_by_test_id("text").locator("mark").first).to_be_visible()
    expect(page.locator("#id_notice_months")).to_have_value("3")
    expect(page.get_by_test_id("review-form")).to_contain_text("préavis de trois mois")
    page.fill("#id_reference", "CRESS-PACA-IMPORT")
    page.fill("#id_notice_months", "2")
    screenshot(page, "reprise-2-review")
    page.get_by_test_id("confirm").click()

    expect(page.locator(".fr-alert--success")).to_contain_text(
        "La convention CRESS-PACA-IMPORT a été créée"
    )
    expect(page.get_by_test_id("imported-from")).to_contain_text("convention-cress.docx")
    screenshot(page, "reprise-3-convention")
    convention = Convention.objects.get(reference="CRESS-PACA-IMPORT")
    assert convention.signed_on == signed and convention.notice_months == 2

    # Its original is the uploaded file, byte for byte.
    with page.expect_download() as download:
        page.get_by_test_id("original-link").click()
    assert Path(download.value.path()).read_bytes() == data
    assert DocumentImport.objects.get().read() == data

    # In the list of conventions, and its notice deadline in the échéancier.
    page.goto(base + "/conventions/")
    expect(page.get_by_role("link", name="CRESS-PACA-IMPORT").first).to_be_visible()
    page.goto(base + "/echeancier/")
    rows = page.get_by_test_id("deadline-row").filter(has_text="CRESS-PACA-IMPORT")
    expect(rows.first).to_be_visible()
    screenshot(page, "reprise-4-echeancier")
