"""The conventions search, on the real database: PostgreSQL full text, SQLite FTS5."""

import pytest
from django.db import connection

from conventions.models import Article, Convention, Party
from conventions.search import refresh_search_documents
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def search(text):
    return list(
        Convention.objects.search(text, vendor=connection.vendor)
        .order_by("reference")
        .values_list("reference", flat=True)
    )


def test_a_word_of_an_article_finds_its_convention_once():
    convention = ConventionFactory(reference="ESS-1")
    ArticleFactory(convention=convention, body="Promotion de l'économie sociale et solidaire.")
    ArticleFactory(convention=convention, body="Le mois de l'économie sociale, en novembre.")
    ConventionFactory(reference="AUTRE")
    assert search("économie") == ["ESS-1"]
    assert search("solidaire économie") == ["ESS-1"]
    assert search("inexistant") == []


def test_the_index_follows_edits_and_deletions():
    article = ArticleFactory(convention=ConventionFactory(reference="EDIT-1"), body="Métierama")
    assert search("Métierama") == ["EDIT-1"]
    Article.objects.filter(pk=article.pk).update(body="Salon des apprentis")
    assert search("Métierama") == []
    assert search("apprentis") == ["EDIT-1"]
    Article.objects.filter(pk=article.pk).delete()
    assert search("apprentis") == []


def test_reference_title_and_partner_names():
    cress = OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="CRESS")
    ConventionFactory(
        reference="CRESS-PACA-2010",
        title="Convention cadre",
        parties=[OrganisationFactory(academy=True), cress],
    )
    ConventionFactory(reference="ORM", title="Échange de données statistiques")
    assert search("CRESS") == ["CRESS-PACA-2010"]
    assert search("PACA-2010") == ["CRESS-PACA-2010"]
    assert search("statistiques") == ["ORM"]
    assert search("Chambre") == ["CRESS-PACA-2010"]


def test_short_title_and_partner_name_as_written_each_alone():
    ConventionFactory(reference="ST-1", title="Accord", short_title="Forum des métiers")
    written = ConventionFactory(reference="NW-1", title="Accord")
    Party.objects.filter(convention=written, position=2).update(
        name_as_written="Maison des lycéens du Var"
    )
    refresh_search_documents([written.pk])  # as every write through the services does
    ConventionFactory(reference="AUTRE", title="Accord")
    assert search("Forum") == ["ST-1"]
    assert search("lycéens") == ["NW-1"]


def test_substrings_of_any_length_and_wildcards_taken_literally():
    ConventionFactory(reference="ZQ-1", title="Remise de xq% sur le lot_zw")
    ConventionFactory(reference="AUTRE", title="Accord")
    # One or two characters: no trigram, PostgreSQL reads the table; same answer.
    assert search("zq") == ["ZQ-1"]
    assert search("Q") == ["ZQ-1"]
    assert search("xq%") == ["ZQ-1"]
    assert search("t_zw") == ["ZQ-1"]
    assert search("%") == ["ZQ-1"]
    assert search("_") == ["ZQ-1"]


@pytest.mark.parametrize("text", ['"', "*", 'AND OR NOT (" NEAR', "'; DROP TABLE x; --", "\\"])
def test_hostile_search_text_is_only_text(text):
    ArticleFactory(body="Texte ordinaire.")
    assert search(text) == []


def test_signatories_correspondents_annexes_plans_references_accents_ignored(demo):
    """What people type: a signatory (« Faure », « Beignier »), a word of an annex or an
    action plan (« Métierama », « DP3 »), a partner's reference, a name without its
    accents (« pole emploi »)."""

    def found(text):
        return set(Convention.objects.search(text, vendor=connection.vendor).values_list(
            "reference", flat=True))  # fmt: skip

    assert "CRESS-PACA-2010" in found("Faure")
    assert {"CITE-METIERS", "CGPME-AGEFA"} <= found("beignier")
    assert "CRESS-PACA-2010" in found("DP3")
    assert "CRESS-PACA-2010" in found("metierama")
    assert found("pole emploi") == found("Pôle emploi") >= {"METROPOLE-PE-DONNEES"}
    assert "METROPOLE-PE-DONNEES" in found("Vernet")  # a correspondent only
    cress = Convention.objects.get(reference="CRESS-PACA-2010")
    from conventions.models import ExternalReference
    from conventions.services import external_reference_save

    external_reference_save(
        reference=ExternalReference(convention=cress, label="N° CNES", value="CNES/90552")
    )
    assert found("cnes/90552") == {"CRESS-PACA-2010"}


def test_articles_by_their_words_stemmed_and_without_accents():
    convention = ConventionFactory(reference="ART-1")
    ArticleFactory(convention=convention, heading="Objet", body="Les jumelages de l'Œuvre.")
    ConventionFactory(reference="AUTRE")
    assert search("jumelage") == ["ART-1"]
    assert search("JUMELAGES") == ["ART-1"]
    if connection.vendor == "postgresql":  # FTS5 on SQLite folds accents, not ligatures
        assert search("oeuvre") == search("œuvre") == ["ART-1"]
    assert search("objet jumelage") == ["ART-1"]
    assert search("objet inexistant") == []


def test_the_article_words_follow_every_path_that_writes_articles():
    """On PostgreSQL, the words of each convention's articles are one value on its row,
    kept by triggers: raw SQL, bulk creation and deletion of a convention's articles."""
    convention = ConventionFactory(reference="BULK-1")
    Article.objects.bulk_create(
        [
            Article(convention=convention, position=n, body=f"Clause {n} sur le Métierama")
            for n in (1, 2)
        ]
    )
    assert search("métierama") == ["BULK-1"]
    Article.objects.filter(convention=convention, position=1).update(body="Salon")
    assert search("métierama") == ["BULK-1"]  # still in article 2
    Article.objects.filter(convention=convention, position=2).delete()
    assert search("métierama") == []
    assert search("salon") == ["BULK-1"]


def test_renaming_an_organisation_or_a_correspondent_renames_what_the_search_finds(
    manager_client,
):
    from partners.models import Contact
    from partners.tests.test_organisation_pages import FILLED, edit_url
    from tests.factories import PersonFactory

    employment = OrganisationFactory(name="Pôle emploi", short_name="PE")
    convention = ConventionFactory(
        reference="PE-1", parties=[OrganisationFactory(academy=True), employment]
    )
    assert search("pôle emploi") == ["PE-1"]
    response = manager_client.post(
        edit_url(employment), {**FILLED, "name": "France Travail", "short_name": "FT"}
    )
    assert response.status_code == 302
    assert search("France Travail") == ["PE-1"]
    assert search("pôle emploi") == []

    person = PersonFactory(first_name="Anne", last_name="Vernet")
    Contact.objects.create(
        convention=convention, organisation=employment, person=person, role="correspondent"
    )
    refresh_search_documents([convention.pk])  # as the contact's form does
    assert search("vernet") == ["PE-1"]
    person.last_name = "Martin-Vernay"
    person.save()
    assert search("Martin-Vernay") == ["PE-1"]
    assert search("vernet") == []


def test_a_merge_moves_the_duplicate_s_conventions_to_the_kept_name():
    from partners.merge import organisation_merge

    kept = OrganisationFactory(name="Chambre de métiers et de l'artisanat", short_name="CMA")
    duplicate = OrganisationFactory(name="Chambre des métiers", short_name="")
    ConventionFactory(reference="DUP-1", parties=[OrganisationFactory(academy=True), duplicate])
    assert search("artisanat") == []
    organisation_merge(kept=kept, duplicate=duplicate)
    assert search("artisanat") == ["DUP-1"]


def test_an_organisation_of_many_conventions_is_refreshed_by_the_worker(monkeypatch):
    """Past a batch, the documents are rewritten by a task (the immediate backend of the
    tests runs it at once; in production the worker does)."""
    from conventions import search as search_module
    from conventions.tasks import refresh_search_task

    monkeypatch.setattr(search_module, "BATCH", 1)
    enqueued = []
    original = refresh_search_task.enqueue
    monkeypatch.setattr(
        type(refresh_search_task),
        "enqueue",
        lambda self, *args: enqueued.append(args) or original(*args),
    )
    partner = OrganisationFactory(name="Union des entreprises")
    for n in (1, 2):
        ConventionFactory(reference=f"UE-{n}", parties=[OrganisationFactory(academy=True), partner])
    partner.name = "Union des industries"
    partner.save()
    assert len(enqueued) == 1
    assert search("industries") == ["UE-1", "UE-2"]
