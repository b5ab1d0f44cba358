"""Every mail the application sends is plain text: names with `'`, `&` or `<` arrive as
typed, not as HTML entities (« l'académie d&#x27;Aix-Marseille » in a subject was the bug).

The mails: the portal invitation (partners.accounts) and the forgotten-password link
(portal.account_views), the deadline reminder and the weekly digest (echeancier.reminders).
"""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from echeancier.refresh import refresh_schedule
from tests.factories import ConventionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

ACADEMY = "académie d'Aix-Marseille & <Corse>"
ENTITIES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")


def _assert_plain(message):
    for entity in ENTITIES:
        assert entity not in message.subject, message.subject
        assert entity not in message.body, message.body


def test_the_invitation_shows_names_as_typed(
    manager_client, settings, django_capture_on_commit_callbacks
):
    settings.ACADEMY_NAME = ACADEMY
    organisation = OrganisationFactory(name="L'Atelier & <Fils>", short_name="ATELIER")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("partners:member_invite", args=[organisation.pk]),
            {"email": "zoe@atelier.example.org", "first_name": "Zoé", "last_name": "d'Arc & <Co>"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == (
        "Votre accès au portail des conventions de l'académie d'Aix-Marseille & <Corse>"
    )
    assert message.body.startswith("Bonjour Zoé d'Arc & <Co>,")
    assert "L'académie d'Aix-Marseille & <Corse> vous ouvre un accès" in message.body
    assert "pour L'Atelier & <Fils> :" in message.body
    _assert_plain(message)


def test_the_forgotten_password_mail_shows_names_as_typed(client, settings):
    settings.ACADEMY_NAME = ACADEMY
    organisation = OrganisationFactory(name="L'Atelier & <Fils>")
    user = UserFactory(
        username="zoe", email="zoe@atelier.example.org", first_name="Zoé", last_name="d'Arc & <Co>"
    )
    organisation.members.add(user)
    response = client.post(
        reverse("portal_account:forgotten_password"), {"email": "zoe@atelier.example.org"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == (
        "Votre mot de passe du portail des conventions de l'académie d'Aix-Marseille & <Corse>"
    )
    assert message.body.startswith("Bonjour Zoé d'Arc & <Co>,")
    assert "de l'académie d'Aix-Marseille & <Corse>." in message.body
    _assert_plain(message)


@pytest.fixture
def convention(settings):
    """Signed 17 May 2010 for 3 years, 3 months' notice: notice deadline 17 February 2013;
    its référent, title and partner have the three characters."""
    settings.ACADEMY_NAME = ACADEMY
    settings.REMINDER_OFFSETS_DAYS = [90, 30, 7]
    referent = UserFactory(
        username="zoe", email="zoe@ac-aix-marseille.fr", first_name="Zoé", last_name="d'Arc & <Co>"
    )
    convention = ConventionFactory(
        reference="ATELIER-2010",
        short_title="Jeunes & <entreprises> d'abord",
        signed=True,
        referent=referent,
        parties=[
            OrganisationFactory(academy=True),
            OrganisationFactory(name="L'Atelier & <Fils>", short_name="L'Atelier & <Fils>"),
        ],
    )
    refresh_schedule(convention, today=datetime.date(2012, 11, 1))
    return convention


def _send_reminders(on, *args):
    moment = datetime.datetime(on.year, on.month, on.day, 5, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        call_command("send_reminders", *args, stdout=io.StringIO())
    (message,) = mail.outbox
    return message


def test_the_reminder_shows_names_as_typed(convention):
    message = _send_reminders(datetime.date(2012, 11, 19))  # 90 days before the notice
    assert message.subject == "Rappel : date limite de préavis le 17 février 2013 — ATELIER-2010"
    assert message.body.startswith("Bonjour Zoé d'Arc & <Co>,")
    assert "Convention ATELIER-2010 — Jeunes & <entreprises> d'abord" in message.body
    assert "Partenaires : L'Atelier & <Fils>" in message.body
    assert "Suivi des conventions de partenariat, académie d'Aix-Marseille & <Corse>." in (
        message.body
    )
    _assert_plain(message)


def test_the_weekly_digest_shows_names_as_typed(convention):
    message = _send_reminders(datetime.date(2013, 2, 4), "--digest")
    assert message.subject == "Vos échéances de conventions — semaine du 4 février 2013"
    assert message.body.startswith("Bonjour Zoé d'Arc & <Co>,")
    assert "Partenaires : L'Atelier & <Fils>" in message.body
    assert "Suivi des conventions de partenariat, académie d'Aix-Marseille & <Corse>." in (
        message.body
    )
    _assert_plain(message)


def test_every_mail_template_is_rendered_without_html_escaping():
    """A mail template added later is plain text too: each one, subject or body, is wrapped
    whole in `{% autoescape off %}`."""
    templates = sorted(
        [*ROOT.glob("*/templates/**/email/*.txt"), *ROOT.glob("templates/**/email/*.txt")]
    )
    assert len(templates) == 6
    for template in templates:
        text = template.read_text(encoding="utf-8").strip()
        assert text.startswith("{% autoescape off %}"), template
        assert text.endswith("{% endautoescape %}"), template
