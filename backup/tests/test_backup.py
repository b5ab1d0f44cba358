"""export_all / import_all: everything comes back, file hashes included; an archive altered
without the signing key is refused; a restore that fails leaves nothing behind."""

import datetime
import errno
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command

from actions.models import ObligationFulfilment
from backup.archive import export_archive, manifest_signature
from conventions.models import Article, Convention
from tests.factories import (
    AmendmentFactory,
    ConventionFactory,
    ObligationFulfilmentFactory,
    TerminationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _archive_data(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("data.json")), json.loads(archive.read("manifest.json"))


def test_round_trip_of_the_seeds_and_more(tmp_path, demo):
    AmendmentFactory(convention=Convention.objects.get(reference="CRESS-PACA-2010"), number=1)
    TerminationFactory(convention=ConventionFactory(signed=True))
    # A time whose milliseconds are zero but not its microseconds: Django's JSON would
    # round it; the archive keeps it exactly.
    exact = datetime.datetime(2020, 1, 1, 12, 0, 0, 400, tzinfo=datetime.UTC)
    Convention.objects.filter(reference="CRESS-PACA-2010").update(created_at=exact)
    first = tmp_path / "first.zip"
    call_command("export_all", str(first))

    call_command("flush", "--noinput")
    assert not Convention.objects.exists()
    call_command("import_all", str(first))

    second = tmp_path / "second.zip"
    export_archive(second)
    data_before, manifest_before = _archive_data(first)
    data_after, manifest_after = _archive_data(second)
    assert data_after == data_before
    assert manifest_after == manifest_before
    # The seeds' 72 articles, and the one of the signed factory convention.
    assert manifest_before["counts"]["conventions.article"] == 73
    assert manifest_before["counts"]["partners.letterhead"] == 3
    cress = Convention.objects.get(reference="CRESS-PACA-2010")
    assert cress.created_at == exact
    assert cress.action_plans.get().actions.count() == 7
    # The demo users can still log in: passwords and groups came back.
    from users.models import User

    assert User.objects.get(username="gestionnaire").groups.get().name == "Gestionnaire"
    assert User.objects.get(username="partenaire-cress").check_password("demo")


def test_import_refuses_a_database_that_is_not_empty(tmp_path, demo):
    archive = tmp_path / "a.zip"
    export_archive(archive)
    with pytest.raises(CommandError, match="pas vide"):
        call_command("import_all", str(archive))


def test_import_refuses_an_altered_archive(tmp_path, demo):
    archive = tmp_path / "a.zip"
    export_archive(archive)
    with zipfile.ZipFile(archive) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items["data.json"] = items["data.json"].replace(b"CRESS PACA", b"CRESS PACX", 1)
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as target:
        for name, content in items.items():
            target.writestr(name, content)
    call_command("flush", "--noinput")
    with pytest.raises(CommandError, match="altérées"):
        call_command("import_all", str(altered))
    assert not Convention.objects.exists()


# Signed archives ------------------------------------------------------------------------------

ADDED = " L'académie verse chaque année un million d'euros à la CRESS."


def _rezip(source, target, change):
    """Copy the archive `source` to `target`, its members (name -> bytes) passed through
    `change` first, as someone would with unzip, an editor and zip."""
    with zipfile.ZipFile(source) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    change(items)
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in items.items():
            archive.writestr(name, content)
    return target


def _run_import(path, *options):
    """`manage.py import_all` as run from a shell: its exit code, output and errors."""
    from backup.management.commands.import_all import Command

    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    try:
        command.run_from_argv(["manage.py", "import_all", str(path), *options])
    except SystemExit as stop:
        return stop.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _article_of_cress(data):
    cress = next(
        o["pk"]
        for o in data
        if o["model"] == "conventions.convention" and o["fields"]["reference"] == "CRESS-PACA-2010"
    )
    return next(
        o
        for o in data
        if o["model"] == "conventions.article"
        and o["fields"]["convention"] == cress
        and o["fields"]["body"]
    )


def _alter_an_article_and_recompute_the_checksums(items):
    data = json.loads(items["data.json"])
    _article_of_cress(data)["fields"]["body"] += ADDED
    items["data.json"] = json.dumps(data, indent=1).encode()
    manifest = json.loads(items["manifest.json"])
    manifest["data_sha256"] = hashlib.sha256(items["data.json"]).hexdigest()
    items["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()


def test_an_article_altered_with_the_checksums_recomputed_is_refused(tmp_path, demo, settings):
    settings.BACKUP_SIGNING_KEY = "la-clé-du-rectorat"
    genuine = tmp_path / "genuine.zip"
    export_archive(genuine)
    original_body = Article.objects.get(pk=_article_of_cress(_archive_data(genuine)[0])["pk"]).body
    altered = _rezip(
        genuine, tmp_path / "altered.zip", _alter_an_article_and_recompute_the_checksums
    )
    unsigned = _rezip(altered, tmp_path / "unsigned.zip", lambda items: items.pop("manifest.sig"))
    call_command("flush", "--noinput")

    code, _, err = _run_import(altered)
    assert code == 1
    assert "La signature de l'archive ne correspond pas" in err
    assert "Restauration refusée" in err
    assert not Convention.objects.exists()

    code, _, err = _run_import(unsigned)
    assert code == 1 and "L'archive n'est pas signée" in err
    assert not Convention.objects.exists()

    # The genuine archive, on a server with another key: refused too.
    settings.BACKUP_SIGNING_KEY = "une-autre-clé"
    code, _, err = _run_import(genuine)
    assert code == 1 and "signée avec une autre clé que BACKUP_SIGNING_KEY" in err
    assert not Convention.objects.exists()

    # With the key it was signed with: restored, the article as it was signed.
    settings.BACKUP_SIGNING_KEY = "la-clé-du-rectorat"
    code, out, _ = _run_import(genuine)
    assert code == 0 and "restaurés" in out
    assert Article.objects.filter(body__contains="un million d'euros").count() == 0
    assert original_body and Article.objects.filter(body=original_body).exists()


def test_an_unsigned_archive_of_format_1_is_restored_only_when_asked(tmp_path, demo):
    signed = tmp_path / "signed.zip"
    export_archive(signed)

    def as_format_1(items):
        manifest = json.loads(items["manifest.json"])
        assert manifest["format"] == 2
        manifest["format"] = 1
        items["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()
        del items["manifest.sig"]

    old = _rezip(signed, tmp_path / "old.zip", as_format_1)
    call_command("flush", "--noinput")

    code, _, err = _run_import(old)
    assert code == 1
    assert "format 1" in err and "--allow-unsigned" in err
    assert not Convention.objects.exists()

    code, out, _ = _run_import(old, "--allow-unsigned")
    assert code == 0 and "restaurés" in out
    assert Convention.objects.filter(reference="CRESS-PACA-2010").exists()


# A restore is all or nothing ------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _state(settings):
    """Every table's row count, and every file and folder of the media folder."""
    counts = {m._meta.label_lower: m._default_manager.count() for m in apps.get_models()}
    media = Path(settings.MEDIA_ROOT)
    paths = (
        sorted((str(p.relative_to(media)), p.is_dir()) for p in media.rglob("*"))
        if media.exists()
        else None
    )
    return counts, paths


@pytest.fixture
def archive_with_files(tmp_path, settings):
    """An archive of two conventions, two obligation deliveries with their files
    (obligations/2010/bilan.pdf, obligations/2011/bilan.pdf), taken from another server:
    the database is emptied and the media folder removed, as on a new server."""
    for year in (2010, 2011):
        name = default_storage.save(
            f"obligations/{year}/bilan.pdf", ContentFile(PDF + b"%d" % year)
        )
        ObligationFulfilmentFactory(due_on=datetime.date(year, 11, 16), file=name)
    path = tmp_path / "good.zip"
    manifest = export_archive(path)
    assert sorted(manifest["files"]) == ["obligations/2010/bilan.pdf", "obligations/2011/bilan.pdf"]
    call_command("flush", "--noinput")
    shutil.rmtree(settings.MEDIA_ROOT)
    return path


def _assert_then_good_archive_restores(archive, settings):
    code, out, err = _run_import(archive)
    assert code == 0, err
    assert "2 fichiers restaurés" in out
    assert ObligationFulfilment.objects.count() == 2
    media = Path(settings.MEDIA_ROOT)
    assert (media / "obligations/2010/bilan.pdf").read_bytes() == PDF + b"2010"
    assert (media / "obligations/2011/bilan.pdf").read_bytes() == PDF + b"2011"


def _signed_by_the_key_holder(items):
    """Whoever holds the key may sign what they like: the signature says nothing of a
    mistake, only of who made the archive."""
    items["manifest.sig"] = manifest_signature(items["manifest.json"]).encode()


def test_files_of_the_archive_that_clash_restore_nothing(tmp_path, archive_with_files, settings):
    def with_clashing_files(items):
        manifest = json.loads(items["manifest.json"])
        for name, content in (("conventions/zz", b"un fichier"), ("conventions/zz/a.pdf", PDF)):
            items[f"files/{name}"] = content
            manifest["files"][name] = hashlib.sha256(content).hexdigest()
        items["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()
        _signed_by_the_key_holder(items)

    clashing = _rezip(archive_with_files, tmp_path / "clash.zip", with_clashing_files)
    before = _state(settings)

    code, out, err = _run_import(clashing)

    assert code == 1 and out == ""
    assert "Les fichiers conventions/zz et conventions/zz/a.pdf de l'archive ne peuvent pas" in err
    assert _state(settings) == before
    _assert_then_good_archive_restores(archive_with_files, settings)


def test_a_file_where_a_folder_is_needed_restores_nothing(archive_with_files, settings):
    # The media folder holds a file named like the folder of the archive's second file:
    # the first file is written, the second cannot be.
    blocking = Path(settings.MEDIA_ROOT) / "obligations" / "2011"
    blocking.parent.mkdir(parents=True)
    blocking.write_text("pas un dossier")
    before = _state(settings)

    code, out, err = _run_import(archive_with_files)

    assert code == 1 and out == ""
    assert "Le fichier obligations/2011/bilan.pdf n'a pas pu être écrit" in err
    assert "Rien n'a été restauré" in err
    assert _state(settings) == before  # obligations/2010/bilan.pdf and its folder removed
    assert not ObligationFulfilment.objects.exists()
    blocking.unlink()
    _assert_then_good_archive_restores(archive_with_files, settings)


def test_a_full_disk_restores_nothing(archive_with_files, settings, monkeypatch):
    """The disk fills up while the second file is written: the start of it is on disk."""
    real_save = FileSystemStorage._save

    def save_until_the_disk_is_full(storage, name, content):
        if name == "obligations/2011/bilan.pdf":
            path = Path(storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.read()[:10])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_until_the_disk_is_full)
    before = _state(settings)
    assert before[1] is None  # no media folder yet, as on a new server

    code, out, err = _run_import(archive_with_files)

    assert code == 1 and out == ""
    assert "obligations/2011/bilan.pdf n'a pas pu être écrit (No space left on device)" in err
    assert _state(settings) == before
    monkeypatch.undo()
    _assert_then_good_archive_restores(archive_with_files, settings)


def test_records_refused_after_the_files_are_written_leave_no_file(
    tmp_path, archive_with_files, settings
):
    def with_wrong_counts(items):
        manifest = json.loads(items["manifest.json"])
        manifest["counts"]["actions.obligationfulfilment"] = 3
        items["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()
        _signed_by_the_key_holder(items)

    wrong = _rezip(archive_with_files, tmp_path / "wrong.zip", with_wrong_counts)
    before = _state(settings)

    code, _, err = _run_import(wrong)

    assert code == 1
    assert "Le nombre d'enregistrements restaurés ne correspond pas" in err
    assert _state(settings) == before
    _assert_then_good_archive_restores(archive_with_files, settings)
