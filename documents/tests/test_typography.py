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
