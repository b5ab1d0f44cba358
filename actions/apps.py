from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plans d'action"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_tally_triggers, sender=self)

        from conventions.extensions import (
            register_history_kind,
            register_page_section,
            register_search_texts,
        )
        from jobs.registry import register_export

        from . import views
        from .history import KINDS
        from .search import cycle_texts
        from .sections import CONVENTION_CYCLE

        register_page_section(CONVENTION_CYCLE)
        register_search_texts(cycle_texts)
        register_export("actions", views.CSV_EXPORT)
        for kind in KINDS:
            register_history_kind(kind)


def _install_tally_triggers(using, **kwargs):
    from django.db import connections

    from . import tally

    tally.install(connections[using])
