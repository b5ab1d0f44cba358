"""Who holds an office now: the representative a renewal proposes for a party.

Pure functions on plain objects (mandates with `.pk`, `.title`, `.start_date`, `.end_date`),
no database. The office is read from the title's first word, the one that names it
(« Recteur de l'académie … » and « Recteur de la région académique … » are one office,
« Président » and « Présidente » too); a date the records do not give is unknown, never
guessed: when several people may hold the office today, nobody is proposed.
"""

import re
import unicodedata
from dataclasses import dataclass


def office(title: str) -> str:
    """ "recteur" for « Recteur de l'académie d'Aix-Marseille, chancelier… »; "president"
    for « Présidente »."""
    plain = "".join(
        c
        for c in unicodedata.normalize("NFKD", title or "").lower()
        if not unicodedata.combining(c)
    )
    words = [w for w in re.findall(r"\w+", plain) if w not in ("le", "la", "les", "l")]
    word = words[0] if words else ""
    for feminine, masculine in (("trice", "teur"), ("ente", "ent"), ("euse", "eur")):
        if word.endswith(feminine):
            return word[: -len(feminine)] + masculine
    return word


@dataclass
class Proposal:
    mandate: object | None
    note: str


def successor(previous, title: str, current: list) -> Proposal:
    """The mandate to propose for a party whose last representative held `previous` (a
    mandate, or None) with `title`, among the mandates of its organisation held today."""
    wanted = office(previous.title if previous is not None else title)
    same_office = [m for m in current if office(m.title) == wanted] if wanted else []
    if previous is not None and any(m.pk == previous.pk for m in same_office):
        others = [m for m in same_office if m.pk != previous.pk]
        if not others:
            return Proposal(previous, "même représentant, toujours en fonction")
    if len(same_office) == 1:
        return Proposal(same_office[0], "titulaire actuel de la même fonction")
    dated = [m for m in same_office if m.start_date is not None]
    undated = [m for m in same_office if m.start_date is None]
    if dated and not undated:
        latest = max(dated, key=lambda m: m.start_date)
        return Proposal(latest, "titulaire le plus récent de la même fonction")
    if same_office:
        return Proposal(
            None,
            f"{len(same_office)} personnes exercent cette fonction selon les mandats "
            "enregistrés (dates inconnues) : représentant à préciser",
        )
    return Proposal(None, "aucun titulaire en cours de cette fonction : représentant à préciser")
