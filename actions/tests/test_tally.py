"""The overview's tally (`actions.tally`), kept by database triggers, always equals a count
of the actions themselves, whatever path writes: forms' saves, bulk creation, queryset
updates, a plan moved to another school year, deletions."""

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from actions import tally
from actions.models import Action, ActionPlan, ActionTally
from tests.factories import ActionFactory, ActionPlanFactory, ConventionFactory

pytestmark = pytest.mark.django_db


def live():
    rows = (
        Action.objects.values("plan__school_year", "axis", "status")
        .annotate(
            n=Count("pk"),
            p=Sum(Coalesce("pupils_reached", 0)),
            e=Sum(Coalesce("events_held", 0)),
        )
        .order_by()
    )
    return {
        (r["plan__school_year"], r["axis"], r["status"]): (r["n"], r["p"], r["e"]) for r in rows
    }


def kept():
    return {
        (t.school_year, t.axis, t.status): (t.actions, t.pupils, t.events)
        for t in ActionTally.objects.filter(actions__gt=0)
    }


def test_the_tally_follows_every_kind_of_write():
    plan = ActionPlanFactory(school_year=2020)
    other = ActionPlanFactory(school_year=2021)
    a = ActionFactory(plan=plan, axis="Orientation", status="planned", pupils_reached=10)
    ActionFactory(plan=plan, axis="Orientation", status="done", pupils_reached=None, events_held=3)
    assert (
        kept()
        == live()
        == {
            (2020, "Orientation", "planned"): (1, 10, 0),
            (2020, "Orientation", "done"): (1, 0, 3),
        }
    )
    a.status, a.pupils_reached = "done", 25
    a.save()
    assert kept() == live()
    Action.objects.bulk_create(
        [
            Action(plan=other, number=n, axis="Formation", title="t", pupils_reached=n)
            for n in (1, 2, 3)
        ]
    )
    assert kept() == live()
    Action.objects.filter(plan=other).update(status="in_progress", axis="Stages")
    assert kept() == live()
    Action.objects.filter(plan=other, number=1).update(plan=plan, number=9)
    assert kept() == live()
    ActionPlan.objects.filter(pk=plan.pk).update(school_year=2019)
    assert kept() == live()
    assert (2020, "Orientation", "done") not in kept()
    a.delete()
    assert kept() == live()
    other.delete()  # its actions go with it
    assert kept() == live()
    Action.objects.all().delete()
    assert kept() == live() == {}


def test_rebuild_recounts_what_the_triggers_keep():
    ActionFactory.create_batch(4, axis="Orientation", status="done", pupils_reached=5)
    before = kept()
    ActionTally.objects.all().delete()
    tally.rebuild()
    assert kept() == before == live()


def test_the_overview_reads_the_tally_and_counts_live_under_other_filters(reader_client):
    one = ConventionFactory(signed=True)
    plan = ActionPlanFactory(convention=one, school_year=2022)
    ActionFactory(plan=plan, axis="Orientation", status="done", pupils_reached=12)
    ActionFactory(plan=plan, axis="Formation", status="planned", pupils_reached=None)
    # A tally made wrong by hand shows that the unfiltered page reads it...
    ActionTally.objects.filter(axis="Formation").update(actions=5)
    response = reader_client.get(reverse("actions:overview"))
    assert response.context["totals"]["total"] == 6
    assert response.context["years"] == [2022]
    # ...and that a filter on the public or a partner counts the actions themselves.
    response = reader_client.get(reverse("actions:overview"), {"audience": "parents"})
    assert response.context["totals"]["total"] == 0
    tally.rebuild()
    response = reader_client.get(reverse("actions:overview"), {"status": "done", "year": 2022})
    assert response.context["totals"]["total"] == 1
    assert response.context["totals"]["pupils"] == 12
