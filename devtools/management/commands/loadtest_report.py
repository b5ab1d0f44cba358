import os
import time
from pathlib import Path

from django.contrib.auth.hashers import get_hasher
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from conventions.models import Convention
from devtools.loadtest import report


class Command(BaseCommand):
    help = (
        "Met en forme les statistiques d'un passage de locust (--csv) : requêtes/s, p50, p95, "
        "p99 et erreurs par page, avec la machine, la date et la charge ; échoue si une "
        "requête a échoué ou si le 95e centile atteint une seconde (make loadtest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="préfixe des fichiers de locust --csv")
        parser.add_argument("--server-log", type=Path, help="journal du serveur (gunicorn)")
        parser.add_argument(
            "--server-log-from",
            type=int,
            default=0,
            help="où commencent, dans le journal, les requêtes du test (octets ; après "
            "l'échauffement)",
        )
        parser.add_argument("--load-before", default="", help="/proc/loadavg avant le test")
        parser.add_argument(
            "--cpu",
            type=Path,
            nargs=2,
            metavar=("AVANT", "APRÈS"),
            help="relevés de devtools.loadtest.cpu avant et après le test",
        )
        parser.add_argument("--users", type=int, required=True)
        parser.add_argument("--spawn-rate", type=int, required=True)
        parser.add_argument("--duration", required=True, help="durée, comme locust -t (2m)")
        parser.add_argument("--markdown", type=Path, help="écrire aussi le rapport ici")

    def handle(
        self, *args, csv, server_log, server_log_from, load_before, cpu, markdown, **options
    ):
        stats_path = Path(f"{csv}_stats.csv")
        if not stats_path.exists():
            raise CommandError(f"{stats_path} n'existe pas : locust n'a pas tourné.")
        stats = report.read_stats(stats_path)
        if not any(row["name"] == report.AGGREGATED for row in stats):
            raise CommandError(f"{stats_path} n'a pas de ligne « {report.AGGREGATED} ».")
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
            version = cursor.fetchone()[0]
        database = (
            " ".join(str(version).split()[:2])
            if connection.vendor == "postgresql"
            else connection.vendor
        )
        log = server_log.read_bytes() if server_log and server_log.exists() else b""
        now = timezone.localtime()
        context = {
            "date": f"{date_format(now, 'j F Y')} à {now:%H:%M}",
            "machine": report.machine(),
            "server": report.server_description(log.decode(errors="replace")),
            "database": database,
            "conventions": Convention.objects.count(),
            "users": options["users"],
            "spawn_rate": options["spawn_rate"],
            "duration": options["duration"],
            "load_before": " ".join(load_before.split()[:3]) or "—",
            "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            "cpu": report.cpu_used(*cpu) if cpu else None,
            "hash_ms": _hash_cpu_ms(),
        }
        text, misses = report.render(
            stats,
            report.read_failures(Path(f"{csv}_failures.csv")),
            context,
            report.server_times(log[server_log_from:].decode(errors="replace")),
            report.read_phases(Path(f"{csv}_phases.json")),
        )
        self.stdout.write(text)
        if markdown:
            markdown.write_text(text, encoding="utf-8")
        if misses:
            raise CommandError("Cibles manquées : " + " ; ".join(misses))


def _hash_cpu_ms() -> float:
    """The CPU time of one password hash with the settings' hasher (what a login costs)."""
    hasher = get_hasher()
    started = time.thread_time()
    hasher.encode("mesure", hasher.salt())
    return (time.thread_time() - started) * 1000
