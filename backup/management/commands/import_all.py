from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import RestoreError, import_archive


class Command(BaseCommand):
    help = "Restaure une archive de export_all dans une base de données vide."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="archive produite par export_all")

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"Archive introuvable : {archive}")
        try:
            manifest = import_archive(archive)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"{total} enregistrements et {len(manifest['files'])} fichiers restaurés."
        )
