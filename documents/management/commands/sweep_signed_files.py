"""Files of signed documents left without their row (a signature whose worker was killed
before the transaction ended): listed, and deleted with --delete."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...signed import orphan_files


class Command(BaseCommand):
    help = (
        "Liste les fichiers du dossier des documents signés qu'aucun document n'enregistre "
        "(une signature interrompue avant la fin de sa transaction) ; --delete les supprime."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Supprimer les fichiers trouvés (sans cette option, ils sont seulement listés).",
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Ignorer les fichiers plus récents (une signature peut être en cours) ; "
            "60 par défaut.",
        )

    def handle(self, *args, delete, min_age, **options):
        if min_age < 0:
            raise CommandError("--min-age est un nombre de minutes positif ou nul.")
        before = timezone.now() - datetime.timedelta(minutes=min_age)
        orphans = orphan_files(older_than=before)
        for name in orphans:
            self.stdout.write(name)
        if delete:
            deleted = orphan_files(older_than=before, delete=True)
            self.stdout.write(f"{len(deleted)} fichier(s) sans document supprimé(s).")
        else:
            self.stdout.write(
                f"{len(orphans)} fichier(s) sans document ; relancez avec --delete pour les "
                "supprimer."
            )
