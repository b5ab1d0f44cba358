"""Writes of money: financial commitments, their instalments and the payments recorded.

Money is recorded as it happens, on a draft as on a signed convention: it is not part of the
signed text. Like every write of `lifecycle`, each function takes keyword-only arguments,
runs in one transaction and ends with `_after_change(convention)`, so that the échéancier's
instalments (and whether they are paid) follow at once.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from ..models import FinancialCommitment, Instalment, Payment
from .lifecycle import _after_change


def _check(commitment: FinancialCommitment) -> None:
    """The model's rules (parties and avenant of this convention, amount > 0, payer and
    payee apart), with their French messages."""
    commitment.full_clean(exclude=["convention"], validate_unique=False)


@transaction.atomic
def commitment_save(*, commitment: FinancialCommitment) -> FinancialCommitment:
    """Create or change a commitment (unsaved changes of `commitment`, from the form)."""
    _check(commitment)
    commitment.save()
    _after_change(commitment.convention)
    return commitment


@transaction.atomic
def commitment_delete(*, commitment: FinancialCommitment) -> None:
    """Delete a commitment with its instalments and payments (and their deadlines)."""
    convention = commitment.convention
    commitment.delete()
    _after_change(convention)


@transaction.atomic
def instalment_add(
    *, commitment: FinancialCommitment, due_on: datetime.date, amount: Decimal
) -> Instalment:
    instalment = Instalment(commitment=commitment, due_on=due_on, amount=amount)
    instalment.full_clean(exclude=["commitment"])
    instalment.save()
    _after_change(commitment.convention)
    return instalment


@transaction.atomic
def instalment_delete(*, instalment: Instalment) -> None:
    convention = instalment.commitment.convention
    instalment.delete()
    _after_change(convention)


@transaction.atomic
def payment_add(
    *,
    commitment: FinancialCommitment,
    paid_on: datetime.date,
    amount: Decimal,
    reference: str = "",
) -> Payment:
    payment = Payment(commitment=commitment, paid_on=paid_on, amount=amount, reference=reference)
    payment.full_clean(exclude=["commitment"])
    payment.save()
    _after_change(commitment.convention)
    return payment


@transaction.atomic
def payment_delete(*, payment: Payment) -> None:
    convention = payment.commitment.convention
    payment.delete()
    _after_change(convention)
