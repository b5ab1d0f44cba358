"""Freeze the text of signed conventions below every path: see conventions/models/triggers.py."""

from django.db import migrations


def create(apps, schema_editor):
    from conventions.models import triggers

    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    from conventions.models import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("conventions", "0006_sqlite_article_fts")]

    operations = [migrations.RunPython(create, drop)]
