"""The words of each convention's articles in one tsvector per convention, on PostgreSQL
only (`conventions.models.triggers.ARTICLE_WORDS_FUNCTIONS`): the search reads it on the
convention's row instead of the full-text index of every article. Written for every
convention here, then kept by triggers. The extension `unaccent` lets « economie » find
« économie », as the search document does.

Dropped: the full-text indexes of 0005 (articles, parties' and organisations' names) and the
trigram indexes of references and titles (0010): the search finds names, references and
titles in the search document (trigram index of 0021).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from conventions.models.triggers import (
    ARTICLE_WORDS_DROP,
    ARTICLE_WORDS_FUNCTIONS,
    ARTICLE_WORDS_TRIGGERS,
)

# The full-text indexes of 0005_search_indexes, which this migration replaces.
FTS_INDEXES = [
    ("conventions.Party", "party_name_fts", ("name_as_written",)),
    ("partners.Organisation", "organisation_name_fts", ("name", "short_name")),
    ("conventions.Article", "article_text_fts", ("heading", "body")),
]

# The trigram indexes of 0010_search_trigram_indexes, on the reference and titles.
TRIGRAM_INDEXES = [
    ("convention_reference_trgm", "reference"),
    ("convention_title_trgm", "title"),
    ("convention_short_title_trgm", "short_title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("ALTER TABLE conventions_convention ADD COLUMN article_words tsvector")
    for statement in [*ARTICLE_WORDS_FUNCTIONS, *ARTICLE_WORDS_TRIGGERS.values()]:
        execute(statement)
    execute(
        "UPDATE conventions_convention SET article_words = conventions_article_words(id) "
        "WHERE EXISTS (SELECT 1 FROM conventions_article WHERE convention_id = "
        "conventions_convention.id)"
    )
    execute(
        'CREATE INDEX "convention_article_words" ON conventions_convention '
        "USING gin (article_words)"
    )
    # The full-text indexes of 0005 and the trigram indexes of 0010: the search finds
    # names, references and titles in the search document now.
    for _model, name, _fields in FTS_INDEXES:
        execute(f'DROP INDEX IF EXISTS "{name}"')
    for name, _column in TRIGRAM_INDEXES:
        execute(f'DROP INDEX IF EXISTS "{name}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for statement in ARTICLE_WORDS_DROP:
        execute(statement)
    execute("DROP FUNCTION IF EXISTS conventions_article_words_refresh()")
    execute("DROP FUNCTION IF EXISTS conventions_article_words(bigint)")
    execute("ALTER TABLE conventions_convention DROP COLUMN article_words")
    for name, column in TRIGRAM_INDEXES:
        execute(
            f'CREATE INDEX "{name}" ON "conventions_convention" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    for model, name, fields in FTS_INDEXES:
        schema_editor.add_index(
            apps.get_model(model), GinIndex(SearchVector(*fields, config="french"), name=name)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0022_list_sort_indexes"),
        ("partners", "0007_organisation_list_order"),
    ]

    operations = [UnaccentExtension(), migrations.RunPython(create, drop)]
