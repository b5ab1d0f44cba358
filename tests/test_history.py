"""« Historique »: who changed what, when, in a convention and its parts; read only."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Obligation
from conventions.models import Article, Convention, Party
from echeancier.refresh import refresh_schedule
from tests.factories import ArticleFactory, ConventionFactory, ObligationFactory, UserFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db


def form_data(form):
    """What the browser would post back from an unchanged form."""
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_an_edit_is_listed_with_who_when_and_before_after(client, reader_client):
    manager = UserFactory(username="louis", first_name="Louis", last_name="Gestion", manager=True)
    convention = ConventionFactory(title="Ancien titre")
    article = ArticleFactory(convention=convention, heading="Objet", body="Avant.")
    client.force_login(manager)
    url = reverse("conventions:edit", args=[convention.reference])
    data = form_data(client.get(url).context["form"])
    assert client.post(url, {**data, "title": "Nouveau titre"}).status_code == 302
    url = reverse("conventions:article_edit", args=[convention.reference, article.pk])
    data = form_data(client.get(url).context["form"])
    assert client.post(url, {**data, "body": "Après."}).status_code == 302

    detail = reader_client.get(convention.get_absolute_url()).content.decode()
    history_url = reverse("conventions:history", args=[convention.reference])
    assert f'href="{history_url}"' in detail
    response = reader_client.get(history_url)
    assert response.status_code == 200
    entries = response.context["entries"]
    # Newest first: the article's edit, then the convention's, then the creations.
    assert entries[0].action == "Modification"
    assert entries[0].subject == "article « Objet »"
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("texte", "Avant.", "Après.")
    ]
    assert str(entries[0].user) == "Louis Gestion"
    assert entries[1].subject == f"convention {convention.reference}"
    assert [(c.label, c.before, c.after) for c in entries[1].changes] == [
        ("titre", "Ancien titre", "Nouveau titre")
    ]
    assert {e.action for e in entries[2:]} == {"Création"}
    content = response.content.decode()
    assert "Ancien titre → Nouveau titre" in content
    assert "Louis Gestion" in content
    # Read only: no form, and the historical rows are not in the admin.
    assert content.count('method="post"') == 1  # the logout button only
    for model in (Convention, Article, Party, Obligation):
        assert not admin.site.is_registered(model.history.model)


def test_deleted_parts_and_related_objects_are_listed(reader_client):
    convention = ConventionFactory()
    obligation = ObligationFactory(convention=convention, title="Bilan annuel")
    article = ArticleFactory(convention=convention, heading="Éphémère")
    article.delete()
    entries = reader_client.get(
        reverse("conventions:history", args=[convention.reference])
    ).context["entries"]
    subjects = [(e.action, e.subject) for e in entries]
    assert ("Suppression", "article « Éphémère »") in subjects
    assert ("Création", f"{Obligation._meta.verbose_name} « Bilan annuel »") in subjects
    assert obligation.pk
    # Another convention's rows are not shown.
    other = ConventionFactory()
    ArticleFactory(convention=other, heading="Ailleurs")
    entries = reader_client.get(
        reverse("conventions:history", args=[convention.reference])
    ).context["entries"]
    assert "article « Ailleurs »" not in [e.subject for e in entries]


def test_a_schedule_refresh_is_not_a_change():
    convention = ConventionFactory()
    rows = convention.history.count()
    refresh_schedule(convention, today=timezone.localdate())
    Convention.objects.filter(pk=convention.pk).update(status="draft")
    assert convention.history.count() == rows


def _grow(convention, n):
    for i in range(n):
        article = ArticleFactory(convention=convention, heading=f"A{i}")
        article.body = f"Modifié {i}"
        article.save()
        ObligationFactory(convention=convention, title=f"O{i}")


def test_queries_do_not_grow_with_the_rows_shown(reader_client):
    small, large = ConventionFactory(), ConventionFactory()
    _grow(small, 1)
    _grow(large, 20)
    queries = []
    for convention in (small, large):
        response, count = count_queries(
            reader_client, reverse("conventions:history", args=[convention.reference])
        )
        assert response.status_code == 200
        queries.append(count)
    assert len(response.context["entries"]) == 25
    assert response.context["page"].paginator.num_pages == 3
    # Two queries per kind of row on the page: the small page shows five kinds (convention,
    # party, signatory, article, obligation), the large one two, for 8 times the rows.
    assert queries[1] <= queries[0] <= 20
    assert (
        reader_client.get(
            reverse("conventions:history", args=[large.reference]) + "?page=3"
        ).status_code
        == 200
    )


def test_who_may_see_the_history(partner_client):
    convention = ConventionFactory()
    url = reverse("conventions:history", args=[convention.reference])
    assert_login_redirect(Client().get(url))
    assert partner_client.get(url).status_code == 403
    assert partner_client.get(reverse("conventions:history", args=["NOPE"])).status_code == 403


def test_a_link_is_shown_by_what_it_points_to(reader_client):
    """« Plan adopté : — → Plan d'action 2011-2012 », never a database id; a title that
    says its year does not get it twice."""
    from actions.models import ActionPlan, SteeringMeeting

    convention = ConventionFactory()
    plan = ActionPlan.objects.create(
        convention=convention, school_year=2011, title="Plan d'action 2011-2012"
    )
    meeting = SteeringMeeting.objects.create(convention=convention, held_on="2011-06-20")
    meeting.adopted_plan = plan
    meeting.save()
    entries = reader_client.get(
        reverse("conventions:history", args=[convention.reference])
    ).context["entries"]
    changes = [(c.label, c.before, c.after) for e in entries for c in e.changes]
    assert ("plan adopté", "—", "Plan d'action 2011-2012") in changes
    assert not any(after.startswith("n° ") for _, _, after in changes)
