from django.core.management.base import BaseCommand
from django.utils import timezone

from ...refresh import refresh_due_schedules
from ...reminders import send_due_reminders, send_weekly_digests


class Command(BaseCommand):
    help = (
        "Envoie aux référents les rappels d'échéances (à J-90, J-30, J-7 par défaut : "
        "REMINDER_OFFSETS_DAYS), une seule fois par échéance et par délai même si la commande "
        "est lancée plusieurs fois. À lancer chaque jour ; --digest chaque semaine."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Envoyer le récapitulatif hebdomadaire (une fois par semaine et par référent) "
            "au lieu des rappels.",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        # Statuses and deadlines first, so that nothing is mailed from yesterday's schedule.
        refresh_due_schedules(today=today)
        if options["digest"]:
            count = send_weekly_digests(today=today)
            self.stdout.write(f"{count} récapitulatif(s) hebdomadaire(s) envoyé(s).")
        else:
            count = send_due_reminders(today=today)
            self.stdout.write(f"{count} courriel(s) de rappel envoyé(s).")
