"""The footer's mandatory links and their pages (config/pages.py): public, in French, with
what the académie sets in its settings."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/accessibilite/": "Déclaration d'accessibilité",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
}


@pytest.mark.parametrize("url", ["/connexion/", "/portail/connexion/", "/accessibilite/"])
def test_every_footer_carries_the_mandatory_links(client, url):
    html = client.get(url).content.decode()
    link = '<a class="fr-footer__bottom-link" href="{}">{}</a>'
    assert link.format("/accessibilite/", "Accessibilité : partiellement conforme") in html
    assert link.format("/mentions-legales/", "Mentions légales") in html
    assert link.format("/donnees-personnelles/", "Données personnelles") in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_public_and_french(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert f"<h1>{PAGES[url]}</h1>" in html


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_partner_sees_no_staff_menu(partner_client, url):
    html = partner_client.get(url).content.decode()
    assert "Se déconnecter" in html
    assert 'href="/conventions/"' not in html


def test_accessibility_statement_says_partially_compliant_with_the_audit(client):
    html = client.get("/accessibilite/").content.decode()
    assert "est <strong>partiellement conforme</strong> avec le référentiel général" in html
    assert "RGAA" in html and "axe-core" in html
    assert "Défenseur des droits" in html


def test_unset_settings_are_marked_to_complete(client, settings):
    settings.LEGAL_HOST = ""
    settings.DPO_CONTACT = ""
    assert "réglage LEGAL_HOST" in client.get("/mentions-legales/").content.decode()
    assert "réglage DPO_CONTACT" in client.get("/donnees-personnelles/").content.decode()


def test_pages_show_the_academy_settings(client, settings):
    settings.LEGAL_HOST = "Académie d'Aix-Marseille, DSI\nAix-en-Provence"
    settings.DPO_CONTACT = "dpd@example.org"
    settings.ACCESSIBILITY_CONTACT = "accessibilite@example.org"
    settings.LOGIN_LOG_RETENTION_DAYS = 180
    assert "DSI<br>Aix-en-Provence" in client.get("/mentions-legales/").content.decode()
    personal = client.get("/donnees-personnelles/").content.decode()
    assert "dpd@example.org" in personal
    assert "180 jours" in personal
    assert "accessibilite@example.org" in client.get("/accessibilite/").content.decode()
