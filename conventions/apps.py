from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from jobs.registry import register_export
        from partners.extensions import register_detail_section, register_list_column
        from partners.models import Organisation, Person

        from .extensions import convention_changed
        from .search import refresh_after_renaming
        from .views import lists, money
        from .views.partners import CONVENTION_COUNT, ORGANISATION_CONVENTIONS, ORGANISATION_MONEY

        post_migrate.connect(_install_triggers, sender=self)
        convention_changed.connect(_refresh_search, dispatch_uid="conventions.search")
        # The search documents print organisations' and correspondents' names.
        for model in (Organisation, Person):
            post_save.connect(
                refresh_after_renaming, sender=model, dispatch_uid=f"conventions.search.{model}"
            )
        # The partners' pages show each organisation's conventions, and its money.
        register_list_column(CONVENTION_COUNT)
        register_detail_section(ORGANISATION_CONVENTIONS)
        register_detail_section(ORGANISATION_MONEY)
        # The exports of more than a page, written by the worker.
        register_export("conventions", lists.CSV_EXPORT)
        register_export("financements", money.CSV_EXPORT)


def _install_triggers(using, **kwargs):
    """A later migration that rebuilds a table on SQLite drops its triggers: put them back
    after every migrate (they hold the signed text and the search index)."""
    from django.db import connections

    from .models import triggers

    triggers.install(connections[using])


def _refresh_search(sender, convention, **kwargs):
    """After every write of a convention or of its yearly cycle: its search document."""
    from .search import refresh_search_documents

    refresh_search_documents([convention.pk])
