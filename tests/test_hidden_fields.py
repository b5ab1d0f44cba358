"""A form's hidden `version` (conventions.forms.VersionMixin) shows no « Version » label, and
its errors, which no field shows, are told at the top of the form."""

import re

import pytest

from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def test_new_convention_form_has_no_version_label(manager_client):
    html = manager_client.get("/conventions/nouvelle/").content.decode()
    assert '<input type="hidden" name="version"' in html
    assert 'for="id_version"' not in html
    assert not re.search(r"<label[^>]*>\s*Version\s*</label>", html)
    # No inline style either: the Content Security Policy refuses it.
    assert 'style="' not in html


def test_edit_form_tells_a_version_error(manager_client):
    convention = ConventionFactory(reference="BROUILLON")
    url = f"/conventions/{convention.reference}/redaction/convention/"
    html = manager_client.get(url).content.decode()
    assert 'for="id_version"' not in html
    response = manager_client.post(url, {"title": "Titre", "version": "illisible"})
    assert response.status_code == 200
    assert "La version du formulaire est illisible" in response.content.decode()
