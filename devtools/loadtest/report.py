"""The report of `make loadtest`: locust's statistics (its --csv files) as one Markdown table,
with the machine, the date and the load, and the targets of issue 20 checked: no error, and
the 95th percentile of every request together under one second."""

import csv
import json
import os
import platform
import re
from pathlib import Path

P95_TARGET_MS = 1000
AGGREGATED = "Aggregated"
# The locustfile's names of the sign-in requests: « Connexion du personnel » (the form's POST,
# its redirections followed) and « Connexion du personnel, formulaire » (its GET).
SIGN_IN = "Connexion"


def _is_sign_in(name: str) -> bool:
    """The POST of a login form: one password checked."""
    return name.startswith(SIGN_IN) and not name.endswith(", formulaire")


def read_stats(path: Path) -> list[dict]:
    """Rows of locust's `*_stats.csv`: name, requests, failures, requests/s, p50/p95/p99 (ms),
    the aggregated row last."""
    rows = []
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            rows.append(
                {
                    "name": row["Name"],
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": _ms(row["50%"]),
                    "p95": _ms(row["95%"]),
                    "p99": _ms(row["99%"]),
                    "max": _ms(row["Max Response Time"]),
                }
            )
    rows.sort(key=lambda r: r["name"] == AGGREGATED)
    return rows


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_failures(path: Path) -> list[dict]:
    """Rows of locust's `*_failures.csv`: the request, the error, how many times."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as file:
        return [
            {"name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(file)
        ]


def server_description(log: str) -> str:
    """What gunicorn said of itself at start: its worker class and how many it booted."""
    worker_class = re.search(r"Using worker: (\S+)", log)
    booted = len(re.findall(r"Booting worker with pid", log))
    threads = re.search(r"--threads[ =](\d+)|threads: (\d+)", log)
    parts = [f"gunicorn, {booted} processus"]
    if worker_class:
        parts.append(f"worker {worker_class.group(1)}")
    if threads:
        parts.append(f"{threads.group(1) or threads.group(2)} fils chacun")
    return ", ".join(parts)


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def server_times(log: str) -> list[dict]:
    """Time spent in Django per route and method, from the request log of the server
    (`config.logging.RequestLogMiddleware`, one JSON line per request): what locust measures
    less the wait for a free worker and the network. The health check is left out."""
    durations = {}
    for line in log.splitlines():
        if '"conventions.requests"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("route") == "sante/":
            continue
        key = (record.get("method", ""), "/" + str(record.get("route", "")))
        durations.setdefault(key, []).append(float(record.get("duration_ms", 0)))
    rows = []
    for (method, route), values in sorted(durations.items(), key=lambda i: (-len(i[1]), i[0])):
        values.sort()
        rows.append(
            {
                "method": method,
                "route": route,
                "requests": len(values),
                "p50": _percentile(values, 0.5),
                "p95": _percentile(values, 0.95),
            }
        )
    return rows


def cpu_used(before: Path, after: Path) -> dict | None:
    """CPU seconds of the server and of its database between two readings of
    `devtools.loadtest.cpu`."""
    if not before.exists() or not after.exists():
        return None
    first, last = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    return {key: max(0.0, last[key] - first[key]) for key in ("server", "database")}


def machine() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text(encoding="utf-8"))
        cpu = found.group(1).strip() if found else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text(encoding="utf-8"))
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} Gio de mémoire" if found else ""
    return (
        f"{platform.node()} — {platform.machine()}, {os.cpu_count()} cœurs"
        f"{f' ({cpu})' if cpu else ''}{memory}, Python {platform.python_version()}"
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _duration(value: str) -> str:
    """locust's -t (« 2m », « 90s », « 1h30m ») in French words."""
    units = {"h": "h", "m": "min", "s": "s"}
    parts = re.findall(r"(\d+)\s*([hms])", value)
    return " ".join(f"{n} {units[u]}" for n, u in parts) if parts else value


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def read_phases(path: Path) -> dict | None:
    """The locustfile's `*_phases.json`: the pages alone, and once every user signed in."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def render(
    stats: list[dict],
    failures: list[dict],
    context: dict,
    server: list[dict] = (),
    phases: dict | None = None,
) -> tuple[str, list[str]]:
    """(Markdown report, targets missed). `context`: date, machine, server, database,
    conventions, users, spawn_rate, duration, load_before, load_after; `server`: the rows of
    `server_times`; `phases`: the locustfile's summaries of the pages alone."""
    total = next(r for r in stats if r["name"] == AGGREGATED)
    pages = [r for r in stats if r["name"] != AGGREGATED]
    misses = []
    if total["failures"]:
        misses.append(f"{total['failures']} erreur(s) sur {total['requests']} requêtes")
    if total["p95"] is None or total["p95"] >= P95_TARGET_MS:
        misses.append(f"95e centile {_cell(total['p95'])} ms, cible < {P95_TARGET_MS} ms")

    lines = [
        "# Test de charge",
        "",
        "Généré par `make loadtest` (ne pas modifier à la main) : locust sans interface, "
        f"{context['users']} utilisateurs (4 du personnel pour 1 partenaire), "
        f"{context['spawn_rate']} nouveaux par seconde, pendant {_duration(context['duration'])}, "
        "chacun connecté par le vrai formulaire de connexion puis cliquant toutes les 1 à 4 "
        "secondes (`devtools/loadtest/locustfile.py`), contre `make serve` (DEBUG désactivé, "
        "chaque processus déjà passé par une première requête) "
        f"sur {context['database']} à {_number(context['conventions'])} conventions.",
        "",
        f"- Date : {context['date']}",
        f"- Machine : {context['machine']}",
        f"- Serveur : {context['server']}",
        f"- Charge de la machine (load average 1, 5, 15 min) : {context['load_before']} avant "
        f"le test, {context['load_after']} à la fin. La machine est partagée : locust tourne "
        "sur les mêmes cœurs que le serveur et la base.",
    ]
    cpu = context.get("cpu")
    if cpu:
        used = cpu["server"] + cpu["database"]
        line = (
            f"- CPU consommé pendant le test : {cpu['server']:.1f} s par le serveur "
            f"(gunicorn), {cpu['database']:.1f} s par PostgreSQL, pour {total['requests']} "
            "requêtes : une mesure que la charge des autres processus de la machine change "
            "bien moins que les temps de réponse."
        )
        sign_ins = sum(r["requests"] for r in pages if _is_sign_in(r["name"]))
        hash_ms = context.get("hash_ms")
        page_requests = total["requests"] - sum(
            r["requests"] for r in pages if r["name"].startswith(SIGN_IN)
        )
        if hash_ms and sign_ins and page_requests:
            hashing = sign_ins * hash_ms / 1000
            per_page = max(0.0, used - hashing) * 1000 / page_requests
            line += (
                f" Un hachage de mot de passe coûte {hash_ms:.0f} ms de CPU (mesuré ici, "
                f"hors charge du test) : les {sign_ins} connexions en prennent environ "
                f"{hashing:.0f} s ; le reste, environ {per_page:.0f} ms de CPU par page "
                "(serveur et base)."
            )
        lines.append(line)
    lines += [
        "",
        "| Page | Requêtes | Erreurs | Requêtes/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in [*pages, total]:
        name = "**Total**" if row is total else row["name"]
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
            f"{_cell(row['p50'])} | {_cell(row['p95'])} | {_cell(row['p99'])} | "
            f"{_cell(row['max'])} |"
        )
    phase_rows = [
        ("Pages seules, sans les connexions", (phases or {}).get("pages")),
        (
            f"Pages, une fois tous connectés (après {(phases or {}).get('settled_after_s')} s)",
            (phases or {}).get("settled"),
        ),
    ]
    for name, row in phase_rows:
        if row:
            lines.append(
                f"| {name} | {row['requests']} | {row['failures']} | — | {_cell(row['p50'])} | "
                f"{_cell(row['p95'])} | {_cell(row['p99'])} | {_cell(row['max'])} |"
            )
    lines += ["", f"Cibles : aucune erreur, 95e centile de l'ensemble < {P95_TARGET_MS} ms."]
    if misses:
        lines += ["", "Cibles manquées :", ""] + [f"- {miss}" for miss in misses]
    else:
        lines += ["", "Toutes les cibles sont atteintes."]
    if server:
        lines += [
            "",
            "Temps passé dans Django, d'après le journal des requêtes du serveur : le temps "
            "ci-dessus moins l'attente d'un processus libre (et le réseau local).",
            "",
            "| Route | Requêtes | p50 (ms) | p95 (ms) |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['method']} `{r['route']}` | {r['requests']} | {_cell(r['p50'])} | "
            f"{_cell(r['p95'])} |"
            for r in server
        ]
    if failures:
        lines += ["", "| Erreur | Page | Nombre |", "|---|---|---|"]
        lines += [f"| {f['error']} | {f['name']} | {f['occurrences']} |" for f in failures]
    return "\n".join(lines) + "\n", misses
