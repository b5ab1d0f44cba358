"""The organisations of the merge tests (test_merge.py, test_merge_pages.py)."""

import pytest

from tests.factories import OrganisationFactory


@pytest.fixture
def academy():
    return OrganisationFactory(academy=True)


@pytest.fixture
def kept():
    return OrganisationFactory(name="Chambre régionale de l'économie sociale", short_name="")


@pytest.fixture
def duplicate():
    return OrganisationFactory(
        name="CRESS PACA (doublon)",
        short_name="CRESS",
        siret="13002526500013",
        address="2, place Sadi-Carnot, 13002 Marseille",
    )
