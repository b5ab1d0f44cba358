"""Tables written in an article's text (the markup's « | cell | cell | » lines): shown on the
staff page, on the portal and in the printed convention, escaped like all text."""

import datetime

import pytest
from django.urls import reverse

from conventions.rules.formatting import render_markup
from documents import printing
from echeancier.refresh import refresh_schedule
from tests.factories import ArticleFactory, ConventionFactory, sign
from tests.pdftext import normalise, pages_text

TABLE = """Les contributions annuelles sont les suivantes :

| Année | Partenaire | Montant |
|---|---|---|
| 2016-2017 | Région | 30 000 € |
| 2017-2018 | Département \\| GIP | 25 000 € |

Elles sont versées en une fois."""


def test_a_table_has_its_header_rows_and_escaped_cells():
    html = render_markup(TABLE)
    assert html.count("<table") == 1
    assert '<th scope="col">Année</th>' in html
    assert "<td>Département | GIP</td>" in html  # an escaped bar stays in its cell
    assert (
        html.index("<p>Les contributions")
        < html.index("<table")
        < html.index("<p>Elles sont versées")
    )
    hostile = render_markup('| <img src=x onerror="alert(1)"> | **gras** |')
    assert "<img" not in hostile and "&lt;img" in hostile and "<strong>gras</strong>" in hostile


def test_a_table_without_a_header_rule_is_all_rows_and_short_rows_are_completed():
    html = render_markup("| a | b | c |\n| d |")
    assert "<thead>" not in html
    assert html.count("<tr>") == 2 and html.count("<td></td>") == 2


@pytest.mark.django_db
def test_an_article_table_shows_on_the_staff_page_and_prints(manager_client):
    convention = ConventionFactory()
    ArticleFactory(convention=convention, heading="Financement", body=TABLE)
    page = manager_client.get(reverse("conventions:detail", args=[convention.reference]))
    assert '<table class="markup-table">' in page.content.decode()

    text = normalise(" ".join(pages_text(printing.convention_pdf(convention))))
    assert "2016-2017 région 30 000 €" in text
    assert "2017-2018 département | gip 25 000 €" in text
    assert "elles sont versées en une fois" in text


@pytest.mark.django_db
def test_an_article_table_shows_on_the_portal(world, client):
    academy = world.a.convention.parties.get(organisation__is_academy=True).organisation
    convention = ConventionFactory(parties=[academy, world.a.organisation])
    ArticleFactory(convention=convention, heading="Financement", body=TABLE)
    sign(convention)
    refresh_schedule(convention, today=datetime.date(2011, 1, 1))
    client.force_login(world.a.user)
    page = client.get(reverse("portal:convention", args=[convention.reference]))
    assert page.status_code == 200
    assert '<table class="markup-table">' in page.content.decode()
