"""A signed text does not follow its parties' organisations: renaming one (and moving it)
after the signature changes nothing in the signed convention's PDF nor in its attached JSON.

The case is real: Pôle emploi became France Travail on 1 January 2024. A party whose name or
address "in the text" was left blank printed its organisation's current ones.
"""

import datetime
import json
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from conventions import services
from conventions.models import Amendment, Convention, Party, Signatory
from documents import printing
from documents.signed import generated_document
from partners.models import Organisation
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory, UserFactory
from tests.pdftext import normalise, pages_text

pytestmark = pytest.mark.django_db

OLD_NAME, OLD_ADDRESS = "Pôle emploi", "34, rue Alfred Curtel, 13395 Marseille Cedex"
NEW_NAME, NEW_ADDRESS = "France Travail", "1, avenue du Docteur Gley, 75020 Paris"


def read_back(pdf: bytes, data_name: str) -> tuple[str, dict]:
    """The PDF's text as a reader sees it, and the JSON attached to it."""
    attached = PdfReader(BytesIO(pdf)).attachments[data_name][0]
    return normalise(" ".join(pages_text(pdf))), json.loads(attached)


def rename_and_move(organisation: Organisation) -> None:
    organisation.name, organisation.address = NEW_NAME, NEW_ADDRESS
    organisation.save()


def test_a_convention_signed_in_the_application_keeps_its_parties_as_signed():
    pole_emploi = OrganisationFactory(name=OLD_NAME, address=OLD_ADDRESS)
    convention = ConventionFactory(parties=[OrganisationFactory(academy=True), pole_emploi])
    ArticleFactory(convention=convention, body="Les parties échangent leurs données.")
    assert not Party.objects.filter(convention=convention).exclude(name_as_written="").exists()
    assert not Party.objects.filter(convention=convention).exclude(address="").exists()
    signatories = Signatory.objects.filter(party__convention=convention).order_by("pk")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker, after the commit
        for day, signatory in enumerate(signatories, start=1):
            services.convention_sign(
                signatory=signatory, on=datetime.date(2018, 11, day), place="Marseille"
            )
        amendment = services.amendment_create(convention=convention, title="Prolongation")
        for signatory in amendment.signatories.order_by("pk"):
            services.amendment_sign(signatory=signatory, on=datetime.date(2019, 1, 7), place="Aix")

    def printed():
        convention = Convention.objects.get(pk=amendment.convention_id)
        avenant = Amendment.objects.get(pk=amendment.pk)
        # Printed on demand: a reconstitution, a plain PDF (no data attached).
        return (
            normalise(" ".join(pages_text(printing.convention_pdf(convention)))),
            normalise(" ".join(pages_text(printing.amendment_pdf(avenant)))),
        )

    before = printed()
    text, avenant_text = before
    assert normalise(f"{OLD_NAME}, {OLD_ADDRESS}") in text
    assert normalise(f"{OLD_NAME}, {OLD_ADDRESS}") in avenant_text
    stored = generated_document(convention).read()
    assert (
        read_back(stored, f"{convention.reference}.json")[1]["conventions"][0]["parties"][1][
            "organisation"
        ]
        == OLD_NAME
    )

    rename_and_move(pole_emploi)

    after = printed()
    assert after == before
    # The stored signed PDF and its JSON are those of the signature.
    assert generated_document(convention).read() == stored
    kept = read_back(stored, f"{convention.reference}.json")[1]
    assert kept["conventions"][0]["parties"][1]["organisation"] == OLD_NAME
    # A draft, though, follows its organisation until it is signed.
    draft = ConventionFactory(parties=[OrganisationFactory(academy=True), pole_emploi])
    draft_text = normalise(" ".join(pages_text(printing.convention_pdf(draft))))
    assert normalise(f"{NEW_NAME}, {NEW_ADDRESS}") in draft_text


def test_the_portal_serves_the_same_printed_text_after_a_rename(client, demo):
    """METROPOLE-PE-2018 was signed on paper, and the application holds only a note about
    it: the portal prints that text, marked as not the signed copy, the same after the
    rename."""
    pole_emploi = Organisation.objects.get(name=OLD_NAME)
    partner = UserFactory(username="partenaire-pe")
    pole_emploi.members.add(partner)
    client.force_login(partner)
    url = reverse("portal:convention_pdf", args=["METROPOLE-PE-2018"])

    before = client.get(url)
    assert before.status_code == 200
    assert before["Content-Disposition"] == (
        'attachment; filename="METROPOLE-PE-2018-texte-connu.pdf"'
    )
    text = normalise(" ".join(pages_text(before.content)))
    assert normalise(OLD_ADDRESS) in text and "ce n'est pas l'exemplaire signé" in text

    rename_and_move(pole_emploi)

    after = client.get(url)
    assert normalise(" ".join(pages_text(after.content))) == text
    assert normalise(NEW_NAME) not in text
