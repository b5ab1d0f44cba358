"""factory_boy factories shared by every app's tests.

`ConventionFactory(signed=True)` gives a convention signed by both parties;
`ConventionFactory()` a draft with two parties.
"""

import contextlib
import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from actions.models import Action, ActionPlan, Obligation, ObligationFulfilment, SteeringMeeting
from conventions.enums import ConventionKind
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
from conventions.search import refresh_search_documents
from partners.models import Mandate, Organisation, Person
from users.roles import MANAGER, READER, ensure_groups


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")

    class Params:
        manager = factory.Trait(
            groups=factory.PostGeneration(
                lambda user, create, extracted, **kw: _join(user, MANAGER)
            )
        )
        reader = factory.Trait(
            groups=factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, READER))
        )


def _join(user, group_name):
    manager, reader = ensure_groups()
    user.groups.add(manager if group_name == MANAGER else reader)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Association numéro {n}")
    short_name = factory.Sequence(lambda n: f"ASSO{n}")
    address = "1, rue de la République, 13001 Marseille"

    class Params:
        academy = factory.Trait(
            name="Académie d'Aix-Marseille",
            short_name="Rectorat",
            legal_form="state",
            is_academy=True,
            address="Place Lucien Paye, 13621 Aix-en-Provence cedex 1",
        )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Martin{n}")


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Président"


class ConventionFactory(factory.django.DjangoModelFactory):
    """A partnership convention between the académie and one association."""

    class Meta:
        model = Convention
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CONV-{n:05d}")
    title = factory.LazyAttribute(
        lambda c: f"Convention de partenariat entre l'académie d'Aix-Marseille et {c.reference}"
    )
    short_title = factory.LazyAttribute(lambda c: f"Convention {c.reference}")
    kind = ConventionKind.PARTNERSHIP
    duration_months = 36
    notice_months = 3
    signature_place = "Aix-en-Provence"

    class Params:
        signed = factory.Trait(signed_on=datetime.date(2010, 5, 17))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As in life, the text and the parties come first and the signature last: once
        # signed, the database refuses new parties or articles (migration 0007).
        signed_on = kwargs.pop("signed_on", None)
        convention = super()._create(model_class, *args, **kwargs)
        convention._sign_on = signed_on
        return convention

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if not create:
            return
        signed_on = getattr(self, "_sign_on", None)
        organisations = extracted or [
            OrganisationFactory(academy=True),
            OrganisationFactory(),
        ]
        for position, organisation in enumerate(organisations, start=1):
            party = Party.objects.create(
                convention=self, organisation=organisation, position=position
            )
            Signatory.objects.create(
                party=party,
                name=f"Signataire {position}",
                title="Président",
                signed_on=signed_on,
                place=self.signature_place if signed_on else "",
            )
        if signed_on:
            # A text is signed with its articles (without any, the application would not
            # hold the signed text: documents.printing.holds_signed_text).
            Article.objects.create(
                convention=self,
                position=1,
                heading="Objet",
                body="La présente convention définit le partenariat entre les parties.",
            )
            Convention.objects.filter(pk=self.pk).update(signed_on=signed_on)
            self.signed_on = signed_on
        # Its search document, as every write through the services stores it
        # (`conventions.extensions.convention_changed`).
        refresh_search_documents([self.pk])


@contextlib.contextmanager
def text_unfrozen():
    """Lift the database's freeze of signed texts (migration 0007) for a fixture that grows a
    signed convention to count a page's queries; the triggers are back on exit."""
    from conventions.models import triggers

    triggers.uninstall()
    try:
        yield
    finally:
        triggers.install()


def sign(obj, on=datetime.date(2010, 5, 17)):
    """Sign a convention or an avenant whose text is written: the database refuses text
    added after the signature (migration 0007), so tests write first and sign last."""
    type(obj).objects.filter(pk=obj.pk).update(signed_on=on)
    obj.signed_on = on
    return obj


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    convention = factory.SubFactory(ConventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Article de test {n}")
    body = "Les parties conviennent de ce qui suit."


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    convention = factory.SubFactory(ConventionFactory, signed=True)
    number = factory.Sequence(lambda n: n + 1)
    title = "Modification de la durée"


class TerminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Termination

    convention = factory.SubFactory(ConventionFactory, signed=True)
    kind = "notice"
    received_on = datetime.date(2011, 1, 10)


class RenewalDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenewalDecision

    convention = factory.SubFactory(ConventionFactory, signed=True)
    decided_on = datetime.date(2013, 1, 15)
    renew = False


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    convention = factory.SubFactory(ConventionFactory, signed=True)
    school_year = 2010


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    axis = "Information et orientation"
    title = "Participation au salon Métierama"


class SteeringMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringMeeting

    convention = factory.SubFactory(ConventionFactory, signed=True)
    held_on = datetime.date(2011, 5, 10)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    convention = factory.SubFactory(ConventionFactory, signed=True)
    party = factory.LazyAttribute(lambda o: o.convention.parties.order_by("position").last())
    title = "Fournir les données emploi"
    rhythm = "half_yearly"


class ObligationFulfilmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObligationFulfilment

    obligation = factory.SubFactory(ObligationFactory)
    due_on = datetime.date(2010, 11, 16)
    delivered_on = datetime.date(2010, 11, 10)


class FinancialCommitmentFactory(factory.django.DjangoModelFactory):
    """The convention's first party (the académie, in a default convention) pays its last a
    yearly subsidy of 30 000 €."""

    class Meta:
        model = FinancialCommitment

    convention = factory.SubFactory(ConventionFactory, signed=True)
    payer = factory.LazyAttribute(lambda c: c.convention.parties.order_by("position").first())
    payee = factory.LazyAttribute(lambda c: c.convention.parties.order_by("position").last())
    label = "Subvention de fonctionnement"
    amount = Decimal("30000.00")
    period = "yearly"
    imputation = "BOP 214, action 08"


class InstalmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instalment

    commitment = factory.SubFactory(FinancialCommitmentFactory)
    due_on = datetime.date(2011, 6, 30)
    amount = Decimal("10000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    commitment = factory.SubFactory(FinancialCommitmentFactory)
    paid_on = datetime.date(2011, 6, 15)
    amount = Decimal("10000.00")
    reference = "Mandat n° 2011-0042"
