"""GIN indexes for the French full-text search of the conventions list, on PostgreSQL only.

They serve `ConventionQuerySet.search` (the "Rechercher" box of /conventions/): each is built
on exactly the expression of `conventions.models.search_vectors()`, so that PostgreSQL
answers `to_tsvector(...) @@ websearch_to_tsquery(...)` from the index instead of computing
the vector of 250,000 articles. SQLite has no such index and searches by substring.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("conventions", "Party", "party_name_fts", ("name_as_written",)),
    ("partners", "Organisation", "organisation_name_fts", ("name", "short_name")),
    ("conventions", "Article", "article_text_fts", ("heading", "body")),
]


def _indexes(apps):
    for app_label, model_name, name, fields in INDEXES:
        model = apps.get_model(app_label, model_name)
        yield model, GinIndex(SearchVector(*fields, config="french"), name=name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0004_signed_documents"),
        ("partners", "0002_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
