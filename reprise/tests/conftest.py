import pytest

from tests.factories import OrganisationFactory


@pytest.fixture
def academy(db):
    """The académie, as the demo has it: the first party of the seeds is matched to it."""
    return OrganisationFactory(name="Académie d'Aix-Marseille", short_name="Rectorat", academy=True)
