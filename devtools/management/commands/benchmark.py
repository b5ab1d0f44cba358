import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools import benchmark as bench


class Command(BaseCommand):
    help = (
        "Mesure le temps serveur (médiane, 95e centile), le temps CPU du fil et le nombre de "
        "requêtes SQL des pages principales, sur une ou plusieurs bases du même moteur mesurées "
        "en alternance dans un même passage (--database, --output), ou assemble des mesures en "
        "un tableau (--report)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="fichier JSON des mesures à écrire")
        parser.add_argument(
            "--database",
            action="append",
            help="URL d'une base à mesurer (plusieurs : une par taille, même moteur) ; "
            "par défaut la base courante",
        )
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--report", type=Path, nargs="+", help="fichiers JSON à assembler")
        parser.add_argument("--markdown", type=Path, help="écrire aussi le tableau dans ce fichier")

    def handle(self, *args, output, database, repeat, report, markdown, **options):
        if report:
            runs = [run for p in report for run in json.loads(p.read_text())["runs"]]
            table, misses = render_report(runs)
            self.stdout.write(table)
            if markdown:
                markdown.write_text(table, encoding="utf-8")
            if misses:
                raise CommandError(f"{len(misses)} cible(s) manquée(s).")
            return
        if not output:
            raise CommandError("--output ou --report est requis.")
        measures = bench.run(databases=database, repeat=repeat)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(measures, indent=1, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"Mesures écrites dans {output}.")


def _number(value):
    return f"{value:,}".replace(",", " ")


def _ms(value):
    return "—" if value is None else f"{value:.1f}"


def render_report(runs):
    """Markdown tables, one per engine, and the targets missed.

    A row per page: at each scale the median, 95th percentile, thread CPU and queries; the
    growth of the median from the smallest to the largest scale; the page's CPU over the
    admin changelist's at the largest scale. Misses: a page's p95 over its engine's target
    at the largest scale, a growth over 1.3x, a list page over half the admin's CPU, the
    convention page over 15 ms of CPU, queries that differ between scales, a CSV, PDF or
    send_reminders over its time, an HTTP error."""
    by_vendor, by_vendor_machine = {}, {}
    for run in runs:
        by_vendor_machine[run["vendor"]] = run["machine"]
        by_vendor.setdefault(run["vendor"], {})[run["conventions"]] = {
            bench.page_key(r["page"]): r for r in run["results"]
        }
    misses, sections = [], []
    for vendor in sorted(by_vendor):
        scales = sorted(by_vendor[vendor])
        small, large = by_vendor[vendor][scales[0]], by_vendor[vendor][scales[-1]]
        page_target = bench.PAGE_TARGET_MS.get(vendor, 100)
        admin = large.get(bench.ADMIN_PAGE)
        header = ["Page"]
        for scale in scales:
            header += [f"{_number(scale)} : médiane / p95 / CPU (ms), requêtes"]
        header += ["Croissance", "CPU / admin", "Cible"]
        rows = []
        for page, measure in large.items():
            if measure["queries"] is None:
                continue
            row = [page]
            for scale in scales:
                m = by_vendor[vendor][scale].get(page)
                row.append(
                    "—"
                    if m is None
                    else f"{_ms(m['median_ms'])} / {_ms(m['p95_ms'])} / {_ms(m['cpu_ms'])}, "
                    f"{m['queries']}"
                )
            growth = None
            if len(scales) > 1 and page in small:
                growth = measure["median_ms"] / small[page]["median_ms"]
            ratio = None
            if admin and page in bench.LIST_PAGES:
                ratio = measure["cpu_ms"] / admin["cpu_ms"]
            row.append("—" if growth is None else f"×{growth:.2f}")
            row.append("—" if ratio is None else f"{ratio:.2f}")
            targets = [f"p95 < {page_target} ms"]
            if measure["p95_ms"] > page_target:
                misses.append(
                    f"{page} ({vendor}) : p95 {measure['p95_ms']} ms, cible {page_target} ms"
                )
            if growth is not None:
                targets.append(f"croissance ≤ ×{bench.GROWTH_TARGET}")
                if growth > bench.GROWTH_TARGET:
                    misses.append(f"{page} ({vendor}) : croissance ×{growth:.2f}")
            if ratio is not None and vendor in bench.CPU_TARGET_VENDORS:
                targets.append(f"CPU ≤ {bench.ADMIN_CPU_RATIO_TARGET} × admin")
                if ratio > bench.ADMIN_CPU_RATIO_TARGET:
                    misses.append(f"{page} ({vendor}) : CPU {ratio:.2f} × admin")
            if page == bench.CONVENTION_PAGE and vendor in bench.CPU_TARGET_VENDORS:
                targets.append(f"CPU < {bench.CONVENTION_CPU_TARGET_MS} ms")
                if measure["cpu_ms"] >= bench.CONVENTION_CPU_TARGET_MS:
                    misses.append(f"{page} ({vendor}) : CPU {measure['cpu_ms']} ms")
            queries = [
                by_vendor[vendor][s][page]["queries"]
                for s in scales
                if page in by_vendor[vendor][s]
            ]
            if len(set(queries)) > 1:
                misses.append(f"{page} ({vendor}) : requêtes {queries} selon la taille")
            if measure["status"] != 200:
                misses.append(f"{page} ({vendor}) : statut HTTP {measure['status']}")
            row.append(", ".join(targets))
            rows.append(row)
        others = []
        for page, measure in large.items():
            if measure["queries"] is not None:
                continue
            cells = [page]
            for scale in scales:
                m = by_vendor[vendor][scale].get(page)
                cells.append(
                    "—"
                    if m is None
                    else f"{_ms(m['median_ms'])} / {_ms(m['p95_ms'])}"
                    + (f" ({m['note']})" if m["note"] else "")
                )
            cells.append(f"< {_number(measure['target_ms'])} ms")
            if measure["p95_ms"] > measure["target_ms"]:
                misses.append(
                    f"{page} ({vendor}) : {measure['p95_ms']} ms, cible {measure['target_ms']} ms"
                )
            if (measure.get("renders") or 0) > 1:
                misses.append(f"{page} ({vendor}) : {measure['renders']} rendus au lieu d'un")
            if measure["status"] not in (0, 200, 202):
                misses.append(f"{page} ({vendor}) : statut HTTP {measure['status']}")
            others.append(cells)
        sections += [
            f"## {vendor}",
            "",
            f"Machine et charge au passage : {by_vendor_machine[vendor]}.",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(r) + " |" for r in rows),
            "",
            "| Traitement | "
            + " | ".join(f"{_number(s)} : médiane / max (ms)" for s in scales)
            + " | Cible |",
            "|" + "---|" * (len(scales) + 2),
            *("| " + " | ".join(c) + " |" for c in others),
            "",
        ]
    lines = [
        "# Benchmark",
        "",
        "Généré par `make bench`. Temps serveur mesuré dans le processus (client de test "
        "Django, sans réseau) ; CPU : temps CPU du fil de la requête (sur PostgreSQL, hors "
        "SQL, qui s'exécute dans le serveur). Les tailles d'un même moteur sont mesurées en "
        "alternance dans un même passage.",
        "",
        *sections,
        "Cibles manquées : " + "; ".join(misses) + "."
        if misses
        else "Toutes les cibles sont atteintes, avec le même nombre de requêtes à chaque taille.",
    ]
    return "\n".join(lines) + "\n", misses
