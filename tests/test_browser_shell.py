"""The frame of every page in Debian's Chromium, at 1440 px and on a 390 px phone: the DSFR
header's menu and logout, no JavaScript error, nothing wider than its container on the
CRESS PACA convention, and no critical or serious axe-core violation on the main staff and
portal pages (the demo's seeds).

Set SCREENSHOT_DIR to keep a screenshot of each page.
"""

import re

import pytest
from playwright.sync_api import expect

from devtools.demo import load_demo
from tests.browser import (
    axe_violations,
    screenshot,
    watch_console,
    wider_than_container,
    with_axe,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1440, 390]
CRESS = "/conventions/CRESS-PACA-2010/"
STAFF_PAGES = ["/echeancier/", "/conventions/", CRESS, "/partenaires/", "/actions/"]
PORTAL_PAGES = ["/portail/", "/portail" + CRESS, "/portail/agenda/"]
PUBLIC_PAGES = ["/connexion/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]


@pytest.fixture
def seeds(transactional_db):
    load_demo()


def _page(browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    return with_axe(page), watch_console(page)


def _login(page, base, login_url, username):
    page.goto(base + login_url)
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _check_pages(page, errors, base, urls, width):
    """Console errors, axe-core's violations and, on the CRESS page, what is too wide."""
    found = {}
    for url in urls:
        errors.clear()
        response = page.goto(base + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        screenshot(page, f"shell-{width}-{url.strip('/').replace('/', '-') or 'accueil'}")
        problems = [f"console: {error}" for error in errors] + axe_violations(page)
        if url.endswith(CRESS):
            problems += [f"too wide: {line}" for line in wider_than_container(page)]
        if problems:
            found[url] = problems
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_pages_no_console_error_no_axe_violation_nothing_too_wide(
    live_server, browser, seeds, width
):
    page, errors = _page(browser, width)
    assert _check_pages(page, errors, live_server.url, PUBLIC_PAGES[:1], width) == {}
    _login(page, live_server.url, "/connexion/?next=/conventions/", "gestionnaire")
    assert _check_pages(page, errors, live_server.url, STAFF_PAGES, width) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_portal_pages_no_console_error_no_axe_violation_nothing_too_wide(
    live_server, browser, seeds, width
):
    page, errors = _page(browser, width)
    _login(page, live_server.url, "/portail/connexion/", "partenaire-cress")
    found = _check_pages(page, errors, live_server.url, PORTAL_PAGES + PUBLIC_PAGES[1:], width)
    assert found == {}


def test_menu_at_1440_is_the_navigation_bar(live_server, browser, seeds):
    page, errors = _page(browser, 1440)
    _login(page, live_server.url, "/connexion/?next=/conventions/", "gestionnaire")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Échéancier")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert errors == []


@pytest.mark.parametrize(
    ("login_url", "username", "link"),
    [
        ("/connexion/?next=/conventions/", "gestionnaire", "Partenaires"),
        ("/portail/connexion/", "partenaire-cress", "Agenda des échéances"),
    ],
)
def test_menu_at_390_opens_navigates_and_logs_out(
    live_server, browser, seeds, login_url, username, link
):
    page, errors = _page(browser, 390)
    _login(page, live_server.url, login_url, username)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box["width"] >= 32 and box["height"] >= 32
    # The header's tools are hidden on a phone: they are in the menu.
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()

    menu.click()
    dialog = page.locator("#menu-principal")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("link", name=link)).to_be_visible()
    expect(dialog.get_by_text(page.get_by_test_id("user-name").inner_text())).to_be_visible()
    screenshot(page, f"shell-menu-{username}")
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()

    menu.click()
    dialog.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    menu.click()
    dialog.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile("/connexion/"))
    # Signed out: the pages ask to sign in again.
    page.goto(live_server.url + ("/portail/" if "portail" in login_url else "/conventions/"))
    expect(page).to_have_url(re.compile("/connexion/"))
    assert errors == []
