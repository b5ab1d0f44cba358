"""A small valid file of the interchange format, and what the tests need around it."""

import textwrap

from django.apps import apps
from django.db import connection

GOOD = """\
organisations:
  - name: "Académie d'Aix-Marseille"
    short_name: "Rectorat"
    legal_form: state
    is_academy: true
  - name: "Chambre régionale de l'Economie sociale et solidaire"
    short_name: "CRESS PACA"
people:
  - {civility: "M.", first_name: "Jean-Paul", last_name: "de Gaudemar"}
  - {civility: "M.", first_name: "Michel", last_name: "Faure"}
mandates:
  - {person: "Jean-Paul de Gaudemar", organisation: "Académie d'Aix-Marseille", title: "Recteur"}
  - {person: "Michel Faure", organisation: "Chambre régionale de l'Economie sociale et solidaire",
     title: "Président"}
conventions:
  - reference: "ESSAI-2010"
    title: "Convention d'essai"
    short_title: "Essai"
    kind: framework
    signed_on: 2010-05-17
    duration_months: 36
    notice_months: 3
    parties:
      - organisation: "Académie d'Aix-Marseille"
        signatory:
          person: "Jean-Paul de Gaudemar"
          name: "Jean-Paul de Gaudemar"
          title: "Recteur"
          signed_on: 2010-05-17
          place: "Aix-en-Provence"
      - organisation: "Chambre régionale de l'Economie sociale et solidaire"
        signatory:
          person: "Michel Faure"
          name: "Michel Faure"
          title: "Président"
          signed_on: 2010-05-12
          place: "Marseille"
    articles:
      - heading: "Objet"
        body: "La présente convention a pour objet ..."
        children:
          - {kind: section, heading: "Détail", body: "..."}
      - heading: "Durée"
        body: "Trois ans."
    amendments:
      - number: 1
        title: "Avenant n°1"
        effective_date: 2011-01-01
"""


def write(directory, name: str, text: str):
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def changed(*replacements: tuple[str, str], text: str = GOOD) -> str:
    """`text` with each (old, new) replaced; `old` must be there once."""
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, fragment: str) -> int:
    """The line (from 1) where `fragment` is, once, in `text`."""
    assert text.count(fragment) == 1, fragment
    return text[: text.index(fragment)].count("\n") + 1


def table_counts() -> dict[str, int]:
    """The number of rows of every table of the project, history tables and many-to-many
    tables included."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (our table names)
            counts[table] = cursor.fetchone()[0]
    return counts
