"""Trigram indexes for the substring search of references and titles, on PostgreSQL only.

`ConventionQuerySet.search` matches the reference, title and short title of conventions by
case-insensitive substring (`icontains`, that is `UPPER(column::text) LIKE UPPER(pattern)`).
Without an index PostgreSQL computes UPPER() of every row of the table, which is most of the
time of a search at 10,000 conventions. These GIN indexes (pg_trgm) are built on exactly the
expressions that `icontains` generates, so that PostgreSQL finds the matching rows from the
index for any pattern of three characters or more.

No statistics are gathered on the indexed expressions. With them, PostgreSQL estimates a
word found in a fifth of the titles ("Chambre") well, but believes UPPER() cheap and reads
the whole table, three times slower than through the index (ten times for a word in one
title in thirty); when every title matches, the index costs a few milliseconds more. Without
them it estimates from the pattern itself: the index for three characters or more, reading
the table for one or two (which no trigram index can serve).

SQLite searches these columns by reading the table, which is fast enough there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index name, column). The expression is the one `icontains` generates on PostgreSQL.
INDEXES = [
    ("convention_reference_trgm", "reference"),
    ("convention_title_trgm", "title"),
    ("convention_short_title_trgm", "short_title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES:
            schema_editor.execute(
                f'CREATE INDEX "{name}" ON "conventions_convention" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )
            schema_editor.execute(f'ALTER INDEX "{name}" ALTER COLUMN 1 SET STATISTICS 0')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _column in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("conventions", "0009_history_and_version")]

    operations = [
        # CREATE EXTENSION IF NOT EXISTS pg_trgm, on PostgreSQL only.
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
