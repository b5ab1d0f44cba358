"""Rewrite the search document of every convention (after an upgrade that adds texts to it,
or a bulk load that sent no `convention_changed`), by batches."""

from django.core.management.base import BaseCommand

from conventions.models import Convention
from conventions.search import refresh_search_documents


class Command(BaseCommand):
    help = "Recalcule le texte de recherche de chaque convention."

    def handle(self, *args, **options):
        count = refresh_search_documents(Convention.objects.values_list("pk", flat=True))
        self.stdout.write(f"{count} conventions : texte de recherche recalculé.")
