"""Load files of the interchange format (`load_conventions`, and `loaddemo` for the seeds).

One transaction per file: a file loads entirely, or creates nothing and its report lists
every problem found (`reader` for the keys and types, `builder` for what needs the
database). A dry run does the whole load, rules and schedule included, and rolls it back:
what it reports is what a real load would do. Nothing but the database is written.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from conventions.models import Convention

from .builder import Builder
from .reader import Node, Problem, describe, read_file, read_text

SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """A convention a file creates, and what it holds (for the report)."""

    convention: Convention
    counts: dict[str, int]

    def summary(self) -> str:
        counted = ", ".join(_count(n, noun) for noun, n in self.counts.items() if n)
        return f"{self.convention.reference} « {self.convention.title} »" + (
            f" : {counted}" if counted else ""
        )


@dataclass
class FileReport:
    """What loading one file did, or would do (`dry_run`), or why it did nothing."""

    label: str
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)
    conventions: list[Loaded] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    mandates: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Each problem as (key path, message), in the order of `problems`: for a caller that
    # shows them beside its own fields (the review of an imported document).
    located: list[tuple[tuple, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> list[Convention]:
        return [loaded.convention for loaded in self.conventions]


def find_files(arguments: list[str]) -> tuple[list[tuple[Path, str]], list[FileReport]]:
    """The files to load, as (path, label): each file named, and every `.yaml`/`.yml` file
    under each directory named (recursively, sorted by path); and a failed report for each
    argument that names neither."""
    files, missing = [], []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
            )
            files += [(p, str(p)) for p in found]
        elif path.is_file():
            files.append((path, argument))
        else:
            missing.append(
                FileReport(argument, problems=[f"{argument} : fichier ou dossier introuvable"])
            )
    return files, missing


def load_paths(arguments: list[str], *, dry_run: bool = False) -> list[FileReport]:
    """Load every file the arguments name, each in its own transaction. A dry run loads
    them all the same way, each file seeing what the files before it created, inside one
    transaction rolled back at the end."""
    files, reports = find_files(arguments)
    if not dry_run:
        return reports + [load_file(path, label=label) for path, label in files]
    with transaction.atomic():
        loaded = [load_file(path, label=label) for path, label in files]
        transaction.set_rollback(True)
    for report in loaded:
        report.dry_run = True
    return reports + loaded


def load_file(
    path: Path,
    *,
    label: str | None = None,
    dry_run: bool = False,
    skip_existing: bool = False,
    today: datetime.date | None = None,
) -> FileReport:
    """Load one file in one transaction (rolled back, whatever happens, with `dry_run`).
    `skip_existing` (the demo seeds only) leaves a convention whose reference exists as it
    is instead of refusing the file."""
    label = label or path.name
    document, problems = read_file(path)
    return _load(document, problems, label, dry_run, skip_existing, today)


def load_text(text: str, *, label: str, today: datetime.date | None = None) -> FileReport:
    """Load a document of the format given as text rather than a file (the import of an
    existing convention, once reviewed: `reprise.services`), in one transaction, with
    exactly the checks of `load_file`. Inside the caller's transaction it is a savepoint,
    rolled back when a problem is found."""
    document, problems = read_text(text)
    return _load(document, problems, label, False, False, today)


def _load(document, problems, label, dry_run, skip_existing, today) -> FileReport:
    report = FileReport(label, dry_run=dry_run)
    if document is None:
        report.problems = [describe(p, label, None) for p in problems]
        report.located = [(p.path, p.message) for p in problems]
        return report
    builder = Builder(document, today=today or timezone.localdate(), skip_existing=skip_existing)
    try:
        with transaction.atomic():
            builder.build()
            if not problems and not builder.problems:
                builder.finish()
            problems = problems + builder.problems
            if problems or dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        # The rules above run before every write: this is a bug, said as such.
        problems = problems + [Problem((), f"la base de données a refusé une écriture ({error})")]
    problems = _in_file_order(problems)
    report.problems = [describe(p, label, document) for p in problems]
    report.located = [(p.path, p.message) for p in problems]
    if report.ok:
        report.conventions = [Loaded(c, _counts(node)) for c, node in builder.loaded]
        report.organisations = builder.created_organisations
        report.people = builder.created_people
        report.mandates = builder.created_mandates
        report.skipped = builder.skipped
    return report


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)


def _counts(node: Node) -> dict[str, int]:
    def articles(nodes):
        return sum(1 + articles(n["children"]) for n in nodes)

    plans = node["action_plans"]
    return {
        "partie": len(node["parties"]),
        "article": articles(node["articles"]),
        "annexe": len(node["annexes"]),
        "plan d'action": len(plans),
        "action": sum(len(plan["actions"]) for plan in plans),
        "correspondant": len(node["contacts"]),
        "avenant": len(node["amendments"]),
        "engagement": len(node["obligations"]),
        "comité de pilotage": len(node["steering_meetings"]),
        "résiliation": len(node["terminations"]),
        "décision de reconduction": len(node["renewal_decisions"]),
    }


_PLURALS = {
    "plan d'action": "plans d'action",
    "comité de pilotage": "comités de pilotage",
    "décision de reconduction": "décisions de reconduction",
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"
