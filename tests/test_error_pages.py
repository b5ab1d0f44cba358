"""French DSFR error pages (400, 403, 404, 500, refused CSRF check), as production serves
them: DEBUG off, Django's own handlers replaced (config/errors.py)."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.urls import path

import config.urls

pytestmark = pytest.mark.django_db


@login_not_required
def _boom(request):
    raise RuntimeError("a bug")


@login_not_required
def _suspicious(request):
    raise SuspiciousOperation("a forged request")


# The project's URLs plus two views that fail, for the 400 and 500 pages.
urlpatterns = [path("panne/", _boom), path("suspect/", _suspicious), *config.urls.urlpatterns]
handler400 = config.urls.handler400
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def _assert_french_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "{#" not in html and "{%" not in html  # no template comment shown as text
    assert f"<h1>{heading}</h1>" in html
    assert f"Erreur {status}" in html
    # A way back, and the DSFR frame with its footer.
    assert 'href="/" data-testid="error-home">Page d\'accueil</a>' in html
    assert "fr-header" in html and "Accessibilité : partiellement conforme" in html
    return html


def test_404_for_an_anonymous_visitor(client):
    html = _assert_french_page(client.get("/nulle-part/"), 404, "Page non trouvée")
    assert "Se déconnecter" not in html


def test_404_for_a_signed_in_gestionnaire_keeps_the_staff_menu(manager_client):
    html = _assert_french_page(manager_client.get("/nulle-part/"), 404, "Page non trouvée")
    assert "Se déconnecter" in html
    assert 'href="/conventions/"' in html
    assert 'aria-current="page"' not in html


def test_404_under_the_portal_keeps_the_portal_frame(partner_client):
    html = _assert_french_page(
        partner_client.get("/portail/conventions/INCONNUE/"), 404, "Page non trouvée"
    )
    assert "Portail des partenaires" in html
    assert 'href="/conventions/"' not in html


def test_403_for_a_lecteur_on_a_gestionnaire_page(reader_client):
    _assert_french_page(reader_client.get("/conventions/nouvelle/"), 403, "Accès refusé")


def test_400_on_a_suspicious_request(client):
    _assert_french_page(client.get("/suspect/"), 400, "Requête incorrecte")


def test_400_on_an_unknown_host(client):
    _assert_french_page(client.get("/", HTTP_HOST="pirate.example"), 400, "Requête incorrecte")


def test_500_when_a_view_fails(client):
    client.raise_request_exception = False
    html = _assert_french_page(client.get("/panne/"), 500, "Erreur inattendue")
    # Rendered without the request: no user, nothing that could fail again.
    assert "Se déconnecter" not in html


def test_refused_csrf_check_is_the_french_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "x", "password": "y"})
    html = _assert_french_page(response, 403, "Formulaire expiré")
    assert "rechargez-la" in html
