"""The benchmark's pages at a small scale: the query counts `make bench` reports are pinned here,
so that one more query on a main page, or one per row, fails `make test`."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from devtools import benchmark
from devtools.generator import generate
from devtools.management.commands.benchmark import render_report

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)

# The counts docs/benchmark.md shows at 100 and 10,000 conventions.
PINNED = {
    # One query fewer than before issue 20 on each staff page that checked both the staff
    # groups and the manager right: the user's groups are read once per request. One more
    # fewer since the partners' names of the page and of the overdue preview are read at once.
    "Échéancier": 10,
    "Conventions, sans filtre": 7,
    "Conventions, filtrées": 7,
    "Conventions, recherche": 7,
    # 27 before the page read which of its lists the convention has (one query) and no
    # longer read those it has not (here: annexes, correspondents, terminations, decisions,
    # references, renewals, money, signed documents, imports)
    "Convention la plus longue": 17,
    "Partenaires": 5,
    "Admin, liste des conventions": 4,  # one count, bounded (`AdminPaginator`), not two
    "Portail, liste": 9,
    "Portail, convention": 18,  # 23 before it read only the lists the convention has
    # session, user, groups, the tally (axes, years, totals, chart), the bounded count and
    # the page, audiences
    "Actions": 7,
    "Plan d'action": 10,
}


def _counts():
    # The benchmark searches "Chambre", found at its scales; "fictive" is in every title here.
    counts = benchmark.query_counts(benchmark.main_pages(search="fictive"))
    return {name.split(" (")[0]: queries for name, (queries, _) in counts.items()}, {
        name.split(" (")[0]: status for name, (_, status) in counts.items()
    }


def test_main_pages_answer_in_the_same_pinned_number_of_queries_at_two_scales():
    generate(conventions=30, seed=1, today=TODAY)
    few, statuses = _counts()
    assert set(statuses.values()) == {200}
    generate(conventions=90, seed=2, today=TODAY)
    many, statuses = _counts()
    assert set(statuses.values()) == {200}
    assert few == many == PINNED


def test_the_whole_run_and_its_report(tmp_path):
    """A run measures every page (time, thread CPU, queries), the CSV export, the PDF and
    send_reminders; the report is one table per engine with the targets, and names every
    target missed: p95, growth between scales, CPU against the admin changelist, the
    convention page's CPU, queries that differ between scales."""
    generate(conventions=30, seed=1, today=TODAY)
    small = benchmark.run(repeat=2)["runs"][0]
    pages = [r for r in small["results"] if r["queries"] is not None]
    assert [r["status"] for r in pages] == [200] * len(PINNED)
    assert all(r["cpu_ms"] > 0 and r["median_ms"] > 0 for r in pages)
    export = next(r for r in small["results"] if r["page"].startswith("Export CSV"))
    assert export["page"] == "Export CSV (30 lignes)"
    pdf = next(r for r in small["results"] if r["page"].startswith("PDF à froid"))
    assert pdf["status"] == 200
    # The report, from these measures with fixed timings (a test's timings are not the point).
    small["vendor"] = "postgresql"  # the engine whose targets include the CPU ones
    for result in small["results"]:
        result["median_ms"] = result["p95_ms"] = 10.0
        result["cpu_ms"] = 4.0 if result["queries"] is not None else None
    admin = next(r for r in small["results"] if r["page"].startswith("Admin"))
    admin["cpu_ms"] = 10.0
    large = json.loads(json.dumps(small))
    large["conventions"] = 100_000
    table, misses = render_report([small, large])
    assert "| Échéancier | 10.0 / 10.0 / 4.0, 10 | 10.0 / 10.0 / 4.0, 10 | ×1.00 | 0.40 |" in table
    assert misses == [], misses
    assert "Toutes les cibles sont atteintes" in table

    # Misses: a page over 50 ms, grown by more than 1.3x, over half the admin's CPU, a
    # convention page over 15 ms of CPU, one more query at the large scale.
    by_page = {r["page"].split(" (")[0]: r for r in large["results"]}
    by_page["Échéancier"]["p95_ms"] = 60.0
    by_page["Partenaires"]["median_ms"] = 14.0
    by_page["Conventions, sans filtre"]["cpu_ms"] = 6.0
    by_page["Convention la plus longue"]["cpu_ms"] = 16.0
    by_page["Actions"]["queries"] += 1
    table, misses = render_report([small, large])
    assert misses == [
        "Échéancier (postgresql) : p95 60.0 ms, cible 50 ms",
        "Conventions, sans filtre (postgresql) : CPU 0.60 × admin",
        "Convention la plus longue (postgresql) : CPU 16.0 ms",
        "Partenaires (postgresql) : croissance ×1.40",
        "Actions (postgresql) : requêtes [7, 8] selon la taille",
    ]
    assert table.splitlines()[-1].startswith("Cibles manquées : Échéancier")

    # make bench fails on a missed target, after writing the table.
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"runs": [small, large]}))
    markdown = tmp_path / "benchmark.md"
    with pytest.raises(CommandError, match="5 cible"):
        call_command("benchmark", "--report", str(path), "--markdown", str(markdown))
    assert markdown.read_text() == table
