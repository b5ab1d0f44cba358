"""The private iCalendar feed and the page that gives its address."""

import datetime
from datetime import date
from html import unescape

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from echeancier.refresh import refresh_schedule
from tests.factories import ConventionFactory, ObligationFactory, UserFactory
from users.models import CalendarToken

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
PAGE = "/calendrier/"


@pytest.fixture(autouse=True)
def _today(settings):
    settings.SITE_URL = "https://conventions.ac-aix-marseille.fr"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def reader():
    return UserFactory(username="lecture", first_name="Louis", last_name="Lecture", reader=True)


@pytest.fixture
def manager():
    return UserFactory(username="gestion", manager=True)


def _convention(referent, reference):
    convention = ConventionFactory(
        reference=reference,
        signed_on=date(2024, 3, 1),
        referent=referent,
        yearly_steering_meeting=True,
    )
    refresh_schedule(convention, today=TODAY)
    return convention


def _feed_path(user):
    return reverse("calendrier:feed", kwargs={"token": CalendarToken.regenerate(user).token})


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_feed_without_login_lists_the_referents_deadlines_as_valid_icalendar(client, reader):
    _convention(reader, "CRESS-2024")
    _convention(UserFactory(reader=True), "OTHER-2024")
    response = client.get(_feed_path(reader))  # anonymous: the token is the credential
    calendar = _parse(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Mes échéances de conventions"
    events = calendar.walk("VEVENT")
    assert events
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Date limite de préavis — CRESS-2024" in summaries
    assert not any("OTHER-2024" in s for s in summaries)
    notice = next(e for e in events if str(e["SUMMARY"]).startswith("Date limite"))
    assert notice.decoded("DTSTART") == date(2026, 12, 1)  # a whole day
    assert notice["DTSTART"].params.get("VALUE") == "DATE"
    assert notice.decoded("DTEND") == date(2026, 12, 2)
    assert str(notice["URL"]) == "https://conventions.ac-aix-marseille.fr/conventions/CRESS-2024/"
    assert "1er décembre 2026" in str(notice["DESCRIPTION"])
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@conventions.ac-aix-marseille.fr") for uid in uids)
    assert all("DTSTAMP" in e for e in events)
    # RFC 5545: CRLF line ends, content lines folded at 75 octets.
    lines = response.content.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_a_manager_gets_every_convention(client, manager, reader):
    _convention(reader, "CRESS-2024")
    _convention(UserFactory(reader=True), "OTHER-2024")
    calendar = _parse(client.get(_feed_path(manager)))
    summaries = " ".join(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert "CRESS-2024" in summaries and "OTHER-2024" in summaries
    assert str(calendar["X-WR-CALNAME"]) == "Échéances des conventions"


def test_uids_stay_the_same_from_one_refresh_to_the_next(client, reader):
    convention = _convention(reader, "CRESS-2024")
    path = _feed_path(reader)
    before = {str(e["UID"]) for e in _parse(client.get(path)).walk("VEVENT")}
    refresh_schedule(convention, today=TODAY)
    after = {str(e["UID"]) for e in _parse(client.get(path)).walk("VEVENT")}
    assert before == after


def test_unknown_regenerated_or_revoked_tokens_are_404(client, reader):
    assert client.get("/calendrier/pas-un-jeton.ics").status_code == 404
    old = _feed_path(reader)
    new = _feed_path(reader)  # regenerated
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    CalendarToken.objects.filter(user=reader).delete()
    assert client.get(new).status_code == 404


def test_a_partner_or_inactive_users_token_gives_nothing(client, reader):
    partner = UserFactory(username="partenaire")
    assert client.get(_feed_path(partner)).status_code == 404
    path = _feed_path(reader)
    reader.is_active = False
    reader.save()
    assert client.get(path).status_code == 404


def test_feed_queries_do_not_grow_with_conventions(client, manager):
    path = _feed_path(manager)
    for n in range(2):
        ObligationFactory(convention=_convention(manager, f"FEW-{n}"))
    with CaptureQueriesContext(connection) as few:
        first = len(_parse(client.get(path)).walk("VEVENT"))
    for n in range(8):
        ObligationFactory(convention=_convention(UserFactory(reader=True), f"MANY-{n}"))
    with CaptureQueriesContext(connection) as many:
        second = len(_parse(client.get(path)).walk("VEVENT"))
    assert second > first
    assert len(many) == len(few) <= 5  # token + user, groups (staff, manager), deadlines


def test_page_personas_and_regenerate_and_revoke(client, reader):
    assert client.get(PAGE).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory(username="partenaire"))
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("calendrier:regenerate")).status_code == 403

    client.force_login(reader)
    html = unescape(client.get(PAGE).content.decode())
    assert "Créer mon adresse d'agenda" in html
    response = client.post(reverse("calendrier:regenerate"), follow=True)
    token = CalendarToken.objects.get(user=reader).token
    html = unescape(response.content.decode())
    assert "Votre adresse d'agenda est prête." in html
    assert f"https://conventions.ac-aix-marseille.fr/calendrier/{token}.ics" in html
    assert "Outlook" in html and "Thunderbird" in html

    response = client.post(reverse("calendrier:regenerate"), follow=True)
    assert "l'ancienne ne fonctionne plus" in unescape(response.content.decode())
    assert CalendarToken.objects.get(user=reader).token != token

    response = client.post(reverse("calendrier:revoke"), follow=True)
    assert "Adresse révoquée" in unescape(response.content.decode())
    assert not CalendarToken.objects.filter(user=reader).exists()
    assert client.get(reverse("calendrier:regenerate")).status_code == 405  # POST only
