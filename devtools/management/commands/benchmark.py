import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...benchmark import PAGE_TARGET_MS as TARGET_P95_MS


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
            table, misses = render_report([json.loads(p.read_text()) for p in report])
            self.stdout.write(table)
            if markdown:
                markdown.write_text(table, encoding="utf-8")
            if misses:
                raise CommandError(f"{len(misses)} cible(s) manquée(s).")
            return
        if not output:
            raise CommandError("--output ou --report est requis.")
        from devtools.benchmark import run

        measures = run(repeat=repeat)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(measures, indent=1, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"{len(measures['results'])} mesures écrites dans {output}.")


def _page_key(name):
    """The page's name without what varies with the scale ("(CONV-…, 40 articles)")."""
    return name.split(" (")[0].split(" de ")[0]


def render_report(runs):
    """One markdown table and the targets missed: a row per page with its target, for each
    database its median, 95th percentile and queries at the large scale, and the queries at
    the small scale next to those at the large one (they must be equal)."""
    by_vendor = {}
    for run in runs:
        by_vendor.setdefault(run["vendor"], {})[run["conventions"]] = {
            _page_key(r["page"]): r for r in run["results"]
        }
    vendors = sorted(by_vendor)
    pages = []
    for run in runs:
        for result in run["results"]:
            if _page_key(result["page"]) not in pages:
                pages.append(_page_key(result["page"]))
    header = ["Page", "Cible"]
    for vendor in vendors:
        scales = sorted(by_vendor[vendor])
        header += [
            f"{vendor} médiane (ms)",
            f"{vendor} p95 (ms)",
            f"{vendor} requêtes ({' / '.join(f'{s:,}'.replace(',', ' ') for s in scales)} conv.)",
        ]
    rows, misses = [], []
    for page in pages:
        target = None
        row = [page]
        for vendor in vendors:
            scales = sorted(by_vendor[vendor])
            found = {s: by_vendor[vendor][s].get(page) for s in scales}
            large = found[scales[-1]]
            if large is None:
                row += ["—", "—", "—"]
                continue
            target = large.get("target_ms", TARGET_P95_MS)
            p95 = large["p95_ms"]
            queries = [found[s]["queries"] if found[s] else None for s in scales]
            if p95 > target:
                misses.append(f"{page} ({vendor}) : {p95} ms, cible {target} ms")
            if len(set(queries)) > 1:
                misses.append(f"{page} ({vendor}) : requêtes {queries} selon la taille")
            if large["status"] not in (0, 200):
                misses.append(f"{page} ({vendor}) : statut HTTP {large['status']}")
            notes = [
                f"{found[s]['note']} à {s:,} conv.".replace(",", " ")
                for s in scales
                if found[s] and found[s]["note"]
            ]
            row += [
                f"{large['median_ms']}",
                f"{p95}" + (f" ({', '.join(notes)})" if notes else ""),
                " / ".join("—" if q is None else str(q) for q in queries)
                if any(q is not None for q in queries)
                else "—",
            ]
        row.insert(1, "—" if target is None else f"< {target:,} ms".replace(",", " "))
        rows.append("| " + " | ".join(row) + " |")
    lines = [
        "# Benchmark",
        "",
        f"Machine : {runs[0]['machine']}. Temps serveur mesuré dans le processus (client de "
        "test Django, sans réseau) ; la cible porte sur le 95e centile des pages, sur le temps "
        "total de l'export, du PDF et des rappels.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *rows,
        "",
        "Cibles manquées : " + "; ".join(misses) + "."
        if misses
        else "Toutes les cibles sont atteintes, avec le même nombre de requêtes aux deux tailles.",
    ]
    return "\n".join(lines) + "\n", misses
