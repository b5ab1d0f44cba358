"""An organisation created from the new convention's form, without leaving it."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Organisation

pytestmark = pytest.mark.django_db
URL = reverse("partners:create_inline")
JSON = {"HTTP_ACCEPT": "application/json"}


def test_created_in_place_or_refused_in_french(manager_client):
    response = manager_client.post(URL, {"name": "", "legal_form": "association"}, **JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["Indiquez le nom de l'organisation."]
    response = manager_client.post(
        URL, {"name": "Université de Toulon", "short_name": "UTLN", "legal_form": "public_body"},
        **JSON,
    )  # fmt: skip
    created = Organisation.objects.get(name="Université de Toulon")
    assert response.status_code == 201
    assert response.json() == {"pk": created.pk, "label": "Université de Toulon (UTLN)"}
    # Without JavaScript: the organisation's page.
    response = manager_client.post(URL, {"name": "Lycée X", "legal_form": "school"})
    assert response.status_code == 302


def test_only_managers(lecteur, partner):
    data = {"name": "Intrus", "legal_form": "association"}
    assert Client().post(URL, data, **JSON).status_code == 302  # to the login page
    for user in (lecteur, partner):
        client = Client()
        client.force_login(user)
        assert client.post(URL, data, **JSON).status_code == 403
    assert not Organisation.objects.filter(name="Intrus").exists()
