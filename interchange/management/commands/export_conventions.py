from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention

from ...writer import ExportError, export


class Command(BaseCommand):
    help = (
        "Écrit des conventions au format d'échange (docs/format.md) : un fichier YAML par "
        "famille (une convention et ses conventions d'application), relisible par "
        "load_conventions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "references",
            nargs="*",
            metavar="REFERENCE",
            help="Les conventions à écrire (avec leur famille) ; aucune : toutes.",
        )
        parser.add_argument(
            "--output", required=True, metavar="DOSSIER", help="Dossier où écrire les fichiers."
        )

    def handle(self, *args, references, output, **options):
        directory = Path(output)
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{output} existe et n'est pas un dossier.")
        if directory.is_dir() and any(
            p.suffix.lower() in (".yaml", ".yml") for p in directory.iterdir()
        ):
            raise CommandError(
                f"Le dossier {output} contient déjà des fichiers YAML : choisissez un dossier "
                "vide (un ancien fichier serait rechargé avec les nouveaux)."
            )
        if references:
            found = {c.reference: c for c in Convention.objects.filter(reference__in=references)}
            if unknown := [r for r in references if r not in found]:
                raise CommandError(f"Convention inconnue : {', '.join(unknown)}.")
            selected = [found[r] for r in references]
        else:
            selected = list(Convention.objects.order_by("reference"))
            if not selected:
                raise CommandError("Aucune convention à exporter.")
        try:
            written, warnings = export(selected, directory)
        except ExportError as error:
            raise CommandError(str(error)) from None
        for path, family in written:
            self.stdout.write(f"{path} : {', '.join(family)}")
        for warning in warnings:
            self.stderr.write(f"Attention : {warning}")
        self.stdout.write(
            f"{sum(len(f) for _, f in written)} convention(s) dans {len(written)} fichier(s)."
        )
