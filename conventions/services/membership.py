"""Parties that join or leave a signed convention by an avenant (accession, withdrawal),
and who signs an avenant: only its parties. The rules of `Party.bound_on` apply them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from partners.models import Mandate, Organisation

from ..models import Amendment, FinancialCommitment, Party, PartyWithdrawal, Signatory
from .lifecycle import (
    MIN_PARTIES,
    _after_change,
    _new_party,
    _parties_now,
    _sign_for,
    _signed_by_all,
    amendment_date_error,
    ensure_amendment_draft,
)


def _draft_of(amendment: Amendment) -> Amendment:
    amendment = (
        Amendment.objects.select_for_update().select_related("convention").get(pk=amendment.pk)
    )
    ensure_amendment_draft(amendment)
    return amendment


@transaction.atomic
def amendment_party_join(
    *, amendment: Amendment, organisation: Organisation, mandate: Mandate | None, **fields
) -> Party:
    """An avenant of accession: `organisation` becomes a party to the convention from the
    avenant's effective date, once it is signed; it signs the avenant (represented by the
    holder of `mandate`). `fields`: how the text names it (`lifecycle.PARTY_WORDING`)."""
    amendment = _draft_of(amendment)
    party = _new_party(
        amendment.convention,
        organisation,
        mandate,
        "Cette organisation est déjà partie à la convention (ou l'a été).",
        amendment=amendment,
        **fields,
    )
    _after_change(amendment.convention)
    return party


@transaction.atomic
def amendment_party_unjoin(*, party: Party) -> None:
    """Take back an accession from the avenant still being signed."""
    if party.joined_by_id is None:
        raise ValidationError("Cette partie n'adhère pas par un avenant.")
    amendment = _draft_of(party.joined_by)
    if FinancialCommitment.objects.filter(Q(payer=party) | Q(payee=party)).exists():
        raise ValidationError(
            "Cette partie verse ou reçoit un financement : supprimez d'abord l'engagement "
            "financier."
        )
    party.delete()
    _after_change(amendment.convention)


@transaction.atomic
def amendment_party_withdraw(
    *, amendment: Amendment, party: Party, on: datetime.date | None = None
) -> PartyWithdrawal:
    """An avenant of withdrawal: `party` is no longer bound from `on` (else from the
    avenant's effective date); it signs the avenant."""
    amendment = _draft_of(amendment)
    convention = amendment.convention
    current = {p.pk: p for p in _parties_now(convention)}
    if party.convention_id != convention.pk or party.pk not in current:
        raise ValidationError({"party": "Choisissez une partie liée par la convention."})
    if PartyWithdrawal.objects.filter(party=party).exists():
        raise ValidationError({"party": "Le retrait de cette partie est déjà prévu."})
    leaving = PartyWithdrawal.objects.filter(amendment__convention=convention).count()
    if len(current) - leaving - 1 < MIN_PARTIES:
        raise ValidationError(
            {
                "party": "Une convention lie au moins deux parties : pour y mettre fin, "
                "enregistrez une résiliation."
            }
        )
    if on is not None:
        if amendment.effective_date and on < amendment.effective_date:
            raise ValidationError(
                {"on": "Le retrait ne prend pas effet avant la date d'effet de l'avenant."}
            )
        if refused := amendment_date_error(convention, on, signing=False):
            raise ValidationError({"on": refused})
    withdrawal = PartyWithdrawal.objects.create(amendment=amendment, party=party, on=on)
    if not amendment.signatories.filter(party=party).exists():
        _sign_for(current[party.pk], amendment)
    _after_change(convention)
    return withdrawal


@transaction.atomic
def amendment_party_withdrawal_delete(*, withdrawal: PartyWithdrawal) -> None:
    amendment = _draft_of(withdrawal.amendment)
    withdrawal.delete()
    _after_change(amendment.convention)


@transaction.atomic
def amendment_signatory_remove(*, signatory: Signatory) -> Amendment:
    """The party does not sign this avenant: only the parties to an avenant sign it. A
    party that joins or leaves by it signs it; an avenant is made between two parties at
    least. When every remaining party has signed, the avenant is signed."""
    if signatory.amendment_id is None:
        raise ValidationError("Cette signature est celle de la convention.")
    amendment = _draft_of(signatory.amendment)
    party = signatory.party
    if party.joined_by_id == amendment.pk or amendment.withdrawals.filter(party=party).exists():
        raise ValidationError("Cette partie adhère ou se retire par cet avenant : elle le signe.")
    if amendment.signatories.count() <= MIN_PARTIES:
        raise ValidationError("Un avenant est signé par deux parties au moins.")
    signatory.delete()
    _signed_by_all(amendment)
    _after_change(amendment.convention)
    return amendment


@transaction.atomic
def amendment_signatory_add(*, amendment: Amendment, party: Party) -> Signatory:
    """A party bound by the convention signs this avenant after all."""
    amendment = _draft_of(amendment)
    current = {p.pk: p for p in _parties_now(amendment.convention)}
    if party.pk not in current:
        raise ValidationError("Choisissez une partie liée par la convention.")
    if amendment.signatories.filter(party=party).exists():
        raise ValidationError("Cette partie signe déjà l'avenant.")
    signatory = _sign_for(current[party.pk], amendment)
    _after_change(amendment.convention)
    return signatory
