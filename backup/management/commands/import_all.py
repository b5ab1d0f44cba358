from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import RestoreError, import_archive


class Command(BaseCommand):
    help = (
        "Restaure une archive de export_all dans une base de données vide : tout ou rien, "
        "après vérification de sa signature, de ses empreintes et de ses comptes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="archive produite par export_all")
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help=(
                "accepter une archive au format 1, non signée (produite avant la signature "
                "des archives) ; seules ses empreintes SHA-256 sont alors vérifiées"
            ),
        )

    def handle(self, *args, archive, allow_unsigned, **options):
        if not archive.is_file():
            raise CommandError(f"Archive introuvable : {archive}")
        try:
            manifest = import_archive(archive, allow_unsigned=allow_unsigned)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"{total} enregistrements et {len(manifest['files'])} fichiers restaurés."
        )
