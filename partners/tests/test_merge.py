"""Merging a duplicate organisation into the one kept (`partners.merge`): everything
follows, the signed texts print the same, the history says what was merged, and a merge that
would break a rule is refused in French."""

import pytest
from django.core.exceptions import ValidationError

from conventions.models import FinancialCommitment, Party
from partners.merge import merge_plan, organisation_merge
from partners.models import Contact, Mandate, Organisation
from tests.factories import (
    ConventionFactory,
    FinancialCommitmentFactory,
    MandateFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    sign,
)

pytestmark = pytest.mark.django_db


def give(duplicate, academy, *, signed=True):
    """A convention (signed or not) with the duplicate as party, a correspondent, a mandate,
    a portal account and money paid to it."""
    convention = ConventionFactory(parties=[academy, duplicate], signed=signed)
    Contact.objects.create(
        convention=convention, organisation=duplicate, person=PersonFactory(), role="head"
    )
    mandate = MandateFactory(organisation=duplicate, title="Directrice")
    user = UserFactory()
    duplicate.members.add(user)
    commitment = FinancialCommitmentFactory(convention=convention)
    return convention, mandate, user, commitment


def test_everything_follows_the_kept_organisation(kept, duplicate, academy, gestionnaire):
    signed, mandate, user, commitment = give(duplicate, academy)
    draft, *_ = give(duplicate, academy, signed=False)
    duplicate_pk = duplicate.pk

    plan = organisation_merge(kept=kept, duplicate=duplicate, by=gestionnaire)

    assert not Organisation.objects.filter(pk=duplicate_pk).exists()
    assert set(Party.objects.filter(organisation=kept).values_list("convention", flat=True)) == {
        signed.pk,
        draft.pk,
    }
    assert Contact.objects.filter(organisation=kept).count() == 2
    assert Mandate.objects.get(pk=mandate.pk).organisation == kept
    assert user in kept.members.all()
    commitment = FinancialCommitment.objects.select_related("payee").get(pk=commitment.pk)
    assert commitment.payee.organisation == kept
    assert dict(plan.moves) == {
        "mandats": 2,
        "correspondants": 2,
        "parties": 2,
        "utilisateurs du portail": 2,
    }
    # The kept organisation's blanks are filled with the duplicate's values.
    kept.refresh_from_db()
    assert kept.short_name == "CRESS" and kept.siret == "13002526500013"
    assert kept.name == "Chambre régionale de l'économie sociale"


def test_a_signed_convention_prints_the_same_after_the_merge(kept, duplicate, academy):
    signed, *_ = give(duplicate, academy)
    draft, *_ = give(duplicate, academy, signed=False)
    # Signed since migration 0014: its party keeps the name of the day it was signed.
    later = ConventionFactory(parties=[academy, duplicate])
    later.parties.get(organisation=duplicate).take_organisation_as_signed()
    sign(later)
    Organisation.objects.filter(pk=duplicate.pk).update(name="CRESS, renommée depuis")
    duplicate.refresh_from_db()

    organisation_merge(kept=kept, duplicate=duplicate)

    party = Party.objects.get(convention=signed, organisation=kept)
    assert party.display_name == "CRESS, renommée depuis"  # as it printed before the merge
    assert party.display_address == "2, place Sadi-Carnot, 13002 Marseille"
    party = Party.objects.get(convention=later, organisation=kept)
    assert party.display_name == "CRESS PACA (doublon)"
    # A draft follows its organisation until it is signed.
    party = Party.objects.get(convention=draft, organisation=kept)
    assert party.signed_organisation_name is None
    assert party.display_name == kept.name


def test_the_history_says_what_was_merged(kept, duplicate, academy, gestionnaire):
    signed, *_ = give(duplicate, academy)
    duplicate_pk = duplicate.pk

    organisation_merge(kept=kept, duplicate=duplicate, by=gestionnaire)

    line = kept.history.order_by("-history_date", "-history_id").first()
    assert line.history_user == gestionnaire
    assert line.history_change_reason.startswith(
        f"Fusion : « CRESS PACA (doublon) » (n° {duplicate_pk}) est fusionnée dans cette "
        "organisation et supprimée. Repris : mandats : 1, correspondants : 1, parties : 1, "
        "utilisateurs du portail : 1."
    )
    assert line.history_change_reason.endswith(" Complété : sigle, SIRET.")
    gone = Organisation.history.filter(id=duplicate_pk).order_by("-history_date").first()
    assert gone.history_type == "-"
    assert gone.history_change_reason == f"Fusionnée dans « {kept.name} » (n° {kept.pk})."
    party = Party.objects.get(convention=signed, organisation=kept)
    moved = party.history.order_by("-history_date", "-history_id").first()
    assert moved.organisation_id == kept.pk and moved.history_user == gestionnaire
    assert moved.history_change_reason.startswith("Fusion de « CRESS PACA (doublon) »")


def test_both_parties_to_one_convention_is_refused(kept, duplicate, academy):
    shared = ConventionFactory(parties=[academy, kept, duplicate], signed=True)
    MandateFactory(organisation=duplicate)

    with pytest.raises(ValidationError) as refused:
        organisation_merge(kept=kept, duplicate=duplicate)

    assert refused.value.messages == [
        f"CRESS PACA (doublon) et Chambre régionale de l'économie sociale ont chacune une "
        f"« partie » pour : convention {shared}. Une seule peut rester : corrigez ces "
        "parties avant de fusionner."
    ]
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    assert Mandate.objects.filter(organisation=duplicate).count() == 1
    assert shared.parties.filter(organisation=duplicate).exists()


def test_the_academy_never_disappears_nor_gets_portal_accounts(kept, academy):
    refusal = merge_plan(kept=kept, duplicate=academy).refusals
    assert refusal and "est l'académie" in refusal[0]
    partner_duplicate = OrganisationFactory(name="Rectorat (doublon)")
    partner_duplicate.members.add(UserFactory())
    refusal = merge_plan(kept=academy, duplicate=partner_duplicate).refusals
    assert refusal and "verraient toutes ses conventions" in refusal[0]
    assert merge_plan(kept=kept, duplicate=kept).refusals


def test_an_account_of_both_stays_once(kept, duplicate):
    user = UserFactory()
    kept.members.add(user)
    duplicate.members.add(user, UserFactory())
    organisation_merge(kept=kept, duplicate=duplicate)
    assert kept.members.count() == 2
