"""The yearly review (bilan annuel) printed and read back: its plan, results, meetings and
obligations; the page; its queries."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from actions import services
from actions.enums import ActionStatus
from actions.models import ActionPlan, ObligationFulfilment, SteeringMeeting
from conventions.models import Convention
from documents import review as printing
from tests.factories import ActionFactory, ActionPlanFactory, ConventionFactory, ObligationFactory
from tests.pdftext import body_text, find_in_order, normalise, pages_text
from tests.personas import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@time_machine.travel(datetime.datetime(2011, 9, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_the_seed_004_review_reads_back(demo):
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    plan = ActionPlan.objects.get(convention=convention, school_year=2010)
    parties = list(convention.parties.order_by("position"))
    meeting = services.meeting_save(
        meeting=SteeringMeeting(
            convention=convention,
            held_on=D(2011, 5, 10),
            place="Rectorat d'Aix-Marseille",
            minutes="Le comité constate une forte participation au salon.",
            decisions="Reconduire le salon Métierama.",
            reviewed_plan=plan,
        ),
        attendees={parties[0].pk: "Le DAET", parties[1].pk: "La déléguée régionale"},
    )
    salon = plan.actions.get(number=3)
    services.action_review_save(
        meeting=meeting,
        action=salon,
        status=ActionStatus.DONE,
        pupils_reached=850,
        events_held=3,
        assessment="Stand très fréquenté.",
    )
    services.action_review_save(
        meeting=meeting,
        action=plan.actions.get(number=5),
        status=ActionStatus.ABANDONED,
        pupils_reached=None,
        events_held=None,
        assessment="Reportée.",
    )
    obligation = ObligationFactory(convention=convention, title="Bilan des stages")
    ObligationFulfilment.objects.create(
        obligation=obligation,
        due_on=D(2010, 11, 16),
        delivered_on=D(2010, 11, 10),
        description="Tableau des stages du 1er semestre",
    )

    pdf = printing.review_pdf(convention, 2010)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title.startswith("Bilan annuel 2010-2011")
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert "page 2 / " in normalise(pages[1])
    text = body_text(pdf, ["Bilan annuel 2010-2011 — " + convention.short_title])
    find_in_order(
        text,
        [
            "Bilan annuel 2010-2011",
            "Année scolaire du 1er septembre 2010 au 31 août 2011",
            "1. Plan d'action 2010-2011",
            "Axe Information et orientation",
            "Participation au salon Métierama",
            "Réalisée",
            "Élèves touchés : 850",
            "Axe Formation professionnelle",
            "Abandonnée",
            "2. Comités de pilotage",
            "Comité de pilotage du 10 mai 2011, Rectorat d'Aix-Marseille",
            "Le DAET",
            "La déléguée régionale",
            "Le comité constate une forte participation au salon.",
            "Reconduire le salon Métierama.",
            "Stand très fréquenté.",
            "3. Engagements récurrents",
            "Bilan des stages",
            "16 novembre 2010",
            "Remplie",
            "Tableau des stages du 1er semestre",
            "16 mai 2011",
            "En retard",
        ],
    )
    # The totals of the plan: 7 actions, 1 done, 1 abandoned, 850 pupils.
    assert (
        normalise("Actions Prévue En cours Réalisée Abandonnée Élèves touchés Événements") in text
    )
    assert normalise("7 5 0 1 1 850 3") in text


def test_a_year_without_anything_still_prints(manager_client):
    convention = ConventionFactory(signed=True)
    response = manager_client.get(
        reverse("documents:review_pdf", args=[convention.reference, 2015])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = body_text(response.content, [])
    assert normalise("Aucun plan d'action n'est enregistré pour 2015-2016") in text
    assert normalise("Aucun comité de pilotage n'a été enregistré") in text
    assert (
        manager_client.get(
            reverse("documents:review_pdf", args=[convention.reference, 3000])
        ).status_code
        == 404
    )


def test_review_pdf_queries_do_not_grow(reader_client):
    def world(size):
        convention = ConventionFactory(signed=True)
        plan = ActionPlanFactory(convention=convention, school_year=2010)
        for n in range(1, size + 1):
            ActionFactory(plan=plan, number=n, axis=f"Axe {n % 2}")
        services.meeting_save(
            meeting=SteeringMeeting(
                convention=convention, held_on=D(2011, 3, 1), reviewed_plan=plan
            ),
            attendees={},
        )
        for _ in range(size):
            ObligationFactory(convention=convention)
        return reverse("documents:review_pdf", args=[convention.reference, 2010])

    small, large = world(1), world(8)
    _, rendering_few = count_queries(reader_client, small)
    _, rendering_many = count_queries(reader_client, large)
    # Rendered by the task the first time, then served as stored.
    assert rendering_few == rendering_many <= 31
    _, few = count_queries(reader_client, small)
    response, many = count_queries(reader_client, large)
    assert response.status_code == 200
    assert few == many <= 20
