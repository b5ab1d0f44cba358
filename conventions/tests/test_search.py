"""The conventions search, on the real database: PostgreSQL full text, SQLite FTS5."""

import pytest
from django.db import connection

from conventions.models import Article, Convention, Party
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
