from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Work done off the request path (docs/tasks.md): PDF renders, one per content however
    many ask, and CSV exports, each for the user who asked. The apps above register what
    they render and export (`jobs.registry`)."""

    name = "jobs"
    verbose_name = "Travaux en arrière-plan"
