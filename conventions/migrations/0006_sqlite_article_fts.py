"""Full-text index of the articles on SQLite (FTS5), kept by triggers.

It serves `ConventionQuerySet.search` on SQLite: without it every search reads the text of
all articles (a quarter of a million in a national database, about a second). The FTS5
table holds no copy of the text (external content) and the triggers keep it right whatever
writes the articles: the ORM, bulk inserts, loaddata, the admin. PostgreSQL has its GIN
indexes instead (0005).
"""

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE conventions_article_fts USING fts5(
        heading, body, content='conventions_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER conventions_article_fts_insert AFTER INSERT ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(rowid, heading, body)
        VALUES (new.id, new.heading, new.body);
    END""",
    """CREATE TRIGGER conventions_article_fts_delete AFTER DELETE ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(conventions_article_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
    END""",
    """CREATE TRIGGER conventions_article_fts_update AFTER UPDATE ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(conventions_article_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
        INSERT INTO conventions_article_fts(rowid, heading, body)
        VALUES (new.id, new.heading, new.body);
    END""",
    "INSERT INTO conventions_article_fts(conventions_article_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS conventions_article_fts_insert",
    "DROP TRIGGER IF EXISTS conventions_article_fts_delete",
    "DROP TRIGGER IF EXISTS conventions_article_fts_update",
    "DROP TABLE IF EXISTS conventions_article_fts",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("conventions", "0005_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
