"""No lost update: two staff members edit the same convention or article at once; the
second save is refused with who changed what, and what they typed is kept."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conventions.models import Article, Convention
from tests.factories import ArticleFactory, ConventionFactory, UserFactory
from tests.test_history import form_data

pytestmark = pytest.mark.django_db


def _client(username, first, last):
    client = Client()
    client.force_login(
        UserFactory(username=username, first_name=first, last_name=last, manager=True)
    )
    return client


@pytest.fixture
def louis():
    return _client("louis", "Louis", "Lecture")


@pytest.fixture
def marie():
    return _client("marie", "Marie", "Martin")


@time_machine.travel("2026-11-23 10:02 +01:00", tick=False)
def test_the_second_convention_save_is_refused_and_keeps_what_was_typed(louis, marie):
    convention = ConventionFactory(title="Titre initial", preamble="Préambule initial.")
    url = reverse("conventions:edit", args=[convention.reference])
    louis_form = form_data(louis.get(url).context["form"])
    marie_form = form_data(marie.get(url).context["form"])
    assert louis_form["version"] == marie_form["version"] == 1

    louis_post = {**louis_form, "title": "Titre de Louis", "preamble": "Préambule de Louis."}
    assert louis.post(url, louis_post).status_code == 302
    response = marie.post(url, {**marie_form, "title": "Titre de Marie", "notice_months": "6"})

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Cette convention a été modifiée par Louis Lecture le 23 novembre 2026 à 10 h 02 "
        "pendant que vous la modifiiez : titre, préambule. Vos saisies sont conservées "
        "ci-dessous ; vérifiez-les puis enregistrez à nouveau."
    ) in content.replace("&#x27;", "'")
    assert "Titre de Marie" in content
    form = response.context["form"]
    assert form["title"].value() == "Titre de Marie"
    assert form["notice_months"].value() == "6"
    convention.refresh_from_db()
    assert (convention.title, convention.preamble) == ("Titre de Louis", "Préambule de Louis.")
    assert convention.notice_months == 3
    assert convention.version == 2

    # The form shown again carries the current version: saving again, after checking, works.
    assert form["version"].value() == "2"
    again = marie.post(url, form_data(form))
    assert again.status_code == 302
    convention.refresh_from_db()
    assert (convention.title, convention.notice_months, convention.version) == (
        "Titre de Marie",
        6,
        3,
    )


@time_machine.travel("2026-11-23 10:02 +01:00", tick=False)
def test_the_second_article_save_is_refused_and_keeps_what_was_typed(louis, marie):
    article = ArticleFactory(convention=ConventionFactory(), heading="Objet", body="Texte.")
    url = reverse("conventions:article_edit", args=[article.convention.reference, article.pk])
    louis_form = form_data(louis.get(url).context["form"])
    marie_form = form_data(marie.get(url).context["form"])
    assert louis.post(url, {**louis_form, "body": "Texte de Louis."}).status_code == 302
    response = marie.post(url, {**marie_form, "heading": "Objet de Marie"})
    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert (
        "Cet article a été modifié par Louis Lecture le 23 novembre 2026 à 10 h 02 pendant "
        "que vous le modifiiez : texte."
    ) in content
    assert 'value="Objet de Marie"' in content
    article.refresh_from_db()
    assert (article.heading, article.body, article.version) == ("Objet", "Texte de Louis.", 2)


def test_a_missing_or_forged_version_is_refused_without_saving(louis):
    convention = ConventionFactory(title="Titre initial")
    url = reverse("conventions:edit", args=[convention.reference])
    data = form_data(louis.get(url).context["form"])
    for version in (None, "abc", "0", "999"):
        post = {**data, "title": "Forcé"}
        if version is None:
            post.pop("version")
        else:
            post["version"] = version
        response = louis.post(url, post)
        assert response.status_code == 200, version
    assert Convention.objects.get(pk=convention.pk).title == "Titre initial"
    assert Article.objects.count() == 0


def test_the_edit_pages_carry_the_version_in_a_hidden_field(louis):
    article = ArticleFactory(convention=ConventionFactory(), heading="Objet")
    Convention.objects.filter(pk=article.convention_id).update(version=7)
    for url, version in (
        (reverse("conventions:edit", args=[article.convention.reference]), 7),
        (reverse("conventions:article_edit", args=[article.convention.reference, article.pk]), 1),
    ):
        content = louis.get(url).content.decode()
        assert f'<input type="hidden" name="version" value="{version}"' in content, url
