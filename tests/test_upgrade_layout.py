"""A database migrated before the échéancier and the documents became apps of their own
(conventions 0011) upgrades with `migrate`: every row, every stored file and the staff
groups' permissions on the moved models are kept, and the application reads them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum

from actions.models import ActionTally
from conventions.models import Convention, triggers
from documents.enums import DocumentKind
from documents.models import SignedDocument
from echeancier.models import Deadline

# The last migrations before the move (the layout of main before issue 14).
BEFORE = [
    ("conventions", "0011_convention_list_order"),
    ("portal", "0001_document_downloads"),
    ("echeancier", None),
    ("documents", None),
]
MOVED = {
    "deadline": "echeancier",
    "remindersent": "echeancier",
    "digestsent": "echeancier",
    "signeddocument": "documents",
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _row_counts() -> dict[str, int]:
    """Rows of every table of the database."""
    with connection.cursor() as cursor:
        tables = [
            t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")
        ]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def old_database(transactional_db, demo):
    """The demo loaded, a scan filed, the staff groups given their permissions; then the
    schema's state taken back to before the move, as a database of the previous main."""
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    SignedDocument.objects.create(
        convention=convention,
        kind=DocumentKind.SCAN,
        file=ContentFile(b"%PDF-1.7 scan", name="scan.pdf"),
        sha256="0" * 64,
        size=13,
    )
    _migrate(BEFORE)
    yield
    _migrate(_latest())  # whatever happened, the next tests find the whole schema
    triggers.install(connection)  # as `migrate` does after the last migration


def test_an_old_database_upgrades_with_every_row_and_file(old_database):
    # Before: the moved models' content types are still the conventions app's.
    for model in MOVED:
        assert ContentType.objects.filter(app_label="conventions", model=model).exists()
    manager = Group.objects.get(name="Gestionnaire")
    granted_before = set(manager.permissions.values_list("pk", flat=True))
    assert Permission.objects.filter(pk__in=granted_before, content_type__model="deadline").exists()
    rows_before = _row_counts()
    assert rows_before["conventions_deadline"] > 0
    assert rows_before["conventions_signeddocument"] == 1

    _migrate(_latest())

    rows_after = _row_counts()
    # The migrations since are recorded (the move's four, and those after it); no other
    # table gains or loses a row.
    assert rows_after.pop("django_migrations") > rows_before.pop("django_migrations") + 4
    # The tables of features added since (references, money...) come empty; the search
    # index (FTS5 shadow tables) holds one entry per convention, derived from its rows.
    added = rows_after.keys() - rows_before.keys()
    index = {t for t in added if t.startswith("conventions_convention_fts")}  # SQLite only
    if index:
        assert rows_after["conventions_convention_fts"] == rows_after["conventions_convention"]
    for table in index:
        rows_after.pop(table)
    added -= index
    # The overview's tally of actions is counted from the actions the upgrade keeps.
    tally = rows_after.pop("actions_actiontally")
    added.discard("actions_actiontally")
    assert (
        tally == len(set(ActionTally.objects.values_list("school_year", "axis", "status")))
        and ActionTally.objects.aggregate(n=Sum("actions"))["n"] == rows_after["actions_action"]
    )
    assert "conventions_financialcommitment" in added
    assert {table: rows_after.pop(table) for table in added} == dict.fromkeys(added, 0)
    assert rows_after == rows_before
    # The content types moved with their models: the groups keep the same permissions.
    for model, app_label in MOVED.items():
        assert ContentType.objects.get(model=model).app_label == app_label
    assert set(manager.permissions.values_list("pk", flat=True)) == granted_before
    # The application reads the rows and the files through the new apps.
    assert Deadline.objects.filter(convention__reference="CRESS-PACA-2010").exists()
    document = SignedDocument.objects.get()
    assert default_storage.exists(document.file.name)
    assert document.read() == b"%PDF-1.7 scan"
