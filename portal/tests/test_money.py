"""Money on the partner portal: a partner sees the commitments its organisation pays or
receives, with their instalments, payments and totals; never another organisation's, not
even on a convention they share, nor what an avenant still in negotiation provides."""

import datetime
from decimal import Decimal

import icalendar
import pytest
import time_machine
from django.urls import reverse

from conventions import services
from conventions.models import FinancialCommitment, Party
from tests.portal_world import TODAY
from users.models import CalendarToken

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _party(convention, organisation):
    return Party.objects.get(convention=convention, organisation=organisation)


def _commit(convention, payer, payee, label, *, amendment=None, instalments=(), payments=()):
    commitment = services.commitment_save(
        commitment=FinancialCommitment(
            convention=convention,
            payer=_party(convention, payer),
            payee=_party(convention, payee),
            label=label,
            amount=Decimal("30000"),
            period="yearly",
            amendment=amendment,
        )
    )
    for due_on, amount in instalments:
        services.instalment_add(commitment=commitment, due_on=due_on, amount=Decimal(amount))
    for paid_on, amount in payments:
        services.payment_add(commitment=commitment, paid_on=paid_on, amount=Decimal(amount))
    return commitment


@pytest.fixture
def money(world):
    """A receives a subsidy on its convention and on the shared one, where C pays the
    académie a contribution of its own; B receives a subsidy; A's avenant in negotiation
    provides a bonus."""
    a, b, academy = world.a, world.b, world.academy
    d = datetime.date
    _commit(
        a.convention,
        academy,
        a.organisation,
        "Subvention de A",
        instalments=[(d(2026, 3, 31), 10000), (d(2026, 9, 30), 10000), (d(2027, 3, 31), 10000)],
        payments=[(d(2026, 4, 2), 10000)],
    )
    _commit(
        a.convention,
        academy,
        a.organisation,
        "Prime en négociation",
        amendment=a.unsigned_amendment,
        instalments=[(d(2027, 1, 15), 500)],
    )
    _commit(a.convention, a.organisation, academy, "Loyer versé par A")
    _commit(
        world.shared,
        academy,
        a.organisation,
        "Aide à A",
        instalments=[(d(2027, 2, 1), 2000)],
    )
    _commit(
        world.shared,
        world.c,
        academy,
        "Contribution de C",
        instalments=[(d(2027, 2, 1), 7000)],
    )
    _commit(
        b.convention,
        academy,
        b.organisation,
        "Subvention de B",
        instalments=[(d(2027, 1, 10), 4000)],
    )


def _page(client, user, convention):
    client.force_login(user)
    response = client.get(reverse("portal:convention", args=[convention.reference]))
    assert response.status_code == 200
    return response, response.content.decode().replace(NBSP, " ")


def test_a_partner_sees_what_its_organisation_pays_and_receives(client, world, money):
    response, content = _page(client, world.a.user, world.a.convention)
    assert 'id="financement"' in content and 'href="#financement"' in content
    assert "Subvention de A" in content and "Loyer versé par A" in content
    # Instalments: the first paid, the second overdue, the third to come; totals.
    assert "Soldée le 2 avril 2026" in content
    assert "En retard" in content
    assert "31 mars 2027" in content and "À venir" in content
    totals = response.context["money"].totals
    assert (totals.committed, totals.paid, totals.remaining) == (30000, 10000, 20000)
    assert totals.per_year == 30000  # the rent, yearly without schedule
    assert "30 000,00 € + 30 000,00 € par an" in content
    # Nothing of an avenant in negotiation, no button, no staff address.
    assert "Prime en négociation" not in content
    assert 'href="/conventions/' not in content
    assert "Enregistrer un versement" not in content


def test_never_another_organisations_commitments_even_on_a_shared_convention(client, world, money):
    _, shared = _page(client, world.a.user, world.shared)
    assert "Aide à A" in shared
    assert "Contribution de C" not in shared
    assert "7 000,00 €" not in shared
    _, own = _page(client, world.a.user, world.a.convention)
    assert "Subvention de B" not in own
    _, b_page = _page(client, world.b.user, world.b.convention)
    assert "Subvention de B" in b_page
    for other in ("Subvention de A", "Aide à A", "Contribution de C", "Loyer versé par A"):
        assert other not in b_page
    client.force_login(world.b.user)
    url = reverse("portal:convention", args=[world.a.convention.reference])
    assert client.get(url).status_code == 404


def test_deadlines_and_feed_list_only_the_instalments_that_concern_the_partner(
    client, world, money
):
    client.force_login(world.a.user)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Versement de 2" in home  # « Aide à A », due 1 February 2027
    assert "Contribution de C" not in home and "Versement de 7" not in home
    assert "Prime en négociation" not in home
    token = CalendarToken.objects.get_or_create(user=world.a.user)[0].token
    feed = icalendar.Calendar.from_ical(
        client.get(reverse("portal:calendar_feed", args=[token])).content
    )
    summaries = " ".join(
        str(event.get("description", "")) + str(event.get("summary", ""))
        for event in feed.walk("VEVENT")
    )
    assert "Aide à A" in summaries and "Subvention de A" in summaries
    assert "Contribution de C" not in summaries
    assert "Subvention de B" not in summaries
    assert "Prime en négociation" not in summaries


def test_the_convention_page_reads_money_in_three_queries_whatever_its_amount(client, world):
    client.force_login(world.a.user)
    url = reverse("portal:convention", args=[world.a.convention.reference])
    client.get(url)
    from tests.personas import count_queries

    _, without = count_queries(client, url)
    for n in range(4):
        _commit(
            world.a.convention,
            world.academy,
            world.a.organisation,
            f"Subvention {n}",
            instalments=[(TODAY, 100), (TODAY + datetime.timedelta(days=30), 100)],
            payments=[(TODAY, 50)],
        )
    response, with_money = count_queries(client, url)
    # None without money; commitments, instalments and payments with some, however many.
    assert with_money == without + 3
    assert response.content.decode().count('data-testid="commitment"') == 4
