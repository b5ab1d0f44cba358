"""Every admin list and change page answers for `admin` with the demo data, in few queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A change page with all its inlines on the largest seed convention stays under this;
# it must not grow with the number of rows shown (see test_changelist_queries_do_not_grow).
MAX_QUERIES = 40


def _extra_factories():
    from actions.models import ObligationFulfilment, SteeringMeeting
    from conventions.models import FinancialCommitment, RenewalDecision, Termination
    from tests.factories import (
        FinancialCommitmentFactory,
        ObligationFulfilmentFactory,
        RenewalDecisionFactory,
        SteeringMeetingFactory,
        TerminationFactory,
    )

    return {
        ObligationFulfilment: ObligationFulfilmentFactory,
        Termination: TerminationFactory,
        SteeringMeeting: SteeringMeetingFactory,
        RenewalDecision: RenewalDecisionFactory,
        FinancialCommitment: FinancialCommitmentFactory,
    }


MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in ("partners", "conventions", "actions", "users")
]


EXTRA_FACTORIES = _extra_factories()  # for what the seeds do not have


@pytest.fixture
def admin_client(client, demo):
    from users.models import User

    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_change_page(admin_client, model):
    opts = model._meta
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    assert len(ctx) <= MAX_QUERIES, [q["sql"] for q in ctx]

    obj = model.objects.order_by("-pk").first() or EXTRA_FACTORIES[model]()
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
    assert response.status_code == 200
    assert len(ctx) <= MAX_QUERIES, [q["sql"] for q in ctx]

    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert response.status_code == 200


def test_convention_change_page_shows_its_inlines(admin_client):
    from conventions.models import Convention

    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    response = admin_client.get(
        reverse("admin:conventions_convention_change", args=[convention.pk])
    )
    content = response.content.decode()
    for text in ("Parties", "Articles", "Annexes", "Avenants", "Mise en œuvre de la convention"):
        assert text in content


@pytest.mark.parametrize(
    "url_name", ["conventions_convention", "conventions_article", "partners_organisation"]
)
def test_changelist_queries_do_not_grow(admin_client, url_name):
    from tests.factories import ArticleFactory, ConventionFactory

    url = reverse(f"admin:{url_name}_changelist")
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    for _ in range(5):
        ArticleFactory(convention=ConventionFactory())
    with CaptureQueriesContext(connection) as after:
        admin_client.get(url)
    assert len(after) == len(before)


def test_an_admin_can_create_a_convention_from_the_admin(admin_client):
    from conventions.models import Convention
    from partners.models import Organisation

    academy = Organisation.objects.get(is_academy=True)
    cress = Organisation.objects.get(short_name="CRESS PACA")
    data = {
        "reference": "ADMIN-1",
        "title": "Convention de partenariat créée dans l'administration",
        "short_title": "Convention admin",
        "kind": "partnership",
        "notice_months": "3",
        "provisional_months": "0",
        "duration_months": "36",
    }
    prefixes = {
        "parties": [
            {"organisation": academy.pk, "position": 1},
            {"organisation": cress.pk, "position": 2},
        ],
        "articles": [{"position": 1, "kind": "article", "heading": "Objet", "body": "Texte."}],
        "annexes": [],
        "contacts": [],
        "amendments": [],
        "terminations": [],
        "renewal_decisions": [],
    }
    for prefix, rows in prefixes.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    response = admin_client.post(reverse("admin:conventions_convention_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    convention = Convention.objects.get(reference="ADMIN-1")
    assert convention.parties.count() == 2
    assert [a.heading for a in convention.numbered_articles()] == ["Objet"]


def test_the_convention_list_counts_up_to_a_bound(admin_client, monkeypatch):
    """Past the bound, the admin's list of conventions says « plus de … » rather than count
    every convention, and pages up to the bound."""
    from config import pagination
    from conventions.models import Convention
    from tests.factories import ConventionFactory

    for _ in range(3):
        ConventionFactory()
    total = Convention.objects.count()
    url = reverse("admin:conventions_convention_changelist")
    monkeypatch.setattr(pagination, "COUNT_LIMIT", total - 1)
    content = admin_client.get(url).content.decode()
    assert f"plus de {total - 1} conventions" in content
    assert f"{total} conventions" not in content
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 1000)
    assert f"\n{total} conventions" in admin_client.get(url).content.decode()
