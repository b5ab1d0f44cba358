"""Small wording rules of the pages: a plan's title says its year once; dates read « 1er »;
pupils agree the same way everywhere."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from actions.models import ActionPlan
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def test_a_plan_title_says_its_year_once():
    convention = ConventionFactory()
    typed = ActionPlan(convention=convention, school_year=2011, title="Plan d'action 2011-2012")
    plain = ActionPlan(convention=convention, school_year=2011, title="Plan d'action")
    assert typed.full_title == "Plan d'action 2011-2012" == plain.full_title
    assert str(typed) == "Plan d'action 2011-2012"


def test_moments_read_as_dates_in_french_with_1er():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 2))
    rendered = Template("{% load conventions %}{{ m|date_fr }} · {{ m|moment_fr }}").render(
        Context({"m": moment})
    )
    assert rendered == "1er décembre 2026 · 1er décembre 2026 à 10 h 02"


def test_pupils_agree_alike_on_the_plan_and_the_overview():
    template = Template(
        "{% load partnership %}{{ n|default_if_none:0 }} élève{{ n|default_if_none:0|fr_plural }}"
    )
    assert template.render(Context({"n": 0})) == "0 élève"
    assert template.render(Context({"n": None})) == "0 élève"
    assert template.render(Context({"n": 12})) == "12 élèves"
