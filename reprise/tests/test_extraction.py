"""Extraction rules on varied French phrasings, beyond the five seeds: accents lost by OCR,
non-breaking spaces, curly quotes, hyphenation at line ends, "1 er", words for numbers."""

import datetime

import pytest

from reprise.extraction import extract
from reprise.extraction.dates import find_dates, parse_number
from reprise.extraction.text import Source


def convention(text: str) -> dict:
    return extract(text).convention


# --- text and dates -----------------------------------------------------------------------


def test_evidence_points_into_the_original_text_whatever_the_normalisation():
    original = "Préam\u00adbule\u00a0: con-\nvention « l\u2019ORM »\fpage 2 : préavis de trois mois"
    src = Source(original)
    assert src.text == "Préambule : convention « l'ORM »\fpage 2 : préavis de trois mois"
    start = src.folded.index("preavis")
    evidence = src.evidence(start, start + len("preavis de trois mois"))
    assert evidence.excerpt == "préavis de trois mois"
    assert original[evidence.start : evidence.end] == "préavis de trois mois"
    assert evidence.page == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 17 mai 2010", datetime.date(2010, 5, 17)),
        ("le 1er septembre 2020", datetime.date(2020, 9, 1)),
        ("le 1 er septembre 2020", datetime.date(2020, 9, 1)),
        ("le ler septembre 2020", datetime.date(2020, 9, 1)),
        ("le premier fevrier 2021", datetime.date(2021, 2, 1)),
        ("le 06/11/2018", datetime.date(2018, 11, 6)),
        ("le 31 aout 2025", datetime.date(2025, 8, 31)),
        ("le jeudi 3 decembre 2015", datetime.date(2015, 12, 3)),
    ],
)
def test_french_dates(text, expected):
    assert [date for date, _ in find_dates(text)] == [expected]


def test_a_date_that_does_not_exist_is_no_date():
    assert list(find_dates("le 31 juin 2020")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("trois", 3), ("36", 36), ("trente-six", 36), ("trois (3)", 3), ("3 (trois)", 3),
     ("un", 1), ("une", 1), ("vingt-quatre", 24), ("trois (4)", None)],
)  # fmt: skip
def test_numbers_in_digits_or_words(text, expected):
    assert parse_number(text) == expected


# --- term ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("La présente convention est conclue pour une durée de trois ans.", 36),
        ("La presente convention est conclue pour une duree de trente-six mois.", 36),
        ("Elle est conclue pour 2 (deux) ans à compter de sa signature.", 24),
        ("La durée de la présente convention est fixée à cinq ans.", 60),
        ("Le présent accord est établi pour une période d'un an.", 12),
        ("La convention est valable pour une durée initiale de 4 ans.", 48),
    ],
)
def test_durations(sentence, months):
    assert convention(sentence)["duration_months"] == months


def test_a_notice_or_provisional_period_is_not_the_term():
    found = convention(
        "Elle peut être résiliée sous réserve d'un préavis de trois mois. Ses dispositions "
        "demeurent applicables à titre provisoire durant une période d'une durée maximale "
        "de six mois."
    )
    assert found["duration_months"] == "unknown"
    assert found["notice_months"] == 3
    assert found["provisional_months"] == 6


def test_no_duration_is_unknown_with_a_warning():
    result = extract("Les parties se réuniront une fois par an.")
    assert result.convention["duration_months"] == "unknown"
    assert any(w.startswith("Durée introuvable") for w in result.warnings)


def test_a_term_given_by_the_parent_is_not_unknown():
    result = extract(
        "La convention d'application est conclue pour la durée de la convention de "
        "partenariat mentionnée à l'article 1."
    )
    assert "duration_months" not in result.convention
    assert any(w.startswith("Durée : celle de la convention parente") for w in result.warnings)


def test_a_fixed_end():
    found = convention("La présente convention prend effet le 1er septembre 2022 et s'applique "
                       "jusqu'au 31 août 2025.")  # fmt: skip
    assert found["ends_on"] == datetime.date(2025, 8, 31)
    assert found["effective_date"] == datetime.date(2022, 9, 1)
    assert "duration_months" not in found


@pytest.mark.parametrize(
    ("sentence", "years"),
    [
        ("La convention est conclue pour les années scolaires 2016-2017 à 2018-2019.", 3),
        ("Elle est conclue pour trois années scolaires.", 3),
        ("La convention vaut pour les années scolaires 2023-2024 et 2024-2025.", 2),
    ],
)
def test_school_years(sentence, years):
    found = convention(sentence)
    assert found["school_years"] == years
    assert "duration_months" not in found


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("moyennant un préavis de deux mois", 2),
        ("sous reserve d'un preavis de 3 mois", 3),
        ("en respectant trois mois de préavis", 3),
        ("dénoncée au moins six mois avant son échéance", 6),
        ("La résiliation prend effet au plus tôt deux mois après la date de réception du "
         "courrier.", 2),
    ],
)  # fmt: skip
def test_notices(sentence, months):
    assert convention(sentence)["notice_months"] == months


def test_a_notice_in_days_is_not_rounded():
    result = extract("Elle peut être dénoncée avec un préavis de 90 jours.")
    assert "notice_months" not in result.convention
    assert any("90 jours" in w for w in result.warnings)


def test_tacit_renewal_with_period_and_limit():
    found = convention(
        "La convention est conclue pour une durée d'un an. Elle est reconduite tacitement "
        "pour une période d'un an, dans la limite de trois fois."
    )
    assert found["duration_months"] == 12
    assert (found["tacit_renewal"], found["renewal_months"], found["max_renewals"]) == (
        True, 12, 3,
    )  # fmt: skip


def test_four_years_renewed_each_year_is_one_year_renewed_three_times():
    result = extract("La convention est conclue pour une durée de 4 ans, reconduite "
                     "tacitement chaque année.")  # fmt: skip
    found = result.convention
    assert (found["duration_months"], found["renewal_months"], found["max_renewals"]) == (12, 12, 3)
    assert any("reconduite au plus 3 fois" in w for w in result.warnings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Elle ne peut pas être reconduite tacitement.",
        "La convention n'est pas renouvelable tacitement.",
        "Toute tacite reconduction est exclue ; pas de tacite reconduction.",
    ],
)
def test_no_tacit_renewal(sentence):
    assert convention(sentence)["tacit_renewal"] is False


def test_not_renewing_is_no_tacit_renewal():
    assert "tacit_renewal" not in convention(
        "Si l'un des partenaires souhaite résilier ou ne pas reconduire la convention, il en "
        "informe l'autre partie sous réserve d'un préavis de trois mois."
    )


def test_parent_convention_cited():
    result = extract("La présente convention est prise en application de la convention-cadre "
                     "signée le 12 mars 2019 entre l'académie et la région.")  # fmt: skip
    assert result.hints["parent"]["signed_on"] == datetime.date(2019, 3, 12)
    assert result.hints["parent"]["text"].startswith("convention-cadre signée le 12 mars 2019")


# --- parties ------------------------------------------------------------------------------

INLINE = (
    "CONVENTION CADRE DE PARTENARIAT\n\n"
    "Entre l\u2019université d\u2019Aix-Marseille, établissement public à caractère "
    "scientifique, culturel et professionnel, dont le siège est situé au 58 boulevard "
    "Charles Livon, 13007 Marseille, représentée par son président, M. Eric BERTON, "
    "ci-après dénommée \u201cAMU\u201d, d\u2019une part,\n"
    "et l\u2019association Les Petits Débrouillards, association loi 1901, sise 12 rue de "
    "la République, 13001 Marseille, représentée par Madame Claire DUPONT-MOREAU, "
    "directrice régionale, ci-après dénommée « l\u2019association », d'autre part,\n\n"
    "Il a été convenu ce qui suit :\n\nARTICLE 1 : OBJET\nLa convention a pour objet..."
)


def test_parties_written_inline_with_curly_quotes():
    result = extract(INLINE)
    found = result.convention
    assert found["title"] == "CONVENTION CADRE DE PARTENARIAT" and found["kind"] == "framework"
    first, second = found["parties"]
    assert first["name_as_written"] == "l'université d'Aix-Marseille"
    assert first["designation"] == "AMU"
    assert first["address"] == "58 boulevard Charles Livon, 13007 Marseille"
    assert first["signatory"] == {"name": "Eric Berton", "title": "président"}
    assert second["name_as_written"] == "l'association Les Petits Débrouillards"
    assert second["description"] == "association loi 1901"
    assert second["designation"] == "l'association"
    assert second["signatory"] == {"name": "Claire Dupont-Moreau", "title": "directrice régionale"}
    excerpt = result.evidence["parties[1].signatory.name"].excerpt
    assert excerpt.startswith("représentée par Madame Claire DUPONT-MOREAU")


def test_ocr_without_accents_and_a_name_after_its_title():
    found = convention(
        "CONVENTION DE PARTENARIAT\n\nEntre les soussignes\n\nLe lycee Victor Hugo,\n"
        "represente par son proviseur, Monsieur Paul Martin,\nd'une part,\n\net\n\n"
        "La Chambre de metiers et de l'artisanat,\nrepresentee par le president,\n"
        "Jean-Luc DE LA TOUR,\nd'autre part,\n\nIl est convenu ce qui suit :\n\n"
        "Article 1er - Objet\nTexte."
    )
    first, second = found["parties"]
    assert first["signatory"] == {"name": "Paul Martin", "title": "proviseur"}
    assert second["name_as_written"] == "La Chambre de metiers et de l'artisanat"
    assert second["signatory"] == {"name": "Jean-Luc De La Tour", "title": "president"}


def test_a_cover_page_is_not_the_parties_block():
    found = convention(
        "Convention de partenariat\n\nentre\n\nl'académie de Nice\n\net\n\nla Ville de Cannes"
        "\n\nCONVENTION DE PARTENARIAT\n\nEntre les soussignés\n\nl'académie de Nice, "
        "représentée par Natacha Chicot, rectrice,\n\nd'une part,\n\net\n\nla Ville de Cannes, "
        "représentée par son maire, David Lisnard,\n\nd'autre part,\n\nArticle 1 – Objet\nTexte."
    )
    assert found["title"] == (
        "Convention de partenariat entre l'académie de Nice et la Ville de Cannes"
    )
    assert [p["signatory"]["name"] for p in found["parties"]] == ["Natacha Chicot", "David Lisnard"]


# --- articles and signature -----------------------------------------------------------------


def test_article_numbering_styles_and_nesting():
    result = extract(
        "TITRE I – DISPOSITIONS GÉNÉRALES\n"
        "ARTICLE PREMIER : OBJET\nLa convention a pour objet.\n"
        "Article 2 –\nDurée\nLe texte de la durée, qui cite l'article 5 de la loi.\n"
        "Article 5 de la loi du 3 mars ne commence pas un article.\n"
        "2.1 Première section\nTexte.\n"
        "2.5 millions d'euros ne sont pas une section.\n"
        "2.2 Seconde section\nTexte.\n"
        "TITRE II - SUIVI\n"
        "Art. 3. Comité de pilotage\nLe comité se réunit.\n"
        "Fait à Nice, le 1 er mars 2021\n"
        "ANNEXE 1 – PLAN D'ACTION\n"
        "Annexe 2 : Coordonnées des correspondants\n"
    )
    assert result.hints["article_numbers"] == [
        "Titre 1", "1", "2", "2.1", "2.2", "Titre 2", "3",
    ]  # fmt: skip
    first, second = result.convention["articles"]
    assert first["kind"] == "title" and first["heading"] == "Dispositions générales"
    assert [a["heading"] for a in first["children"]] == ["Objet", "Durée"]
    assert "Article 5 de la loi" in first["children"][1]["body"]
    assert second["children"][0]["heading"] == "Comité de pilotage"
    assert result.convention["annexes"] == [
        {"kind": "action_plan", "title": "Plan d'action"},
        {"kind": "contacts", "title": "Coordonnées des correspondants"},
    ]
    assert result.convention["signed_on"] == datetime.date(2021, 3, 1)
    assert result.convention["signature_place"] == "Nice"


def test_a_table_of_contents_is_not_the_articles():
    result = extract(
        "SOMMAIRE\nArticle 1 – Objet ........ 2\nArticle 2 – Durée ........ 3\n\n"
        "Article 1 – Objet\nTexte.\nArticle 2 – Durée\nTexte."
    )
    assert result.hints["article_numbers"] == ["1", "2"]
    assert result.convention["articles"][0]["body"] == "Texte."


@pytest.mark.parametrize(
    ("text", "place", "date"),
    [
        ("Fait à Marseille, le 3 juin 2019, en deux exemplaires.", "Marseille",
         datetime.date(2019, 6, 3)),
        ("Fait en trois exemplaires originaux à Toulon, le 12/01/2021", "Toulon",
         datetime.date(2021, 1, 12)),
        ("Effectuée en deux exemplaires originaux, signés le 17 mai 2010 à Aix-en-Provence",
         "Aix-en-Provence", datetime.date(2010, 5, 17)),
        ("Fait à Aix en Provence, le\nen deux exemplaires originaux,", "Aix en Provence",
         "unknown"),
        ("Fait à _____, le _____, en trois exemplaires originaux.", None, "unknown"),
        ("Fait à Gap, le 2 mai 2022\tFait à Gap, le 9 mai 2022", "Gap",
         datetime.date(2022, 5, 9)),
    ],
)  # fmt: skip
def test_signature_place_and_date(text, place, date):
    found = convention(text)
    assert found.get("signature_place") == place
    assert found["signed_on"] == date


def test_a_party_after_et_colon_and_a_lone_surname_after_a_civility():
    """« Et : » on its own line before the second party; « …, Mme Dupont » closing the
    representative's offices."""
    text = (
        "CONVENTION DE PARTENARIAT\n\nEntre :\n"
        "Le ministère de l'éducation nationale, représenté par Madame la rectrice de "
        "l'académie de Lyon, chancelière des universités, Mme Dupont,\nd'une part,\nEt :\n"
        "L'Union des industries et métiers de la métallurgie (UIMM) Rhône, association régie "
        "par la loi de 1901, dont le siège est situé 60 rue Servient, 69003 Lyon, représentée "
        "par son président, M. Jean Martin,\nd'autre part,\n\nArticle 1 – Objet\nTexte.\n"
    )
    first, second = extract(text).convention["parties"]
    assert first["signatory"]["name"] == "Dupont"
    assert second["name_as_written"] == (
        "L'Union des industries et métiers de la métallurgie (UIMM) Rhône"
    )
    assert second["address"] == "60 rue Servient, 69003 Lyon"
    assert second["signatory"] == {"name": "Jean Martin", "title": "président"}
