from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools.loadtest.accounts import create_accounts, write_accounts


class Command(BaseCommand):
    help = (
        "Crée (ou réinitialise) les comptes du test de charge : des agents « Gestionnaire » et "
        "des comptes partenaires rattachés aux organismes qui ont le plus de conventions, avec "
        "un même mot de passe, écrit avec les conventions à visiter dans un fichier JSON "
        "(make loadtest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=40)
        parser.add_argument("--partners", type=int, default=10)
        parser.add_argument("--output", type=Path, required=True, help="fichier JSON à écrire")

    def handle(self, *args, staff, partners, output, **options):
        if staff < 1 or partners < 1:
            raise CommandError("--staff et --partners doivent valoir au moins 1.")
        try:
            accounts = create_accounts(staff=staff, partners=partners)
        except ValueError as error:
            raise CommandError(str(error)) from error
        write_accounts(accounts, output)
        self.stdout.write(
            f"{staff} comptes du personnel et {partners} comptes partenaires ; "
            f"identifiants dans {output}."
        )
