from django.core.management.base import BaseCommand
from django.utils import timezone

from ...refresh import refresh_all_schedules, refresh_due_schedules


class Command(BaseCommand):
    help = (
        "Recalcule les statuts et échéances des conventions que le passage du temps a pu "
        "changer (à lancer chaque jour, avant send_reminders)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recalculer toutes les conventions.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["all"]:
            count = refresh_all_schedules(today=today)
        else:
            count = refresh_due_schedules(today=today)
        self.stdout.write(f"{count} convention(s) recalculée(s) au {today:%d/%m/%Y}.")
