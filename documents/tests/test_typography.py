"""French typography and the grammar of printed party names (pure functions)."""

import pytest

from documents.typography import NBSP, NNBSP, french_typography, in_sentence, is_feminine


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Il s'agit de : diffuser", f"Il s'agit de{NBSP}: diffuser"),
        ("Courriel: a@b.fr", f"Courriel{NBSP}: a@b.fr"),
        ("entreprise; le schéma", f"entreprise{NNBSP}; le schéma"),
        ("élèves ;", f"élèves{NNBSP};"),
        ("Vraiment ?  Oui !", f"Vraiment{NNBSP}?  Oui{NNBSP}!"),
        ("le « parcours Avenir »", f"le «{NBSP}parcours Avenir{NBSP}»"),
        ("«l'ORM»", f"«{NBSP}l'ORM{NBSP}»"),
        ("**Informer** : proposer", f"**Informer**{NBSP}: proposer"),
    ],
)
def test_non_breaking_spaces_where_french_wants_them(typed, printed):
    assert french_typography(typed) == printed


@pytest.mark.parametrize(
    "untouched",
    [
        "https://www.agefa-cooptechno.org/?page=2",
        "de 10h00 à 18h00, ou 10:30",
        "mailto:laurent.frassati@ampmetropole.fr",
        "l'acad&#x27;émie",
        "",
    ],
)
def test_urls_times_and_entities_are_left_alone(untouched):
    assert french_typography(untouched) == untouched


def test_typography_is_idempotent():
    once = french_typography("Objet : « test » ; fin !")
    assert french_typography(once) == once


@pytest.mark.parametrize(
    ("name", "feminine"),
    [
        ("l'académie d'Aix-Marseille", True),
        ("la chambre régionale de l'Economie sociale et solidaire", True),
        ("AGEFA PME", True),
        ("l'Etat", False),
        ("L'Etat", False),
        ("L'Observatoire régional des métiers (ORM)", False),
        ("Pôle emploi DR PACA", False),
        ("La Métropole Aix-Marseille-Provence", True),
    ],
)
def test_agreement_of_represented_by(name, feminine):
    assert is_feminine(name) is feminine


def test_names_read_in_a_sentence():
    assert in_sentence("L'Etat") == "l'Etat"
    assert in_sentence("La Métropole") == "la Métropole"
    assert in_sentence("Pôle emploi") == "Pôle emploi"


def test_print_typography_apostrophes_names_and_ordinals():
    from documents.templatetags.print_tags import typo, typo_markup
    from documents.typography import print_typography

    text = print_typography("l'académie d'Aix-Marseille, le 1er mai, vingt-deux")
    assert text == "l’académie d’Aix\u2011Marseille, le 1er mai, vingt-deux"
    html = str(typo("Fait à Aix-en-Provence, le 1er mai : l'ORM"))
    assert '<span class="name">Aix\u2011en\u2011Provence,</span>' in html
    assert "1<sup>er</sup>" in html and "l’ORM" in html and "\u00a0:" in html
    # Escaped as any text; a « Le », a « Ce » are words, not ordinals.
    assert str(typo("<b>Le</b> & Ce")) == "&lt;b&gt;Le&lt;/b&gt; &amp; Ce"
    assert "<p>Le 2<sup>e</sup> alinéa" in str(typo_markup("Le 2e alinéa"))
