"""Signatories known by their office only or signing by delegation, and parties grouped
under one designation (« ensemble ci-après dénommées « l'Université » »), printed as real
conventions write them."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import Party, Signatory
from documents import printing
from tests.factories import ConventionFactory, OrganisationFactory, sign
from tests.pdftext import normalise, pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_parties():
    academy = OrganisationFactory(academy=True, name="Académie de Paris")
    first = OrganisationFactory(name="Université Paris Cité")
    second = OrganisationFactory(name="Sorbonne Université")
    convention = ConventionFactory(parties=[academy, first, second])
    parties = list(convention.parties.order_by("position"))
    Party.objects.filter(pk=parties[0].pk).update(name_as_written="l'académie de Paris")
    names = ("l'université Paris Cité", "la Sorbonne Université")
    for party, name in zip(parties[1:], names, strict=True):
        Party.objects.filter(pk=party.pk).update(name_as_written=name, group="l'Université")
    Signatory.objects.filter(party=parties[0]).update(
        name="", title="Monsieur le Recteur de l'Académie de Paris"
    )
    Signatory.objects.filter(party=parties[1]).update(
        name="Claire Martin",
        title="Secrétaire générale",
        delegation="Pour le président et par délégation",
        delegation_act="arrêté du 1er septembre 2020",
    )
    return convention


def test_offices_delegations_and_a_joint_designation_print_as_written(three_parties):
    text = normalise(" ".join(pages_text(printing.convention_pdf(three_parties))))
    # Known by office only: no empty name, no « représentée par , ».
    assert "représentée par monsieur le recteur de l'académie de paris," in text
    assert "par ," not in text
    # By delegation, in the parties and above the name in the signature block.
    assert "représentée par claire martin, secrétaire générale (pour le président et par " in text
    assert "pour le président et par délégation, claire martin secrétaire générale" in text
    assert "(arrêté du 1er septembre 2020)" in text
    # The two universities, then once their joint designation.
    assert text.count("ensemble ci-après dénommées «l'université»") == 1
    assert text.index("la sorbonne université") < text.index("ensemble ci-après dénommées")


def test_a_signature_by_office_only_is_recorded_in_the_staff_pages(manager_client):
    convention = ConventionFactory()
    signatory = Signatory.objects.filter(party__convention=convention).first()
    url = reverse("conventions:sign", args=[convention.reference, signatory.pk])
    nothing = manager_client.post(url, {"signed_on": "2020-09-15", "place": "Paris"})
    assert "indiquez sa fonction" in nothing.content.decode()
    response = manager_client.post(
        url,
        {
            "signed_on": "2020-09-15",
            "place": "Paris",
            "name": "",
            "title": "Le ministre de l'éducation nationale",
            "delegation": "Pour le ministre et par délégation",
        },
    )
    assert response.status_code == 302
    signatory.refresh_from_db()
    assert signatory.name == "" and signatory.title == "Le ministre de l'éducation nationale"
    assert signatory.delegation == "Pour le ministre et par délégation"
    assert signatory.signed_on == datetime.date(2020, 9, 15)


def test_a_signed_office_only_signature_stays_as_signed(three_parties):
    sign(three_parties)
    text = normalise(" ".join(pages_text(printing.convention_pdf(three_parties))))
    assert "monsieur le recteur de l'académie de paris" in text
