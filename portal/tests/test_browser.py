"""The partner portal in Debian's Chromium: partenaire-cress, of the demo, reads CRESS PACA's
convention and nothing else, downloads its PDF, and finds nothing to change.

CRESS-PACA-2010 was signed on paper in 2010: it has no stored signed PDF, and the portal
serves its signed text as printed (portal.views.convention_pdf), each download logged.
Set SCREENSHOT_DIR to keep a screenshot of each step.
"""

import re

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from devtools.demo import load_demo
from portal.models import DocumentDownload
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _forms_that_change_something(page):
    """Forms other than GET ones and the sign-out button."""
    return page.eval_on_selector_all(
        "form",
        """forms => forms
            .filter(f => (f.getAttribute('method') || 'get').toLowerCase() !== 'get')
            .map(f => f.getAttribute('action'))
            .filter(action => action !== '/portail/deconnexion/')""",
    )


def test_partenaire_cress_reads_its_convention_downloads_its_pdf_and_changes_nothing(
    live_server, browser
):
    load_demo()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)

    page.goto(base + "/portail/")
    expect(page).to_have_url(base + "/portail/connexion/?next=/portail/")
    expect(page.get_by_role("heading", name="Connexion au portail des partenaires")).to_be_visible()
    page.fill("#id_username", "partenaire-cress")
    page.fill("#id_password", "demo")
    page.click("button:has-text('Se connecter')")
    expect(page.get_by_test_id("user-name")).to_have_text("Marielle Partenaire")
    screenshot(page, "portal-home")

    # CRESS PACA's convention, and no other.
    links = page.get_by_test_id("convention-link")
    expect(links).to_have_count(1)
    expect(links).to_have_text("CRESS-PACA-2010")
    others = Convention.objects.exclude(reference="CRESS-PACA-2010").values_list(
        "reference", flat=True
    )
    content = page.content()
    assert len(others) >= 5
    for reference in others:
        assert reference not in content
    # The portal's own menu, not the staff's.
    expect(page.get_by_role("link", name="Agenda des échéances")).to_be_visible()
    expect(page.get_by_role("link", name="Échéancier")).to_have_count(0)
    assert _forms_that_change_something(page) == []

    links.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CRESS-PACA-2010")
    expect(page.get_by_test_id("party")).to_have_count(2)
    expect(page.get_by_test_id("article").first).to_be_visible()
    screenshot(page, "portal-convention")
    assert _forms_that_change_something(page) == []

    with page.expect_download() as download:
        page.get_by_test_id("convention-pdf").click()
    assert download.value.suggested_filename == "CRESS-PACA-2010-texte-signe.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    (log,) = DocumentDownload.objects.all()
    assert log.username == "partenaire-cress"
    assert log.convention.reference == "CRESS-PACA-2010"

    page.get_by_role("link", name="Agenda des échéances").click()
    expect(page.get_by_test_id("feed-url")).to_have_value(re.compile(r"/portail/agenda/.+\.ics$"))
    screenshot(page, "portal-calendar")
    assert _forms_that_change_something(page) == []

    # Another organisation's convention: as if it did not exist.
    response = page.goto(base + "/portail/conventions/ORM-DONNEES/")
    assert response.status == 404
    # The staff application refuses the partner.
    response = page.goto(base + "/conventions/")
    assert response.status == 403
