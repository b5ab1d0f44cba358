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
    "Échéancier": 11,
    "Conventions, sans filtre": 8,
    "Conventions, filtrées": 8,
    "Conventions, recherche": 8,
    # 23, + 1 references, + 3 « Financement », + 1 the originals of an import (reprise)
    "Convention la plus longue": 28,
    "Partenaires": 6,  # 5, + 1: the user's groups, for the « Nouvel organisme » button
    "Admin, liste des conventions": 5,
    "Portail, liste": 9,
    "Portail, convention": 23,  # 20, + 3 for « Financement » (commitments, ...)
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
    """A run measures every page, the CSV export, the PDF and send_reminders; the report is
    one table with a target on each row, and says which targets were missed."""
    generate(conventions=30, seed=1, today=TODAY)
    small = benchmark.run(repeat=2)
    assert [r["status"] for r in small["results"]] == [200] * 11 + [0]
    export = next(r for r in small["results"] if r["page"].startswith("Export CSV"))
    assert export["page"] == "Export CSV (30 lignes)"
    assert all(r["median_ms"] > 0 for r in small["results"])
    # The report, from these measures with fixed timings (a test's timings are not the point).
    for result in small["results"]:
        result["median_ms"] = result["p95_ms"] = 1.0
    large = json.loads(json.dumps(small))
    large["conventions"] = 10_000
    table, misses = render_report([small, large])
    assert "| Échéancier | < 100 ms |" in table
    assert "| send_reminders | < 10 000 ms |" in table
    assert "| Export CSV | < 3 000 ms |" in table
    pdf_row = next(line for line in table.splitlines() if line.startswith("| PDF |"))
    assert pdf_row.endswith("| — |")  # not a page: no query count
    assert misses == [], misses
    assert "Toutes les cibles sont atteintes" in table

    # A page over its target, or whose queries grow with the data, is reported as a miss.
    large["results"][0]["p95_ms"] = 250.0
    large["results"][-1]["p95_ms"] = 9999.0  # send_reminders: within its 10 s
    large["results"][1]["queries"] += 1
    table, misses = render_report([small, large])
    assert misses == [
        "Échéancier (sqlite) : 250.0 ms, cible 100 ms".replace("sqlite", small["vendor"]),
        "Conventions, sans filtre ({}) : requêtes [8, 9] selon la taille".format(small["vendor"]),
    ]
    assert table.splitlines()[-1].startswith("Cibles manquées : Échéancier")

    # make bench fails on a missed target, after writing the table.
    files = [tmp_path / "small.json", tmp_path / "large.json"]
    for path, run in zip(files, [small, large], strict=True):
        path.write_text(json.dumps(run))
    markdown = tmp_path / "benchmark.md"
    with pytest.raises(CommandError, match="2 cible"):
        call_command("benchmark", "--report", *map(str, files), "--markdown", str(markdown))
    assert markdown.read_text() == table
