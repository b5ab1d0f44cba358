from django.apps import AppConfig


class EcheancierConfig(AppConfig):
    """The échéancier: deadline rules, each convention's stored schedule, reminders and the
    calendar feed. It reads conventions and actions; they never import it."""

    name = "echeancier"
    verbose_name = "Échéancier"

    def ready(self):
        from conventions.extensions import convention_changed

        convention_changed.connect(_refresh, dispatch_uid="echeancier.refresh")


def _refresh(sender, convention, **kwargs):
    """After every write of a convention (or of its yearly cycle): its stored status, dates
    and deadlines follow at once, and those of its dependents."""
    from django.utils import timezone

    from .refresh import refresh_schedule

    refresh_schedule(convention, today=timezone.localdate())
