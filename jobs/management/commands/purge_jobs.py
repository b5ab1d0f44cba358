from django.core.management.base import BaseCommand

from jobs.services import purge


class Command(BaseCommand):
    help = (
        "Supprime les PDF rendus il y a plus de RENDER_KEEP_DAYS jours et les exports CSV de "
        "plus de EXPORT_KEEP_HOURS heures, avec leurs fichiers."
    )

    def handle(self, *args, **options):
        deleted = purge()
        self.stdout.write(f"{deleted} travaux supprimés.")
