"""Signatures, avenants, renewal and events, through the pages and the services."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse

from conventions import services
from conventions.models import (
    Amendment,
    Annex,
    Convention,
    RenewalDecision,
    Signatory,
    Termination,
)
from conventions.services import drafting
from documents.models import SignedDocument
from echeancier.refresh import refresh_schedule
from tests.factories import (
    AmendmentFactory,
    ArticleFactory,
    ConventionFactory,
    MandateFactory,
    OrganisationFactory,
    TerminationFactory,
    sign,
)
from tests.personas import assert_login_redirect

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 1)


def _signatories(convention):
    return list(convention.parties.order_by("position").values_list("signatories__pk", flat=True))


@time_machine.travel(TODAY)
def test_recording_each_signature_then_the_text_is_frozen(manager_client):
    convention = ConventionFactory()
    ArticleFactory(convention=convention)
    first, last = _signatories(convention)
    url = reverse("conventions:sign", args=[convention.reference, first])
    response = manager_client.post(
        url, {"signed_on": "2024-05-02", "place": "Marseille", "name": "A", "title": "B"}
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.signed_on is None  # one party still to sign
    response = manager_client.post(
        reverse("conventions:sign", args=[convention.reference, last]),
        {"signed_on": "2024-05-10", "place": "Aix-en-Provence", "name": "C", "title": "D"},
        follow=True,
    )
    assert "la convention est signée" in response.content.decode()
    convention.refresh_from_db()
    assert convention.signed_on == datetime.date(2024, 5, 10)
    assert convention.signature_place == "Aix-en-Provence"
    # Frozen: the services refuse, the pages answer 403.
    with pytest.raises(ValidationError):
        drafting.article_add(
            convention=convention, parent=None, kind="article", heading="x", body="y"
        )
    with pytest.raises(ValidationError):
        services.convention_update(convention=convention, version=convention.version)
    assert manager_client.get(url).status_code == 403


@time_machine.travel(TODAY)
def test_signature_form_refuses_bad_dates_and_keeps_input(manager_client):
    convention = ConventionFactory()
    signatory = _signatories(convention)[0]
    url = reverse("conventions:sign", args=[convention.reference, signatory])
    for value, message in [
        ("2024-06-02", "dans le futur"),
        ("2024-02-30", "Saisissez une date valide"),
        ("", "Ce champ est obligatoire"),
        ("1789-07-14", "entre 1990 et 2100"),
    ]:
        response = manager_client.post(
            url, {"signed_on": value, "place": "<i>Aix</i>", "name": "N", "title": "T"}
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert message in content
        assert "&lt;i&gt;Aix&lt;/i&gt;" in content
    convention.refresh_from_db()
    assert convention.signed_on is None


@time_machine.travel(TODAY)
def test_signature_by_another_representative_copies_the_mandate(manager_client):
    convention = ConventionFactory()
    party = convention.parties.order_by("position").last()
    mandate = MandateFactory(
        organisation=party.organisation, title="Vice-président", person__last_name="Roux"
    )
    signatory = party.signatories.get()
    manager_client.post(
        reverse("conventions:sign", args=[convention.reference, signatory.pk]),
        {"signed_on": "2024-05-02", "place": "Aix", "mandate": mandate.pk},
    )
    signatory.refresh_from_db()
    assert (signatory.name, signatory.title, signatory.mandate) == (
        "Dominique Roux",
        "Vice-président",
        mandate,
    )


def test_signature_refusals(client, lecteur, partner):
    convention = ConventionFactory()
    signatory = _signatories(convention)[0]
    url = reverse("conventions:sign", args=[convention.reference, signatory])
    data = {"signed_on": "2020-01-01", "place": "Aix", "name": "N", "title": "T"}
    assert_login_redirect(client.post(url, data))
    for user in (lecteur, partner):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not convention.parties.filter(signatories__signed_on__isnull=False).exists()


@time_machine.travel(TODAY)
def test_avenant_from_creation_to_signature(manager_client, lecteur):
    reader_client = Client()
    reader_client.force_login(lecteur)
    convention = ConventionFactory()
    duration = ArticleFactory(convention=convention, heading="Durée", body="Trois ans.")
    ArticleFactory(convention=convention, heading="Litiges", body="Tribunal.")
    sign(convention)
    ref = convention.reference
    response = manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Prolongation", "new_duration_months": "60"},
    )
    amendment = Amendment.objects.get(convention=convention)
    assert amendment.number == 1
    assert response["Location"] == reverse("conventions:amendment", args=[ref, 1])
    change_url = reverse("conventions:article_change_add", args=[ref, 1])
    response = manager_client.post(
        change_url,
        {"kind": "replace", "article": duration.pk, "heading": "", "body": "Cinq ans."},
    )
    assert response.status_code == 302
    manager_client.post(change_url, {"kind": "add", "article": duration.pk, "body": "Bilan."})
    # A replacement without text, or of an unknown article, is refused next to the field.
    response = manager_client.post(change_url, {"kind": "replace", "article": "", "body": ""})
    content = response.content.decode()
    assert "Choisissez l&#x27;article remplacé ou supprimé." in content
    assert "Indiquez le texte de l&#x27;article." in content
    response = manager_client.post(change_url, {"kind": "remove", "article": "999999"})
    assert response.status_code == 200
    assert amendment.changes.count() == 2

    page = reader_client.get(reverse("conventions:amendment", args=[ref, 1]))
    assert page.status_code == 200
    assert "Article remplacé : Article 1" in page.content.decode()
    assert "Enregistrer la signature" not in page.content.decode()

    for signatory in amendment.signatories.order_by("party__position"):
        response = manager_client.post(
            reverse("conventions:amendment_sign", args=[ref, 1, signatory.pk]),
            {"signed_on": "2012-05-20", "place": "Aix", "name": "N", "title": "T"},
        )
        assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.signed_on == datetime.date(2012, 5, 20)
    content = reader_client.get(convention.get_absolute_url()).content.decode()
    assert "Cinq ans." in content and "Trois ans." not in content
    assert "Article 1 bis" in content
    # Signed: the avenant no longer changes.
    assert manager_client.get(change_url).status_code == 403
    assert manager_client.post(change_url, {"kind": "add", "body": "x"}).status_code == 403
    # The next avenant is N°2.
    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Autre", "effective_date": "2012-06-01"},
    )
    assert convention.amendments.order_by("number").last().number == 2


def test_avenant_refusals(client, lecteur, partner):
    convention = ConventionFactory(signed=True)
    draft = ConventionFactory()
    amendment = AmendmentFactory(convention=convention, number=1)
    signatory = convention.parties.first().signatories.create(
        amendment=amendment, name="N", title="T"
    )
    ref = convention.reference
    urls = [
        reverse("conventions:amendment_create", args=[ref]),
        reverse("conventions:amendment_edit", args=[ref, 1]),
        reverse("conventions:article_change_add", args=[ref, 1]),
        reverse("conventions:amendment_sign", args=[ref, 1, signatory.pk]),
    ]
    for user in (lecteur, partner):
        client.force_login(user)
        for url in urls:
            assert client.post(url, {"title": "x", "body": "x", "kind": "add"}).status_code == 403
    assert client.get(reverse("conventions:amendment", args=[ref, 1])).status_code == 403
    client.force_login(lecteur)
    assert client.get(reverse("conventions:amendment", args=[ref, 1])).status_code == 200
    assert Amendment.objects.count() == 1
    # No avenant to a draft, even for a gestionnaire.
    client.logout()
    from tests.factories import UserFactory

    client.force_login(UserFactory(manager=True))
    response = client.get(reverse("conventions:amendment_create", args=[draft.reference]))
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.amendment_create(convention=draft, title="x")


@time_machine.travel(TODAY)
def test_avenant_effective_date_before_the_convention_is_refused(manager_client):
    convention = ConventionFactory(signed=True)
    response = manager_client.post(
        reverse("conventions:amendment_create", args=[convention.reference]),
        {"title": "Tôt", "effective_date": "2009-01-01"},
    )
    assert response.status_code == 200
    assert "avant la convention" in response.content.decode()


@time_machine.travel(TODAY)
def test_no_avenant_signed_or_taking_effect_after_the_convention_ended(manager_client):
    """Signed 17 May 2010 for three years without tacit renewal: it applies until 16 May 2013.
    An avenant recorded later (a paper one, entered afterwards) is dated within that life."""
    convention = ConventionFactory(signed=True, tacit_renewal=False)
    refresh_schedule(convention, today=TODAY)
    assert convention.ends_on == datetime.date(2013, 5, 16)
    ref = convention.reference
    response = manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Trop tard", "effective_date": "2013-05-17"},
    )
    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert "La convention ne s'applique plus après le 16 mai 2013" in content
    assert "Trop tard" in content  # what was typed is kept
    assert not convention.amendments.exists()
    # Without a date: refused at once, not at its signature.
    response = manager_client.post(
        reverse("conventions:amendment_create", args=[ref]), {"title": "Sans date"}
    )
    assert "La convention a pris fin le 16 mai 2013" in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not convention.amendments.exists()

    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Prolongation", "effective_date": "2013-05-16"},
    )
    amendment = convention.amendments.get()
    first, second = amendment.signatories.order_by("party__position")
    url = reverse("conventions:amendment_sign", args=[ref, 1, first.pk])
    response = manager_client.post(
        url, {"signed_on": "2013-06-01", "place": "Aix", "name": "N", "title": "T"}
    )
    assert response.status_code == 200
    assert "ne s&#x27;applique plus après le 16 mai 2013" in response.content.decode()
    first.refresh_from_db()
    assert first.signed_on is None
    for signatory in (first, second):
        response = manager_client.post(
            reverse("conventions:amendment_sign", args=[ref, 1, signatory.pk]),
            {"signed_on": "2013-04-30", "place": "Aix", "name": "N", "title": "T"},
        )
        assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.signed_on == datetime.date(2013, 4, 30)


@time_machine.travel(TODAY)
def test_renew_copies_parties_text_in_force_and_annexes(manager_client):
    old = ConventionFactory(reference="OLD-2010", preamble="Considérant.")
    top = ArticleFactory(convention=old, heading="Objet", body="Ancien objet.")
    ArticleFactory(convention=old, parent=top, position=1, heading="Détail", body="d")
    Annex.objects.create(convention=old, position=1, title="Contacts", tables=[{"a": 1}])
    sign(old)
    amendment = services.amendment_create(convention=old, title="Objet")
    services.article_change_add(amendment=amendment, kind="replace", article=top, body="Nouvel.")
    for signatory in amendment.signatories.all():
        services.amendment_sign(signatory=signatory, on=datetime.date(2012, 1, 1), place="Aix")
    url = reverse("conventions:renew", args=[old.reference])
    form = manager_client.get(url)
    assert 'value="OLD-2010-R1"' in form.content.decode()
    response = manager_client.post(
        url, {"reference": "OLD-2010-R1", "title": old.title, "short_title": "Renouvelée"}
    )
    assert response.status_code == 302
    new = Convention.objects.get(reference="OLD-2010-R1")
    assert new.renews == old and new.signed_on is None and new.preamble == "Considérant."
    assert [(a.number, a.heading, a.body) for a in new.numbered_articles()] == [
        ("1", "Objet", "Nouvel."),
        ("1.1", "Détail", "d"),
    ]
    assert list(new.annexes.values_list("title", "tables")) == [("Contacts", [{"a": 1}])]
    assert new.parties.count() == 2
    assert all(p.signatories.get().signed_on is None for p in new.parties.all())
    # The reference is unique: a second renewal with it is refused, input kept.
    response = manager_client.post(
        url, {"reference": "OLD-2010-R1", "title": "T", "short_title": "S"}
    )
    assert "déjà cette référence" in response.content.decode()
    assert 'value="OLD-2010-R2"' in manager_client.get(url).content.decode()


def test_renew_refusals(client, lecteur, partner):
    old = ConventionFactory(signed=True)
    url = reverse("conventions:renew", args=[old.reference])
    for user in (lecteur, partner):
        client.force_login(user)
        assert (
            client.post(url, {"reference": "X", "title": "T", "short_title": "S"}).status_code
            == 403
        )
    assert Convention.objects.count() == 1


@time_machine.travel(TODAY)
def test_record_a_termination_letter_and_a_cured_breach(manager_client):
    convention = ConventionFactory(signed=True)
    party = convention.parties.order_by("position").last()
    url = reverse("conventions:termination_add", args=[convention.reference])
    response = manager_client.post(
        url,
        {
            "kind": "notice",
            "party": party.pk,
            "received_on": "2024-01-10",
            "requested_on": "2024-04-01",
        },
    )
    assert response.status_code == 302
    termination = Termination.objects.get()
    assert termination.party == party
    response = manager_client.post(url, {"kind": "breach", "received_on": "2024-02-01"})
    breach = Termination.objects.get(kind="breach")
    edit = reverse("conventions:termination_edit", args=[convention.reference, breach.pk])
    response = manager_client.post(
        edit, {"kind": "breach", "received_on": "2024-02-01", "cured_on": "2024-02-15"}
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.cured_on == datetime.date(2024, 2, 15)
    content = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Manquement réparé le 15 février 2024" in content


@pytest.mark.parametrize(
    "data,field_message",
    [
        ({"kind": "notice"}, "Indiquez la date de réception du courrier."),
        ({"kind": "mutual"}, "Indiquez le dernier jour convenu."),
        ({"kind": "notice", "received_on": "2024-01-10"}, "Indiquez la partie qui résilie."),
        (
            {"kind": "breach", "received_on": "2024-01-10", "cured_on": "2023-01-01"},
            "avant la mise en demeure",
        ),
        ({"kind": "mutual", "agreed_last_day": "2024-13-01"}, "Saisissez une date valide"),
        ({"kind": "<script>"}, "Sélectionnez un choix valide"),
    ],
)
def test_termination_form_errors(manager_client, data, field_message):
    convention = ConventionFactory(signed=True)
    response = manager_client.post(
        reverse("conventions:termination_add", args=[convention.reference]),
        {**data, "note": "Note gardée"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert field_message.replace("'", "&#x27;") in content
    assert "Note gardée" in content
    assert not Termination.objects.exists()


def test_events_refusals(client, lecteur, partner):
    convention = ConventionFactory(signed=True)
    termination = TerminationFactory(convention=convention)
    urls = [
        reverse("conventions:termination_add", args=[convention.reference]),
        reverse("conventions:termination_edit", args=[convention.reference, termination.pk]),
        reverse("conventions:renewal_decision_add", args=[convention.reference]),
    ]
    for user in (lecteur, partner):
        client.force_login(user)
        for url in urls:
            assert (
                client.post(url, {"kind": "mutual", "decided_on": "2024-01-01"}).status_code == 403
            )
    assert Termination.objects.count() == 1 and not RenewalDecision.objects.exists()


def test_no_events_on_a_draft(manager_client):
    draft = ConventionFactory()
    url = reverse("conventions:termination_add", args=[draft.reference])
    assert manager_client.get(url).status_code == 403


def test_renewal_decision(manager_client):
    convention = ConventionFactory(signed=True)
    url = reverse("conventions:renewal_decision_add", args=[convention.reference])
    response = manager_client.post(url, {"decided_on": "2013-01-15", "note": "Bilan positif"})
    assert response.status_code == 302
    decision = RenewalDecision.objects.get()
    assert decision.renew is False
    content = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "15 janvier 2013 : ne pas reconduire" in content
    response = manager_client.post(url, {"decided_on": "", "renew": "on"})
    assert "Ce champ est obligatoire" in response.content.decode()


def test_the_last_signature_stores_the_signed_pdfs_once():
    """Signing through the service stores the real signed PDF of the convention, then of its
    avenant, exactly once each, only when the last party signs."""
    convention = ConventionFactory()
    ArticleFactory(convention=convention, heading="Objet", body="Texte.")
    first, last = convention.parties.order_by("position")
    services.convention_sign(
        signatory=first.signatories.get(), on=datetime.date(2020, 1, 2), place="Aix"
    )
    assert not SignedDocument.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker, after the commit
        services.convention_sign(
            signatory=last.signatories.get(), on=datetime.date(2020, 1, 1), place="Nice"
        )
    convention.refresh_from_db()
    # The last date wins, with its place.
    assert (convention.signed_on, convention.signature_place) == (datetime.date(2020, 1, 2), "Aix")
    stored = SignedDocument.objects.get(convention=convention, amendment=None)
    assert stored.read().startswith(b"%PDF") and stored.matches_fingerprint()
    amendment = services.amendment_create(convention=convention, title="Objet")
    with TestCase.captureOnCommitCallbacks(execute=True):
        for signatory in amendment.signatories.all():
            services.amendment_sign(signatory=signatory, on=datetime.date(2021, 1, 1), place="Aix")
    assert SignedDocument.objects.filter(amendment=amendment).count() == 1
    assert SignedDocument.objects.filter(convention=convention).count() == 2


def test_renewal_proposes_the_current_holders_and_says_so(manager_client):
    """Renewing a 2010 convention names today's recteur, not the one who signed in 2010;
    where the records cannot tell who holds the office, nobody, and the draft says so."""
    academy, partner = OrganisationFactory(academy=True), OrganisationFactory()
    old_recteur = MandateFactory(
        organisation=academy, title="Recteur de l'académie", end_date="2012-08-31"
    )
    new_recteur = MandateFactory(
        organisation=academy, title="Rectrice de la région académique", start_date="2021-09-01"
    )
    president = MandateFactory(organisation=partner, title="Président")
    MandateFactory(organisation=partner, title="Présidente")  # two, dates unknown
    convention = ConventionFactory(parties=[academy, partner])
    for party, mandate in ((0, old_recteur), (1, president)):
        Signatory.objects.filter(party__convention=convention, party__position=party + 1).update(
            mandate=mandate, name=mandate.person.full_name, title=mandate.title
        )
    ArticleFactory(convention=convention)
    sign(convention)
    response = manager_client.post(
        reverse("conventions:renew", args=[convention.reference]),
        {"reference": "NEW-1", "title": "Renouvellement", "short_title": "R"},
        follow=True,
    )
    new = Convention.objects.get(reference="NEW-1")
    first, second = (p.signatories.get() for p in new.parties.order_by("position"))
    assert first.mandate == new_recteur and first.name == new_recteur.person.full_name
    assert second.mandate is None and second.name == ""
    page = response.content.decode()
    assert f"{new_recteur.person.full_name}, titulaire actuel de la même fonction" in page
    assert "2 personnes exercent cette fonction" in page


def test_an_avenant_cannot_shorten_the_term_below_the_notice(manager_client):
    convention = ConventionFactory(signed=True, notice_months=3)
    response = manager_client.post(
        reverse("conventions:amendment_create", args=[convention.reference]),
        {"title": "Raccourcir", "new_duration_months": "2", "effective_date": "2011-01-01"},
    )
    assert "Le préavis (3 mois) est plus long que la durée de la convention (2 mois)." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert not convention.amendments.exists()
