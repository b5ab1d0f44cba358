import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

TARGET_P95_MS = 100


class Command(BaseCommand):
    help = (
        "Mesure le temps serveur (médiane, 95e centile) et le nombre de requêtes SQL des pages "
        "principales sur la base courante (--output), ou assemble des mesures en un tableau "
        "(--report)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="fichier JSON des mesures à écrire")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--report", type=Path, nargs="+", help="fichiers JSON à assembler")
        parser.add_argument("--markdown", type=Path, help="écrire aussi le tableau dans ce fichier")

    def handle(self, *args, output, repeat, report, markdown, **options):
        if report:
            table = render_report([json.loads(p.read_text()) for p in report])
            self.stdout.write(table)
            if markdown:
                markdown.write_text(table, encoding="utf-8")
            return
        if not output:
            raise CommandError("--output ou --report est requis.")
        from conventions.benchmark import run

        measures = run(repeat=repeat)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(measures, indent=1, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"{len(measures['results'])} mesures écrites dans {output}.")


def render_report(runs):
    """One markdown table: a row per page, for each database its p50/p95 and queries, and the
    queries at the small scale next to those at the large one."""
    by_vendor = {}
    for run in runs:
        by_vendor.setdefault(run["vendor"], {})[run["conventions"]] = run
    vendors = sorted(by_vendor)
    pages = []
    for run in runs:
        for result in run["results"]:
            key = result["page"].split(" (")[0].split(" de ")[0]
            if key not in pages:
                pages.append(key)
    header = ["Page"]
    for vendor in vendors:
        scales = sorted(by_vendor[vendor])
        header += [
            f"{vendor} médiane (ms)",
            f"{vendor} p95 (ms)",
            f"{vendor} requêtes ({' / '.join(f'{s:,}'.replace(',', ' ') for s in scales)} conv.)",
        ]
    lines = [
        "# Benchmark",
        "",
        f"Machine : {runs[0]['machine']}. Temps serveur mesuré dans le processus (client de "
        f"test Django, sans réseau), {TARGET_P95_MS} ms visés au 95e centile pour chaque page.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for page in pages:
        row = [page]
        for vendor in vendors:
            scales = sorted(by_vendor[vendor])
            found = {
                s: next(
                    (
                        r
                        for r in by_vendor[vendor][s]["results"]
                        if r["page"].split(" (")[0].split(" de ")[0] == page
                    ),
                    None,
                )
                for s in scales
            }
            large = found[scales[-1]]
            if large is None:
                row += ["—", "—", "—"]
                continue
            row += [
                f"{large['median_ms']}",
                f"{large['p95_ms']}" + (f" ({large['note']})" if large["note"] else ""),
                " / ".join(str(found[s]["queries"]) if found[s] else "—" for s in scales),
            ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
