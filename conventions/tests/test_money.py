"""Money of a convention: the pure rules (French amounts, first in first out, totals), the
database's and the models' rules, the services, and the staff pages."""

import datetime
import doctest
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

import conventions.rules.money
from conventions import services
from conventions.models import FinancialCommitment, Instalment, Party, Payment, triggers
from conventions.rules.money import (
    NBSP,
    Totals,
    commitment_totals,
    coverage,
    decimal_fr,
    euros,
    parse_amount,
    totals_by_year,
)
from tests.factories import (
    AmendmentFactory,
    ConventionFactory,
    FinancialCommitmentFactory,
    InstalmentFactory,
    OrganisationFactory,
    PaymentFactory,
)

D = Decimal


# --- The rules, pure ------------------------------------------------------------------


def test_doctests():
    result = doctest.testmod(conventions.rules.money)
    assert result.attempted and not result.failed


def test_euros_in_french_with_non_breaking_spaces():
    assert euros(D("30000")) == "30\u00a0000,00\u00a0€"
    assert NBSP == "\u00a0"
    assert euros(D("1234567.891")) == "1\u00a0234\u00a0567,89\u00a0€"
    assert euros(D("0.5")) == "0,50\u00a0€"
    assert euros(D("999")) == "999,00\u00a0€"
    assert euros(D("-1500")) == "-1\u00a0500,00\u00a0€"
    assert euros(None) == ""
    assert decimal_fr(D("30000")) == "30000,00"
    assert decimal_fr(D("0.1")) == "0,10"


@pytest.mark.parametrize(
    "typed, value",
    [
        ("12 500,00", "12500.00"),
        ("12500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12\u00a0500,5", "12500.50"),
        ("12\u202f500,05 €", "12500.05"),
        ("  7,5  ", "7.50"),
        ("0,01", "0.01"),
    ],
)
def test_amounts_typed_in_french_or_plain(typed, value):
    assert parse_amount(typed) == D(value)


@pytest.mark.parametrize(
    "typed", ["12,5,0", "12.500,00", "12,505", "-12", "douze", "", "1e5", "12,", ",5", "€"]
)
def test_amounts_refused_say_what_to_type(typed):
    with pytest.raises(ValueError, match="par exemple 12 500,00"):
        parse_amount(typed)


def test_first_in_first_out():
    d = date
    instalments = [(d(2024, 6, 30), D(100)), (d(2024, 3, 31), D(100)), (d(2024, 9, 30), D(100))]
    nothing = coverage(instalments, [])
    assert [(c.covered, c.paid_on) for c in nothing] == [(0, None)] * 3
    # 150 on 1 April: the March instalment paid, half of June's.
    partly = coverage(instalments, [(d(2024, 4, 1), D(150))])
    assert [(c.covered, c.paid_on) for c in partly] == [
        (D(50), None),
        (D(100), d(2024, 4, 1)),
        (D(0), None),
    ]
    # Payments count in date order, whatever the order given; June is paid on the day the
    # cumulated payments reach 200.
    later = coverage(instalments, [(d(2024, 8, 1), D(60)), (d(2024, 4, 1), D(150))])
    assert [c.paid_on for c in later] == [d(2024, 8, 1), d(2024, 4, 1), None]
    assert [c.is_paid for c in later] == [True, True, False]
    # Overpaid: everything covered, nothing more.
    over = coverage(instalments, [(d(2024, 1, 1), D(1000))])
    assert [(c.covered, c.paid_on) for c in over] == [(D(100), d(2024, 1, 1))] * 3


def test_totals_of_a_commitment():
    once = commitment_totals(amount=D(300), period="once", instalments=[], payments=[D(100)])
    assert (once.committed, once.paid, once.remaining, once.known) == (D(300), 100, 200, True)
    scheduled = commitment_totals(
        amount=D(300), period="yearly", instalments=[D(300), D(300)], payments=[D(700)]
    )
    assert (scheduled.committed, scheduled.remaining, scheduled.overpaid) == (600, -100, True)
    yearly = commitment_totals(amount=D(300), period="yearly", instalments=[], payments=[D(300)])
    assert (yearly.known, yearly.per_year, yearly.paid) == (False, D(300), D(300))
    assert yearly.committed_label == f"300,00{NBSP}€ par an"  # no invented number of years
    school = commitment_totals(amount=D(50), period="school_year", instalments=[], payments=[])
    assert school.committed_label == f"50,00{NBSP}€ par année scolaire"
    total = once + yearly + school
    assert total.committed_label == (
        f"300,00{NBSP}€ + 300,00{NBSP}€ par an + 50,00{NBSP}€ par année scolaire"
    )
    assert (total.paid, total.remaining) == (D(400), D(200))
    assert Totals().committed_label == "—"


def test_totals_by_year():
    rows = totals_by_year(
        [(date(2024, 6, 30), D(100)), (date(2024, 12, 31), D(100)), (date(2026, 1, 1), D(5))],
        [(date(2025, 1, 2), D(200))],
    )
    assert [(r.year, r.due, r.paid) for r in rows] == [
        (2024, D(200), D(0)),
        (2025, D(0), D(200)),
        (2026, D(5), D(0)),
    ]
    assert totals_by_year([], []) == []


# --- The database and the models ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["commitment", "instalment", "payment"])
@pytest.mark.parametrize("amount", [D("0"), D("-10")])
def test_the_database_refuses_amounts_not_above_zero(model, amount):
    factory = {
        "commitment": FinancialCommitmentFactory,
        "instalment": InstalmentFactory,
        "payment": PaymentFactory,
    }[model]
    row = factory()
    row.amount = amount
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "Le montant doit être supérieur à zéro." in str(error.value)


@pytest.mark.django_db
def test_the_database_refuses_a_party_paying_itself():
    commitment = FinancialCommitmentFactory()
    commitment.payee = commitment.payer
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()


@pytest.mark.django_db
def test_payer_payee_and_avenant_belong_to_the_convention():
    commitment = FinancialCommitmentFactory()
    other = ConventionFactory(signed=True)
    commitment.payer = other.parties.first()
    commitment.amendment = AmendmentFactory(convention=other)
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert error.value.message_dict == {
        "payer": ["Choisissez une partie de cette convention."],
        "amendment": ["Cet avenant n'est pas un avenant de cette convention."],
    }
    commitment.refresh_from_db()
    commitment.payee = commitment.payer
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "Le bénéficiaire doit être une autre partie que le payeur." in str(error.value)


@pytest.mark.django_db
def test_money_is_not_frozen_by_the_signature_and_has_a_history():
    """Money is recorded as it happens: a signed convention (whose text the database
    freezes) takes commitments, instalments and payments, and none of these tables has a
    freeze trigger."""
    convention = ConventionFactory(signed=True)
    commitment = FinancialCommitmentFactory(convention=convention, label="Avant")
    commitment.label = "Après"
    commitment.save()
    Instalment.objects.create(commitment=commitment, due_on=date(2011, 1, 1), amount=D(1))
    Payment.objects.create(commitment=commitment, paid_on=date(2011, 1, 1), amount=D(1))
    assert [h.label for h in commitment.history.order_by("history_date")] == ["Avant", "Après"]
    for statement in triggers._sqlite(triggers._columns(triggers.default_connection)) + (
        triggers._postgresql(triggers._columns(triggers.default_connection))
    ):
        for table in ("financialcommitment", "instalment", "payment"):
            assert f"conventions_{table}" not in statement


@pytest.mark.django_db
def test_an_avenant_or_a_party_with_money_is_not_deleted_alone_the_convention_is():
    draft = ConventionFactory()
    extra = services.party_add(convention=draft, organisation=OrganisationFactory(), mandate=None)
    commitment = FinancialCommitmentFactory(
        convention=draft, payer=draft.parties.first(), payee=extra
    )
    with pytest.raises(ValidationError, match="supprimez d'abord l'engagement financier"):
        services.party_remove(party=extra)
    assert Party.objects.filter(pk=extra.pk).exists()
    with pytest.raises(RestrictedError), transaction.atomic():
        extra.delete()
    signed = ConventionFactory(signed=True)
    amendment = AmendmentFactory(convention=signed)
    FinancialCommitmentFactory(convention=signed, amendment=amendment)
    with pytest.raises(RestrictedError), transaction.atomic():
        amendment.delete()
    # The whole convention goes, its money with it.
    draft.delete()
    assert not FinancialCommitment.objects.filter(pk=commitment.pk).exists()
    signed.delete()
    assert not FinancialCommitment.objects.exists()


@pytest.mark.django_db
def test_services_check_the_rules_and_refresh_the_schedule():
    convention = ConventionFactory(signed=True)
    first, last = convention.parties.order_by("position")
    with pytest.raises(ValidationError) as error:
        services.commitment_save(
            commitment=FinancialCommitment(
                convention=convention,
                payer=first,
                payee=first,
                label="Subvention",
                amount=D("0"),
                period="once",
            )
        )
    assert error.value.message_dict == {
        "payee": ["Le bénéficiaire doit être une autre partie que le payeur."],
        "amount": ["Le montant doit être supérieur à zéro."],
    }
    assert not FinancialCommitment.objects.exists()
    commitment = services.commitment_save(
        commitment=FinancialCommitment(
            convention=convention,
            payer=first,
            payee=last,
            label="Subvention",
            amount=D("1000"),
            period="once",
        )
    )
    with pytest.raises(ValidationError):
        services.instalment_add(commitment=commitment, due_on=date(2011, 1, 1), amount=D(0))
    with pytest.raises(ValidationError):
        services.payment_add(commitment=commitment, paid_on=date(2011, 1, 1), amount=D(-5))
    services.instalment_add(commitment=commitment, due_on=date(2011, 1, 1), amount=D(1000))
    assert convention.deadlines.filter(kind="instalment").count() == 1
    assert datetime.date(2011, 1, 1) in set(convention.deadlines.values_list("due_on", flat=True))
