"""`bench_reprise [--documents 100] [--scan-pages 10] [--output FILE]`: the speed measures of
issue 18 (`devtools/reprise_bench.py`), printed as a table; a step of `make bench`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools import reprise_bench


class Command(BaseCommand):
    help = "Mesure la vitesse de la reprise : lecture de documents texte et OCR d'un scan."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100)
        parser.add_argument("--scan-pages", type=int, default=10)
        parser.add_argument("--output", type=Path)

    def handle(self, *args, documents, scan_pages, output, **options):
        results = [reprise_bench.dry_run(documents), reprise_bench.scan(scan_pages)]
        for result in results:
            target = result["target_s"]
            verdict = (
                "" if target is None else (" OK" if result["seconds"] <= target else " TROP LENT")
            )
            limit = f" (cible {target} s)" if target else ""
            self.stdout.write(f"{result['step']} : {result['seconds']} s{limit}{verdict}")
        if output:
            output.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        slow = [r["step"] for r in results if r["target_s"] and r["seconds"] > r["target_s"]]
        if slow:
            raise CommandError("Cible manquée : " + " ; ".join(slow))
