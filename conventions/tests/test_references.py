"""A convention's references outside the application (N° CNES, NOR, BO) and the article of
its parent that it applies: written by a Gestionnaire in the staff pages, at any time."""

import pytest
from django.urls import reverse

from conventions.enums import ConventionKind
from conventions.models import ExternalReference
from tests.factories import ConventionFactory, sign

pytestmark = pytest.mark.django_db


def test_a_gestionnaire_records_a_partners_number_on_a_signed_convention(manager_client):
    convention = sign(ConventionFactory())
    add = reverse("conventions:reference_add", args=[convention.reference])
    response = manager_client.post(add, {"label": "N° CNES", "value": "CNES/90552"})
    assert response.status_code == 302
    page = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "N° CNES" in page and "CNES/90552" in page

    again = manager_client.post(add, {"label": "N° CNES", "value": "CNES/90552"})
    assert again.status_code == 200
    assert "Cette référence est déjà enregistrée." in again.content.decode()
    empty = manager_client.post(add, {"label": "", "value": "x"})
    assert empty.status_code == 200 and 'value="x"' in empty.content.decode()

    external = ExternalReference.objects.get()
    edit = reverse("conventions:reference_edit", args=[convention.reference, external.pk])
    assert manager_client.post(edit, {"label": "NOR", "value": "MENE1234567X"}).status_code == 302
    external.refresh_from_db()
    assert (external.label, external.value) == ("NOR", "MENE1234567X")
    delete = reverse("conventions:reference_delete", args=[convention.reference, external.pk])
    assert manager_client.post(delete).status_code == 302
    assert not ExternalReference.objects.exists()


def test_a_reader_sees_references_but_cannot_write_them(reader_client):
    convention = ConventionFactory()
    ExternalReference.objects.create(convention=convention, label="BO", value="n° 12 du 22 mars")
    page = reader_client.get(convention.get_absolute_url()).content.decode()
    assert "n° 12 du 22 mars" in page
    assert reverse("conventions:reference_add", args=[convention.reference]) not in page
    add = reverse("conventions:reference_add", args=[convention.reference])
    assert reader_client.post(add, {"label": "NOR", "value": "x"}).status_code == 403
    assert ExternalReference.objects.count() == 1


def test_an_application_convention_cites_the_article_of_its_parent(manager_client):
    parent = sign(ConventionFactory(kind=ConventionKind.FRAMEWORK))
    child = sign(ConventionFactory(kind=ConventionKind.APPLICATION, parent=parent))
    url = reverse("conventions:parent_article", args=[child.reference])
    response = manager_client.post(url, {"parent_article": "article 6 du titre II"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.parent_article == "article 6 du titre II"
    page = manager_client.get(child.get_absolute_url()).content.decode()
    assert "article 6 du titre II de" in page
    # A convention without a parent has no parent's article to cite.
    url = reverse("conventions:parent_article", args=[parent.reference])
    assert manager_client.post(url, {"parent_article": "x"}).status_code == 403


def test_references_are_in_the_history(manager_client):
    convention = sign(ConventionFactory())
    add = reverse("conventions:reference_add", args=[convention.reference])
    manager_client.post(add, {"label": "NOR", "value": "MENE1234567X"})
    page = manager_client.get(reverse("conventions:history", args=[convention.reference]))
    text = page.content.decode()
    assert "Création" in text and "référence externe" in text
    assert "MENE1234567X" in text  # its value, among the fields the entry lists
