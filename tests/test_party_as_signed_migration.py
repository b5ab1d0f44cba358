"""Migration conventions 0014 gives the parties of conventions already signed their
organisations' names and addresses as they are on the day of the migration (the only ones
known), leaves drafts following their organisations, and leaves the signed text frozen."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from conventions.models import Party
from partners.models import Organisation

BEFORE = [("conventions", "0013_term_fixed_by_calendar_or_unknown")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def database_before_0014(transactional_db, demo):
    _migrate(BEFORE)
    yield
    _migrate(_latest())


def test_signed_parties_take_their_organisations_current_names(database_before_0014):
    # Renamed while the application did not keep names as signed.
    Organisation.objects.filter(name="Pôle emploi").update(
        name="France Travail", address="1, avenue du Docteur Gley, 75020 Paris"
    )

    _migrate(_latest())

    parties = list(Party.objects.select_related("organisation", "convention"))
    signed = [p for p in parties if p.convention.signed_on]
    drafts = [p for p in parties if not p.convention.signed_on]
    assert signed and drafts
    for party in signed:
        assert party.signed_organisation_name == party.organisation.name
        assert party.signed_organisation_address == party.organisation.address
    assert {p.signed_organisation_name for p in signed} >= {"France Travail"}
    for party in drafts:
        assert party.signed_organisation_name is None
        assert party.signed_organisation_address is None
    # The database freezes the signed parties again.
    party = signed[0]
    party.signed_organisation_name = "Autre nom"
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        party.save()
