"""`import_documents`: a folder through the same pipeline, at once; `--dry-run --json`; a
spreadsheet listing the conventions; every bad input with its French message, the other
files going on (issue 18, points 4 and 5)."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conventions.models import Convention
from reprise.enums import ImportSource, ImportState
from reprise.models import DocumentImport
from reprise.tests import documents
from reprise.tests.test_pages import SHORT, blank_image, corrupted_pdf, encrypted_pdf, zip_bomb

FIXTURES = Path(__file__).parent / "fixtures"
SEED_004 = (FIXTURES / "seed_004.txt").read_text(encoding="utf-8")


def run(*args):
    """(exit code, stdout, stderr) of the command."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_documents", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = 1
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "stock"
    (folder / "2010").mkdir(parents=True)
    (folder / "2010" / "seed-004.docx").write_bytes(documents.to_docx(SEED_004))
    (folder / "courte.odt").write_bytes(documents.to_odt(SHORT))
    (folder / "notes.txt").write_text("ignoré")
    return folder


def test_dry_run_json_prints_one_item_per_file_in_the_format_keys(db, folder):
    code, out, err = run(str(folder), "--dry-run", "--json")
    assert code == 0
    items = json.loads(out)
    assert [Path(i["file"]).name for i in items] == ["seed-004.docx", "courte.odt"]
    seed = items[0]
    assert set(seed) == {"file", "convention", "evidence", "warnings"}
    convention = seed["convention"]
    assert convention["signed_on"] == "2010-05-17"
    assert convention["duration_months"] == 36 and convention["notice_months"] == 3
    assert convention["parties"][1]["signatory"] == {"name": "Michel Faure", "title": "président"}
    assert seed["evidence"]["duration_months"] == "conclue pour une durée de trois ans"
    assert "[2/2]" in err  # the progress counter (tqdm when installed)
    assert DocumentImport.objects.count() == 0 and Convention.objects.count() == 0


def test_without_dry_run_it_creates_imports_to_review_not_conventions(db, folder):
    code, out, _ = run(str(folder))
    assert code == 0
    records = DocumentImport.objects.order_by("original_name")
    assert [(r.original_name, r.state, r.source) for r in records] == [
        ("courte.odt", ImportState.TO_REVIEW, ImportSource.COMMAND),
        ("seed-004.docx", ImportState.TO_REVIEW, ImportSource.COMMAND),
    ]
    assert f"à vérifier (/reprise/{records[1].pk}/)" in out
    assert Convention.objects.count() == 0
    # Twice: each file is refused as a duplicate, with the first import.
    code, out, _ = run(str(folder))
    assert code == 1
    assert "Ce fichier a déjà été importé le" in out and f"(/reprise/{records[0].pk}/)" in out
    assert DocumentImport.objects.count() == 2


def test_bad_files_get_their_message_and_the_others_go_on(db, tmp_path, settings):
    settings.REPRISE_MAX_UPLOAD_BYTES = 1024 * 1024
    folder = tmp_path / "lot"
    folder.mkdir()
    files = {
        "a-vide.pdf": b"",
        "b-protege.pdf": encrypted_pdf(),
        "c-abime.pdf": corrupted_pdf(),
        "d-bombe.docx": zip_bomb(),
        "e-blanc.png": blank_image(),
        "f-enorme.pdf": b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024),
        "g-courrier.docx": documents.to_docx("Madame, Monsieur,\n\nMerci de votre courrier."),
        "h-bonne.docx": documents.to_docx(SHORT),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    code, out, _ = run(str(folder), "--dry-run", "--json")
    assert code == 1
    errors = {Path(i["file"]).name: i.get("error", "") for i in json.loads(out)}
    assert errors["a-vide.pdf"] == "Le fichier est vide."
    assert errors["b-protege.pdf"].startswith("Le PDF est protégé par un mot de passe")
    assert errors["c-abime.pdf"] == "Le PDF est endommagé et ne peut pas être lu."
    assert "démesurément volumineux" in errors["d-bombe.docx"]
    assert errors["e-blanc.png"].startswith("Aucun texte n'a pu être reconnu dans cette image")
    assert errors["f-enorme.pdf"].startswith("Le fichier dépasse la taille maximale acceptée")
    assert errors["g-courrier.docx"].startswith("Ce texte ne ressemble pas à une convention")
    assert errors["h-bonne.docx"] == ""

    code, out, err = run(str(folder))
    assert code == 1
    assert "h-bonne.docx : à vérifier" in out
    assert "a-vide.pdf : Le fichier est vide." in out
    assert "8 fichiers, 7 refusés." in err

    # --json without --dry-run: each file's import and state.
    code, out, _ = run(str(folder / "h-bonne.docx"), "--json")
    assert code == 1  # now a duplicate
    assert "déjà été importé" in json.loads(out)[0]["error"]
    # Refused at once: nothing stored; refused by reading: kept « en erreur », with why.
    states = dict(DocumentImport.objects.values_list("original_name", "state"))
    assert states == {
        "b-protege.pdf": ImportState.FAILED,
        "c-abime.pdf": ImportState.FAILED,
        "e-blanc.png": ImportState.FAILED,
        "g-courrier.docx": ImportState.FAILED,
        "h-bonne.docx": ImportState.TO_REVIEW,
    }
    assert Convention.objects.count() == 0


def test_a_missing_path_is_reported(db, tmp_path):
    code, out, _ = run(str(tmp_path / "absent"))
    assert code == 1
    assert "absent : fichier ou dossier introuvable" in out


# --- Spreadsheets ----------------------------------------------------------------------


def test_a_csv_lists_the_conventions_and_its_facts_win(db, tmp_path, manager_client):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cress.docx").write_bytes(documents.to_docx(SEED_004))
    (tmp_path / "docs" / "courte.docx").write_bytes(documents.to_docx(SHORT))
    (tmp_path / "liste.csv").write_text(
        "Référence;Titre;Partenaires;Date de signature;Durée (mois);Préavis;"
        "Reconduction tacite;Fichier\n"
        '"CRESS-2010";Convention cadre CRESS;"Académie d\'Aix-Marseille; CRESS PACA";18/05/2010;'
        "4 ans;6;non;docs/cress.docx\n"
        "MAUVAISE;Titre;;31/02/2010;;;;docs/courte.docx\n"
        "ABSENTE;Titre;;;;;;docs/absente.docx\n",
        encoding="utf-8",
    )
    code, out, _ = run(str(tmp_path), "--dry-run", "--json")
    assert code == 1
    items = json.loads(out)
    by_file = {i["file"]: i for i in items}
    bad = by_file[f"{tmp_path / 'liste.csv'} (ligne 3)"]
    assert bad["error"] == "date de signature illisible : « 31/02/2010 »"
    assert by_file[f"{tmp_path / 'liste.csv'} (ligne 4)"]["error"] == (
        "fichier introuvable : absente.docx"
    )
    listed = by_file[str(tmp_path / "docs" / "cress.docx")]
    assert listed["convention"]["reference"] == "CRESS-2010"
    assert listed["convention"]["signed_on"] == "2010-05-18"  # the sheet's, not the text's
    assert listed["convention"]["duration_months"] == 48
    assert listed["convention"]["notice_months"] == 6
    assert listed["convention"]["parties"][1]["name_as_written"] == "CRESS PACA"
    assert listed["convention"]["parties"][1]["signatory"]["name"] == "Michel Faure"
    # The document a row names is not imported a second time on its own; the other is.
    assert str(tmp_path / "docs" / "courte.docx") in by_file

    code, _, _ = run(str(tmp_path / "liste.csv"))
    record = DocumentImport.objects.get(original_name="cress.docx")
    assert record.source == ImportSource.SPREADSHEET and record.state == ImportState.TO_REVIEW
    assert record.listed_facts["signed_on"] == "2010-05-18"
    page = manager_client.get(f"/reprise/{record.pk}/")
    form = page.context["form"]
    assert form["reference"].value() == "CRESS-2010"
    assert str(form["signed_on"].value()) == "2010-05-18"
    assert 'data-testid="listed"' in page.text


def test_an_xlsx_is_read_with_its_dates(db, tmp_path):
    from openpyxl import Workbook

    (tmp_path / "courte.docx").write_bytes(documents.to_docx(SHORT))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["reference", "title", "partners", "signed_on", "ends_on", "file"])
    sheet.append(
        [
            "EX-2019",
            "Convention Exemple",
            "Académie;Association Exemple",
            datetime.datetime(2019, 6, 3),
            datetime.date(2022, 8, 31),
            "courte.docx",
        ]
    )
    workbook.save(tmp_path / "liste.xlsx")
    code, out, _ = run(str(tmp_path / "liste.xlsx"), "--dry-run", "--json")
    assert code == 0
    [item] = json.loads(out)
    convention = item["convention"]
    assert convention["ends_on"] == "2022-08-31"
    assert "duration_months" not in convention  # the sheet's end replaces the text's duration
    assert item["listed"] == ["ends_on", "parties", "reference", "signed_on", "title"]


def test_a_sheet_without_a_file_column_is_refused(db, tmp_path):
    (tmp_path / "liste.csv").write_text("Référence;Titre\nA;B\n", encoding="utf-8")
    code, out, _ = run(str(tmp_path / "liste.csv"), "--dry-run", "--json")
    assert code == 1
    assert "n'a pas de colonne « Fichier »" in json.loads(out)[0]["error"]
