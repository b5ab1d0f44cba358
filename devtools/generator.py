"""Plausible, deterministic, fictitious data at the scale of the whole country.

`generate(conventions=N, seed=S)` adds organisations with people and mandates, conventions of
every kind and status with 2 or 3 parties, 10 to 40 nested articles each, avenants,
application conventions under framework ones, action plans, meetings, obligations and events,
with dates spread over fifteen years around `today`. Every name says "fictif" and every
reference starts with "FICT-". Rows are written with bulk_create in batches, so that 10,000
conventions load in well under two minutes.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from actions.models import (
    Action,
    ActionContribution,
    ActionPlan,
    Obligation,
    SteeringMeeting,
)
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
from echeancier.refresh import refresh_due_schedules
from partners.models import Mandate, Organisation, Person
from users.roles import ensure_groups

BATCH = 2000
ACADEMIES = [
    "Aix-Marseille",
    "Amiens",
    "Besançon",
    "Bordeaux",
    "Clermont-Ferrand",
    "Corse",
    "Créteil",
    "Dijon",
    "Grenoble",
    "Guadeloupe",
    "Guyane",
    "La Réunion",
    "Lille",
    "Limoges",
    "Lyon",
    "Martinique",
    "Mayotte",
    "Montpellier",
    "Nancy-Metz",
    "Nantes",
    "Nice",
    "Normandie",
    "Orléans-Tours",
    "Paris",
    "Poitiers",
    "Reims",
    "Rennes",
    "Strasbourg",
    "Toulouse",
    "Versailles",
]
PARTNER_KINDS = [
    ("association", "Association fictive"),
    ("chamber", "Chambre fictive des métiers"),
    ("employers_union", "Union professionnelle fictive"),
    ("local_authority", "Collectivité fictive"),
    ("public_body", "Établissement public fictif"),
    ("company", "Entreprise fictive"),
]
FIRST_NAMES = ["Claire", "Louis", "Nadia", "Paul", "Inès", "Hugo", "Léa", "Karim", "Anne", "Marc"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
AXES = ["Information et orientation", "Formation professionnelle", "Actions pédagogiques"]
HEADINGS = [
    "Objet de la convention",
    "Axes de collaboration",
    "Information sur les métiers",
    "Accueil des élèves et apprentis",
    "Formation des personnels",
    "Communication",
    "Suivi de la convention",
    "Confidentialité",
    "Règlement d'un litige",
    "Durée de la convention",
]
BODY = (
    "Les parties conviennent de développer leur collaboration dans le respect des compétences "
    "de chacune (texte fictif).\n\n- informer les élèves ;\n- accueillir des stagiaires ;\n"
    "- former les personnels."
)


@dataclass
class Counts:
    organisations: int = 0
    conventions: int = 0
    articles: int = 0
    extra: dict = field(default_factory=dict)


def _batches(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def refresh_statistics():
    """Fresh statistics for the query planner after a bulk load: without them PostgreSQL
    plans the échéancier on a table it believes empty (a nested loop of 12,000 probes, 4
    times slower). Outside a transaction (`generate_data`), PostgreSQL is also vacuumed: the
    refresh of every schedule leaves two dead rows per convention, which tripled the table's
    pages and made PostgreSQL read whole tables where an index would do (make bench)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


@transaction.atomic
def generate(*, conventions: int, seed: int, today: datetime.date | None = None) -> Counts:
    today = today or datetime.date.today()
    rng = random.Random(seed)
    counts = Counts()
    prefix = f"FICT-{seed}-"
    if Convention.objects.filter(reference__startswith=prefix).exists():
        raise ValueError(f"Des données fictives de graine {seed} existent déjà.")

    # Staff who follow conventions (unusable passwords: they cannot log in).
    User = get_user_model()
    manager_group, _ = ensure_groups()
    referents = []
    for i in range(1, 21):
        user, created = User.objects.get_or_create(
            username=f"fictif-agent-{i:02d}",
            defaults={
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": f"{rng.choice(LAST_NAMES)} {i} (fictif)",
                "email": f"agent{i:02d}@fictif.example.org",
                "password": make_password(None),
            },
        )
        if created:
            user.groups.add(manager_group)
        referents.append(user)

    # Organisations: the académies, then partners (about one for five conventions).
    academies = [
        Organisation(
            name=f"Académie de {name} (fictive {seed})",
            short_name=f"Rectorat {name}",
            legal_form="state",
            is_academy=True,
            address="Rectorat, place fictive, 00000 Ville",
        )
        for name in ACADEMIES
    ]
    partner_count = max(10, conventions // 5)
    partners = []
    for i in range(partner_count):
        legal_form, label = rng.choice(PARTNER_KINDS)
        partners.append(
            Organisation(
                name=f"{label} n°{i + 1} (graine {seed})",
                short_name=f"FICT{i + 1}",
                legal_form=legal_form,
                address=f"{rng.randint(1, 120)}, rue fictive, {rng.randint(10, 95)}000 Ville",
            )
        )
    academies = _batches(Organisation, academies)
    partners = _batches(Organisation, partners)
    counts.organisations = len(academies) + len(partners)

    people = _batches(
        Person,
        [
            Person(first_name=rng.choice(FIRST_NAMES), last_name=f"{rng.choice(LAST_NAMES)} {i}")
            for i in range(len(academies) + len(partners))
        ],
    )
    mandates = _batches(
        Mandate,
        [
            Mandate(
                person=person,
                organisation=org,
                title="Recteur d'académie, chancelier des universités"
                if org.is_academy
                else "Président",
                start_date=today - datetime.timedelta(days=rng.randint(365, 365 * 15)),
            )
            for person, org in zip(people, academies + partners, strict=True)
        ],
    )
    mandate_of = {m.organisation_id: m for m in mandates}

    # Conventions: frameworks and partnerships first, then children under them.
    rows = []
    for i in range(conventions):
        roll = rng.random()
        kind = (
            "framework"
            if roll < 0.2
            else "partnership"
            if roll < 0.7
            else "application"
            if roll < 0.9
            else "local"
        )
        signed = rng.random() > 0.15
        signed_on = today + datetime.timedelta(days=rng.randint(-365 * 12, 60)) if signed else None
        if signed_on and signed_on > today:
            signed_on = today - datetime.timedelta(days=rng.randint(0, 30))
        academy = rng.choice(academies)
        partner_list = rng.sample(partners, 2 if rng.random() < 0.15 else 1)
        rows.append(
            (
                Convention(
                    reference=f"{prefix}{i + 1:06d}",
                    title=f"Convention fictive n°{i + 1} entre l'{academy.name} et "
                    f"{partner_list[0].name}",
                    short_title=f"Convention fictive n°{i + 1}",
                    kind=kind,
                    signature_place="Ville fictive",
                    signed_on=signed_on,
                    sent_for_signature_on=(
                        None
                        if signed or rng.random() < 0.5
                        else today - datetime.timedelta(days=rng.randint(1, 60))
                    ),
                    duration_months=None
                    if kind == "application" and rng.random() < 0.5
                    else rng.choice([12, 24, 36, 36, 60]),
                    notice_months=rng.choice([0, 2, 3, 3, 6]),
                    provisional_months=rng.choice([0, 0, 0, 6]),
                    tacit_renewal=rng.random() < 0.3,
                    max_renewals=rng.choice([None, 1, 2, 3]),
                    requires_initials=rng.random() < 0.2,
                    preamble="Considérant la volonté commune des parties (texte fictif).",
                    referent=rng.choice(referents),
                ),
                [academy, *partner_list],
            )
        )
    # Written unsigned, signed once their parties and articles exist (the database freezes
    # the text of a signed convention: migration 0007).
    signature_dates = {}
    for convention, _ in rows:
        signature_dates[convention.reference] = convention.signed_on
        convention.signed_on = None
    top_level = [c for c, _ in rows if c.kind in ("framework", "partnership")]
    frameworks = [c for c in top_level if c.kind == "framework"] or top_level
    _batches(Convention, top_level)
    for convention, _ in rows:
        if convention.kind in ("application", "local"):
            convention.parent = rng.choice(frameworks if convention.kind == "local" else top_level)
    children = [c for c, _ in rows if c.kind in ("application", "local")]
    _batches(Convention, children)
    all_conventions = [c for c, _ in rows]
    counts.conventions = len(all_conventions)

    # About one partnership in ten renews an older one.
    renewals = []
    for older, newer in zip(top_level, top_level[1:], strict=False):
        older_on, newer_on = signature_dates[older.reference], signature_dates[newer.reference]
        if rng.random() < 0.1 and older_on and newer_on and older_on < newer_on:
            newer.renews = older
            renewals.append(newer)
    Convention.objects.bulk_update(renewals, ["renews"], batch_size=BATCH)

    # Parties and signatories.
    parties = []
    for convention, organisations in rows:
        for position, org in enumerate(organisations, start=1):
            parties.append(Party(convention=convention, organisation=org, position=position))
    parties = _batches(Party, parties)
    signatories = []
    for party in parties:
        mandate = mandate_of[party.organisation_id]
        convention = party.convention
        signed_on = signature_dates[convention.reference]
        signatories.append(
            Signatory(
                party=party,
                mandate=mandate,
                name=mandate.person.full_name,
                title=mandate.title,
                signed_on=signed_on,
                place=convention.signature_place if signed_on else "",
            )
        )
    _batches(Signatory, signatories)

    # Articles: 10 to 40 per convention, two or three levels, numbered by position.
    top_articles, child_counts = [], []
    for convention in all_conventions:
        total = rng.randint(10, 40)
        top = max(3, total // 4)
        remaining = total - top  # spread over the top-level articles as sub-articles
        for position in range(1, top + 1):
            top_articles.append(
                Article(
                    convention=convention,
                    position=position,
                    kind="article",
                    heading=rng.choice(HEADINGS),
                    body=BODY,
                )
            )
            child_counts.append(remaining // top + (1 if position <= remaining % top else 0))
    _batches(Article, top_articles)
    children_articles = [
        Article(
            convention_id=parent.convention_id,
            parent=parent,
            position=position,
            kind="section",
            heading=rng.choice(HEADINGS),
            body=BODY,
        )
        for parent, count in zip(top_articles, child_counts, strict=True)
        for position in range(1, count + 1)
    ]
    _batches(Article, children_articles)
    counts.articles = len(top_articles) + len(children_articles)

    for convention in all_conventions:
        convention.signed_on = signature_dates[convention.reference]
    signed = [c for c in all_conventions if c.signed_on]
    Convention.objects.bulk_update(signed, ["signed_on"], batch_size=BATCH)
    # Avenants on one signed convention in five.
    amendments = []
    for convention in signed:
        if rng.random() < 0.2:
            for number in range(1, rng.randint(1, 3) + 1):
                on = convention.signed_on + datetime.timedelta(days=120 * number)
                amendments.append(
                    Amendment(
                        convention=convention,
                        number=number,
                        title=f"Avenant fictif N°{number}",
                        body="Modification fictive des modalités de suivi.",
                        signed_on=on if on <= today else None,
                        new_duration_months=rng.choice([None, None, 60]),
                    )
                )
    _batches(Amendment, amendments)

    # Events.
    terminations, decisions = [], []
    for convention in signed:
        roll = rng.random()
        if roll < 0.04:
            terminations.append(
                Termination(
                    convention=convention,
                    kind="notice",
                    party=None,
                    received_on=convention.signed_on
                    + datetime.timedelta(days=rng.randint(90, 900)),
                )
            )
        elif roll < 0.05:
            terminations.append(
                Termination(
                    convention=convention,
                    kind="mutual",
                    agreed_last_day=convention.signed_on
                    + datetime.timedelta(days=rng.randint(200, 1000)),
                )
            )
        elif roll < 0.1:
            decisions.append(
                RenewalDecision(
                    convention=convention,
                    decided_on=convention.signed_on + datetime.timedelta(days=300),
                    renew=rng.random() < 0.5,
                )
            )
    _batches(Termination, terminations)
    _batches(RenewalDecision, decisions)

    # Yearly plans, meetings, obligations.
    parties_of = {}
    for party in parties:
        parties_of.setdefault(party.convention_id, []).append(party)
    plans, meetings, obligations = [], [], []
    for convention in signed:
        if rng.random() < 0.4:
            for year_offset in range(rng.randint(1, 3)):
                plans.append(
                    ActionPlan(
                        convention=convention,
                        school_year=convention.signed_on.year + year_offset,
                    )
                )
                held_on = convention.signed_on + datetime.timedelta(days=330 + 365 * year_offset)
                if held_on <= today and rng.random() < 0.8:
                    meetings.append(
                        SteeringMeeting(
                            convention=convention,
                            held_on=held_on,
                            place="Rectorat (fictif)",
                            minutes="Compte rendu fictif.",
                        )
                    )
        if rng.random() < 0.2:
            obligations.append(
                Obligation(
                    convention=convention,
                    party=rng.choice(parties_of[convention.pk]),
                    title="Fournir les données (fictif)",
                    rhythm=rng.choice(["yearly", "half_yearly", "quarterly"]),
                )
            )
    plans = _batches(ActionPlan, plans)
    _batches(SteeringMeeting, meetings)
    _batches(Obligation, obligations)
    actions = []
    for plan in plans:
        for number in range(1, rng.randint(3, 8) + 1):
            actions.append(
                Action(
                    plan=plan,
                    number=number,
                    axis=rng.choice(AXES),
                    title=f"Action fictive {number}",
                    objective="Faire découvrir les métiers (fictif).",
                    start_label=f"Rentrée scolaire {plan.school_year}-{plan.school_year + 1}",
                    status=rng.choice(["planned", "in_progress", "done", "abandoned"]),
                )
            )
    actions = _batches(Action, actions)
    contributions = [
        ActionContribution(action=action, party=party, text="Contribution fictive.")
        for action in actions
        for party in parties_of[action.plan.convention_id]
    ]
    _batches(ActionContribution, contributions)

    # Money: on one signed convention in four, the académie pays its partner a yearly
    # subsidy in two instalments a year, the past ones mostly paid.
    commitments, plans_of_payment = [], []
    for convention in signed:
        if rng.random() < 0.25:
            payer, payee = parties_of[convention.pk][:2]
            amount = Decimal(rng.choice([1500, 5000, 12000, 30000]))
            commitment = FinancialCommitment(
                convention=convention, payer=payer, payee=payee, amount=amount,
                label="Subvention de fonctionnement (fictive)", period="yearly",
                imputation="BOP 214, action 08 (fictif)",
            )  # fmt: skip
            commitments.append(commitment)
            plans_of_payment.append((commitment, convention.signed_on, rng.randint(1, 3)))
    _batches(FinancialCommitment, commitments)
    instalments, payments = [], []
    for commitment, signed_on, years in plans_of_payment:
        for year in range(years):
            for half, share in ((6, Decimal("0.4")), (12, Decimal("0.6"))):
                due_on = datetime.date(signed_on.year + year, half, 28 if half == 6 else 15)
                part = (commitment.amount * share).quantize(Decimal("0.01"))
                instalments.append(Instalment(commitment=commitment, due_on=due_on, amount=part))
                if due_on < today and rng.random() < 0.85:
                    payments.append(
                        Payment(
                            commitment=commitment,
                            paid_on=due_on + datetime.timedelta(days=rng.randint(0, 40)),
                            amount=part,
                            reference=f"Mandat fictif {len(payments) + 1}",
                        )
                    )
    _batches(Instalment, instalments)
    _batches(Payment, payments)
    # Statuses, dates and deadlines, as every edit would have stored them (a few queries
    # per batch of 500 conventions).
    refresh_due_schedules(today=today)
    refresh_search_documents([c.pk for c in all_conventions])
    refresh_statistics()
    counts.extra = {
        "avenants": len(amendments),
        "événements": len(terminations) + len(decisions),
        "plans d'action": len(plans),
        "actions": len(actions),
        "comités": len(meetings),
        "engagements": len(obligations),
        "engagements financiers": len(commitments),
        "versements": len(payments),
    }
    return counts
