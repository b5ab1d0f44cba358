"""Export, then load into an empty database: the same conventions, field by field."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from actions import services as cycle
from actions.enums import Rhythm
from actions.models import ActionPlan, Obligation, ObligationFulfilment, SteeringMeeting
from conventions import services
from conventions.models import Convention, Signatory, Termination
from partners.models import Mandate, Organisation, Person

from .canonical import canonical

pytestmark = pytest.mark.django_db
D = datetime.date


def _export_empty_and_load(tmp_path) -> tuple[dict, dict, list]:
    before = canonical()
    out = tmp_path / "export"
    call_command("export_conventions", "--output", str(out))
    if connection.vendor == "postgresql":
        # The test runs in a transaction: PostgreSQL truncates no table with foreign-key
        # checks still deferred to the commit; run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Convention.objects.exists() and not Organisation.objects.exists()
    call_command("load_conventions", str(out))
    return before, canonical(), sorted(p.name for p in out.iterdir())


def test_the_five_seeds_come_back_field_by_field(demo, tmp_path):
    before, after, files = _export_empty_and_load(tmp_path)
    # One file per family: seed 003's application convention is with its parent.
    assert files == [
        "001-CGPME-AGEFA.yaml",
        "002-CITE-METIERS.yaml",
        "003-CRESS-PACA-2010.yaml",
        "004-METROPOLE-PE-2018.yaml",
        "005-ORM-DONNEES.yaml",
    ]
    assert list(after) == list(before)
    for reference in before:
        for part in before[reference]:
            assert after[reference][part] == before[reference][part], (reference, part)
    # Not a tautology: the comparison sees the texts, the signatories' mandates and the
    # schedule the échéancier computed again.
    cress = after["CRESS-PACA-2010"]
    assert cress["convention"]["current_term_end"] == D(2013, 5, 16)
    assert cress["parties"][0]["signatory"][0]["mandate"]["person"]["last_name"] == "de Gaudemar"
    assert len(cress["action_plans"][0]["actions"]) == 7
    assert after["METROPOLE-PE-2018"]["amendments"][0]["application"] == "METROPOLE-PE-DONNEES"


def _a_life(cress: Convention, metropole: Convention) -> Convention:
    """Through the write services: a signed avenant changing articles, signed by a mandate
    held beside another one, a renewal draft, decisions, a termination, the yearly cycle."""
    today = D(2013, 3, 1)
    gaudemar = Person.objects.get(last_name="de Gaudemar")
    academy = Organisation.objects.get(is_academy=True)
    interim = Mandate.objects.create(
        person=gaudemar,
        organisation=academy,
        title="Recteur par intérim",
        start_date=D(2011, 1, 1),
        end_date=D(2011, 12, 31),
    )
    Organisation.objects.filter(pk=academy.pk).update(
        siret="13000000000013",
        email="ce.recteur@ac-aix-marseille.fr",
        website="https://www.ac-aix-marseille.fr",
    )
    articles = {a.number: a for a in cress.numbered_articles()}
    amendment = services.amendment_create(
        convention=cress,
        title="Prolongation et actualisation",
        body="Le présent avenant prolonge la convention.",
        effective_date=D(2011, 2, 1),
        new_duration_months=48,
    )
    services.article_change_add(
        amendment=amendment, kind="replace", article=articles["3.9"], heading="Durée",
        body="La convention est conclue pour quatre ans.",
    )  # fmt: skip
    services.article_change_add(
        amendment=amendment, kind="add", article=articles["2.1"], heading="Nouvel axe",
        body="Un axe nouveau.",
    )  # fmt: skip
    services.article_change_add(amendment=amendment, kind="add", article=None, body="À la fin.")
    services.article_change_add(amendment=amendment, kind="remove", article=articles["3.2"])
    first, second = amendment.signatories.order_by("party__position")
    services.amendment_sign(signatory=first, on=D(2011, 1, 20), place="Aix", mandate=interim)
    services.amendment_sign(signatory=second, on=D(2011, 1, 25), place="Marseille")

    services.renewal_decision_record(
        convention=cress, decided_on=D(2013, 1, 15), renew=False, note="À renégocier."
    )
    renewal = services.convention_renew(
        convention=cress, reference="A-CRESS-PACA-2013", today=today
    )  # renews one of a family written after its own, by name: the files are ordered
    renewal.tacit_renewal, renewal.renewal_months, renewal.max_renewals = True, 12, 2
    renewal.effective_date, renewal.sent_for_signature_on = D(2013, 9, 1), D(2013, 6, 1)
    renewal.duration_months, renewal.notice_months = 24, 3
    renewal.preamble = "Considérant :\r\n\r\n- un point ;\r\n- un autre."  # as a browser sends it
    services.convention_update(convention=renewal, version=renewal.version)
    party = renewal.parties.order_by("position").last()
    services.party_update(party=party, mandate=None, designation="la CRESS")
    Signatory.objects.filter(party=party, amendment=None).update(mandate=None, name="", title="")

    services.termination_record(
        termination=Termination(
            convention=metropole,
            kind="breach",
            received_on=D(2020, 3, 2),
            cured_on=D(2020, 3, 20),
        )
    )
    services.termination_record(
        termination=Termination(
            convention=cress,
            kind="mutual",
            agreed_last_day=D(2012, 12, 31),
            note="D'un commun accord.",
        )
    )
    services.termination_record(
        termination=Termination(
            convention=metropole,
            kind="notice",
            party=metropole.parties.get(position=2),
            received_on=D(2022, 1, 10),
            requested_on=D(2022, 6, 30),
            note="Courrier du directeur territorial.",
        )
    )

    plan = cress.action_plans.get()
    actions = list(plan.actions.order_by("number"))
    cycle.action_results_save(
        action=actions[0], status="done", pupils_reached=120, events_held=4,
        results_comment="Bien suivi.",
    )  # fmt: skip
    cycle.action_results_save(
        action=actions[1], status="in_progress", pupils_reached=None, events_held=None,
        results_comment="",
    )  # fmt: skip
    actions[3].start_date = D(2011, 1, 10)
    cycle.action_save(action=actions[3], audiences=["teachers", "guidance", "parents"])
    following = cycle.plan_carry_over(plan=plan, title="Plan d'action 2011-2012")
    meeting = cycle.meeting_save(
        meeting=SteeringMeeting(
            convention=cress,
            held_on=D(2011, 6, 20),
            place="Rectorat",
            agenda="Bilan, plan suivant.",
            minutes="Compte rendu.\n\nDeuxième paragraphe.",
            decisions="Plan adopté.",
            minutes_shared=True,
            reviewed_plan=plan,
            adopted_plan=following,
        ),
        attendees={p.pk: f"Pour {p.display_name}" for p in cress.parties.all()},
    )
    cycle.action_review_save(
        meeting=meeting, action=actions[2], status="abandoned", pupils_reached=0,
        events_held=None, assessment="Salon annulé.",
    )  # fmt: skip
    obligation = cycle.obligation_save(
        obligation=Obligation(
            convention=cress,
            party=cress.parties.get(position=2),
            title="Bilan annuel",
            description="Transmettre le bilan.",
            rhythm=Rhythm.FIXED_DATES,
        ),
        fixed_dates=[D(2012, 6, 30), D(2011, 6, 30)],
    )
    cycle.fulfilment_save(
        fulfilment=ObligationFulfilment(
            obligation=obligation,
            due_on=D(2011, 6, 30),
            delivered_on=D(2011, 7, 2),
            description="Bilan 2010-2011.",
        )
    )
    # A party joins by an avenant, then leaves by another signed by two of the three.
    region = Organisation.objects.create(name="Région Provence-Alpes-Côte d'Azur")
    president = Mandate.objects.create(
        person=Person.objects.create(first_name="Michel", last_name="Vauzelle"),
        organisation=region,
        title="Président du conseil régional",
    )
    accession = services.amendment_create(
        convention=cress, title="Adhésion de la Région", effective_date=D(2011, 10, 1)
    )
    services.amendment_party_join(
        amendment=accession, organisation=region, mandate=president, designation="la Région",
        group="les collectivités",
    )  # fmt: skip
    for signatory in accession.signatories.order_by("party__position"):
        services.amendment_sign(signatory=signatory, on=D(2011, 9, 1), place="Marseille")
    withdrawal = services.amendment_create(convention=cress, title="Retrait de la Région")
    services.amendment_party_withdraw(
        amendment=withdrawal, party=cress.parties.get(organisation=region), on=D(2012, 4, 1)
    )
    services.amendment_signatory_remove(signatory=withdrawal.signatories.get(party__position=2))
    for signatory in withdrawal.signatories.order_by("party__position"):
        services.amendment_sign(signatory=signatory, on=D(2012, 3, 1), place="Aix")
    return renewal


def test_every_key_comes_back_after_a_life_through_the_services(demo, tmp_path):
    """What the seeds do not carry (signed avenants with article changes, signatories on a
    second mandate, a renewal, terminations, decisions, meetings, reviews, plans carried
    over, fixed dates, deliveries) comes back too."""
    cress = Convention.objects.get(reference="CRESS-PACA-2010")
    metropole = Convention.objects.get(reference="METROPOLE-PE-2018")
    _a_life(cress, metropole)
    assert ActionPlan.objects.filter(actions__carried_from__isnull=False).exists()

    before, after, files = _export_empty_and_load(tmp_path)

    assert files[:2] == ["001-CGPME-AGEFA.yaml", "002-CITE-METIERS.yaml"]
    # The renewed convention's family is written before the renewal's.
    assert files.index("003-CRESS-PACA-2010.yaml") < files.index("004-A-CRESS-PACA-2013.yaml")
    assert list(after) == list(before)
    for reference in before:
        for part in before[reference]:
            assert after[reference][part] == before[reference][part], (reference, part)
    accession, withdrawal = after["CRESS-PACA-2010"]["amendments"][1:3]
    assert after["CRESS-PACA-2010"]["parties"][2]["joined_by"] == 2
    assert after["CRESS-PACA-2010"]["parties"][2]["signatory"][0]["mandate"]["title"] == (
        "Président du conseil régional"
    )
    assert len(accession["signatories"]) == 3 and len(withdrawal["signatories"]) == 2
    assert withdrawal["withdrawals"][0]["on"] == D(2012, 4, 1)
    amendment = after["CRESS-PACA-2010"]["amendments"][0]
    assert [c["kind"] for c in amendment["changes"]] == ["replace", "add", "add", "remove"]
    assert amendment["signatories"][0]["mandate"]["title"] == "Recteur par intérim"
    assert after["A-CRESS-PACA-2013"]["convention"]["renews"] == "CRESS-PACA-2010"
    assert after["A-CRESS-PACA-2013"]["parties"][1]["signatory"][0]["name"] == ""
    renewal = Convention.objects.get(reference="A-CRESS-PACA-2013")
    assert renewal.preamble == "Considérant :\n\n- un point ;\n- un autre."
    assert "    preamble: |-\n      Considérant :\n\n      - un point ;" in (
        tmp_path / "export" / "004-A-CRESS-PACA-2013.yaml"
    ).read_text(encoding="utf-8")
    carried = after["CRESS-PACA-2010"]["action_plans"][1]["actions"]
    assert carried and all(a["carried_from"] for a in carried)
