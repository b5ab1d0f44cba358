import datetime

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, ActionContribution, ActionPlan, Obligation, SteeringMeeting
from conventions.models import (
    Amendment,
    Article,
    Convention,
    FinancialCommitment,
    Instalment,
    Party,
    Payment,
    RenewalDecision,
    Signatory,
    Termination,
)
from devtools.generator import generate
from echeancier.models import Deadline
from echeancier.refresh import SCHEDULE_FIELDS

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def _snapshot():
    """Every generated row by natural keys (references, positions, dates), not by primary
    keys, with the computed schedules, deadlines and search documents."""
    by_convention = {
        Party: ("position", "organisation__name"),
        Signatory: ("party__position", "name", "title", "signed_on", "place"),
        Article: ("parent__position", "position", "kind", "heading"),
        Amendment: ("number", "signed_on", "new_duration_months"),
        Termination: ("kind", "received_on", "agreed_last_day"),
        RenewalDecision: ("decided_on", "renew"),
        ActionPlan: ("school_year",),
        SteeringMeeting: ("held_on",),
        Obligation: ("party__position", "rhythm"),
        FinancialCommitment: ("amount", "payer__position", "payee__position"),
        Deadline: ("kind", "due_on", "label", "done_on", "lapses_on", "meeting_number",
                   "instalment__due_on"),
    }  # fmt: skip
    rows = [
        sorted(
            model.objects.values_list(
                "party__convention__reference" if model is Signatory else "convention__reference",
                *fields,
            ),
            key=repr,  # None among the values
        )
        for model, fields in by_convention.items()
    ]
    rows.append(
        sorted(
            Action.objects.values_list(
                "plan__convention__reference", "plan__school_year", "number", "axis", "status"
            )
        )
    )
    rows.append(sorted(ActionContribution.objects.values_list("action__title", "party__position")))
    for model in (Instalment, Payment):
        rows.append(
            sorted(
                model.objects.values_list(
                    "commitment__convention__reference",
                    "due_on" if model is Instalment else "paid_on",
                    "amount",
                )
            )
        )
    conventions = Convention.objects.order_by("reference").values_list(
        "reference", "kind", "signed_on", "duration_months", "parent__reference",
        "renews__reference", "referent__username", "search_document", *SCHEDULE_FIELDS,
    )  # fmt: skip
    return [list(conventions), *rows]


def test_generates_plausible_fictitious_conventions():
    counts = generate(conventions=60, seed=7, today=TODAY)
    assert counts.conventions == Convention.objects.count() == 60
    assert set(Convention.objects.values_list("kind", flat=True)) >= {
        "framework",
        "partnership",
        "application",
    }
    for convention in Convention.objects.prefetch_related("parties", "articles"):
        assert convention.reference.startswith("FICT-7-")
        assert "fictive" in convention.title
        assert 2 <= len(convention.parties.all()) <= 3
        assert 10 <= len(convention.articles.all()) <= 40
        if convention.kind in ("application", "local"):
            assert convention.parent_id is not None
        if convention.signed_on:
            assert TODAY - datetime.timedelta(days=365 * 15) <= convention.signed_on <= TODAY
    # Nested articles are numbered from their position like any other.
    numbers = [a.number for a in Convention.objects.first().numbered_articles()]
    assert numbers[0] == "1" and "1.1" in numbers
    assert Article.objects.filter(parent__isnull=False).exists()
    assert Action.objects.exists()
    # Stored schedules were computed: statuses are not all "projet", deadlines exist.
    assert Convention.objects.exclude(status="draft").exists()
    assert Convention.objects.filter(schedule_computed_on__isnull=True).count() == 0
    # Money: yearly subsidies paid by the académie in instalments, which are deadlines.
    from conventions.models import FinancialCommitment
    from echeancier.models import Deadline

    commitment = FinancialCommitment.objects.select_related("payer__organisation").first()
    assert commitment.payer.organisation.is_academy and commitment.period == "yearly"
    assert commitment.instalments.count() >= 2
    assert Deadline.objects.filter(instalment__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_data_whatever_the_chunks():
    # In chunks of 7, children and renewals refer to conventions of earlier chunks.
    generate(conventions=30, seed=4, today=TODAY, chunk_size=7)
    first = _snapshot()
    assert Convention.objects.filter(renews__isnull=False).exists()
    call_command("flush", "--noinput")
    generate(conventions=30, seed=4, today=TODAY)
    assert _snapshot() == first


def test_command_refuses_a_seed_already_generated():
    call_command("generate_data", "--conventions", "5", "--seed", "2")
    with pytest.raises(CommandError, match="existent déjà"):
        call_command("generate_data", "--conventions", "5", "--seed", "2")


def test_skip_existing_makes_a_second_demo_run_harmless():
    call_command("generate_data", "--conventions", "5", "--seed", "4")
    call_command("generate_data", "--conventions", "5", "--seed", "4", "--skip-existing")
    assert Convention.objects.count() == 5


def test_command_refuses_a_chunk_size_below_one():
    with pytest.raises(CommandError, match="--chunk-size doit être au moins 1"):
        call_command("generate_data", "--conventions", "5", "--chunk-size", "0")
    assert not Convention.objects.exists()
