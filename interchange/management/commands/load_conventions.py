from django.core.management.base import BaseCommand, CommandError

from ...loader import load_paths


class Command(BaseCommand):
    help = (
        "Charge des conventions au format d'échange (fichiers YAML décrits dans docs/format.md) : "
        "chaque fichier dans sa propre transaction, entièrement ou pas du tout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="FICHIER_OU_DOSSIER",
            help="Fichiers .yaml ou .yml, ou dossiers (parcourus récursivement, dans l'ordre).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie tout et dit ce qui serait créé, sans rien écrire.",
        )

    def handle(self, *args, paths, dry_run, **options):
        reports = load_paths(paths, dry_run=dry_run)
        if not reports:
            raise CommandError("Aucun fichier .yaml ou .yml trouvé.")
        for report in reports:
            if not report.ok:
                count = len(report.problems)
                self.stderr.write(
                    f"{report.label} : refusé, rien n'est créé "
                    f"({count} problème{'s' if count > 1 else ''}) :"
                )
                for problem in report.problems:
                    self.stderr.write(f"  - {problem}")
                continue
            done = "vérifié, rien n'est écrit (--dry-run)" if dry_run else "chargé"
            self.stdout.write(f"{report.label} : {done}.")
            verb = "à créer" if dry_run else "créée"
            for loaded in report.conventions:
                self.stdout.write(f"  Convention {verb} : {loaded.summary()}")
            for noun, names in (
                ("Organisations", report.organisations),
                ("Personnes", report.people),
                ("Mandats", report.mandates),
            ):
                if names:
                    created = "à créer" if dry_run else f"créé{'s' if noun == 'Mandats' else 'es'}"
                    self.stdout.write(f"  {noun} {created} : {' ; '.join(names)}")
        failed = sum(not report.ok for report in reports)
        if failed:
            raise CommandError(
                f"{failed} fichier{'s' if failed > 1 else ''} refusé{'s' if failed > 1 else ''} "
                f"sur {len(reports)} : corrigez-{'les' if failed > 1 else 'le'} et relancez "
                "(les autres sont chargés)." if not dry_run else
                f"{failed} fichier{'s' if failed > 1 else ''} sur {len(reports)} en erreur."
            )  # fmt: skip
