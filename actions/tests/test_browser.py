"""The yearly cycle in Debian's Chromium: a gestionnaire sees the steering meeting overdue in
the échéancier, records the meeting, reviews an action, and sees the échéancier change.

Set SCREENSHOT_DIR to keep a screenshot of each step.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import school_year_of
from conventions.rules.formatting import french_date
from echeancier.models import Deadline
from echeancier.refresh import refresh_schedule
from tests.browser import screenshot
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ConventionFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_for_a_meeting_due_ten_days_ago(today):
    """The first yearly meeting is due by term_last_day(start, 12): the day before the
    first anniversary. Start a year and nine days ago: it fell due ten days ago."""
    day = today - timedelta(days=9)
    return day.replace(year=day.year - 1, day=min(day.day, 28))


def test_record_a_meeting_review_an_action_and_see_the_echeancier_change(live_server, browser):
    today = timezone.localdate()
    UserFactory(username="gestionnaire", password="demo", manager=True)
    convention = ConventionFactory(
        reference="CRESS-CYCLE",
        signed_on=_signed_for_a_meeting_due_ten_days_ago(today),
        yearly_steering_meeting=True,
        parties=[OrganisationFactory(academy=True), OrganisationFactory(name="CRESS PACA")],
    )
    plan = ActionPlanFactory(convention=convention, school_year=school_year_of(today))
    ActionFactory(plan=plan, number=1, title="Participation au salon Métierama")
    refresh_schedule(convention, today=today)
    held_on = today - timedelta(days=15)  # within the first year, before its due date

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/connexion/?next=/echeancier/?kind=meeting")
    page.fill("#id_username", "gestionnaire")
    page.fill("#id_password", "demo")
    page.click("button:has-text('Se connecter')")
    row = page.get_by_test_id("deadline-row").filter(has_text="CRESS-CYCLE")
    expect(row).to_contain_text("Comité de pilotage annuel n°1")
    expect(row).to_contain_text("En retard")
    screenshot(page, "actions-01-echeancier-overdue")

    # From the convention page to the meeting form.
    page.goto(live_server.url + convention.get_absolute_url())
    page.get_by_role("link", name="Enregistrer un comité").click()
    expect(page.locator("h1")).to_have_text("Enregistrer un comité de pilotage")
    page.fill("#id_held_on", held_on.isoformat())
    page.fill("#id_place", "Rectorat d'Aix-Marseille")
    page.fill("#id_minutes", "Le comité fait le bilan de l'année.")
    page.fill("#id_decisions", "Reconduire le salon.")
    page.get_by_label("Participants pour CRESS PACA").fill("La déléguée régionale")
    page.select_option("#id_reviewed_plan", label=f"Plan {plan.school_year_label}")
    screenshot(page, "actions-02-meeting-form")
    page.click("button:has-text('Enregistrer le comité')")
    expect(page.locator("h1")).to_have_text(f"Comité de pilotage du {french_date(held_on)}")
    expect(page.get_by_test_id("minutes")).to_contain_text("bilan de l'année")
    expect(page.locator(".fr-alert--success, .fr-alert")).to_contain_text(
        "l'échéancier en tient compte"
    )

    # Review the action.
    review_row = page.get_by_test_id("review-row").filter(has_text="Métierama")
    expect(review_row).to_contain_text("Bilan à faire")
    review_row.get_by_test_id("review").click()
    page.select_option("#id_status", label="Réalisée")
    page.fill("#id_pupils_reached", "-5")
    page.click("button:has-text('Enregistrer le bilan')")
    expect(page.locator(".fr-error-text").first).to_be_visible()
    assert page.locator("#id_pupils_reached").input_value() == "-5"
    page.fill("#id_pupils_reached", "850")
    page.fill("#id_events_held", "3")
    page.fill("#id_assessment", "Stand très fréquenté.")
    page.click("button:has-text('Enregistrer le bilan')")
    expect(review_row).to_contain_text("Réalisée")
    expect(review_row).to_contain_text("850")
    expect(review_row).to_contain_text("Stand très fréquenté.")
    screenshot(page, "actions-03-meeting-reviewed")

    # The plan shows the result; the échéancier no longer shows the meeting overdue.
    page.goto(live_server.url + f"/actions/CRESS-CYCLE/plans/{plan.school_year}/")
    expect(page.get_by_test_id("results")).to_contain_text("850 élèves touchés")
    # The échéancier lists what is overdue or to come: the meeting held leaves it.
    page.goto(live_server.url + "/echeancier/?kind=meeting")
    expect(page.locator("h1")).to_have_text("Échéancier")
    expect(
        page.get_by_test_id("deadline-row").filter(has_text="Comité de pilotage annuel n°1")
    ).to_have_count(0)
    screenshot(page, "actions-04-echeancier-done")
    deadline = Deadline.objects.get(convention=convention, kind="meeting", meeting_number=1)
    assert deadline.done_on == held_on
