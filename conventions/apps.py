from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions"

    def ready(self):
        from django.db.models.signals import post_migrate

        from partners.extensions import register_detail_section, register_list_column

        from .views.partners import CONVENTION_COUNT, ORGANISATION_CONVENTIONS, ORGANISATION_MONEY

        post_migrate.connect(_install_triggers, sender=self)
        # The partners' pages show each organisation's conventions, and its money.
        register_list_column(CONVENTION_COUNT)
        register_detail_section(ORGANISATION_CONVENTIONS)
        register_detail_section(ORGANISATION_MONEY)


def _install_triggers(using, **kwargs):
    """A later migration that rebuilds a table on SQLite drops its triggers: put them back
    after every migrate (they hold the signed text and the search index)."""
    from django.db import connections

    from .models import triggers

    triggers.install(connections[using])
