"""The text in force on a date (pure: plain objects, no database)."""

import datetime
from types import SimpleNamespace as NS

from conventions.rules.consolidation import consolidate

D = datetime.date


def article(pk, number, depth=0, heading="", body="", kind="article"):
    return NS(pk=pk, number=number, depth=depth, heading=heading, body=body, kind=kind)


def amendment(number, signed_on, changes, effective=None):
    return NS(
        number=number,
        signed_on=signed_on,
        start_date=effective or signed_on,
        changes_list=[NS(kind=k, article_id=a, heading=h, body=b) for k, a, h, b in changes],
    )


ARTICLES = [
    article(1, "1", heading="Objet", body="Objet initial."),
    article(2, "1.1", depth=1, body="Détail.", kind="section"),
    article(3, "2", heading="Durée", body="Trois ans."),
    article(4, "3", heading="Litiges", body="Tribunal."),
]


def texts(items):
    return [(i.number, i.body, i.state) for i in items]


def test_without_avenant_the_text_is_the_signed_one():
    assert texts(consolidate(ARTICLES, [], D(2020, 1, 1))) == [
        ("1", "Objet initial.", "original"),
        ("1.1", "Détail.", "original"),
        ("2", "Trois ans.", "original"),
        ("3", "Tribunal.", "original"),
    ]


def test_replace_add_remove_from_the_effective_date():
    first = amendment(
        1,
        D(2011, 6, 1),
        [
            ("replace", 3, "", "Cinq ans."),
            ("add", 3, "Bilan", "Un bilan annuel."),
            ("add", 3, "Bilan 2", "Un second."),
            ("remove", 1, "", ""),
            ("add", None, "Fin", "Dernier article."),
        ],
        effective=D(2012, 1, 1),
    )
    unsigned = amendment(2, None, [("replace", 4, "", "Arbitrage.")])
    before = consolidate(ARTICLES, [first, unsigned], D(2011, 12, 31))
    assert texts(before)[2] == ("2", "Trois ans.", "original")
    after = consolidate(ARTICLES, [first, unsigned], D(2012, 1, 1))
    assert texts(after) == [
        ("1", "Objet initial.", "removed"),
        ("1.1", "Détail.", "removed"),  # the sub-articles go with it
        ("2", "Cinq ans.", "replaced"),
        ("2 bis", "Un bilan annuel.", "added"),
        ("2 ter", "Un second.", "added"),
        ("3", "Tribunal.", "original"),
        ("4", "Dernier article.", "added"),
    ]
    assert after[2].heading == "Durée"  # no new heading: the old one stays
    assert after[3].label == "Article 2 bis"
    assert {i.amendment_number for i in after if i.state != "original"} == {1}


def test_later_avenant_wins_and_removed_articles_stay_removed():
    first = amendment(1, D(2011, 1, 1), [("replace", 3, "", "Cinq ans."), ("remove", 4, "", "")])
    second = amendment(2, D(2012, 1, 1), [("replace", 3, "", "Six ans."), ("replace", 4, "", "x")])
    items = consolidate(ARTICLES, [second, first], D(2013, 1, 1))
    assert texts(items)[2:] == [("2", "Six ans.", "replaced"), ("3", "Tribunal.", "removed")]
    assert items[2].amendment_number == 2
