import time

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention

from ...generator import generate, refresh_statistics


class Command(BaseCommand):
    help = "Génère des conventions fictives, plausibles et reproductibles (tests de charge, démo)."

    def add_arguments(self, parser):
        parser.add_argument("--conventions", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="ne rien faire si cette graine a déjà été générée (make demo relancé)",
        )

    def handle(self, *args, conventions, seed, skip_existing, **options):
        if conventions < 1:
            raise CommandError("--conventions doit être au moins 1.")
        if (
            skip_existing
            and Convention.objects.filter(reference__startswith=f"FICT-{seed}-").exists()
        ):
            self.stdout.write(f"Données fictives de graine {seed} déjà présentes.")
            return
        started = time.perf_counter()
        try:
            counts = generate(conventions=conventions, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        refresh_statistics()  # again, now outside the transaction: vacuumed too
        extra = ", ".join(f"{v} {k}" for k, v in counts.extra.items())
        self.stdout.write(
            f"{counts.conventions} conventions fictives, {counts.articles} articles, "
            f"{counts.organisations} organisations, {extra} "
            f"en {time.perf_counter() - started:.1f} s."
        )
