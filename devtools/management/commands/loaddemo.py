from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo import load_demo


class Command(BaseCommand):
    help = "Charge les cinq conventions réelles de démonstration et les comptes de démonstration."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "loaddemo crée des comptes au mot de passe connu : "
                "refusé quand DEBUG est désactivé."
            )
        created = load_demo()
        for convention in created:
            self.stdout.write(f"Convention chargée : {convention.reference}")
        if not created:
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
