"""The staff application in Debian's Chromium, driven by Playwright, as its users use it.

Set SCREENSHOT_DIR to keep a screenshot of each step.
"""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from partners.models import Organisation
from tests.browser import screenshot
from tests.factories import MandateFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    UserFactory(username="gestionnaire", password="demo", manager=True)
    UserFactory(username="lecteur", password="demo", reader=True)
    academy = OrganisationFactory(academy=True)
    MandateFactory(
        organisation=academy,
        title="Recteur de l'académie",
        person__first_name="Bernard",
        person__last_name="Beignier",
    )
    MandateFactory(
        organisation=OrganisationFactory(name="CRESS PACA", short_name="CRESS"),
        title="Président",
        person__first_name="Denis",
        person__last_name="Philippe",
    )


def _login(page, base, username):
    # Straight to the list: the échéancier (home page) is another branch's.
    page.goto(base + "/connexion/?next=/conventions/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button:has-text('Se connecter')")
    # Shown in the header, or in the menu on a phone: there either way.
    expect(page.get_by_test_id("user-name")).to_be_attached()


def _numbers(page):
    return page.get_by_test_id("article-number").all_inner_texts()


def _add_article(page, heading, body, under=None):
    if under:
        page.get_by_title(f"Ajouter un sous-article à « {under} »", exact=True).click()
    else:
        page.get_by_test_id("add-article").click()
    page.fill("#id_heading", heading)
    page.fill("#id_body", body)
    page.click("button:has-text('Ajouter')")


def _sign_all(page, place):
    for _ in range(page.get_by_test_id("sign").count()):
        page.get_by_test_id("sign").filter(has_text="Enregistrer la signature").first.click()
        page.fill("#id_signed_on", "2024-05-02")
        page.fill("#id_place", place)
        page.click("button:has-text('Enregistrer la signature')")


def test_gestionnaire_writes_signs_amends_renews_and_exports(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    _login(page, base, "gestionnaire")

    # A new convention with two parties.
    page.goto(base + "/conventions/")
    page.get_by_role("link", name="Nouvelle convention").click()
    page.fill("#id_reference", "CRESS-2024")
    page.fill("#id_title", "Convention de partenariat entre l'académie et la CRESS PACA")
    page.fill("#id_short_title", "Convention CRESS PACA")
    page.fill("#id_duration_months", "36")
    page.select_option("#id_party1-mandate", label="Bernard Beignier — Recteur de l'académie")
    page.select_option("#id_party2-organisation", label="CRESS PACA (CRESS)")
    # The representatives offered are those of the organisation chosen.
    offered = page.locator("#id_party2-mandate option:not([hidden])").all_inner_texts()
    assert "Denis Philippe — Président" in offered
    assert not any("Beignier" in label for label in offered)
    page.select_option("#id_party2-mandate", label="Denis Philippe — Président")
    screenshot(page, "01-create")
    page.click("button:has-text('Créer le projet')")
    expect(page.locator("h1")).to_have_text("Rédiger CRESS-2024")

    # Nested articles, then a move that renumbers.
    _add_article(page, "Objet", "La présente convention a pour objet :\n- d'informer ;\n- d'agir.")
    _add_article(page, "Durée", "Trois ans.")
    _add_article(page, "Modalités", "Un comité.", under="Article 1")
    assert _numbers(page) == ["Article 1", "1.1", "Article 2"]
    page.get_by_title("Monter « Article 2 »", exact=True).click()
    assert _numbers(page) == ["Article 1", "Article 2", "2.1"]
    assert page.get_by_test_id("article-heading").all_inner_texts() == [
        "Durée",
        "Objet",
        "Modalités",
    ]
    screenshot(page, "02-draft")

    # Both signatures: the convention is signed.
    page.get_by_role("link", name="Voir la convention").click()
    _sign_all(page, "Aix-en-Provence")
    expect(page.locator(".fr-alert--success")).to_contain_text("la convention est signée")
    expect(page.get_by_test_id("key-dates")).to_contain_text("2 mai 2024, à Aix-en-Provence")
    screenshot(page, "03-signed")

    # Avenant N°1: replace "Durée", sign it, see the consolidated text.
    page.get_by_role("link", name="Nouvel avenant").click()
    page.fill("#id_title", "Prolongation de la convention")
    page.click('button:has-text("Créer l\'avenant")')
    expect(page.locator("h1")).to_contain_text("Avenant N°1")
    page.get_by_role("link", name="Remplacer, ajouter ou supprimer un article").click()
    page.select_option("#id_kind", "replace")
    page.select_option("#id_article", label="Article 1 Durée")
    page.fill("#id_body", "Cinq ans.")
    page.click("button:has-text('Ajouter la modification')")
    _sign_all(page, "Marseille")
    expect(page.locator(".fr-alert--success")).to_contain_text("avenant N°1")
    page.get_by_role("link", name="Retour à la convention").click()
    expect(page.locator("#texte")).to_contain_text("Cinq ans.")
    expect(page.locator("#texte")).to_contain_text("Modifié par l'avenant N°1")
    screenshot(page, "04-amended")

    # Renew: a new draft with the text in force.
    page.get_by_role("link", name="Renouveler").click()
    expect(page.locator("#id_reference")).to_have_value("CRESS-2024-R1")
    page.click("button:has-text('Créer le projet de renouvellement')")
    expect(page.locator("h1")).to_have_text("Rédiger CRESS-2024-R1")
    assert "Cinq ans." in page.locator("#articles").inner_text()
    renewal = Convention.objects.get(reference="CRESS-2024-R1")
    assert renewal.renews.reference == "CRESS-2024"

    # Export the filtered list.
    page.goto(base + "/conventions/?q=CRESS-2024-R1")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    with open(download.value.path(), "rb") as exported:
        content = exported.read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["CRESS-2024-R1"]
    page.goto(base + "/conventions/")
    screenshot(page, "05-list")

    # The partner filter suggests names as one types, then filters on the one chosen.
    page.locator("#id_partner").press_sequentially("cres")
    expect(page.locator("#id_partner_suggestions option")).to_have_count(1)
    suggestion = page.locator("#id_partner_suggestions option").first
    assert suggestion.get_attribute("value") == "CRESS PACA"
    page.fill("#id_partner", "CRESS PACA")
    page.click("button:has-text('Filtrer')")
    expect(page.get_by_test_id("count")).to_have_text("2 conventions")


def test_lecteur_finds_no_way_to_change_anything(live_server, browser, people):
    from conventions import services
    from tests.factories import ArticleFactory, ConventionFactory, sign

    signed = ConventionFactory(reference="SIGNEE")
    ArticleFactory(convention=signed)
    sign(signed)
    services.amendment_create(convention=signed, title="En signature")
    draft = ConventionFactory(reference="PROJET")
    ArticleFactory(convention=draft)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, base, "lecteur")
    change = re.compile(
        r"Nouvelle convention|Rédiger|Nouvel avenant|Renouveler|Enregistrer|Modifier|Supprimer"
        r"|Ajouter|Décision"
    )
    for url in (
        "/conventions/",
        "/conventions/SIGNEE/",
        "/conventions/PROJET/",
        "/conventions/SIGNEE/avenants/1/",
        "/partenaires/",
    ):
        page.goto(base + url)
        assert page.locator("h1").count() == 1
        buttons = page.locator("main a.fr-btn, main button").all_inner_texts()
        assert not [b for b in buttons if change.search(b)], (url, buttons)
        # No form that posts, but the header's "Se déconnecter".
        assert page.locator("main form[method=post]").count() == 0, url
    screenshot(page, "06-reader")
    for url in ("/conventions/PROJET/redaction/", "/conventions/nouvelle/"):
        response = page.goto(base + url)
        assert response.status == 403


def test_a_missing_organisation_is_created_from_the_new_convention_form(
    live_server, browser, people
):
    """Created in place: what was typed stays, the new organisation is chosen for the
    second party and its representatives list follows it."""
    page = browser.new_page()
    _login(page, live_server.url, "gestionnaire")
    page.goto(live_server.url + "/conventions/nouvelle/")
    page.fill("#id_reference", "NOUVELLE-1")
    page.get_by_text("L'organisation n'est pas dans la liste ? La créer ici").click()
    page.click("#new-organisation button[type=submit]")  # no name: a French error
    expect(page.locator("#new-organisation-error")).to_contain_text(
        "Indiquez le nom de l'organisation."
    )
    page.fill("#new-organisation-name", "Université de Toulon")
    page.fill("#new-organisation-short-name", "UTLN")
    page.click("#new-organisation button[type=submit]")
    expect(page.locator("#id_party2-organisation option", has_text="UTLN")).to_have_count(1)
    created = Organisation.objects.get(short_name="UTLN")
    expect(page.locator("#id_party2-organisation")).to_have_value(str(created.pk))
    assert page.input_value("#id_reference") == "NOUVELLE-1"


@pytest.mark.parametrize("width", [1440, 390])
def test_a_new_partner_then_its_convention_without_the_admin(live_server, browser, people, width):
    """A gestionnaire creates an organisation, a person and her mandate, then a convention
    with them, choosing the representative from the list the organisation filters."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    _login(page, live_server.url, "gestionnaire")
    page.goto(live_server.url + "/partenaires/nouveau/")
    page.fill("#id_name", "Chambre de métiers et de l'artisanat PACA")
    page.fill("#id_short_name", "CMAR")
    page.fill("#id_siret", "130 025 265 00014")  # a wrong key: refused, what was typed kept
    page.click("button:has-text('Créer l')")
    expect(page.locator("#id_short_name")).to_have_value("CMAR")
    page.fill("#id_siret", "13002526500013")
    page.click("button:has-text('Créer l')")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chambre de métiers")
    page.get_by_role("link", name="Ajouter une personne").first.click()
    page.fill("#id_first_name", "Jeanne")
    page.fill("#id_last_name", "Faure")
    page.fill("#id_title", "Présidente")
    page.click("main button[type=submit]:has-text('Ajouter')")
    expect(page.get_by_text("Jeanne Faure est ajouté(e)")).to_be_visible()

    page.goto(live_server.url + "/conventions/nouvelle/")
    page.fill("#id_reference", "CMAR-2026")
    page.fill("#id_title", "Convention de partenariat avec la CMAR")
    page.fill("#id_short_title", "CMAR")
    page.select_option("#id_party1-mandate", label="Bernard Beignier — Recteur de l'académie")
    page.select_option(
        "#id_party2-organisation", label="Chambre de métiers et de l'artisanat PACA (CMAR)"
    )
    offered = page.locator("#id_party2-mandate option:not([hidden])").all_inner_texts()
    assert offered[1:] == ["Jeanne Faure — Présidente"]
    page.select_option("#id_party2-mandate", label="Jeanne Faure — Présidente")
    page.click("button:has-text('Créer le projet')")
    expect(page.get_by_text("Le projet de convention est créé.")).to_be_visible()
    assert "Jeanne Faure, Présidente" in page.content()
