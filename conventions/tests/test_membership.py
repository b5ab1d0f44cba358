"""Parties that join or leave a signed convention by an avenant, and avenants signed by
their own parties only (issue 16, point 3)."""

import datetime
import re
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, TestCase
from django.urls import reverse

from conventions import services
from conventions.models import Amendment, Party, PartyWithdrawal, Signatory
from documents.models import SignedDocument
from documents.printing import amendment_html, convention_html
from tests.factories import (
    ConventionFactory,
    MandateFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    sign,
)
from tests.pdftext import normalise, pages_text
from tests.personas import count_queries


def _text(html: str) -> str:
    """The printed HTML as read: no tags, plain spaces and apostrophes."""
    text = unescape(re.sub(r"<[^>]+>", "", html)).replace("’", "'")
    return " ".join(text.split())


def _portal_client(organisation):
    user = UserFactory()
    organisation.members.add(user)
    client = Client()
    client.force_login(user)
    return client


def _sign_all(client, amendment, on="2012-05-20"):
    ref, number = amendment.convention.reference, amendment.number
    # The signed PDF is stored by the worker once the last signature commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        for signatory in amendment.signatories.order_by("party__position"):
            response = client.post(
                reverse("conventions:amendment_sign", args=[ref, number, signatory.pk]),
                {"signed_on": on, "place": "Marseille", "name": signatory.name or "N",
                 "title": signatory.title or "T"},
            )  # fmt: skip
            assert response.status_code == 302, response.content.decode()[:2000]
    amendment.refresh_from_db()


@pytest.mark.django_db
def test_an_organisation_joins_by_an_avenant_from_the_staff_pages(manager_client):
    convention = ConventionFactory(signed=True)
    ref = convention.reference
    newcomer = OrganisationFactory(name="Chambre de métiers et de l'artisanat")
    mandate = MandateFactory(
        organisation=newcomer,
        person=PersonFactory(first_name="Jeanne", last_name="Faure"),
        title="Présidente",
    )
    newcomer_portal = _portal_client(newcomer)
    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Adhésion de la CMA", "effective_date": "2012-09-01"},
    )
    amendment = convention.amendments.get()
    join_url = reverse("conventions:party_join", args=[ref, 1])
    form = manager_client.get(join_url).content.decode()
    assert "Chambre de métiers" in form
    # A party of the convention cannot join it again.
    academy = convention.parties.get(position=1).organisation
    response = manager_client.post(join_url, {"organisation": academy.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = manager_client.post(
        join_url,
        {
            "organisation": newcomer.pk,
            "mandate": mandate.pk,
            "designation": "la CMA",
            "description": "Établissement public",
        },
    )
    assert response.status_code == 302
    party = Party.objects.get(organisation=newcomer)
    assert party.joined_by == amendment and party.position == 3
    # The newcomer signs the avenant, with the two parties of the convention.
    signatories = list(amendment.signatories.order_by("party__position"))
    assert [s.party.organisation for s in signatories][-1] == newcomer
    assert signatories[-1].name == "Jeanne Faure" and signatories[-1].title == "Présidente"
    page = manager_client.get(reverse("conventions:amendment", args=[ref, 1])).content.decode()
    assert "adhère à la convention" in page and "à compter du 1er septembre 2012" in page
    # Pending: shown as such to staff, not yet to the newcomer's portal.
    detail = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Adhésion en cours (avenant N°1)" in detail
    assert newcomer_portal.get(reverse("portal:convention", args=[ref])).status_code == 404
    # The joining party signs: it cannot be left out of the avenant's signatories.
    response = manager_client.post(
        reverse("conventions:amendment_signatory_remove", args=[ref, 1, signatories[-1].pk]),
        follow=True,
    )
    assert "elle le signe" in response.content.decode()
    assert amendment.signatories.count() == 3

    _sign_all(manager_client, amendment)
    assert amendment.signed_on == datetime.date(2012, 5, 20)
    party.refresh_from_db()
    assert party.signed_organisation_name == newcomer.name
    detail = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Partie depuis le 1er septembre 2012 (avenant N°1)" in detail
    assert "Adhésion : Chambre de métiers et de l&#x27;artisanat." in detail
    portal = newcomer_portal.get(reverse("portal:convention", args=[ref]))
    assert portal.status_code == 200
    assert "Partie depuis le 1er septembre 2012" in portal.content.decode()

    # The avenant as signed names its three parties and says who joins; the convention as
    # signed keeps its two.
    pdf = SignedDocument.objects.get(amendment=amendment).file.read()
    text = normalise(" ".join(pages_text(pdf)))
    assert "chambre de métiers et de l'artisanat" in text
    assert "adhère à la convention à compter du 1er septembre 2012" in text
    assert "jeanne faure" in text
    assert "Chambre de métiers" not in _text(convention_html(convention))


@pytest.mark.django_db
def test_the_database_freezes_a_party_that_joined_once_its_avenant_is_signed():
    convention = ConventionFactory(signed=True)
    amendment = Amendment.objects.create(convention=convention, number=1, title="Adhésion")
    newcomer = OrganisationFactory()
    party = services.amendment_party_join(amendment=amendment, organisation=newcomer, mandate=None)
    party.designation = "l'association"
    party.save()  # still being signed: it may change
    sign(amendment, datetime.date(2012, 1, 5))
    party.designation = "autre"
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        party.save()
    # No party enters a signed convention but by an avenant being signed.
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Party.objects.create(
            convention=convention,
            organisation=OrganisationFactory(),
            position=9,
            joined_by=amendment,
        )
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Party.objects.create(convention=convention, organisation=OrganisationFactory(), position=9)
    # A signed avenant's withdrawals are frozen too.
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        PartyWithdrawal.objects.create(amendment=amendment, party=party)


def _three_party_convention():
    convention = ConventionFactory(
        parties=[
            OrganisationFactory(academy=True),
            OrganisationFactory(name="Université A"),
            OrganisationFactory(name="Université B"),
        ]
    )
    return sign(convention)


@pytest.mark.django_db
def test_a_party_withdraws_from_a_date(manager_client):
    convention = _three_party_convention()
    ref = convention.reference
    leaving = convention.parties.get(organisation__name="Université B")
    leaving_portal = _portal_client(leaving.organisation)
    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Retrait de l'université B", "effective_date": "2013-01-01"},
    )
    amendment = convention.amendments.get()
    url = reverse("conventions:party_withdraw", args=[ref, 1])
    # Not before the avenant takes effect; what was typed stays.
    response = manager_client.post(url, {"party": leaving.pk, "on": "2012-12-31"})
    content = response.content.decode()
    assert "ne prend pas effet avant la date d&#x27;effet de l&#x27;avenant" in content
    assert 'value="2012-12-31"' in content
    response = manager_client.post(url, {"party": leaving.pk, "on": "2013-03-01"})
    assert response.status_code == 302
    # The second one would leave a single party: refused, with the way to end it instead.
    other = convention.parties.get(organisation__name="Université A")
    response = manager_client.post(url, {"party": other.pk, "on": ""})
    assert "enregistrez une résiliation" in response.content.decode()
    assert "se retire de la convention, à compter du 1er mars 2013" in (
        manager_client.get(reverse("conventions:amendment", args=[ref, 1])).content.decode()
    )
    _sign_all(manager_client, amendment)
    leaving = Party.objects.with_membership().get(pk=leaving.pk)
    assert leaving.left_on == datetime.date(2013, 3, 1)
    assert leaving.bound_on(datetime.date(2013, 2, 28))
    assert not leaving.bound_on(datetime.date(2013, 3, 1))
    detail = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "N'est plus partie depuis le 1er mars 2013 (avenant N°1)" in detail
    assert "Retrait : Université B, à compter du 1er mars 2013." in detail
    # The consolidated text at a date says who was bound then.
    before = manager_client.get(convention.get_absolute_url() + "?au=2013-02-28")
    assert (
        "Parties liées au 28 février 2013 : Académie d&#x27;Aix-Marseille, Université A, "
        "Université B." in before.content.decode()
    )
    assert "Parties liées au 1er mars 2013 : Académie d&#x27;Aix-Marseille, Université A." in (
        manager_client.get(convention.get_absolute_url() + "?au=2013-03-01").content.decode()
    )
    # It keeps reading what it was bound by.
    assert leaving_portal.get(reverse("portal:convention", args=[ref])).status_code == 200
    # A later avenant is between the parties still bound; a renewal copies them only.
    amendment_2 = services.amendment_create(convention=convention, title="Suite")
    assert [s.party.organisation.name for s in amendment_2.signatories.all()] == [
        "Académie d'Aix-Marseille",
        "Université A",
    ]
    amendment_2.delete()
    renewed = services.convention_renew(
        convention=convention, reference="RENOUVELLEMENT", today=datetime.date(2014, 1, 1)
    )
    assert [p.organisation.name for p in renewed.parties.order_by("position")] == [
        "Académie d'Aix-Marseille",
        "Université A",
    ]
    assert [p.position for p in renewed.parties.order_by("position")] == [1, 2]
    assert "Université B cesse d'être partie à la convention à compter du 1er mars 2013" in (
        _text(amendment_html(amendment))
    )


@pytest.mark.django_db
def test_only_the_parties_to_an_avenant_sign_it(manager_client):
    convention = _three_party_convention()
    ref = convention.reference
    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Bilan", "effective_date": "2012-01-01"},
    )
    amendment = convention.amendments.get()
    signatories = list(amendment.signatories.order_by("party__position"))
    assert len(signatories) == 3
    remove = "conventions:amendment_signatory_remove"
    # Université B is not a party to this avenant.
    response = manager_client.post(reverse(remove, args=[ref, 1, signatories[2].pk]), follow=True)
    assert "ne signe pas cet avenant" in response.content.decode()
    # Two parties at least.
    response = manager_client.post(reverse(remove, args=[ref, 1, signatories[1].pk]), follow=True)
    assert "deux parties au moins" in response.content.decode()
    # The printed avenant names only its parties.
    printed = _text(amendment_html(amendment))
    assert "Université B" not in printed and "deux exemplaires originaux" in printed
    _sign_all(manager_client, amendment)
    assert amendment.is_signed
    # A party left out may be brought back while the avenant is being signed.
    manager_client.post(
        reverse("conventions:amendment_create", args=[ref]),
        {"title": "Autre", "effective_date": "2012-06-01"},
    )
    second = convention.amendments.get(number=2)
    dropped = second.signatories.get(party__organisation__name="Université B")
    manager_client.post(reverse(remove, args=[ref, 2, dropped.pk]))
    page = manager_client.get(reverse("conventions:amendment", args=[ref, 2])).content.decode()
    assert "Cette partie signe aussi l'avenant" in page
    manager_client.post(
        reverse("conventions:amendment_signatory_add", args=[ref, 2]), {"party": dropped.party_id}
    )
    assert second.signatories.count() == 3
    # Removing a signatory when the others have all signed makes the avenant signed.
    for signatory in second.signatories.order_by("party__position")[:2]:
        services.amendment_sign(
            signatory=signatory, on=datetime.date(2013, 2, 1), place="Aix", title="T", name="N"
        )
    last = second.signatories.get(party__organisation__name="Université B")
    services.amendment_signatory_remove(signatory=last)
    second.refresh_from_db()
    assert second.signed_on == datetime.date(2013, 2, 1)


@pytest.mark.django_db
def test_membership_refusals(client, lecteur, partner, manager_client):
    convention = _three_party_convention()
    ref = convention.reference
    amendment = Amendment.objects.create(convention=convention, number=1, title="Avenant")
    for party in convention.parties.all():
        Signatory.objects.create(party=party, amendment=amendment, name="N", title="T")
    urls = [
        reverse("conventions:party_join", args=[ref, 1]),
        reverse("conventions:party_withdraw", args=[ref, 1]),
    ]
    for user, expected in ((lecteur, 403), (partner, 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == expected
            assert client.post(url, {}).status_code == expected
    assert not Party.objects.filter(joined_by=amendment).exists()
    # A signed avenant changes no more.
    sign(amendment, datetime.date(2012, 1, 1))
    for url in urls:
        assert manager_client.get(url).status_code == 403


@pytest.mark.django_db
def test_avenant_page_queries_do_not_grow_with_parties(manager_client):
    def page_queries(count):
        convention = ConventionFactory(
            parties=[OrganisationFactory(academy=True)]
            + [OrganisationFactory() for _ in range(count)]
        )
        sign(convention)
        amendment = services.amendment_create(convention=convention, title="Adhésions")
        for _ in range(count):
            services.amendment_party_join(
                amendment=amendment, organisation=OrganisationFactory(), mandate=None
            )
        url = reverse("conventions:amendment", args=[convention.reference, 1])
        response, queries = count_queries(manager_client, url)
        assert response.status_code == 200
        return queries

    assert page_queries(1) == page_queries(6)


@pytest.mark.django_db
def test_a_party_added_to_a_draft_keeps_its_joint_designation(manager_client):
    convention = ConventionFactory()
    organisation = OrganisationFactory(name="Université de Toulon")
    manager_client.post(
        reverse("conventions:party_add", args=[convention.reference]),
        {"organisation": organisation.pk, "group": "l'Université"},
    )
    assert convention.parties.get(organisation=organisation).group == "l'Université"
