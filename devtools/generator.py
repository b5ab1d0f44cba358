"""Plausible, deterministic, fictitious data at the scale of the whole country.

`generate(conventions=N, seed=S)` adds organisations with people and mandates, conventions of
every kind and status with 2 or 3 parties, 10 to 40 nested articles each, avenants,
application conventions under framework ones, action plans, meetings, obligations and events,
with dates spread over fifteen years around `today`. Every name says "fictif" and every
reference starts with "FICT-".

It writes chunk after chunk of conventions (`chunk_size`), each in its own transaction,
then computes their schedules and search documents, so that memory stays flat whatever N:
the rows go as plain tuples through `COPY` on PostgreSQL, `executemany` on SQLite
(`config.bulk`), never as model instances. Each convention draws from its own random
generator (seeded by the seed and its number) and only looks back at the conventions before
it (its parent, the one it renews), so that the same seed and N give the same data whatever
the chunk size.

Measured on the 2-core development machine with `/usr/bin/time -v manage.py generate_data`:
100,000 conventions (2.5 M articles, 470,000 deadlines) on PostgreSQL in 2 min 45 s and 123 MB
at most (4 min 24 s while other work kept the machine busy); 10,000 in 18 s on PostgreSQL and
14 s on SQLite, 112 and 102 MB. Before (one transaction, model instances, `bulk_update`):
10,000 in 49 s and 486 MB on PostgreSQL, 45 s and 546 MB on SQLite; 50,000 in 14.7 minutes
and 1.86 GB. On PostgreSQL the server is the bottleneck: the full-text index of the
articles, the trigram indexes of the conventions, the foreign keys checked at each commit.

A run stopped halfway leaves its committed chunks: the seed is then taken (`generate_data`
refuses it); start again on a fresh database or with another seed.
"""

import datetime
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, reset_queries, transaction

from actions.models import (
    Action,
    ActionContribution,
    ActionPlan,
    Obligation,
    SteeringMeeting,
)
from config.bulk import copy_rows
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
from echeancier.models import Deadline
from echeancier.refresh import refresh_due_schedules
from partners.models import Mandate, Organisation, Person
from users.roles import ensure_groups

CHUNK_SIZE = 2000
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

# The columns each table is written with, in the order of the tuples below; the others take
# the model's defaults. Tables whose rows nobody here refers to leave their keys to the
# database.
COLUMNS = {
    Organisation: ["id", "name", "short_name", "legal_form", "is_academy", "address"],
    Person: ["id", "first_name", "last_name"],
    Mandate: ["id", "person_id", "organisation_id", "title", "start_date"],
    Convention: ["id", "reference", "title", "short_title", "kind", "parent_id", "renews_id",
                 "signature_place", "signed_on", "sent_for_signature_on", "duration_months",
                 "notice_months", "provisional_months", "tacit_renewal", "max_renewals",
                 "requires_initials", "preamble", "referent_id"],
    Party: ["id", "convention_id", "organisation_id", "position"],
    Signatory: ["party_id", "mandate_id", "name", "title", "signed_on", "place"],
    Article: ["id", "convention_id", "parent_id", "position", "kind", "heading", "body"],
    Amendment: ["convention_id", "number", "title", "body", "signed_on",
                "new_duration_months"],
    Termination: ["convention_id", "kind", "received_on", "agreed_last_day"],
    RenewalDecision: ["convention_id", "decided_on", "renew"],
    ActionPlan: ["id", "convention_id", "school_year"],
    SteeringMeeting: ["convention_id", "held_on", "place", "minutes"],
    Obligation: ["convention_id", "party_id", "title", "rhythm"],
    Action: ["id", "plan_id", "number", "axis", "title", "objective", "start_label", "status"],
    ActionContribution: ["action_id", "party_id", "text"],
    FinancialCommitment: ["id", "convention_id", "payer_id", "payee_id", "label", "amount",
                          "period", "imputation"],
    Instalment: ["commitment_id", "due_on", "amount"],
    Payment: ["commitment_id", "paid_on", "amount", "reference"],
}  # fmt: skip


@dataclass
class Counts:
    organisations: int = 0
    conventions: int = 0
    articles: int = 0
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Signer:
    """An organisation with the mandate whose holder signs for it."""

    pk: int
    name: str
    is_academy: bool
    mandate_id: int
    title: str
    person: str


@dataclass
class _Past:
    """What a convention may refer to among those before it, chunk after chunk: the
    top-level conventions a child hangs under, the last one a partnership may renew."""

    top_level: list = field(default_factory=list)
    frameworks: list = field(default_factory=list)
    last_top: tuple | None = None  # (pk, signed on)


class _Keys:
    """Primary keys taken ahead of the rows that refer to them (`COPY` returns none): from
    the table's sequence on PostgreSQL, by blocks; after the largest one on SQLite."""

    BLOCK = 20_000

    def __init__(self, model):
        self.table = model._meta.db_table
        self.free = []
        self.next = None

    def take(self) -> int:
        if connection.vendor == "postgresql":
            if not self.free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [self.table, self.BLOCK],
                    )
                    self.free = sorted((row[0] for row in cursor.fetchall()), reverse=True)
            return self.free.pop()
        if self.next is None:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT MAX(id) FROM "{self.table}"')
                largest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
            self.next = max(largest, row[0] if row else 0) + 1
        self.next += 1
        return self.next - 1


def refresh_statistics():
    """Fresh statistics for the query planner after a bulk load: without them PostgreSQL
    plans the échéancier on a table it believes empty (a nested loop of 12,000 probes, 4
    times slower). Outside a transaction (`generate_data`), PostgreSQL is also vacuumed: the
    refresh of every schedule leaves two dead rows per convention, which tripled the table's
    pages and made PostgreSQL read whole tables where an index would do (make bench)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


POWERS_OF_TWO = {2**n for n in range(30)}


def _tune():
    """For the transaction under way, on PostgreSQL: index reads priced as the reads from
    memory they are here (the default, for disks, had the refresh's batches join on whole
    tables: 80 ms rather than 10 for the signatures of 500 conventions, and longer as the
    tables grow), and a larger pending list for the GIN indexes, merged in fewer, larger
    passes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            cursor.execute("SET LOCAL gin_pending_list_limit = '32MB'")


def analyze_written_tables():
    """Statistics for the planner each time the tables have doubled, on PostgreSQL:
    autovacuum, when it is on, analyses a table once it grew by a tenth, but it may be off
    (it is off on the development machine), and plans made for tables believed empty made
    every chunk's reads slower than the last: the refresh's took 162 s at 100,000
    conventions, forty times what they took at 10,000. Seven times for 100,000 conventions,
    a second or two each."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in [*COLUMNS, Deadline]]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def generate(
    *,
    conventions: int,
    seed: int,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Counts:
    today = today or datetime.date.today()
    prefix = f"FICT-{seed}-"
    if Convention.objects.filter(reference__startswith=prefix).exists():
        raise ValueError(f"Des données fictives de graine {seed} existent déjà.")
    keys = {model: _Keys(model) for model in COLUMNS if "id" in COLUMNS[model]}
    with transaction.atomic():
        referents = _referents(random.Random(seed))
        academies, partners = _organisations(random.Random(seed), seed, conventions, today, keys)
    counts = Counts(organisations=len(academies) + len(partners))
    past = _Past()
    refresher = _Refresher(today)
    try:
        for start in range(0, conventions, chunk_size):
            with transaction.atomic():
                _tune()
                chunk = _Chunk(keys)
                for number in range(start, min(start + chunk_size, conventions)):
                    chunk.convention(
                        number, random.Random(f"{seed}:{number}"), prefix, today, past,
                        academies, partners, referents,
                    )  # fmt: skip
                chunk.write()
                if not refresher.pool:
                    _refresh(chunk.pks, today)
            if refresher.pool:
                refresher.submit(chunk.pks)
            if start // chunk_size + 1 in POWERS_OF_TWO:
                analyze_written_tables()
            reset_queries()  # with DEBUG, the last 9,000 queries, each with its 2,000 ids
            counts.conventions += len(chunk.pks)
            counts.articles += chunk.articles
            for name, value in chunk.counts().items():
                counts.extra[name] = counts.extra.get(name, 0) + value
    finally:
        refresher.close()
    refresh_statistics()
    return counts


def _refresh(pks, today):
    """The statuses, dates and deadlines, then the search documents, as every edit would
    have stored them: the app's own functions, on the conventions of a chunk."""
    _tune()
    refresh_due_schedules(today=today, ids=pks)
    refresh_search_documents(pks)


class _Refresher:
    """On PostgreSQL, outside a transaction, each chunk is refreshed by a second connection,
    in its own transaction, while the next chunk is written: the writing (mostly the
    server indexing articles) and the refresh (reads and updates) then keep both cores
    busy. The refresh of a chunk may find children of the next one,
    committed meanwhile, and compute them first (the cascade after their parent): the same
    results, in another order. Elsewhere the chunk is refreshed in the transaction that wrote
    it: SQLite has one writer at a time, and inside a transaction (tests) another connection
    would not see the rows."""

    def __init__(self, today):
        self.today = today
        self.pending = None
        self.pool = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate_data")

    def submit(self, pks):
        self.wait()  # one chunk ahead at most: the refresh of chunk n needs chunk n - 1's
        self.pending = self.pool.submit(self._refresh, pks)

    def _refresh(self, pks):
        with transaction.atomic():
            _refresh(pks, self.today)
        reset_queries()

    def wait(self):
        pending, self.pending = self.pending, None
        if pending:
            pending.result()  # raises what the refresh raised

    def close(self):
        if not self.pool:
            return
        try:
            self.wait()
        finally:
            self.pool.submit(connections.close_all).result()
            self.pool.shutdown()


def _referents(rng):
    """Staff who follow conventions (unusable passwords: they cannot log in)."""
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
        referents.append(user.pk)
    return referents


def _organisations(rng, seed, conventions, today, keys):
    """The académies, then partners (about one for five conventions), each with the person
    who signs for it."""
    rows = [
        (f"Académie de {name} (fictive {seed})", f"Rectorat {name}", "state", True,
         "Rectorat, place fictive, 00000 Ville")
        for name in ACADEMIES
    ]  # fmt: skip
    for i in range(max(10, conventions // 5)):
        legal_form, label = rng.choice(PARTNER_KINDS)
        address = f"{rng.randint(1, 120)}, rue fictive, {rng.randint(10, 95)}000 Ville"
        rows.append(
            (f"{label} n°{i + 1} (graine {seed})", f"FICT{i + 1}", legal_form, False, address)
        )
    organisations, people, mandates, signers = [], [], [], []
    for i, row in enumerate(rows):
        org, person, mandate = (keys[model].take() for model in (Organisation, Person, Mandate))
        first_name, last_name = rng.choice(FIRST_NAMES), f"{rng.choice(LAST_NAMES)} {i}"
        title = "Recteur d'académie, chancelier des universités" if row[3] else "Président"
        start = today - datetime.timedelta(days=rng.randint(365, 365 * 15))
        organisations.append((org, *row))
        people.append((person, first_name, last_name))
        mandates.append((mandate, person, org, title, start))
        full_name = Person(first_name=first_name, last_name=last_name).full_name
        signers.append(_Signer(org, row[0], row[3], mandate, title, full_name))
    copy_rows(Organisation, COLUMNS[Organisation], organisations)
    copy_rows(Person, COLUMNS[Person], people)
    copy_rows(Mandate, COLUMNS[Mandate], mandates)
    return signers[: len(ACADEMIES)], signers[len(ACADEMIES) :]


class _Chunk:
    """The rows of a run of conventions, drawn one convention after the other, then written
    table by table."""

    def __init__(self, keys):
        self.keys = keys
        self.rows = {model: [] for model in COLUMNS}
        self.pks = []  # the conventions of the chunk, in order
        self.articles = 0

    def take(self, model) -> int:
        return self.keys[model].take()

    def add(self, model, *values):
        self.rows[model].append(values)

    def convention(self, number, rng, prefix, today, past, academies, partners, referents):
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
        # One convention in fifty, from the eleventh, has every part a page shows when there
        # is one (a parent, a signed avenant, an action plan, an obligation): the benchmark
        # times its pages at two scales with the same parts (devtools/benchmark.py).
        showcase = number % 50 == 10
        if showcase:
            kind = "application"
        # A child hangs under a convention before it (a local one under a framework); the
        # very first ones, with none before them, are partnerships.
        parents = past.frameworks if kind == "local" else past.top_level
        parents = parents or past.top_level
        if kind in ("application", "local") and not parents:
            kind = "partnership"
        parent = rng.choice(parents) if kind in ("application", "local") else None
        signed = rng.random() > 0.15 or showcase
        signed_on = today + datetime.timedelta(days=rng.randint(-365 * 12, 60)) if signed else None
        if showcase:  # long enough ago for its first avenant to be signed
            signed_on = today - datetime.timedelta(days=rng.randint(365, 365 * 8))
        if signed_on and signed_on > today:
            signed_on = today - datetime.timedelta(days=rng.randint(0, 30))
        academy = rng.choice(academies)
        organisations = [academy, *rng.sample(partners, 2 if rng.random() < 0.15 else 1)]
        # About one top-level convention in ten renews the one just before it.
        older = past.last_top if parent is None and rng.random() < 0.1 else None
        renews = older[0] if older and older[1] and signed_on and older[1] < signed_on else None
        pk = self.take(Convention)
        self.add(
            Convention,
            pk,
            f"{prefix}{number + 1:06d}",
            f"Convention fictive n°{number + 1} entre l'{academy.name} et "
            f"{organisations[1].name}",
            f"Convention fictive n°{number + 1}",
            kind,
            parent,
            renews,
            "Ville fictive",
            signed_on,
            None if signed or rng.random() < 0.5
            else today - datetime.timedelta(days=rng.randint(1, 60)),
            None if kind == "application" and rng.random() < 0.5
            else rng.choice([12, 24, 36, 36, 60]),
            rng.choice([0, 2, 3, 3, 6]),
            rng.choice([0, 0, 0, 6]),
            rng.random() < 0.3,
            rng.choice([None, 1, 2, 3]),
            rng.random() < 0.2,
            "Considérant la volonté commune des parties (texte fictif).",
            rng.choice(referents),
        )  # fmt: skip
        self.pks.append(pk)
        if parent is None:
            past.top_level.append(pk)
            if kind == "framework":
                past.frameworks.append(pk)
            past.last_top = (pk, signed_on)

        parties = []
        for position, org in enumerate(organisations, start=1):
            party = self.take(Party)
            parties.append(party)
            self.add(Party, party, pk, org.pk, position)
            place = "Ville fictive" if signed_on else ""
            self.add(Signatory, party, org.mandate_id, org.person, org.title, signed_on, place)

        # Articles: 10 to 40, two levels, numbered by position.
        total = rng.randint(10, 40)
        top = max(3, total // 4)
        remaining = total - top  # spread over the top-level articles as sub-articles
        for position in range(1, top + 1):
            article = self.take(Article)
            self.add(Article, article, pk, None, position, "article", rng.choice(HEADINGS), BODY)
            for sub in range(1, remaining // top + (1 if position <= remaining % top else 0) + 1):
                self.add(
                    Article, self.take(Article), pk, article, sub, "section",
                    rng.choice(HEADINGS), BODY,
                )  # fmt: skip
                self.articles += 1
            self.articles += 1
        if signed_on:
            self._signed(rng, pk, signed_on, parties, today, showcase)

    def _signed(self, rng, pk, signed_on, parties, today, showcase):
        """What follows a signature: avenants, events, plans, meetings, obligations, money."""
        # Avenants on one signed convention in five.
        if rng.random() < 0.2 or showcase:
            for number in range(1, rng.randint(1, 3) + 1):
                on = signed_on + datetime.timedelta(days=120 * number)
                self.add(
                    Amendment, pk, number, f"Avenant fictif N°{number}",
                    "Modification fictive des modalités de suivi.",
                    on if on <= today else None, rng.choice([None, None, 60]),
                )  # fmt: skip
        roll = rng.random()
        if roll < 0.04:
            received_on = signed_on + datetime.timedelta(days=rng.randint(90, 900))
            self.add(Termination, pk, "notice", received_on, None)
        elif roll < 0.05:
            last_day = signed_on + datetime.timedelta(days=rng.randint(200, 1000))
            self.add(Termination, pk, "mutual", None, last_day)
        elif roll < 0.1:
            decided_on = signed_on + datetime.timedelta(days=300)
            self.add(RenewalDecision, pk, decided_on, rng.random() < 0.5)
        # Yearly plans and their actions, meetings, obligations.
        if rng.random() < 0.4 or showcase:
            for year_offset in range(rng.randint(1, 3)):
                plan, year = self.take(ActionPlan), signed_on.year + year_offset
                self.add(ActionPlan, plan, pk, year)
                for number in range(1, rng.randint(3, 8) + 1):
                    action = self.take(Action)
                    self.add(
                        Action, action, plan, number, rng.choice(AXES),
                        f"Action fictive {number}", "Faire découvrir les métiers (fictif).",
                        f"Rentrée scolaire {year}-{year + 1}",
                        rng.choice(["planned", "in_progress", "done", "abandoned"]),
                    )  # fmt: skip
                    for party in parties:
                        self.add(ActionContribution, action, party, "Contribution fictive.")
                held_on = signed_on + datetime.timedelta(days=330 + 365 * year_offset)
                if held_on <= today and rng.random() < 0.8:
                    self.add(SteeringMeeting, pk, held_on, "Rectorat (fictif)",
                             "Compte rendu fictif.")  # fmt: skip
        if rng.random() < 0.2 or showcase:
            rhythm = rng.choice(["yearly", "half_yearly", "quarterly"])
            self.add(Obligation, pk, rng.choice(parties), "Fournir les données (fictif)", rhythm)
        # Money: on one signed convention in four, the académie pays its partner a yearly
        # subsidy in two instalments a year, the past ones mostly paid.
        if rng.random() < 0.25:
            commitment = self.take(FinancialCommitment)
            amount = Decimal(rng.choice([1500, 5000, 12000, 30000]))
            self.add(
                FinancialCommitment, commitment, pk, parties[0], parties[1],
                "Subvention de fonctionnement (fictive)", amount, "yearly",
                "BOP 214, action 08 (fictif)",
            )  # fmt: skip
            paid = 0
            for year in range(rng.randint(1, 3)):
                for half, share in ((6, Decimal("0.4")), (12, Decimal("0.6"))):
                    due_on = datetime.date(signed_on.year + year, half, 28 if half == 6 else 15)
                    part = (amount * share).quantize(Decimal("0.01"))
                    self.add(Instalment, commitment, due_on, part)
                    if due_on < today and rng.random() < 0.85:
                        paid += 1
                        self.add(
                            Payment, commitment,
                            due_on + datetime.timedelta(days=rng.randint(0, 40)), part,
                            f"Mandat fictif {pk}-{paid}",
                        )  # fmt: skip

    def write(self):
        """The rows, table by table.

        A convention's row comes after its parties, signatories and articles: the database
        refuses those of a signed convention (migration 0007), and finds none yet. Written
        signed at once, with its search document last (`_refresh`), each convention is
        stored three times rather than four: on PostgreSQL every version of the row goes
        into four trigram indexes (0.1 to 0.3 ms), much of the time at 100,000 conventions."""
        for model, rows in self.rows.items():
            if rows and model is not Convention:
                copy_rows(model, COLUMNS[model], rows)
        copy_rows(Convention, COLUMNS[Convention], self.rows[Convention])

    def counts(self):
        return {
            "avenants": len(self.rows[Amendment]),
            "événements": len(self.rows[Termination]) + len(self.rows[RenewalDecision]),
            "plans d'action": len(self.rows[ActionPlan]),
            "actions": len(self.rows[Action]),
            "comités": len(self.rows[SteeringMeeting]),
            "engagements": len(self.rows[Obligation]),
            "engagements financiers": len(self.rows[FinancialCommitment]),
            "versements": len(self.rows[Payment]),
        }
