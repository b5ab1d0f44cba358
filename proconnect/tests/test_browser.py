"""Signing in through ProConnect in Debian's Chromium, against the real provider of conftest:
a staff member, from the button to the échéancier and out again (at the provider too); a
partner, from the portal's button to the portal."""

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations, with_axe
from tests.factories import OrganisationFactory, UserFactory

from .conftest import EMAILS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_at_provider(page, sub):
    expect(page.get_by_role("heading", name="Fournisseur d'identité de test")).to_be_visible()
    page.fill("#login", sub)
    page.click("button:has-text('Se connecter')")


def test_a_staff_member_signs_in_with_proconnect_and_out_of_both(live_server, browser, proconnect):
    UserFactory(
        username="c-agent",
        email=EMAILS["agent"],
        first_name="Camille",
        last_name="Agent",
        manager=True,
    )
    base = live_server.url
    page = with_axe(browser.new_page(viewport={"width": 1280, "height": 900}))

    page.goto(base + "/echeancier/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_test_id("proconnect-button").click()
    sign_in_at_provider(page, "agent-sub")
    expect(page).to_have_url(base + "/echeancier/")
    expect(page.get_by_test_id("user-name")).to_have_text("Camille Agent")

    page.click("button:has-text('Se déconnecter')")
    # Out at the provider (its page signs out by itself), then back to the sign-in page.
    expect(page).to_have_url(base + "/connexion/")
    page.goto(base + "/echeancier/")
    expect(page).to_have_url(base + "/connexion/?next=/echeancier/")
    # The provider's session ended too: it asks who is there again.
    page.get_by_test_id("proconnect-button").click()
    expect(page.locator("#login")).to_be_visible()


def test_a_partner_signs_in_with_proconnect_on_the_portal(live_server, browser, proconnect):
    partner = UserFactory(
        username=EMAILS["partner"],
        email=EMAILS["partner"],
        first_name="Marielle",
        last_name="Partenaire",
    )
    OrganisationFactory(name="CRESS PACA").members.add(partner)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    page.goto(base + "/portail/connexion/")
    page.get_by_test_id("proconnect-button").click()
    sign_in_at_provider(page, "partner-sub")
    expect(page).to_have_url(base + "/portail/")
    expect(page.get_by_test_id("user-name")).to_have_text("Marielle Partenaire")
