"""The four personas of the staff pages, as pytest fixtures (import them in a test module).

`gestionnaire` writes, `lecteur` reads only, `partner` is a partner organisation's portal user
(no group: every staff page refuses it), `anonymous` is sent to the login page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def gestionnaire(db):
    return UserFactory(username="g-staff", manager=True)


@pytest.fixture
def lecteur(db):
    return UserFactory(username="l-staff", reader=True)


@pytest.fixture
def partner(db):
    user = UserFactory(username="p-staff")
    OrganisationFactory(name="Partenaire du portail").members.add(user)
    return user


@pytest.fixture
def manager_client(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


@pytest.fixture
def reader_client(client, lecteur):
    client.force_login(lecteur)
    return client


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


def count_queries(client, url, method="get", **kwargs):
    """(response, number of SQL queries) for one request."""
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, **kwargs)
    return response, len(ctx)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
