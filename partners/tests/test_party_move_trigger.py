"""The database lets a merge move a signed convention's party to the organisation kept, and
nothing else (conventions.models.triggers.PARTY_MOVE): what the party prints stays."""

import pytest
from django.db import IntegrityError, transaction

from conventions.models import Party
from tests.factories import ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def refused(action):
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        action()


@pytest.fixture
def party():
    """The partner of a signed convention, signed before the parties kept their names."""
    convention = ConventionFactory(signed=True)
    return convention.parties.get(organisation__is_academy=False)


def test_a_party_that_keeps_its_printed_name_may_change_organisation(party):
    other = OrganisationFactory(name="Le doublon conservé")
    Party.objects.filter(pk=party.pk).update(
        organisation=other,
        signed_organisation_name=party.organisation.name,
        signed_organisation_address=party.organisation.address,
    )
    moved = Party.objects.get(pk=party.pk)
    assert moved.organisation == other
    assert moved.display_name == party.organisation.name
    # Kept since: it moves again with its organisation only.
    third = OrganisationFactory()
    Party.objects.filter(pk=party.pk).update(organisation=third)
    assert Party.objects.get(pk=party.pk).organisation == third


def test_without_its_printed_name_or_with_any_other_change_it_is_refused(party):
    other = OrganisationFactory()
    rows = Party.objects.filter(pk=party.pk)
    # NULL: it would print the new organisation's name.
    refused(lambda: rows.update(organisation=other))
    name = {"signed_organisation_name": "A", "signed_organisation_address": "B"}
    refused(lambda: rows.update(organisation=other, designation="l'autre", **name))
    refused(lambda: rows.update(organisation=other, position=7, **name))
    refused(lambda: rows.update(organisation=other, group="les parties", **name))
    refused(lambda: rows.update(organisation=other, signed_organisation_name="A"))
    rows.update(**name)  # a name kept is never rewritten after
    refused(lambda: rows.update(signed_organisation_name="Autre nom"))
    refused(lambda: rows.update(organisation=other, signed_organisation_address="Ailleurs"))
    refused(lambda: rows.update(signed_organisation_name=None))
    assert Party.objects.get(pk=party.pk).organisation == party.organisation


def test_a_new_party_on_a_signed_convention_is_still_refused(party):
    refused(
        lambda: Party.objects.create(
            convention=party.convention,
            organisation=OrganisationFactory(),
            position=9,
            signed_organisation_name="X",
            signed_organisation_address="Y",
        )
    )
