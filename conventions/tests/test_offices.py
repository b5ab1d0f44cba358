"""The representative a renewal proposes: the current holder of the office that signed."""

import datetime
from types import SimpleNamespace

from conventions.rules.offices import office, successor

D = datetime.date


def mandate(pk, title, start=None, end=None):
    return SimpleNamespace(pk=pk, title=title, start_date=start, end_date=end)


def test_the_office_is_the_first_word_of_the_title_in_any_gender():
    assert office("Recteur de l'académie d'Aix-Marseille, chancelier des universités") == (
        office("Recteur de la région académique Provence-Alpes-Côte d'Azur")
    )
    assert office("Présidente") == office("président") == "president"
    assert office("Directrice territoriale") == "directeur"
    assert office("Le ministre de l'éducation nationale") == "ministre"


def test_the_same_person_while_in_office_else_the_new_holder():
    gaudemar = mandate(1, "Recteur de l'académie d'Aix-Marseille")
    assert successor(gaudemar, "", [gaudemar]).mandate is gaudemar
    beignier = mandate(2, "Recteur de la région académique", start=D(2016, 1, 1))
    assert successor(gaudemar, "", [beignier]).mandate is beignier
    # Another office of the organisation is not a successor.
    assert successor(gaudemar, "", [mandate(3, "Secrétaire générale")]).mandate is None


def test_unknown_dates_are_not_guessed():
    old = mandate(1, "Recteur", start=None)
    new = mandate(2, "Recteur", start=None)
    proposal = successor(old, "", [old, new])
    assert proposal.mandate is None and "à préciser" in proposal.note
    # With known dates, the latest holder.
    dated = [
        mandate(3, "Recteur", start=D(2010, 1, 1)),
        mandate(4, "Rectrice", start=D(2020, 9, 1)),
    ]
    assert successor(None, "Recteur", dated).mandate.pk == 4
