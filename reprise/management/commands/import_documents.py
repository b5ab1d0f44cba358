"""`import_documents FILES_OR_DIR... [--dry-run] [--json]`: the reprise of a folder.

Each document (.docx, .odt, .pdf, .jpg, .png) named, or found under a folder named, is read
and its convention proposed, as the upload page does but at once (no worker). A spreadsheet
(.csv, .xlsx) lists conventions, one row each with its file; the row's facts win over those
read. Without `--dry-run`, each document becomes an import to review on /reprise/ (no
convention is created before a person has checked it); with it, nothing is written and
`--json` prints one item per file (without `--dry-run`: the import and its state):
`{"file", "convention", "evidence": {field: excerpt}, "warnings"}` (and `"error"`).

A file that cannot be read gets its French message; the others go on; the exit code is 1
when any file was refused.
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reprise.enums import ImportSource, ImportState
from reprise.review import merged
from reprise.services import ImportRefused, import_add, import_process, propose
from reprise.spreadsheet import SUFFIXES as SHEETS
from reprise.spreadsheet import SpreadsheetError, read_rows

DOCUMENTS = (".docx", ".odt", ".pdf", ".jpg", ".jpeg", ".png")


class Command(BaseCommand):
    help = (
        "Importe des conventions existantes depuis leurs documents (Word, OpenDocument, PDF, "
        "scans, images) et les tableaux qui les listent (.csv, .xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILES_OR_DIR")
        parser.add_argument(
            "--dry-run", action="store_true", help="Lire et proposer sans rien enregistrer."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Avec --dry-run : une liste JSON, un élément par fichier.",
        )

    def handle(self, *args, paths, dry_run, **options):
        as_json = options["json"]
        items, refused = self.collect(paths)
        results = []
        for item in progress(items, self.stderr):
            results.append(self.one(item, dry_run))
        results = refused + results
        if as_json:
            self.stdout.write(dumps(results))
        else:
            for result in results:
                self.stdout.write(summary(result))
        failed = sum(1 for r in results if r.get("error"))
        counted = (
            f"{len(results)} fichier{'s' if len(results) > 1 else ''}, "
            f"{failed} refusé{'s' if failed > 1 else ''}."
        )
        if failed:
            # The exit code says it; the others were read (and, without --dry-run, filed).
            raise CommandError(counted)
        if not as_json:
            self.stderr.write(counted)

    def collect(self, paths):
        """(file, listed facts, problems) for every document, in path order; and the
        results of what cannot be taken at all (a missing path, an unreadable sheet)."""
        items, refused, listed_files = [], [], set()
        documents, sheets = [], []
        for argument in paths:
            path = Path(argument)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file())
                documents += [p for p in found if p.suffix.lower() in DOCUMENTS]
                sheets += [p for p in found if p.suffix.lower() in SHEETS]
            elif path.is_file():
                (sheets if path.suffix.lower() in SHEETS else documents).append(path)
            else:
                refused.append({"file": argument, "error": "fichier ou dossier introuvable"})
        for sheet in sheets:
            try:
                rows = read_rows(sheet)
            except (SpreadsheetError, OSError, UnicodeDecodeError, csv.Error) as error:
                refused.append({"file": str(sheet), "error": str(error)})
                continue
            for row in rows:
                label = f"{sheet} (ligne {row.number})"
                if row.problems:
                    refused.append({"file": label, "error": " ; ".join(row.problems)})
                elif not row.file.is_file():
                    refused.append(
                        {"file": label, "error": f"fichier introuvable : {row.file.name}"}
                    )
                else:
                    items.append((row.file, row.facts))
                    listed_files.add(row.file.resolve())
        # A document a sheet lists is imported with its row, not again on its own.
        items += [(p, {}) for p in documents if p.resolve() not in listed_files]
        return items, refused

    def one(self, item, dry_run) -> dict:
        path, listed = item
        try:
            data = path.read_bytes()
        except OSError as error:
            return {"file": str(path), "error": f"fichier illisible ({error.strerror})"}
        if dry_run:
            proposal = propose(path.name, data)
            result = {"file": str(path)}
            if proposal.extraction is not None:
                extraction = proposal.extraction
                result["convention"] = merged(extraction["convention"], listed)
                result["evidence"] = {k: v["excerpt"] for k, v in extraction["evidence"].items()}
                result["warnings"] = extraction["warnings"]
            if listed:
                result["listed"] = sorted(listed)
            if proposal.error:
                result["error"] = proposal.error
            return result
        try:
            record = import_add(
                name=path.name,
                data=data,
                source=ImportSource.SPREADSHEET if listed else ImportSource.COMMAND,
                listed_facts=listed,
                enqueue=False,
            )
        except ImportRefused as error:
            where = f" (/reprise/{error.existing.pk}/)" if error.existing else ""
            return {"file": str(path), "error": error.message + where}
        record = import_process(record.pk) or record
        result = {"file": str(path), "import": record.pk, "state": record.state}
        if record.state == ImportState.FAILED:
            result["error"] = record.error
        return result


def progress(items, stream):
    """A progress bar on the command's stderr: tqdm when installed, else a counter."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _counter(items, stream)
    return tqdm(items, desc="Lecture", unit="fichier", file=stream._out)


def _counter(items, stream):
    total = len(items)
    for index, item in enumerate(items, start=1):
        stream.write(f"\r[{index}/{total}] {item[0].name[:60]:<60}", ending="")
        stream.flush()
        yield item
    if total:
        stream.write("")


def dumps(results) -> str:
    return json.dumps(results, ensure_ascii=False, indent=2)


def summary(result: dict) -> str:
    if result.get("error"):
        return f"{result['file']} : {result['error']}"
    if "import" in result:
        state = dict(ImportState.choices)[result["state"]].lower()
        return f"{result['file']} : {state} (/reprise/{result['import']}/)"
    convention = result.get("convention") or {}
    warnings = result.get("warnings") or []
    return (
        f"{result['file']} : « {convention.get('title', 'sans titre')} », "
        f"{len(convention.get('parties') or [])} parties, "
        f"{len(convention.get('articles') or [])} articles"
        + (f" ; {len(warnings)} point(s) à vérifier" if warnings else "")
    )
