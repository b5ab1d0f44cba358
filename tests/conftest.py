"""Fixtures of the tests in this folder (the personas of the staff pages)."""

from tests.personas import (  # noqa: F401 (fixtures)
    gestionnaire,
    lecteur,
    manager_client,
    partner,
    partner_client,
    reader_client,
)
from tests.portal_world import world  # noqa: E402,F401 (fixture of the portal tests)
