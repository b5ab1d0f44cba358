"""Instalments of financial commitments in the échéancier: each one a deadline « Versement »,
done on the day the payments cover it (first in, first out), overdue when not covered after
its date, and reminded like the other deadlines."""

import datetime
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conventions import services
from conventions.models import FinancialCommitment
from echeancier import schedule as core
from echeancier.enums import ACTIONABLE_DEADLINE_KINDS, DeadlineKind
from echeancier.models import Deadline
from echeancier.refresh import refresh_schedule
from tests.factories import (
    ConventionFactory,
    FinancialCommitmentFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _at(day):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False
    )


def _instalments(convention):
    return list(
        Deadline.objects.filter(convention=convention, kind=DeadlineKind.INSTALMENT).order_by(
            "due_on", "instalment_id"
        )
    )


@pytest.fixture
def referent():
    return UserFactory(
        username="suivi",
        first_name="Claire",
        last_name="Suivi",
        email="claire.suivi@ac-aix-marseille.fr",
        manager=True,
    )


@pytest.fixture
def commitment(referent):
    """The département pays the GIP 20 000 € a year, in two instalments for 2011; the
    convention (signed 17 May 2010, three years) is in force throughout."""
    departement = OrganisationFactory(name="Département des Bouches-du-Rhône", short_name="")
    gip = OrganisationFactory(name="Groupement d'intérêt public FCIP", short_name="GIP FCIP")
    convention = ConventionFactory(
        reference="GIP-FCIP-2010",
        signed=True,
        referent=referent,
        parties=[OrganisationFactory(academy=True), departement, gip],
    )
    parties = list(convention.parties.order_by("position"))
    with _at(date(2011, 1, 3)):
        commitment = services.commitment_save(
            commitment=FinancialCommitment(
                convention=convention,
                payer=parties[1],
                payee=parties[2],
                label="Contribution annuelle",
                amount=Decimal("20000"),
                period="yearly",
            )
        )
        services.instalment_add(
            commitment=commitment, due_on=date(2011, 6, 30), amount=Decimal("10000")
        )
        services.instalment_add(
            commitment=commitment, due_on=date(2011, 12, 31), amount=Decimal("10000")
        )
    return commitment


def test_each_instalment_is_a_deadline_with_its_label(commitment):
    first, second = _instalments(commitment.convention)
    assert (first.due_on, second.due_on) == (date(2011, 6, 30), date(2011, 12, 31))
    assert first.label == (
        f"Versement de 10{NBSP}000,00{NBSP}€ — Département des Bouches-du-Rhône à GIP FCIP "
        "(Contribution annuelle)"
    )
    assert first.get_kind_display() == "Versement"
    assert first.instalment.commitment == commitment
    assert first.done_on is None and second.done_on is None
    assert DeadlineKind.INSTALMENT in ACTIONABLE_DEADLINE_KINDS


def test_a_covered_instalment_is_done_on_the_day_the_payments_cover_it(commitment):
    with _at(date(2011, 7, 20)):
        services.payment_add(commitment=commitment, paid_on=date(2011, 7, 5), amount=Decimal(6000))
        first, second = _instalments(commitment.convention)
        assert first.done_on is None  # 6 000 of 10 000
        assert first.is_overdue(date(2011, 7, 20))
        services.payment_add(commitment=commitment, paid_on=date(2011, 7, 15), amount=Decimal(7000))
    first, second = _instalments(commitment.convention)
    assert first.done_on == date(2011, 7, 15)  # 13 000 covers the first 10 000
    assert not first.is_overdue(date(2011, 7, 20))
    assert second.done_on is None  # 3 000 of the second
    with _at(date(2012, 1, 10)):
        services.payment_add(commitment=commitment, paid_on=date(2012, 1, 9), amount=Decimal(7000))
    first, second = _instalments(commitment.convention)
    assert (first.done_on, second.done_on) == (date(2011, 7, 15), date(2012, 1, 9))
    # Without the first payment, 7 000 + 7 000 cover the first instalment only on 9 January.
    with _at(date(2012, 1, 10)):
        services.payment_delete(payment=commitment.payments.get(paid_on=date(2011, 7, 5)))
    first, second = _instalments(commitment.convention)
    assert (first.done_on, second.done_on) == (date(2012, 1, 9), None)


def test_an_uncovered_past_instalment_is_overdue_in_the_echeancier(commitment, manager_client):
    today = date(2011, 7, 20)
    refresh_schedule(commitment.convention, today=today)
    assert Deadline.objects.overdue(today).filter(kind=DeadlineKind.INSTALMENT).count() == 1
    with _at(today):
        response = manager_client.get("/echeancier/", {"overdue": "on"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Versement de 10" in content and "GIP-FCIP-2010" in content
    assert "31 décembre 2011" not in content  # the second is not due yet


def test_a_payment_recorded_ahead_of_its_date_settles_the_instalment_on_that_day(commitment):
    convention = commitment.convention
    with _at(date(2011, 6, 1)):
        services.payment_add(
            commitment=commitment, paid_on=date(2011, 6, 20), amount=Decimal(10000)
        )
    assert _instalments(convention)[0].done_on is None  # not paid yet on 1 June
    convention.refresh_from_db()
    assert convention.next_refresh_on == date(2011, 6, 20)
    refresh_schedule(convention, today=date(2011, 6, 20))
    assert _instalments(convention)[0].done_on == date(2011, 6, 20)


def test_instalments_beyond_the_horizon_and_after_the_end_are_listed(commitment):
    """Instalments are few and written down: all of them, not only the next 24 months."""
    with _at(date(2011, 1, 3)):
        services.instalment_add(
            commitment=commitment, due_on=date(2019, 6, 30), amount=Decimal("5000")
        )
    assert [d.due_on for d in _instalments(commitment.convention)][-1] == date(2019, 6, 30)


def test_two_instalments_on_the_same_day_are_two_deadlines(commitment):
    with _at(date(2011, 1, 3)):
        other = services.commitment_save(
            commitment=FinancialCommitment(
                convention=commitment.convention,
                payer=commitment.payee,
                payee=commitment.payer,
                label="Remboursement",
                amount=Decimal("500"),
                period="once",
            )
        )
        services.instalment_add(commitment=other, due_on=date(2011, 6, 30), amount=Decimal(500))
        services.instalment_add(commitment=other, due_on=date(2011, 6, 30), amount=Decimal(500))
    on_the_day = [d for d in _instalments(commitment.convention) if d.due_on == date(2011, 6, 30)]
    assert len(on_the_day) == 3
    # But one deadline per instalment, and an instalment deadline names its instalment.
    deadline = on_the_day[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            convention=deadline.convention,
            kind=DeadlineKind.INSTALMENT,
            due_on=date(2011, 7, 1),
            label="x",
            instalment=deadline.instalment,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            convention=deadline.convention,
            kind=DeadlineKind.INSTALMENT,
            due_on=date(2011, 7, 1),
            label="x",
        )


def test_deleting_an_instalment_or_its_commitment_removes_its_deadlines(commitment):
    convention = commitment.convention
    with _at(date(2011, 1, 3)):
        services.instalment_delete(instalment=commitment.instalments.order_by("due_on").first())
        assert [d.due_on for d in _instalments(convention)] == [date(2011, 12, 31)]
        services.commitment_delete(commitment=commitment)
    assert _instalments(convention) == []
    assert Deadline.objects.filter(convention=convention).exists()  # the others stay


def test_a_draft_lists_no_instalment_until_it_is_signed():
    convention = ConventionFactory()
    commitment = FinancialCommitmentFactory(convention=convention, period="once")
    services.instalment_add(commitment=commitment, due_on=date(2030, 1, 1), amount=Decimal(1))
    assert _instalments(convention) == []


def test_the_schedule_alone_pure():
    data = core.ScheduleInput(
        signed_on=date(2010, 5, 17),
        duration_months=36,
        instalments=(
            core.InstalmentInput(1, 7, date(2011, 6, 30), Decimal(100), "A", "B", "Subvention"),
            core.InstalmentInput(2, 7, date(2011, 3, 31), Decimal(100), "A", "B", "Subvention"),
            core.InstalmentInput(3, 8, date(2011, 3, 31), Decimal(50), "B", "A", "Frais"),
        ),
        payments=(
            core.PaymentInput(7, date(2011, 4, 2), Decimal(150)),
            core.PaymentInput(7, date(2011, 8, 1), Decimal(50)),  # after `on`
            core.PaymentInput(8, date(2011, 1, 2), Decimal(50)),
        ),
    )
    schedule = core.compute_schedule(data, on=date(2011, 7, 1))
    instalments = [d for d in schedule.deadlines if d.kind == DeadlineKind.INSTALMENT]
    assert [(d.instalment_id, d.due_on, d.done_on) for d in instalments] == [
        (2, date(2011, 3, 31), date(2011, 4, 2)),
        (3, date(2011, 3, 31), date(2011, 1, 2)),
        (1, date(2011, 6, 30), None),
    ]
    assert schedule.next_change_on == date(2011, 8, 1)


def _run(on, *args):
    before = len(mail.outbox)
    with time_machine.travel(
        datetime.datetime(on.year, on.month, on.day, 5, 30, tzinfo=datetime.UTC), tick=False
    ):
        call_command("send_reminders", *args, stdout=io.StringIO())
    return mail.outbox[before:]


def test_reminders_before_an_instalment_and_the_digest_when_overdue(commitment, settings):
    """Nothing else of the convention falls due in 2011 (its term ends in May 2013)."""
    settings.REMINDER_OFFSETS_DAYS = [30]
    (message,) = _run(date(2011, 5, 31))
    assert message.to == ["claire.suivi@ac-aix-marseille.fr"]
    assert message.subject == "Rappel : versement le 30 juin 2011 — GIP-FCIP-2010"
    assert "Versement de 10" in message.body and "GIP FCIP" in message.body
    assert _run(date(2011, 6, 1)) == []
    # Monday 4 July 2011: not paid, so overdue in the weekly digest.
    (digest,) = _run(date(2011, 7, 4), "--digest")
    assert "EN RETARD" in digest.body
    assert "30 juin 2011 : Versement — GIP-FCIP-2010" in digest.body
    # Paid: no longer overdue (nothing to say in the next digest); the second instalment's
    # reminder comes in its time.
    with _at(date(2011, 7, 5)):
        services.payment_add(commitment=commitment, paid_on=date(2011, 7, 5), amount=Decimal(10000))
    assert _run(date(2011, 7, 11), "--digest") == []
    (message,) = _run(date(2011, 12, 1))
    assert message.subject == "Rappel : versement le 31 décembre 2011 — GIP-FCIP-2010"
