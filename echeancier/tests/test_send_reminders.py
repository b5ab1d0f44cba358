"""`send_reminders`: once per deadline, offset and référent, however often it runs."""

import datetime
import io
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from echeancier.models import ReminderSent
from echeancier.refresh import refresh_schedule
from tests.factories import ConventionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(on, *args):
    """The cron job on the morning of `on`; returns the mails it sent."""
    before = len(mail.outbox)
    moment = datetime.datetime(on.year, on.month, on.day, 5, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        call_command("send_reminders", *args, stdout=io.StringIO())
    return mail.outbox[before:]


@pytest.fixture
def referent():
    return UserFactory(
        username="emmanuelle",
        first_name="Emmanuelle",
        last_name="Gestion",
        email="emmanuelle.gestion@ac-aix-marseille.fr",
        manager=True,
    )


@pytest.fixture
def convention(referent, settings):
    """CRESS-like: signed 17 May 2010 for 3 years, 3 months' notice: notice deadline
    17 February 2013, term end 16 May 2013 (provisional application: none)."""
    settings.SITE_URL = "https://conventions.ac-aix-marseille.fr"
    settings.REMINDER_OFFSETS_DAYS = [90, 30, 7]
    cress = OrganisationFactory(short_name="CRESS PACA")
    convention = ConventionFactory(
        reference="CRESS-PACA-2010",
        signed=True,
        referent=referent,
        parties=[OrganisationFactory(academy=True), cress],
    )
    refresh_schedule(convention, today=date(2012, 11, 1))
    return convention


def test_a_reminder_90_days_before_once_however_often_it_runs(convention, referent):
    # 17 February 2013 - 90 days = 19 November 2012.
    assert run(date(2012, 11, 18)) == []
    (message,) = run(date(2012, 11, 19))
    assert message.to == ["emmanuelle.gestion@ac-aix-marseille.fr"]
    assert message.subject == (
        "Rappel : date limite de préavis le 17 février 2013 — CRESS-PACA-2010"
    )
    assert "Bonjour Emmanuelle Gestion" in message.body
    assert "17 février 2013 (dans 90 jours)" in message.body
    assert "CRESS PACA" in message.body
    assert "https://conventions.ac-aix-marseille.fr/conventions/CRESS-PACA-2010/" in message.body
    assert "https://conventions.ac-aix-marseille.fr/echeancier/?referent=moi" in message.body
    assert run(date(2012, 11, 19)) == []  # again the same morning
    assert run(date(2012, 11, 20)) == []
    assert ReminderSent.objects.filter(recipient=referent, offset_days=90).count() == 1


def test_each_offset_once_and_a_gap_sends_one_catch_up(convention):
    mails = []
    day = date(2012, 11, 1)
    while day <= date(2013, 5, 20):
        # Cron was down from 1 to 25 April 2013: the 30-day reminder of the term end
        # (16 April) is sent late, once, on the 26th; the 7-day one on 9 May.
        if not date(2013, 4, 1) <= day <= date(2013, 4, 25):
            mails += [(day, m.subject) for m in run(day)]
        day += datetime.timedelta(days=1)
    assert mails == [
        (
            date(2012, 11, 19),
            "Rappel : date limite de préavis le 17 février 2013 — CRESS-PACA-2010",
        ),
        (date(2013, 1, 18), "Rappel : date limite de préavis le 17 février 2013 — CRESS-PACA-2010"),
        (date(2013, 2, 10), "Rappel : date limite de préavis le 17 février 2013 — CRESS-PACA-2010"),
        (date(2013, 2, 15), "Rappel : fin de période le 16 mai 2013 — CRESS-PACA-2010"),
        (date(2013, 4, 26), "Rappel : fin de période le 16 mai 2013 — CRESS-PACA-2010"),
        (date(2013, 5, 9), "Rappel : fin de période le 16 mai 2013 — CRESS-PACA-2010"),
    ]


def test_a_long_gap_sends_a_single_reminder_for_all_offsets_passed(convention):
    (message,) = run(date(2013, 2, 12))  # first run ever, 5 days before the notice deadline
    assert "(dans 5 jours)" in message.body
    assert set(ReminderSent.objects.values_list("offset_days", flat=True)) == {90, 30, 7}
    assert run(date(2013, 2, 13)) == []


def test_several_deadlines_in_one_mail_per_referent(convention, referent):
    other = ConventionFactory(signed=True, referent=referent, reference="ORM-2010")
    refresh_schedule(other, today=date(2012, 11, 1))
    (message,) = run(date(2012, 11, 19))
    assert message.subject == "Rappel : 2 échéances de vos conventions approchent"
    assert "CRESS-PACA-2010" in message.body and "ORM-2010" in message.body


def test_nothing_for_done_deadlines_or_without_referent_email(convention, referent):
    referent.email = ""
    referent.save()
    assert run(date(2012, 11, 19)) == []
    referent.email = "emmanuelle.gestion@ac-aix-marseille.fr"
    referent.save()
    convention.deadlines.filter(kind="notice").update(done_on=date(2012, 11, 20))
    assert run(date(2013, 1, 18)) == []


def test_weekly_digest_once_per_week(convention):
    # Monday 4 February 2013: the notice deadline is 13 days ahead.
    (digest,) = run(date(2013, 2, 4), "--digest")
    assert digest.subject == "Vos échéances de conventions — semaine du 4 février 2013"
    assert "17 février 2013 (dans 13 jours) : Date limite de préavis — CRESS-PACA-2010" in (
        digest.body
    )
    assert run(date(2013, 2, 4), "--digest") == []
    assert run(date(2013, 2, 7), "--digest") == []  # same week
    (next_week,) = run(date(2013, 2, 11), "--digest")
    assert "(dans 6 jours)" in next_week.body
    # The digest does not stand in for the reminders, nor they for it.
    assert len(run(date(2013, 2, 11))) == 1


def test_digest_lists_what_is_overdue(convention):
    convention.yearly_steering_meeting = True
    convention.save()
    refresh_schedule(convention, today=date(2012, 11, 1))
    (digest,) = run(date(2013, 2, 4), "--digest")
    assert "EN RETARD" in digest.body
    assert "Comité de pilotage annuel n°1" in digest.body
