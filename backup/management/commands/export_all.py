from pathlib import Path

from django.core.management.base import BaseCommand

from ...archive import export_archive


class Command(BaseCommand):
    help = "Exporte tous les enregistrements et tous les fichiers stockés dans une archive zip."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="chemin de l'archive à écrire (.zip)")

    def handle(self, *args, archive, **options):
        manifest = export_archive(archive)
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"{total} enregistrements et {len(manifest['files'])} fichiers exportés dans {archive}."
        )
