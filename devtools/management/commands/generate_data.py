import time

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention

from ...generator import CHUNK_SIZE, generate


class Command(BaseCommand):
    help = "Génère des conventions fictives, plausibles et reproductibles (tests de charge, démo)."

    def add_arguments(self, parser):
        parser.add_argument("--conventions", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"conventions écrites par transaction (défaut : {CHUNK_SIZE})",
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="ne rien faire si cette graine a déjà été générée (make demo relancé)",
        )

    def handle(self, *args, conventions, seed, chunk_size, skip_existing, **options):
        if conventions < 1:
            raise CommandError("--conventions doit être au moins 1.")
        if chunk_size < 1:
            raise CommandError("--chunk-size doit être au moins 1.")
        if (
            skip_existing
            and Convention.objects.filter(reference__startswith=f"FICT-{seed}-").exists()
        ):
            self.stdout.write(f"Données fictives de graine {seed} déjà présentes.")
            return
        started = time.perf_counter()
        try:
            counts = generate(conventions=conventions, seed=seed, chunk_size=chunk_size)
        except ValueError as error:
            raise CommandError(str(error)) from error
        extra = ", ".join(f"{v} {k}" for k, v in counts.extra.items())
        self.stdout.write(
            f"{counts.conventions} conventions fictives, {counts.articles} articles, "
            f"{counts.organisations} organisations, {extra} "
            f"en {time.perf_counter() - started:.1f} s."
        )
