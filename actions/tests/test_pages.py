"""The staff pages of the yearly cycle: personas, buttons by rights, forms that keep what
was typed with French errors, files checked, and bounded queries on every page."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions import services
from actions.enums import ActionStatus, Audience
from actions.models import (
    Action,
    ActionPlan,
    Obligation,
    ObligationFulfilment,
    SteeringMeeting,
)
from conventions.rules.dates import term_last_day
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ConventionFactory,
    ObligationFactory,
    ObligationFulfilmentFactory,
    OrganisationFactory,
)
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _world(size=1):
    """A signed convention with a plan of `size` actions, a meeting reviewing it, and an
    obligation with deliveries."""
    convention = ConventionFactory(signed=True, yearly_steering_meeting=True)
    plan = ActionPlanFactory(convention=convention, school_year=2010)
    parties = list(convention.parties.order_by("position"))
    for n in range(1, size + 1):
        action = ActionFactory(plan=plan, number=n, axis=f"Axe {n % 3}", pupils_reached=n)
        services.action_save(
            action=action,
            audiences=[Audience.MIDDLE_SCHOOL, Audience.TEACHERS],
            contributions={p.pk: f"Engagement {n} de {p.pk}" for p in parties},
        )
    meeting = services.meeting_save(
        meeting=SteeringMeeting(
            convention=convention, held_on=D(2011, 5, 10), reviewed_plan=plan, minutes="Bilan"
        ),
        attendees={p.pk: f"Participant {p.pk}" for p in parties},
    )
    for action in plan.actions.order_by("number"):
        services.action_review_save(
            meeting=meeting,
            action=action,
            status=ActionStatus.DONE,
            pupils_reached=10,
            events_held=1,
            assessment="Fait",
        )
    obligation = ObligationFactory(convention=convention, rhythm="monthly")
    for k in range(size):
        ObligationFulfilmentFactory(
            obligation=obligation,
            due_on=term_last_day(D(2010, 5, 17), k + 1),
            delivered_on=D(2010, 12, 1),
        )
    return convention, plan, meeting, obligation


def _urls(convention, plan, meeting, obligation):
    ref = convention.reference
    fulfilment = obligation.fulfilments.order_by("pk").first()
    action = plan.actions.order_by("number").first()
    return {
        "read": [
            reverse("actions:overview"),
            reverse("actions:partnership", args=[ref]),
            reverse("actions:plan", args=[ref, plan.school_year]),
            reverse("actions:meeting", args=[ref, meeting.pk]),
            reverse("actions:obligation", args=[ref, obligation.pk]),
        ],
        "write": [
            reverse("actions:plan_create", args=[ref]),
            reverse("actions:plan_edit", args=[ref, plan.school_year]),
            reverse("actions:plan_delete", args=[ref, plan.school_year]),
            reverse("actions:plan_carry_over", args=[ref, plan.school_year]),
            reverse("actions:action_add", args=[ref, plan.school_year]),
            reverse("actions:action_edit", args=[ref, plan.school_year, action.number]),
            reverse("actions:action_delete", args=[ref, plan.school_year, action.number]),
            reverse("actions:meeting_create", args=[ref]),
            reverse("actions:meeting_edit", args=[ref, meeting.pk]),
            reverse("actions:meeting_delete", args=[ref, meeting.pk]),
            reverse("actions:action_review", args=[ref, meeting.pk, action.pk]),
            reverse("actions:obligation_create", args=[ref]),
            reverse("actions:obligation_edit", args=[ref, obligation.pk]),
            reverse("actions:obligation_delete", args=[ref, obligation.pk]),
            reverse("actions:fulfilment_add", args=[ref, obligation.pk]),
            reverse("actions:fulfilment_edit", args=[ref, fulfilment.pk]),
        ],
    }


def test_personas(client, gestionnaire, lecteur, partner):
    urls = _urls(*_world())
    for url in urls["read"] + urls["write"]:
        assert_login_redirect(client.get(url))
    client.force_login(partner)
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 403, url
    client.force_login(lecteur)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in urls["write"]:
        assert client.get(url).status_code == 403, url
    client.force_login(gestionnaire)
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("actions:partnership", args=["NOPE"])).status_code == 404
    assert client.get(reverse("actions:plan", args=["NOPE", 2010])).status_code == 404


def test_reader_sees_no_write_button(reader_client):
    convention, plan, meeting, obligation = _world()
    for url in _urls(convention, plan, meeting, obligation)["read"]:
        content = reader_client.get(url).content.decode()
        for label in (
            "Nouveau plan",
            "Enregistrer un comité",
            "Ajouter une action",
            "Faire le bilan",
            "Modifier le bilan",
            "Enregistrer une livraison",
            "Livraison reçue",
            "Préparer le plan",
        ):
            assert label not in content, (url, label)
    detail = reader_client.get(convention.get_absolute_url()).content.decode()
    assert "Suivi du partenariat" in detail and "Nouveau plan d'action" not in detail


def test_convention_page_links_the_managers_pages(manager_client):
    convention, *_ = _world()
    content = manager_client.get(convention.get_absolute_url()).content.decode()
    for url in (
        reverse("actions:partnership", args=[convention.reference]),
        reverse("actions:plan_create", args=[convention.reference]),
        reverse("actions:meeting_create", args=[convention.reference]),
        reverse("actions:obligation_create", args=[convention.reference]),
    ):
        assert url in content
    # A draft: plans may be prepared, meetings wait for the signature.
    draft = ConventionFactory()
    content = manager_client.get(draft.get_absolute_url()).content.decode()
    assert reverse("actions:plan_create", args=[draft.reference]) in content
    assert reverse("actions:meeting_create", args=[draft.reference]) not in content
    assert (
        manager_client.get(reverse("actions:meeting_create", args=[draft.reference])).status_code
        == 403
    )


@pytest.mark.parametrize("kind", ["read"])
def test_read_pages_queries_do_not_grow_with_rows(manager_client, kind):
    small = _urls(*_world(1))[kind]
    large = _urls(*_world(12))[kind]
    manager_client.get(small[0])  # warm up
    for few_url, many_url in zip(small, large, strict=True):
        _, few = count_queries(manager_client, few_url)
        response, many = count_queries(manager_client, many_url)
        assert response.status_code == 200
        assert few == many <= 20, (many_url, few, many)


def test_write_pages_queries_do_not_grow_with_rows(manager_client):
    small = _urls(*_world(1))["write"]
    large = _urls(*_world(12))["write"]
    manager_client.get(small[0])
    for few_url, many_url in zip(small, large, strict=True):
        _, few = count_queries(manager_client, few_url)
        response, many = count_queries(manager_client, many_url)
        assert response.status_code == 200
        assert few == many <= 20, (many_url, few, many)


def test_overview_filters_totals_and_chart(reader_client):
    cress = OrganisationFactory(name="CRESS PACA")
    other = OrganisationFactory(name="Autre partenaire")
    academy = OrganisationFactory(academy=True)
    one = ConventionFactory(signed=True, parties=[academy, cress])
    two = ConventionFactory(signed=True, parties=[academy, other])
    plan_one = ActionPlanFactory(convention=one, school_year=2010)
    plan_two = ActionPlanFactory(convention=two, school_year=2011)
    a = ActionFactory(plan=plan_one, axis="Orientation", status="done", pupils_reached=100)
    ActionFactory(plan=plan_one, axis="Orientation", status="planned", pupils_reached=None)
    ActionFactory(plan=plan_one, axis="Formation", status="in_progress", pupils_reached=20)
    ActionFactory(plan=plan_two, axis="Formation", status="done", pupils_reached=7)
    services.action_results_save(
        action=a,
        status="done",
        pupils_reached=100,
        events_held=2,
        results_comment="",
        audiences=[Audience.PARENTS],
    )
    url = reverse("actions:overview")
    response = reader_client.get(url)
    assert response.context["totals"]["total"] == 4
    assert response.context["totals"]["pupils"] == 127
    assert response.context["totals"]["done"] == 2
    chart = {row["axis"]: row for row in response.context["chart"]}
    assert chart["Orientation"]["total"] == 2 and chart["Formation"]["total"] == 2
    widths = [s["width"] for s in chart["Orientation"]["segments"]]
    assert widths == ["50.00", "50.00"]
    content = response.content.decode()
    assert 'style="' not in content and "<script>" not in content
    assert "<svg" in content and "réalisée 1" in content

    def count(**params):
        return reader_client.get(url, params).context["page"].paginator.count

    assert count(year=2010) == 3
    assert count(axis="Formation") == 2
    assert count(partner="cress") == 3
    assert count(audience="parents") == 1
    assert count(status="done") == 2
    assert count(status="done", year=2011, partner="autre") == 1
    response = reader_client.get(url, {"year": "deux mille", "status": "nope"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_overview_rows_show_convention_year_audiences_and_state(reader_client):
    """Each row of the overview (read as plain values): its convention and plan as links,
    the school year, its audiences or a dash, its state and results."""
    convention = ConventionFactory(signed=True, reference="ROWS-1")
    plan = ActionPlanFactory(convention=convention, school_year=2012)
    reached = ActionFactory(plan=plan, number=1, title="Forum des **métiers**")
    services.action_results_save(
        action=reached,
        status="done",
        pupils_reached=340,
        events_held=3,
        results_comment="",
        audiences=[Audience.TEACHERS, Audience.MIDDLE_SCHOOL],
    )
    ActionFactory(plan=plan, number=2, title="Visites", status="planned")
    content = reader_client.get(reverse("actions:overview")).content.decode()
    rows = content.split('data-testid="row"')[1:]
    assert len(rows) == 2
    first = next(row for row in rows if "Forum des" in row)
    assert f'href="{reverse("actions:partnership", args=["ROWS-1"])}"' in first
    assert reverse("actions:plan", args=["ROWS-1", 2012]) in first
    assert "2012-2013" in first
    assert "Forum des <strong>métiers</strong>" in first
    assert "Collégiens, Enseignants" in first
    assert "Réalisée" in first and "340" in first
    second = next(row for row in rows if "Visites" in row)
    assert "<td>—</td>" in second and "Prévue" in second


def _read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_export_is_the_filtered_overview(reader_client):
    plan = ActionPlanFactory(school_year=2010)
    ActionFactory(plan=plan, number=1, axis="Orientation", status="done", title="Salon ; Métierama")
    ActionFactory(plan=plan, axis="Formation", status="planned")
    response = reader_client.get(reverse("actions:export"), {"axis": "Orientation"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _read_csv(response)
    assert rows[0][:4] == ["Convention", "Année scolaire", "Axe", "N°"]
    assert len(rows) == 2
    assert rows[1][1:5] == ["2010-2011", "Orientation", "1", "Salon ; Métierama"]
    assert rows[1][7] == "Réalisée"


def test_export_queries_do_not_grow_with_rows(reader_client):
    plan = ActionPlanFactory()
    ActionFactory(plan=plan)

    def run():
        with_queries = count_queries(reader_client, reverse("actions:export"))
        response, queries = with_queries
        rows = _read_csv(response)
        return len(rows), queries

    reader_client.get(reverse("actions:overview"))
    rows, few = run()
    for _ in range(10):
        ActionFactory(plan=plan)
    more, many = run()
    assert (rows, more) == (2, 12)
    assert few == many


def test_plan_form_keeps_input_and_refuses_a_taken_year(manager_client):
    plan = ActionPlanFactory(school_year=2010)
    url = reverse("actions:plan_create", args=[plan.convention.reference])
    response = manager_client.post(url, {"school_year": "2010", "title": "Mon plan"})
    assert response.status_code == 200
    assert "déjà un plan pour 2010-2011" in response.content.decode()
    assert 'value="Mon plan"' in response.content.decode()
    response = manager_client.post(url, {"school_year": "1800", "title": "Mon plan"})
    assert "entre 1990 et 2100" in response.content.decode()
    response = manager_client.post(url, {"school_year": "2011", "title": "Mon plan"})
    assert response.status_code == 302
    assert ActionPlan.objects.filter(convention=plan.convention, school_year=2011).exists()


def test_action_form_with_parties_audiences_and_number_checks(manager_client):
    convention = ConventionFactory()
    plan = ActionPlanFactory(convention=convention, school_year=2012)
    ActionFactory(plan=plan, number=1)
    academy, partner = convention.parties.order_by("position")
    url = reverse("actions:action_add", args=[convention.reference, 2012])
    data = {
        "number": "1",
        "axis": "Information et orientation",
        "title": "Visites d'entreprises",
        "status": "planned",
        "audiences": ["middle_school", "parents"],
        f"party_{academy.pk}": "Préparation pédagogique",
        f"party_{partner.pk}": "Accueil des classes",
    }
    response = manager_client.post(url, data)
    content = response.content.decode()
    assert "L&#x27;action n°1 existe déjà dans ce plan." in content
    assert "Accueil des classes" in content  # kept
    data["number"] = ""
    response = manager_client.post(url, {**data, "pupils_reached": "-3"})
    assert response.status_code == 200
    assert "supérieure ou égale à 0" in response.content.decode()
    response = manager_client.post(url, data)
    assert response.status_code == 302
    action = plan.actions.get(number=2)
    assert sorted(a.audience for a in action.audiences.all()) == ["middle_school", "parents"]
    assert action.contributions.get(party=partner).text == "Accueil des classes"


def test_a_signed_annexed_plan_only_takes_results(manager_client, demo):
    plan = ActionPlan.objects.get(convention__reference="CRESS-PACA-2010", school_year=2010)
    assert plan.annex_id and plan.actions.count() == 7
    ref = "CRESS-PACA-2010"
    assert manager_client.get(reverse("actions:action_add", args=[ref, 2010])).status_code == 403
    url = reverse("actions:action_edit", args=[ref, 2010, 3])
    response = manager_client.get(url)
    assert "Intitulé" not in response.content.decode()
    response = manager_client.post(
        url,
        {"status": "done", "pupils_reached": "850", "events_held": "3", "audiences": ["parents"]},
    )
    assert response.status_code == 302
    action = plan.actions.get(number=3)
    assert (action.status, action.pupils_reached) == ("done", 850)
    assert action.title.startswith("Participation au salon Métierama")
    # The seed's audiences were loaded, and replaced by the form's.
    assert [a.audience for a in action.audiences.all()] == ["parents"]
    assert plan.actions.get(number=1).audiences.count() == 2


@time_machine.travel(datetime.datetime(2011, 5, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_meeting_form_with_attendees_and_review(manager_client):
    convention = ConventionFactory(signed=True, yearly_steering_meeting=True)
    plan = ActionPlanFactory(convention=convention, school_year=2010)
    action = ActionFactory(plan=plan, number=1)
    academy, partner = convention.parties.order_by("position")
    url = reverse("actions:meeting_create", args=[convention.reference])
    form = manager_client.get(url).context["form"]
    assert form.initial["reviewed_plan"] == plan
    data = {
        "held_on": "2011-13-40",
        "place": "Rectorat",
        "minutes": "Compte rendu",
        "reviewed_plan": plan.pk,
        f"attendees_{academy.pk}": "M. le DAET",
        f"attendees_{partner.pk}": "La présidente",
    }
    response = manager_client.post(url, data)
    assert "Saisissez une date valide" in response.content.decode()
    assert "La présidente" in response.content.decode()
    other_plan = ActionPlanFactory()
    response = manager_client.post(
        url, {**data, "held_on": "2011-05-10", "adopted_plan": other_plan.pk}
    )
    assert "Choisissez un plan de cette convention." in response.content.decode()
    response = manager_client.post(url, {**data, "held_on": "2011-05-10"})
    meeting = SteeringMeeting.objects.get(convention=convention)
    assert response["Location"] == reverse(
        "actions:meeting", args=[convention.reference, meeting.pk]
    )
    assert meeting.attendances.get(party=partner).attendees == "La présidente"
    assert convention.deadlines.get(kind="meeting", meeting_number=1).done_on == D(2011, 5, 10)

    review_url = reverse(
        "actions:action_review", args=[convention.reference, meeting.pk, action.pk]
    )
    response = manager_client.post(review_url, {"status": "done", "pupils_reached": "abc"})
    assert "Saisissez un nombre entier." in response.content.decode()
    response = manager_client.post(
        review_url, {"status": "done", "pupils_reached": "60", "assessment": "Très bien"}
    )
    assert response.status_code == 302
    page = manager_client.get(reverse("actions:meeting", args=[convention.reference, meeting.pk]))
    assert "Très bien" in page.content.decode()
    action.refresh_from_db()
    assert action.status == "done" and action.pupils_reached == 60


def test_obligation_form_with_fixed_dates(manager_client):
    convention = ConventionFactory(signed=True)
    party = convention.parties.order_by("position").last()
    url = reverse("actions:obligation_create", args=[convention.reference])
    data = {"party": party.pk, "title": "Bilan financier", "rhythm": "fixed_dates"}
    response = manager_client.post(url, {**data, "fixed_dates": "31/12/2010\n31/02/2011"})
    content = response.content.decode()
    assert "Dates non reconnues : 31/02/2011" in content
    assert "31/12/2010" in content  # kept
    response = manager_client.post(url, data)
    assert "Indiquez au moins une date" in response.content.decode()
    foreign = ConventionFactory().parties.first()
    response = manager_client.post(url, {**data, "party": foreign.pk, "fixed_dates": "31/12/2010"})
    assert "Choisissez une partie de la convention." in response.content.decode()
    response = manager_client.post(url, {**data, "fixed_dates": "31/12/2010\n2011-06-30"})
    assert response.status_code == 302
    obligation = Obligation.objects.get(convention=convention)
    assert [d.due_on for d in obligation.fixed_dates.order_by("due_on")] == [
        D(2010, 12, 31),
        D(2011, 6, 30),
    ]


@time_machine.travel(datetime.datetime(2011, 1, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_fulfilment_with_a_checked_file(manager_client, lecteur):
    convention = ConventionFactory(signed=True)
    obligation = ObligationFactory(convention=convention, rhythm="half_yearly")
    page = reverse("actions:obligation", args=[convention.reference, obligation.pk])
    assert manager_client.get(page).context["obligation"].occurrences[0].is_overdue
    url = reverse("actions:fulfilment_add", args=[convention.reference, obligation.pk])
    data = {"due_on": "2010-11-16", "delivered_on": "2011-01-10", "description": "Données S1"}
    fake = SimpleUploadedFile("donnees.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = manager_client.post(url, {**data, "file": fake})
    content = response.content.decode()
    assert "ne correspond pas à son extension" in content
    assert "Données S1" in content
    exe = SimpleUploadedFile("outil.exe", b"MZ", "application/octet-stream")
    assert (
        "Type de fichier non accepté"
        in manager_client.post(url, {**data, "file": exe}).content.decode()
    )
    big = SimpleUploadedFile("gros.csv", b"a;b\n" * (3 * 1024 * 1024), "text/csv")
    assert "la limite est de" in manager_client.post(url, {**data, "file": big}).content.decode()
    future = manager_client.post(url, {**data, "delivered_on": "2011-02-01"})
    assert "dans le futur" in future.content.decode()
    wrong = manager_client.post(url, {**data, "due_on": "2010-11-17"})
    assert "Choisissez une échéance de cet engagement." in wrong.content.decode()

    good = SimpleUploadedFile("donnees.pdf", PDF, "application/pdf")
    response = manager_client.post(url, {**data, "file": good})
    assert response.status_code == 302
    fulfilment = ObligationFulfilment.objects.get(obligation=obligation)
    occurrence = manager_client.get(page).context["obligation"].occurrences[0]
    assert occurrence.is_fulfilled and occurrence.delivery.record == fulfilment
    assert convention.deadlines.get(obligation=obligation, due_on=D(2010, 11, 16)).done_on
    reader = Client()
    reader.force_login(lecteur)
    download = reader.get(
        reverse("actions:fulfilment_file", args=[convention.reference, fulfilment.pk])
    )
    assert b"".join(download.streaming_content) == PDF

    response = manager_client.post(
        reverse("actions:fulfilment_delete", args=[convention.reference, fulfilment.pk])
    )
    assert response.status_code == 302
    assert not ObligationFulfilment.objects.exists()
    assert manager_client.get(page).context["obligation"].occurrences[0].is_overdue


def test_carry_over_page(manager_client):
    plan = ActionPlanFactory(school_year=2010)
    ActionFactory(plan=plan, number=1, status="done")
    ActionFactory(plan=plan, number=2, status="in_progress", title="À poursuivre")
    url = reverse("actions:plan_carry_over", args=[plan.convention.reference, 2010])
    assert "1 action(s)" in manager_client.get(url).content.decode()
    response = manager_client.post(url, {"title": ""})
    assert response["Location"] == reverse("actions:plan", args=[plan.convention.reference, 2011])
    assert list(Action.objects.filter(plan__school_year=2011).values_list("number", "title")) == [
        (1, "À poursuivre")
    ]
    again = manager_client.post(url, {"title": ""})
    assert "déjà un plan pour 2011-2012" in again.content.decode()


def test_demo_plan_and_obligations_show(reader_client, demo):
    page = reader_client.get(reverse("actions:plan", args=["CRESS-PACA-2010", 2010]))
    content = page.content.decode()
    assert content.count('data-testid="action"') == 7
    assert "Axe Information et orientation" in content and "Axe Actions pédagogiques" in content
    assert "Participation au salon Métierama" in content
    overview = reader_client.get(reverse("actions:overview"))
    assert overview.context["totals"]["total"] == 7
    assert [r["axis"] for r in overview.context["chart"]] == [
        "Actions pédagogiques",
        "Formation professionnelle",
        "Information et orientation",
    ]
    partnership = reader_client.get(reverse("actions:partnership", args=["METROPOLE-PE-DONNEES"]))
    obligations = partnership.context["obligations"]
    assert [
        (o.party.organisation.short_name or o.party.organisation.name, o.rhythm)
        for o in obligations
    ] and all(o.rhythm == "half_yearly" for o in obligations)
    assert len(obligations) == 2
