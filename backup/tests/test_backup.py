"""export_all / import_all round-trip: everything comes back, file hashes included."""

import datetime
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from backup.archive import export_archive
from conventions.models import Convention
from tests.factories import AmendmentFactory, ConventionFactory, TerminationFactory

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
    assert manifest_before["counts"]["conventions.article"] == 72
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
