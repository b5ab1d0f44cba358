from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(using, **kwargs):
    """A later migration that rebuilds a table on SQLite drops its triggers: put them back
    after every migrate (they hold the signed text and the search index)."""
    from django.db import connections

    from conventions import triggers

    triggers.install(connections[using])
