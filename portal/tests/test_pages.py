"""The portal's pages as a partner reads them: what they show, what they never show, and
their bounded queries."""

import datetime

import icalendar
import pytest
import time_machine
from django.urls import reverse

from actions.models import ObligationFulfilment
from conventions.enums import ConventionKind
from conventions.models import Party
from documents.signed import store_signed_pdf
from echeancier.refresh import refresh_schedule
from portal.models import DocumentDownload
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ArticleFactory,
    ConventionFactory,
    FinancialCommitmentFactory,
    InstalmentFactory,
    PaymentFactory,
    SteeringMeetingFactory,
    text_unfrozen,
)
from tests.personas import count_queries
from tests.portal_world import PDF, TODAY
from users.models import CalendarToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(settings):
    settings.SITE_URL = "https://conventions.ac-aix-marseille.fr"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_the_signed_conventions_of_the_users_organisations(client, world):
    content = _page(client, world.a.user, reverse("portal:home"))
    assert world.a.convention.reference in content
    assert world.shared.reference in content
    assert world.b.convention.reference not in content
    assert world.draft.reference not in content
    assert "1er mars 2025" in content  # key dates in French
    assert "Organisation A" in content


def test_a_user_of_two_organisations_sees_both(client, world):
    world.b.organisation.members.add(world.a.user)
    content = _page(client, world.a.user, reverse("portal:home"))
    assert world.a.convention.reference in content
    assert world.b.convention.reference in content


def test_convention_page_shows_the_text_in_force_and_what_is_shared(client, world):
    a = world.a
    content = _page(client, a.user, reverse("portal:convention", args=[a.convention.reference]))
    # Articles as in force today: the signed avenant's text replaces the signed one.
    assert "Texte modifié par avenant A" in content
    assert "Modifié par l'avenant N°1" in content
    assert "Avenant signé A" in content
    assert "Signataire 2" in content  # signatories
    assert "Action A" in content  # the action plan
    assert "Données emploi A" in content  # their obligation, with its due dates
    assert "Comité du" in content
    # Never: unsigned avenants, internal notes, unshared minutes, others' material.
    for secret in (
        "Avenant en négociation A",
        "Note interne de résiliation",
        "Note interne de reconduction",
        "Compte rendu interne A",
        "Décisions internes A",
        "Texte signé B",
        "Données emploi B",
    ):
        assert secret not in content, secret
    assert reverse("portal:document", args=[a.convention.reference, a.scan.pk]) in content
    assert f"/documents/{a.private_scan.pk}/" not in content
    # No staff link, no form.
    for staff in ('href="/conventions/', 'href="/partenaires/', 'href="/echeancier/'):
        assert staff not in content
    assert 'method="post"' not in content.replace(
        f'method="post" action="{reverse("portal_account:logout")}"', ""
    )


def test_minutes_appear_once_staff_share_them(client, world):
    a = world.a
    a.meeting.minutes_shared = True
    a.meeting.save()
    content = _page(client, a.user, reverse("portal:convention", args=[a.convention.reference]))
    assert "Compte rendu interne A" in content
    assert "Décisions internes A" in content


def test_obligations_of_another_partner_are_not_shown_the_academys_are(client, world):
    content = _page(
        client, world.a.user, reverse("portal:convention", args=[world.shared.reference])
    )
    assert "Devoir de l&#x27;académie" in content or "Devoir de l'académie" in content
    assert "Devoir de C" not in content
    home = _page(client, world.a.user, reverse("portal:home"))
    assert "Devoir de C" not in home


def test_deliveries_show_against_their_due_dates(client, world):
    a = world.a
    first_due = a.obligation.deadlines.order_by("due_on").first().due_on
    ObligationFulfilment.objects.create(
        obligation=a.obligation, due_on=first_due, delivered_on=first_due - datetime.timedelta(2)
    )
    refresh_schedule(a.convention, today=TODAY)
    response = _client_get(
        client, a.user, reverse("portal:convention", args=[a.convention.reference])
    )
    (obligation,) = response.context["obligations"]
    rows = {o.due_on: o for o in obligation.occurrences}
    assert rows[first_due].public_done_on == first_due - datetime.timedelta(2)
    assert any(o.overdue for o in rows.values())


def _client_get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_rectorats_renewal_decision_does_not_show_in_deadlines(client, world):
    b = world.b
    from tests.factories import RenewalDecisionFactory

    RenewalDecisionFactory(convention=b.convention, decided_on=TODAY, renew=False, note="x")
    refresh_schedule(b.convention, today=TODAY)
    response = _client_get(
        client, b.user, reverse("portal:convention", args=[b.convention.reference])
    )
    content = response.content.decode()
    assert "décidée" not in content
    assert response.context["ends_on"] is None  # not public until it happens
    for deadline in response.context["deadlines"]:
        assert deadline.public_done_on is None or deadline.kind != "notice"


def test_a_stored_signed_pdf_downloads_and_is_logged(client, world):
    a = world.a
    document = store_signed_pdf(a.convention)
    client.force_login(a.user)
    response = client.get(reverse("portal:convention_pdf", args=[a.convention.reference]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.read()
    (log,) = DocumentDownload.objects.all()
    assert (log.user, log.convention, log.document, log.sha256) == (
        a.user,
        a.convention,
        document,
        document.sha256,
    )
    assert log.file_name == document.download_name


def test_a_convention_signed_on_paper_downloads_its_printed_signed_text(client, world):
    a = world.a
    client.force_login(a.user)
    response = client.get(reverse("portal:convention_pdf", args=[a.convention.reference]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{a.convention.reference}-texte-signe.pdf"'
    )
    (log,) = DocumentDownload.objects.all()
    assert log.document is None and log.username == a.user.username
    assert len(log.sha256) == 64


def test_a_signed_avenant_and_a_shared_scan_download_and_are_logged(client, world):
    a = world.a
    client.force_login(a.user)
    response = client.get(reverse("portal:amendment_pdf", args=[a.convention.reference, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    response = client.get(reverse("portal:document", args=[a.convention.reference, a.scan.pk]))
    assert b"".join(response.streaming_content) == PDF
    logs = list(DocumentDownload.objects.order_by("pk"))
    assert [log.amendment for log in logs] == [a.amendment, None]
    assert logs[1].document == a.scan


def test_calendar_page_gives_a_private_address_and_the_feed_lists_the_users_deadlines(
    client, world
):
    a = world.a
    content = _page(client, a.user, reverse("portal:calendar"))
    token = CalendarToken.objects.get(user=a.user).token
    assert f"https://conventions.ac-aix-marseille.fr/portail/agenda/{token}.ics" in content
    # The same address on every visit.
    _page(client, a.user, reverse("portal:calendar"))
    assert CalendarToken.objects.get(user=a.user).token == token
    client.logout()
    response = client.get(reverse("portal:calendar_feed", args=[token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    summaries = " ".join(str(e["summary"]) for e in events)
    descriptions = " ".join(str(e["description"]) for e in events)
    assert "CONV-A" in summaries and "CONV-AC" in summaries
    assert "CONV-B" not in summaries and "DRAFT" not in summaries
    assert "Devoir de C" not in descriptions
    assert "Référent" not in descriptions  # staff detail stays out
    assert "décidée" not in descriptions
    assert all(
        str(e["url"]).startswith("https://conventions.ac-aix-marseille.fr/portail/") for e in events
    )


def _many(world, n, start=0):
    """n more signed conventions of A, and n more articles, plans, meetings, obligations and
    commitments of its convention (numbered from `start`)."""
    for _ in range(n):
        convention = ConventionFactory(
            signed=True,
            parties=[world.academy, world.a.organisation],
            yearly_steering_meeting=True,
        )
        refresh_schedule(convention, today=TODAY)
    a = world.a.convention
    party = Party.objects.get(convention=a, organisation=world.a.organisation)
    for i in range(start, start + n):
        with text_unfrozen():
            ArticleFactory(convention=a, position=10 + i, body=f"Article {i}")
        plan = ActionPlanFactory(convention=a, school_year=2000 + i)
        ActionFactory(plan=plan, number=1)
        SteeringMeetingFactory(convention=a, held_on=datetime.date(2020, 1, 1 + i))
        from tests.factories import ObligationFactory

        ObligationFactory(convention=a, party=party, title=f"Devoir {i}")
        commitment = FinancialCommitmentFactory(convention=a, payee=party)
        InstalmentFactory(commitment=commitment, due_on=TODAY + datetime.timedelta(days=i))
        PaymentFactory(commitment=commitment, paid_on=TODAY)
    refresh_schedule(a, today=TODAY)


@pytest.mark.parametrize("name", ["home", "convention", "calendar", "calendar_feed"])
def test_queries_do_not_grow_with_rows(client, world, name):
    a = world.a
    client.force_login(a.user)

    def url():
        if name == "convention":
            return reverse("portal:convention", args=[a.convention.reference])
        if name == "calendar_feed":
            return reverse(
                "portal:calendar_feed",
                args=[CalendarToken.objects.get_or_create(user=a.user)[0].token],
            )
        return reverse(f"portal:{name}")

    _many(world, 1)  # one row of each list: a list without any is not read at all
    client.get(url())
    response, few = count_queries(client, url())
    assert response.status_code == 200
    _many(world, 6, start=1)
    response, many = count_queries(client, url())
    assert response.status_code == 200
    assert many == few
    # Session (3: savepoint, update, release), user, groups, organisations, then the page's
    # own reads: a dozen at most for the fullest page (23 for the convention, three of them
    # its « Financement »: commitments, instalments, payments).
    assert many <= 24


def test_a_parent_convention_is_a_link_only_when_the_partner_may_read_it(client, world):
    """An application convention names its parent; the partner gets a link to it when their
    organisation is a party to it too, its title alone otherwise."""
    a, b = world.a, world.b
    academy = a.convention.parties.get(organisation__is_academy=True).organisation
    for parent in (a.convention, b.convention):
        child = ConventionFactory(
            reference=f"APPL-{parent.reference}",
            kind=ConventionKind.APPLICATION,
            parent=parent,
            parties=[academy, a.organisation],
            signed_on=datetime.date(2025, 3, 1),
        )
        refresh_schedule(child, today=TODAY)
        content = _page(client, a.user, reverse("portal:convention", args=[child.reference]))
        assert "Convention parente" in content
        link = f'href="{reverse("portal:convention", args=[parent.reference])}"'
        assert (link in content) is (parent == a.convention), parent.reference
        assert str(parent) in content.replace("&#x27;", "'")
