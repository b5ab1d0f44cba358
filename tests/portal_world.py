"""Two partner organisations, each with its conventions and a portal user, for the portal
tests: what one may see of the other is exactly nothing.

`world.a` / `world.b`: the organisation, its user, its signed convention (and what hangs
off it); a draft of A; internal material everywhere that the portal must never show.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from actions.enums import Rhythm
from conventions.enums import ArticleChangeKind, TerminationKind
from conventions.models import ArticleChange, Party
from documents.enums import DocumentKind
from documents.models import SignedDocument
from echeancier.refresh import refresh_schedule
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AmendmentFactory,
    ArticleFactory,
    ConventionFactory,
    ObligationFactory,
    OrganisationFactory,
    RenewalDecisionFactory,
    SteeringMeetingFactory,
    TerminationFactory,
    UserFactory,
    sign,
)

TODAY = datetime.date(2026, 11, 23)
PDF = b"%PDF-1.4\n% a scan\n%%EOF\n"


@dataclass
class Side:
    organisation: object
    user: object
    convention: object
    amendment: object  # signed
    unsigned_amendment: object
    scan: object  # shared with partners
    private_scan: object
    meeting: object
    obligation: object  # owed by this organisation


def _side(name, academy, signed_on):
    organisation = OrganisationFactory(name=f"Organisation {name}", short_name=name)
    user = UserFactory(username=f"partner-{name.lower()}", password="demo")
    organisation.members.add(user)
    convention = ConventionFactory(
        reference=f"CONV-{name}",
        parties=[academy, organisation],
        yearly_steering_meeting=True,
    )
    article = ArticleFactory(
        convention=convention, position=1, heading="Objet", body=f"Texte signé {name}"
    )
    sign(convention, signed_on)  # written first, signed last: the text is then frozen
    amendment = AmendmentFactory(convention=convention, number=1, title=f"Avenant signé {name}")
    ArticleChange.objects.create(
        amendment=amendment,
        kind=ArticleChangeKind.REPLACE,
        article=article,
        body=f"Texte modifié par avenant {name}",
    )
    sign(amendment, signed_on)
    unsigned = AmendmentFactory(
        convention=convention, number=2, title=f"Avenant en négociation {name}", signed_on=None
    )
    scans = []
    for shared in (True, False):
        document = SignedDocument(
            convention=convention,
            kind=DocumentKind.SCAN,
            sha256=f"{name}{shared}".ljust(64, "0"),
            size=len(PDF),
            shared_with_partners=shared,
        )
        document.file.save(f"{convention.reference}-scan-{shared}.pdf", ContentFile(PDF))
        scans.append(document)
    meeting = SteeringMeetingFactory(
        convention=convention,
        held_on=signed_on + datetime.timedelta(days=300),
        minutes=f"Compte rendu interne {name}",
        decisions=f"Décisions internes {name}",
    )
    party = Party.objects.get(convention=convention, organisation=organisation)
    obligation = ObligationFactory(
        convention=convention,
        party=party,
        title=f"Données emploi {name}",
        rhythm=Rhythm.HALF_YEARLY,
    )
    plan = ActionPlanFactory(convention=convention, school_year=2025)
    ActionFactory(plan=plan, number=1, title=f"Action {name}")
    return Side(
        organisation, user, convention, amendment, unsigned, scans[0], scans[1], meeting, obligation
    )


@pytest.fixture
def world(db):
    academy = OrganisationFactory(academy=True)
    a = _side("A", academy, datetime.date(2025, 3, 1))
    b = _side("B", academy, datetime.date(2025, 6, 2))
    draft = ConventionFactory(
        reference="DRAFT-A", signed_on=None, parties=[academy, a.organisation]
    )
    # Internal material, on A's own convention: never on the portal.
    TerminationFactory(
        convention=a.convention,
        kind=TerminationKind.NOTICE,
        received_on=datetime.date(2026, 10, 1),
        party=Party.objects.get(convention=a.convention, organisation=academy),
        note="Note interne de résiliation",
    )
    RenewalDecisionFactory(
        convention=a.convention,
        decided_on=datetime.date(2026, 9, 1),
        renew=False,
        note="Note interne de reconduction",
    )
    # A three-party convention: A and another partner C, whose duty A must not see.
    c = OrganisationFactory(name="Organisation C", short_name="C")
    shared = ConventionFactory(
        reference="CONV-AC",
        signed_on=datetime.date(2025, 1, 6),
        parties=[academy, a.organisation, c],
    )
    ObligationFactory(
        convention=shared,
        party=Party.objects.get(convention=shared, organisation=c),
        title="Devoir de C",
        rhythm=Rhythm.HALF_YEARLY,
    )
    ObligationFactory(
        convention=shared,
        party=Party.objects.get(convention=shared, organisation=academy),
        title="Devoir de l'académie",
        rhythm=Rhythm.YEARLY,
    )
    for convention in (a.convention, b.convention, draft, shared):
        refresh_schedule(convention, today=TODAY)
    return SimpleNamespace(academy=academy, a=a, b=b, c=c, draft=draft, shared=shared)
