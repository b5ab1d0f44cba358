"""Creating and writing a draft: pages, refusals, kept input, article moves."""

import pytest
from django.urls import reverse

from conventions.models import Annex, Article, Convention, Party
from partners.models import Mandate
from tests.factories import (
    ArticleFactory,
    ConventionFactory,
    MandateFactory,
    OrganisationFactory,
    sign,
)
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db
CREATE = reverse("conventions:create")


def _create_data(academy_mandate, partner_mandate, **overrides):
    data = {
        "reference": "NOUVELLE-1",
        "title": "Convention de partenariat entre l'académie et l'association",
        "short_title": "Convention Association",
        "kind": "partnership",
        "notice_months": "3",
        "provisional_months": "0",
        "duration_months": "36",
        "party1-organisation": academy_mandate.organisation.pk,
        "party1-mandate": academy_mandate.pk,
        "party2-organisation": partner_mandate.organisation.pk,
        "party2-mandate": partner_mandate.pk,
    }
    data.update(overrides)
    return data


@pytest.fixture
def mandates(db):
    academy = MandateFactory(
        organisation=OrganisationFactory(academy=True),
        title="Recteur de l'académie",
        person__first_name="Bernard",
        person__last_name="Beignier",
    )
    association = MandateFactory(title="Président", person__last_name="Martin")
    return academy, association


def test_create_a_draft_with_two_parties(manager_client, mandates):
    response = manager_client.post(CREATE, _create_data(*mandates))
    convention = Convention.objects.get(reference="NOUVELLE-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:draft", args=["NOUVELLE-1"])
    parties = list(convention.parties.order_by("position"))
    assert [p.organisation for p in parties] == [m.organisation for m in mandates]
    signatory = parties[0].signatories.get()
    assert (signatory.name, signatory.title) == ("Bernard Beignier", "Recteur de l'académie")
    assert signatory.signed_on is None


def test_create_keeps_what_was_typed_with_french_errors(manager_client, mandates):
    academy, association = mandates
    data = _create_data(
        academy,
        association,
        reference="pas valide !",
        title="<b>Mon titre</b>",
        duration_months="0",
        **{"party2-mandate": academy.pk},
    )
    response = manager_client.post(CREATE, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lettres sans accent" in content
    assert "&lt;b&gt;Mon titre&lt;/b&gt;" in content  # kept, escaped
    assert "n&#x27;exerce pas de mandat dans cette organisation" in content
    assert 'value="pas valide !"' in content
    assert not Convention.objects.exists()


def test_create_refuses_the_same_organisation_twice(manager_client, mandates):
    academy, _ = mandates
    response = manager_client.post(
        CREATE,
        _create_data(
            academy,
            academy,
        ),
    )
    assert response.status_code == 200
    assert "qu&#x27;une fois" in response.content.decode()


@pytest.mark.parametrize(
    "field,value",
    [
        ("reference", ""),
        ("reference", "x" * 500),
        ("title", "x" * 100_000),
        ("effective_date", "2023-02-30"),
        ("effective_date", "0001-01-01"),
        ("effective_date", "demain"),
        ("duration_months", "99999999999"),
        ("duration_months", "-1"),
        ("notice_months", "abc"),
        ("kind", "application"),  # without a parent
        ("parent", "999999"),
        ("referent", "'; DROP TABLE users_user; --"),
        ("party2-organisation", ""),
    ],
)
def test_create_never_fails_on_bad_input(manager_client, mandates, field, value):
    response = manager_client.post(CREATE, _create_data(*mandates, **{field: value}))
    assert response.status_code == 200
    assert 'class="fr-error-text"' in response.content.decode()
    assert not Convention.objects.exists()


def test_create_refusals(client, lecteur, partner, mandates):
    assert_login_redirect(client.get(CREATE))
    for user in (lecteur, partner):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, _create_data(*mandates)).status_code == 403
    assert not Convention.objects.exists()


def _draft_urls(convention):
    article = ArticleFactory(convention=convention)
    annex = Annex.objects.create(convention=convention, position=1, title="Annexe")
    party = convention.parties.first()
    ref = convention.reference
    return {
        reverse("conventions:draft", args=[ref]): None,
        reverse("conventions:edit", args=[ref]): {"reference": ref},
        reverse("conventions:party_add", args=[ref]): {},
        reverse("conventions:party_edit", args=[ref, party.pk]): {},
        reverse("conventions:party_delete", args=[ref, party.pk]): {},
        reverse("conventions:article_add", args=[ref]): {"kind": "article", "body": "x"},
        reverse("conventions:article_edit", args=[ref, article.pk]): {"body": "x"},
        reverse("conventions:article_delete", args=[ref, article.pk]): {},
        reverse("conventions:article_move", args=[ref, article.pk]): {"direction": "up"},
        reverse("conventions:annex_add", args=[ref]): {"title": "x", "kind": "text"},
        reverse("conventions:annex_edit", args=[ref, annex.pk]): {"title": "x"},
        reverse("conventions:annex_delete", args=[ref, annex.pk]): {},
        reverse("conventions:annex_move", args=[ref, annex.pk]): {"direction": "up"},
    }


def test_every_draft_page_refuses_readers_partners_and_anonymous(client, lecteur, partner):
    convention = ConventionFactory()
    urls = _draft_urls(convention)
    before = Article.objects.count(), Annex.objects.count(), Party.objects.count()
    for url, data in urls.items():
        assert_login_redirect(client.post(url, data or {}))
    for user in (lecteur, partner):
        client.force_login(user)
        for url, data in urls.items():
            assert client.post(url, data or {}).status_code == 403, url
            assert client.get(url).status_code in (403, 405), url
    assert (Article.objects.count(), Annex.objects.count(), Party.objects.count()) == before


def test_a_signed_text_has_no_edit_path(manager_client):
    convention = ConventionFactory()
    urls = _draft_urls(convention)  # written while a draft, then signed
    sign(convention)
    body = Article.objects.get(convention=convention).body
    for url, data in urls.items():
        assert manager_client.post(url, data or {}).status_code == 403, url
    assert Article.objects.get(convention=convention).body == body
    assert Annex.objects.filter(convention=convention, title="Annexe").exists()


def test_draft_page_for_manager_with_bounded_queries(manager_client):
    small, large = ConventionFactory(), ConventionFactory()
    ArticleFactory(convention=small)
    for _ in range(15):
        parent = ArticleFactory(convention=large)
        ArticleFactory(convention=large, parent=parent, position=1)
        Annex.objects.create(
            convention=large, position=large.annexes.count() + 1, title="A", body="b"
        )
    manager_client.get(reverse("conventions:draft", args=[small.reference]))
    _, few = count_queries(manager_client, reverse("conventions:draft", args=[small.reference]))
    response, many = count_queries(
        manager_client, reverse("conventions:draft", args=[large.reference])
    )
    assert response.status_code == 200
    assert few == many <= 12


def test_every_form_page_renders_for_a_manager(manager_client):
    convention = ConventionFactory()
    for url, data in _draft_urls(convention).items():
        if data is not None and not url.endswith(("deplacer/", "retirer/")):
            response, queries = count_queries(manager_client, url)
            assert response.status_code == 200, url
            assert queries <= 15, url


def test_edit_the_convention_and_preamble(manager_client):
    convention = ConventionFactory()
    url = reverse("conventions:edit", args=[convention.reference])
    data = {
        "reference": "RENOMMEE",
        "title": "Titre",
        "short_title": "Court",
        "kind": "partnership",
        "notice_months": "2",
        "provisional_months": "0",
        "preamble": "Considérant :\n- un point ;\n- un autre.",
        "version": "1",
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.reference == "RENOMMEE"
    assert convention.preamble.startswith("Considérant")
    # A wrong reference keeps the form with its error, and the old reference still works.
    response = manager_client.post(
        reverse("conventions:edit", args=["RENOMMEE"]), {**data, "reference": "é"}
    )
    assert response.status_code == 200
    assert 'value="é"' in response.content.decode()


def test_add_edit_and_remove_parties(manager_client):
    convention = ConventionFactory()
    third = MandateFactory(title="Directrice", person__last_name="Durand")
    url = reverse("conventions:party_add", args=[convention.reference])
    response = manager_client.post(
        url,
        {
            "organisation": third.organisation.pk,
            "mandate": third.pk,
            "designation": "l'ORM",
        },
    )
    assert response.status_code == 302
    party = convention.parties.get(organisation=third.organisation)
    assert party.position == 3
    assert party.signatories.get().name == "Dominique Durand"
    # The same organisation twice is refused next to the field.
    response = manager_client.post(url, {"organisation": third.organisation.pk})
    assert response.status_code == 200
    # Another person takes the office: the party's representative changes.
    successor = MandateFactory(
        organisation=third.organisation, title="Directeur", person__last_name="Petit"
    )
    response = manager_client.post(
        reverse("conventions:party_edit", args=[convention.reference, party.pk]),
        {"mandate": successor.pk, "designation": "l'ORM"},
    )
    assert response.status_code == 302
    signatory = party.signatories.get()
    assert (signatory.name, signatory.title) == ("Dominique Petit", "Directeur")
    # A mandate of another organisation is refused.
    other = MandateFactory()
    response = manager_client.post(
        reverse("conventions:party_edit", args=[convention.reference, party.pk]),
        {"mandate": other.pk},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    # Remove the third; the last two cannot be removed.
    manager_client.post(reverse("conventions:party_delete", args=[convention.reference, party.pk]))
    assert convention.parties.count() == 2
    first = convention.parties.order_by("position").first()
    response = manager_client.post(
        reverse("conventions:party_delete", args=[convention.reference, first.pk]), follow=True
    )
    assert "au moins deux parties" in response.content.decode()
    assert convention.parties.count() == 2


def _numbers(convention):
    return [(a.number, a.heading) for a in convention.numbered_articles()]


def test_articles_add_nest_move_and_renumber(manager_client):
    convention = ConventionFactory()
    ref = convention.reference
    add = reverse("conventions:article_add", args=[ref])
    for heading in ("Objet", "Durée", "Résiliation"):
        manager_client.post(add, {"kind": "article", "heading": heading, "body": "Texte."})
    objet = convention.articles.get(heading="Objet")
    manager_client.post(
        add + f"?parent={objet.pk}", {"kind": "section", "heading": "Détail", "body": "x"}
    )
    assert _numbers(convention) == [
        ("1", "Objet"),
        ("1.1", "Détail"),
        ("2", "Durée"),
        ("3", "Résiliation"),
    ]

    def move(heading, direction):
        article = convention.articles.get(heading=heading)
        response = manager_client.post(
            reverse("conventions:article_move", args=[ref, article.pk]), {"direction": direction}
        )
        assert response.status_code == 302

    move("Résiliation", "up")
    assert _numbers(convention)[2:] == [("2", "Résiliation"), ("3", "Durée")]
    move("Durée", "indent")
    assert _numbers(convention)[2:] == [("2", "Résiliation"), ("2.1", "Durée")]
    move("Durée", "outdent")
    assert _numbers(convention)[2:] == [("2", "Résiliation"), ("3", "Durée")]
    move("Objet", "up")  # already first: nothing changes
    move("Détail", "outdent")
    assert _numbers(convention) == [
        ("1", "Objet"),
        ("2", "Détail"),
        ("3", "Résiliation"),
        ("4", "Durée"),
    ]
    response = manager_client.post(
        reverse("conventions:article_move", args=[ref, objet.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 302
    # Delete renumbers the following articles; positions stay dense.
    manager_client.post(reverse("conventions:article_delete", args=[ref, objet.pk]))
    assert _numbers(convention) == [("1", "Détail"), ("2", "Résiliation"), ("3", "Durée")]
    positions = sorted(convention.articles.filter(parent=None).values_list("position", flat=True))
    assert positions == [1, 2, 3]


def test_article_form_keeps_input_and_refuses_empty(manager_client):
    convention = ConventionFactory()
    url = reverse("conventions:article_add", args=[convention.reference])
    response = manager_client.post(url, {"kind": "article", "heading": "", "body": ""})
    assert response.status_code == 200
    assert "Indiquez un intitulé ou un texte." in response.content.decode()
    response = manager_client.post(
        url, {"kind": "bogus", "heading": "x" * 600, "body": "<script>1</script>"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;1&lt;/script&gt;" in content
    assert not convention.articles.exists()
    assert manager_client.get(url + "?parent=abc").status_code == 404
    other = ArticleFactory()
    assert manager_client.get(url + f"?parent={other.pk}").status_code == 404


def test_annexes_add_move_delete(manager_client):
    convention = ConventionFactory()
    ref = convention.reference
    for title in ("Contacts", "Plan"):
        manager_client.post(
            reverse("conventions:annex_add", args=[ref]),
            {"kind": "text", "title": title, "body": ""},
        )
    plan = convention.annexes.get(title="Plan")
    manager_client.post(reverse("conventions:annex_move", args=[ref, plan.pk]), {"direction": "up"})
    assert list(convention.annexes.order_by("position").values_list("title", flat=True)) == [
        "Plan",
        "Contacts",
    ]
    manager_client.post(reverse("conventions:annex_delete", args=[ref, plan.pk]))
    assert list(convention.annexes.values_list("title", "position")) == [("Contacts", 1)]


def test_objects_of_another_convention_are_not_found(manager_client):
    mine, other = ConventionFactory(), ConventionFactory()
    article = ArticleFactory(convention=other)
    url = reverse("conventions:article_edit", args=[mine.reference, article.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"body": "x"}).status_code == 404


def test_mandates_offered_current_first_former_ones_marked(manager_client):
    """Each representative says whose mandate it is (the page offers only the organisation
    chosen: static/js/representatives.js); the current holders come first, the former
    ones are marked: an old convention was signed by a former holder."""
    ended = MandateFactory(title="Ancien recteur", end_date="2000-01-01")
    current = MandateFactory(organisation=ended.organisation, title="Recteur")
    other = MandateFactory(title="Présidente")
    content = manager_client.get(CREATE).content.decode()
    assert Mandate.objects.filter(title="Ancien recteur").exists()
    now = content.index(f"{current.person.full_name} — Recteur<")
    former = content.index("— Ancien recteur (ancien mandat jusqu&#x27;au 1er janvier 2000)")
    assert now < former
    for mandate in (current, ended, other):
        assert f'data-organisation="{mandate.organisation_id}" value="{mandate.pk}"' in (
            content
        ) or f'value="{mandate.pk}" data-organisation="{mandate.organisation_id}"' in content
    assert 'data-follows="organisation"' in content


def test_create_refuses_a_notice_longer_than_the_term(manager_client, mandates):
    """The rule of `Convention.clean`, shown next to the notice field (the import applies
    the same rule: interchange/tests/test_load_errors.py)."""
    data = _create_data(*mandates, duration_months="3", notice_months="6")
    response = manager_client.post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["notice_months"] == [
        "Le préavis (6 mois) est plus long que la durée de la convention (3 mois)."
    ]
    assert not Convention.objects.exists()
    # As long as the term, it is accepted.
    response = manager_client.post(CREATE, {**data, "notice_months": "3"})
    assert response.status_code == 302
