"""The échéancier in Debian's Chromium: log in, land on it, filter, follow a convention."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from echeancier.refresh import refresh_schedule
from tests.factories import ConventionFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_for_an_end_in_two_months(today):
    """A 3-year convention signed then ends in about 60 days; its notice deadline (one
    month) falls in about 30: within the échéancier's default 90 days, whatever today is."""
    target = today + timedelta(days=60)
    return date(target.year - 3, target.month, min(target.day, 28))


def test_a_referent_lands_on_the_echeancier_and_filters_it(live_server, browser):
    today = timezone.localdate()
    agent = UserFactory(
        username="agent", first_name="Emmanuelle", last_name="Gestion", manager=True
    )
    other = UserFactory(username="autre", reader=True)
    cress = OrganisationFactory(short_name="CRESS PACA")
    signed_on = _signed_for_an_end_in_two_months(today)
    mine = ConventionFactory(
        reference="CRESS-BROWSER",
        signed_on=signed_on,
        notice_months=1,
        referent=agent,
        yearly_steering_meeting=True,
        parties=[OrganisationFactory(academy=True), cress],
    )
    theirs = ConventionFactory(
        reference="AUTRE-BROWSER", signed_on=signed_on, notice_months=1, referent=other
    )
    for convention in (mine, theirs):
        refresh_schedule(convention, today=today)

    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/echeancier/")
    assert page.locator("h1").inner_text() == "Échéancier"
    rows = page.locator("[data-testid=deadline-row]")
    assert "CRESS-BROWSER" in page.content() and "AUTRE-BROWSER" in page.content()

    page.select_option("select[name=referent]", "moi")
    page.select_option("select[name=kind]", "notice")
    page.click("button:has-text('Filtrer')")
    page.wait_for_load_state()
    assert "referent=moi" in page.url
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "Date limite de préavis" in text
        assert "CRESS-BROWSER" in text and "CRESS PACA" in text and "Emmanuelle Gestion" in text
    assert "AUTRE-BROWSER" not in page.content()
    # The filters keep what was chosen.
    assert page.locator("select[name=kind]").input_value() == "notice"

    page.click("text=CRESS-BROWSER")
    page.wait_for_url(live_server.url + "/conventions/CRESS-BROWSER/")
    assert page.locator("[data-testid=status]").inner_text().lower() == "en vigueur"
