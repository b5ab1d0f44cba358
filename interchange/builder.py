"""Rows from a checked file: organisations, people and mandates matched by natural key, then
the conventions with everything they hold.

Every row is validated as the staff application validates it before it is written: the
model's `full_clean()` (field validators, `clean()`, constraints), then the rules that the
staff forms and the write services apply (the same functions where they are shared:
`amendment_date_error`, `check_article_change`, `check_termination`, `Convention.clean`). A
refused row is reported and left out, with what hangs from it, and the build goes on so that
one run reports every problem it can; the caller rolls the file back if there is any.

Matching by natural key (get-or-create; the values of a record found are kept as they are):
- an organisation by its `name`;
- a person by `first_name` and `last_name`; a reference to a person elsewhere in the file is
  "first_name last_name";
- a mandate by person, organisation and `title`;
- a convention is always created: a reference already in the database is an error.
A reference (to an organisation, a person, a convention) names a record of the file, or else
one of the database.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Value
from django.db.models.functions import Concat

from conventions.enums import CHILD_KINDS, ArticleChangeKind
from conventions.extensions import convention_changed
from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    ExternalReference,
    FinancialCommitment,
    Instalment,
    Party,
    PartyWithdrawal,
    Payment,
    Signatory,
)
from conventions.rules.formatting import french_date
from conventions.services.lifecycle import (
    MIN_PARTIES,
    amendment_date_error,
    check_article_change,
)
from partners.models import Contact, Letterhead, Mandate, Organisation, Person

from .cycle import CycleRows
from .reader import Node, Problem, dotted

FUTURE_SIGNATURE = "La date de signature ne peut pas être dans le futur."


class Builder(CycleRows):
    """Builds the rows of one checked file, inside the caller's transaction."""

    def __init__(self, document: Node, *, today: datetime.date, skip_existing: bool = False):
        self.document = document
        self.today = today
        self.skip_existing = skip_existing
        self.problems: list[Problem] = []
        # Records by the name the file uses; None: unknown or refused (reported once).
        self.organisations: dict[str, Organisation | None] = {}
        self.people: dict[str, Person | None] = {}
        self.declared: dict[tuple, tuple] = {}  # (section, natural key) → path of first
        self.file_mandates: dict[tuple[int, int], list[Mandate]] = defaultdict(list)
        self.conventions: dict[str, Convention | None] = {}
        # What the report says was created.
        self.created_organisations: list[str] = []
        self.created_people: list[str] = []
        self.created_mandates: list[str] = []
        self.loaded: list[tuple[Convention, Node]] = []
        self.skipped: list[str] = []
        self._applications: list[tuple[Amendment, Node]] = []
        self._amendments: list[tuple[Convention, Amendment, Node, list]] = []

    # Problems ---------------------------------------------------------------------------

    def fail(self, node: Node, key, message: str) -> None:
        """A problem at `key` of `node` (a key, a tuple of keys and indexes, or None for the
        mapping itself)."""
        keys = () if key is None else (key if isinstance(key, tuple) else (key,))
        line = node.line_of(keys[0]) if keys else node.line
        problem = Problem((*node.path, *keys), message, line)
        if problem not in self.problems:
            self.problems.append(problem)

    def report(self, error: ValidationError, node: Node) -> None:
        """The messages of a `ValidationError`, each on the key of the field it names."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.fail(node, None, message)
            return
        for attr, errors in error.error_dict.items():
            key = None if attr == NON_FIELD_ERRORS else node.shape.key_for(attr)
            if key in node.invalid:
                continue  # its value was refused by the reader, which said why
            for message in ValidationError(errors).messages:
                self.fail(node, key, message)

    def valid(self, row, node: Node, exclude=()) -> bool:
        """`full_clean()` of `row`, its problems reported on `node`'s keys."""
        try:
            row.full_clean(exclude=list(exclude))
        except ValidationError as error:
            self.report(error, node)
            return False
        return True

    def declare(self, section: str, name, node: Node, key, what: str) -> bool:
        """False (and a problem) when the file already declared `name` in `section`."""
        first = self.declared.setdefault((section, name), node.path)
        if first != node.path:
            where = f"déjà en {dotted(first)}"
            self.fail(node, key, f"{what} « {name} » en double dans le fichier ({where})")
            return False
        return True

    def unknown(self, node: Node, key: str) -> bool:
        """Whether `node[key]` cannot name anything: empty, or refused by the reader."""
        return key in node.invalid or not node[key]

    # Organisations, people, mandates ----------------------------------------------------

    def build(self) -> None:
        for node in self.document["organisations"]:
            self.organisation_row(node)
        for node in self.document["people"]:
            self.person_row(node)
        for node in self.document["mandates"]:
            self.mandate_row(node)
        for node in self.document["conventions"]:
            self.convention(node)
        self.link_applications()

    def organisation_row(self, node: Node) -> None:
        if self.unknown(node, "name") or not self.declare(
            "organisations", node["name"], node, "name", "organisation"
        ):
            return
        name = node["name"]
        found = Organisation.objects.filter(name=name).first()
        if found is None:
            found = Organisation(**node.columns())
            if not self.valid(found, node):
                self.organisations[name] = None
                return
            found.save()
            self.created_organisations.append(name)
        self.organisations[name] = found
        # Letterheads: added when the organisation has none from that day (a file loaded
        # twice, or several files naming the académie, add each once).
        starts = set(found.letterheads.values_list("valid_from", flat=True))
        for head_node in node["letterheads"]:
            head = Letterhead(organisation=found, **head_node.columns())
            if head.valid_from in starts:
                continue
            if self.valid(head, head_node, exclude=["organisation"]):
                head.save()
                starts.add(head.valid_from)

    def letterhead_named(self, node: Node) -> Letterhead | None:
        """The letterhead a convention chooses, by its name (an académie's first)."""
        name = node["letterhead"]
        if not name or self.unknown(node, "letterhead"):
            return None
        found = (
            Letterhead.objects.filter(name=name)
            .order_by("-organisation__is_academy", "-valid_from")
            .first()
        )
        if found is None:
            self.fail(node, "letterhead", f"en-tête inconnu « {name} »")
        return found

    def organisation(self, node: Node, key: str) -> Organisation | None:
        """The organisation `node[key]` names: of the file, else of the database."""
        if self.unknown(node, key):
            return None
        name = node[key]
        if name not in self.organisations:
            found = Organisation.objects.filter(name=name).first()
            if found is None:
                self.fail(node, key, f"organisation inconnue « {name} »{_hint(name)}")
            self.organisations[name] = found
        return self.organisations[name]

    def person_row(self, node: Node) -> None:
        if {"first_name", "last_name"} & node.invalid:
            return
        full_name = f"{node['first_name']} {node['last_name']}"
        if not self.declare("people", full_name, node, "last_name", "personne"):
            return
        found = list(
            Person.objects.filter(first_name=node["first_name"], last_name=node["last_name"])[:2]
        )
        if len(found) > 1:
            self.fail(node, "last_name", _homonyms(full_name))
            self.people[full_name] = None
            return
        person = found[0] if found else Person(**node.columns())
        if not found:
            if not self.valid(person, node):
                self.people[full_name] = None
                return
            person.save()
            self.created_people.append(full_name)
        self.people[full_name] = person

    def person(self, node: Node, key: str) -> Person | None:
        """The person `node[key]` names ("first_name last_name"): of the file, else of the
        database."""
        if self.unknown(node, key):
            return None
        name = node[key]
        if name not in self.people:
            found = list(
                Person.objects.annotate(full=Concat("first_name", Value(" "), "last_name"))
                .filter(full=name)
                .order_by("pk")[:2]
            )
            if not found:
                self.fail(node, key, f"personne inconnue « {name} » (attendu : « prénom nom »)")
            elif len(found) > 1:
                self.fail(node, key, _homonyms(name))
            self.people[name] = found[0] if len(found) == 1 else None
        return self.people[name]

    def mandate_row(self, node: Node) -> None:
        person, organisation = self.person(node, "person"), self.organisation(node, "organisation")
        if person is None or organisation is None or "title" in node.invalid:
            return
        mandate = (
            Mandate.objects.filter(person=person, organisation=organisation, title=node["title"])
            .order_by("pk")
            .first()
        )
        if mandate is None:
            mandate = Mandate(person=person, organisation=organisation, **node.columns())
            if not self.valid(mandate, node):
                return
            mandate.save()
            self.created_mandates.append(f"{person.full_name}, {mandate.title}")
        if mandate not in self.file_mandates[(person.pk, organisation.pk)]:
            self.file_mandates[(person.pk, organisation.pk)].append(mandate)

    def mandate(self, node: Node, organisation: Organisation) -> Mandate | None:
        """The mandate in `organisation` of the signatory's `person` (None without one): the
        file's mandates of that person there, else the database's; `mandate_title` chooses
        among several."""
        person = self.person(node, "person")
        if person is None:
            return None
        title = node["mandate_title"]
        candidates = self.file_mandates.get((person.pk, organisation.pk)) or list(
            Mandate.objects.filter(person=person, organisation=organisation).order_by("pk")
        )
        if title:
            candidates = [m for m in candidates if m.title == title]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            held = f" sous le titre « {title} »" if title else ""
            self.fail(
                node,
                "mandate_title" if title else "person",
                f"Ce représentant n'exerce pas de mandat dans cette organisation : "
                f"aucun mandat de « {person.full_name} »{held} à « {organisation.name} » "
                "(à déclarer dans mandates)",
            )
        else:
            self.fail(
                node,
                "person",
                f"« {person.full_name} » a plusieurs mandats à « {organisation.name} » : "
                "précisez lequel par mandate_title",
            )
        return None

    # Conventions ------------------------------------------------------------------------

    def convention_named(self, node: Node, key: str) -> Convention | None:
        """The convention `node[key]` names: created earlier from this file, else of the
        database."""
        if self.unknown(node, key):
            return None
        reference = node[key]
        if reference in self.conventions:
            return self.conventions[reference]
        found = Convention.objects.filter(reference=reference).first()
        if found is None:
            later = any(n["reference"] == reference for n in self.document["conventions"])
            where = "placée plus bas dans le fichier : mettez-la avant" if later else "inconnue"
            self.fail(node, key, f"convention « {reference} » {where}")
            self.conventions[reference] = None
        return found

    def convention(self, node: Node) -> None:
        reference = node["reference"]
        if self.unknown(node, "reference") or not self.declare(
            "conventions", reference, node, "reference", "référence"
        ):
            return
        if Convention.objects.filter(reference=reference).exists():
            if self.skip_existing:
                self.skipped.append(reference)
            else:
                self.fail(
                    node,
                    "reference",
                    f"une convention de la base porte déjà la référence « {reference} » "
                    "(le chargement crée des conventions, il ne les modifie pas)",
                )
            return
        self.conventions[reference] = None
        parent, renews = (
            self.convention_named(node, "parent"),
            self.convention_named(node, "renews"),
        )
        letterhead = self.letterhead_named(node)
        convention = Convention(
            **node.columns(), parent=parent, renews=renews, letterhead=letterhead
        )
        refused = not self.valid(convention, node) or bool(node["parent"] and parent is None)
        if parent is not None and parent.kind in CHILD_KINDS:
            self.fail(
                node,
                "parent",
                f"« {parent.reference} » est une convention d'application ou locale : "
                "elle ne peut pas être la convention parente d'une autre",
            )
            refused = True
        signed_on = convention.signed_on
        if signed_on and signed_on > self.today:
            self.fail(node, "signed_on", FUTURE_SIGNATURE)
        if refused:
            return
        # Signed last, as in life: the database freezes a signed convention's text (signed on
        # a known date or, `signed_on: unknown`, on an unknown one).
        signed_on_unknown = convention.signed_on_unknown
        convention.signed_on, convention.signed_on_unknown = None, False
        convention.save()
        convention.signed_on = signed_on  # in memory, for the rules below
        convention.signed_on_unknown = signed_on_unknown
        self.conventions[reference] = convention

        self.external_references(convention, node)
        parties = self.parties(convention, node)
        self.articles(convention, None, node["articles"])
        annexes = self.annexes(convention, node)
        self.contacts(convention, node)
        self.amendments(convention, node, parties)
        plans, actions = self.action_plans(convention, node, parties, annexes)
        self.obligations(convention, node, parties)
        self.meetings(convention, node, parties, plans, actions)
        self.terminations(convention, node, parties)
        self.renewal_decisions(convention, node)
        self.financial_commitments(convention, node, parties)
        if signed_on or signed_on_unknown:
            # The parties keep their organisations' names and addresses as signed, then the
            # database freezes the text.
            for party in parties.values():
                if party is not None:
                    party.take_organisation_as_signed()
            convention.save(update_fields=["signed_on", "signed_on_unknown"])
        self.loaded.append((convention, node))

    def parties(self, convention: Convention, node: Node) -> dict[str, Party | None]:
        """The parties by their organisation's name (None: refused, reported)."""
        parties: dict[str, Party | None] = {}
        if len(node["parties"]) < MIN_PARTIES and "parties" not in node.invalid:
            self.fail(node, "parties", "Une convention a au moins deux parties.")
        signatures = []
        for position, party_node in enumerate(node["parties"], start=1):
            name = party_node["organisation"]
            if name in parties:
                self.fail(
                    party_node, "organisation", "Une organisation ne peut être partie qu'une fois."
                )
                continue
            parties[name] = None
            organisation = self.organisation(party_node, "organisation")
            if organisation is None:
                continue
            party = Party(
                convention=convention,
                organisation=organisation,
                position=position,
                **party_node.columns(),
            )
            if not self.valid(party, party_node):
                continue
            party.save()
            parties[name] = party
            if party_node["signatory"] is not None:
                signatory = self.signatory(party, party_node["signatory"])
                signatures.append((signatory, party_node["signatory"]))
        self.signed_by_all(
            convention, node, signatures, len(node["parties"]), "la convention|signée"
        )
        return parties

    def signatory(self, party: Party, node: Node, amendment: Amendment | None = None):
        """Who signs for `party` (on the convention, or on `amendment`), as signed."""
        signatory = Signatory(
            party=party,
            amendment=amendment,
            mandate=self.mandate(node, party.organisation),
            **node.columns(),
        )
        # While unsigned, a party's representative may still be unnamed (a draft).
        exclude = [] if signatory.signed_on else ["name", "title"]
        ok = self.valid(signatory, node, exclude=exclude)
        if signatory.signed_on:
            if signatory.signed_on > self.today:
                self.fail(node, "signed_on", FUTURE_SIGNATURE)
            if not signatory.place:
                self.fail(node, "place", "Indiquez le lieu de signature.")
        if ok and (not node["person"] or signatory.mandate is not None):
            signatory.save()
        return signatory

    def signed_by_all(self, owner, node: Node, signatures: list, party_count: int, what: str):
        """A convention (or avenant) is signed on the day its last party signs: no party
        signs after it, and once every party has signed, it is signed that day. `what`: « la
        convention » or « l'avenant », with the participle that goes with it."""
        if "signed_on" in node.invalid:
            return
        what, signed = what.split("|")
        signed_on = owner.signed_on
        dates = [s.signed_on for s, _ in signatures if s.signed_on]
        for signatory, signatory_node in signatures:
            if signed_on and signatory.signed_on and signatory.signed_on > signed_on:
                self.fail(
                    signatory_node,
                    "signed_on",
                    f"Signature du {french_date(signatory.signed_on)}, après celle de {what} "
                    f"({french_date(signed_on)}), qui est {signed} le jour de la dernière "
                    "signature.",
                )
        if party_count >= MIN_PARTIES and len(dates) == party_count:
            last = max(dates)
            if signed_on is None:
                self.fail(
                    node,
                    "signed_on",
                    f"Toutes les parties ont signé : {what} est {signed} le "
                    f"{french_date(last)}, jour de la dernière signature.",
                )
            elif signed_on > last:
                self.fail(
                    node,
                    "signed_on",
                    f"{what[0].upper()}{what[1:]} est {signed} le jour de la dernière signature "
                    f"de ses parties ({french_date(last)}), pas le {french_date(signed_on)}.",
                )

    def articles(self, convention: Convention, parent: Article | None, nodes: list[Node]):
        for position, node in enumerate(nodes, start=1):
            article = Article(
                convention=convention, parent=parent, position=position, **node.columns()
            )
            if not (article.heading or article.body) and not {"heading", "body"} & node.invalid:
                self.fail(node, "heading", "Indiquez un intitulé ou un texte.")
                continue
            if self.valid(article, node):
                article.save()
                self.articles(convention, article, node["children"])

    def annexes(self, convention: Convention, node: Node) -> list[Annex | None]:
        """The annexes in order (None: refused), for the plans that print in one."""
        annexes = []
        for position, annex_node in enumerate(node["annexes"], start=1):
            tables = []
            for table in annex_node["tables"]:
                width = len(table["columns"])
                for index, row in enumerate(table["rows"]):
                    if width and len(row) != width:
                        self.fail(
                            table,
                            ("rows", index),
                            f"{len(row)} cellules pour {width} colonnes",
                        )
                tables.append({key: table[key] for key in ("caption", "columns", "rows")})
            annex = Annex(
                convention=convention, position=position, tables=tables, **annex_node.columns()
            )
            ok = self.valid(annex, annex_node)
            if ok:
                annex.save()
            annexes.append(annex if ok else None)
        return annexes

    def external_references(self, convention: Convention, node: Node) -> None:
        for reference_node in node["external_references"]:
            reference = ExternalReference(convention=convention, **reference_node.columns())
            if self.valid(reference, reference_node):
                reference.save()

    def financial_commitments(self, convention: Convention, node: Node, parties: dict) -> None:
        """Who pays whom, how much, when (money is not part of the frozen signed text)."""
        for commitment_node in node["financial_commitments"]:
            payer = self.party(parties, commitment_node, "payer")
            payee = self.party(parties, commitment_node, "payee")
            amendment = None
            if commitment_node["amendment"] is not None:
                number = commitment_node["amendment"]
                amendment = convention.amendments.filter(number=number).first()
                if amendment is None:
                    self.fail(
                        commitment_node, "amendment", f"la convention n'a pas d'avenant N°{number}"
                    )
                    continue
            if payer is None or payee is None:
                continue
            commitment = FinancialCommitment(
                convention=convention,
                amendment=amendment,
                payer=payer,
                payee=payee,
                **commitment_node.columns(),
            )
            if not self.valid(commitment, commitment_node):
                continue
            commitment.save()
            for instalment_node in commitment_node["schedule"]:
                instalment = Instalment(commitment=commitment, **instalment_node.columns())
                if self.valid(instalment, instalment_node):
                    instalment.save()
            for payment_node in commitment_node["payments"]:
                payment = Payment(commitment=commitment, **payment_node.columns())
                if self.valid(payment, payment_node):
                    payment.save()

    def contacts(self, convention: Convention, node: Node) -> None:
        for position, contact_node in enumerate(node["contacts"], start=1):
            organisation = self.organisation(contact_node, "organisation")
            person = self.person(contact_node, "person")
            if organisation is None or person is None:
                continue
            contact = Contact(
                convention=convention,
                organisation=organisation,
                person=person,
                position=position,
                **contact_node.columns(),
            )
            if self.valid(contact, contact_node):
                contact.save()

    def party(self, parties: dict, node: Node, key: str = "party") -> Party | None:
        """The party `node[key]` names by its organisation's name (None: not a party, or a
        party refused already)."""
        if self.unknown(node, key):
            return None
        name = node[key]
        if name not in parties:
            self.fail(node, key, f"« {name} » n'est pas partie à la convention")
        return parties.get(name)

    # Avenants ---------------------------------------------------------------------------

    def amendments(self, convention: Convention, node: Node, parties: dict) -> None:
        numbers = None  # article numbers of the convention's text, read once
        withdrawn: set[int] = set()  # the parties an earlier avenant withdraws
        for amendment_node in node["amendments"]:
            if not convention.is_signed:
                if "signed_on" not in node.invalid:
                    self.fail(
                        amendment_node, None, "Un avenant ne modifie qu'une convention signée."
                    )
                continue
            amendment = Amendment(convention=convention, **amendment_node.columns())
            ok = self.valid(amendment, amendment_node)
            for key, signing in (("signed_on", True), ("effective_date", False)):
                on = getattr(amendment, key)
                if on and (refused := amendment_date_error(convention, on, signing=signing)):
                    self.fail(amendment_node, key, refused)
            if amendment.signed_on and amendment.signed_on > self.today:
                self.fail(amendment_node, "signed_on", FUTURE_SIGNATURE)
            if not ok:
                continue
            signed_on, amendment.signed_on = amendment.signed_on, None
            amendment.save()
            amendment.signed_on = signed_on
            if numbers is None:
                numbers = {a.number: a for a in convention.numbered_articles()}
            self.article_changes(amendment, amendment_node, numbers)
            signatures = self.parties_added(convention, amendment, amendment_node, parties)
            self.parties_removed(amendment, amendment_node, parties, withdrawn)
            for signatory_node in amendment_node["signatories"]:
                party = self.party(parties, signatory_node)
                if party is None:
                    continue
                if any(s.party_id == party.pk for s, _ in signatures):
                    self.fail(signatory_node, "party", "Une seule signature par partie.")
                    continue
                signatory = self.signatory(party, signatory_node, amendment)
                on = signatory.signed_on
                if on and (refused := amendment_date_error(convention, on, signing=True)):
                    self.fail(signatory_node, "signed_on", refused)
                signatures.append((signatory, signatory_node))
            # Only the parties to an avenant sign it: those its signatories name.
            self.signed_by_all(
                amendment, amendment_node, signatures, len(signatures), "l'avenant|signé"
            )
            if signed_on:
                amendment.save(update_fields=["signed_on"])
            if amendment_node["application"]:
                self._applications.append((amendment, amendment_node))
            self._amendments.append((convention, amendment, amendment_node, signatures))

    def parties_added(
        self, convention: Convention, amendment: Amendment, node: Node, parties: dict
    ) -> list:
        """The parties that join by the avenant (added to `parties`, which later keys may
        name), and their signatures of it."""
        signatures = []
        position = max((p.position for p in parties.values() if p is not None), default=0)
        for party_node in node["parties_added"]:
            name = party_node["organisation"]
            if name in parties:
                self.fail(
                    party_node,
                    "organisation",
                    "Cette organisation est déjà partie à la convention.",
                )
                continue
            parties[name] = None
            organisation = self.organisation(party_node, "organisation")
            if organisation is None:
                continue
            position += 1
            party = Party(
                convention=convention,
                organisation=organisation,
                joined_by=amendment,
                position=position,
                **party_node.columns(),
            )
            if not self.valid(party, party_node):
                continue
            party.save()
            parties[name] = party
            if party_node["signatory"] is not None:
                signatory = self.signatory(party, party_node["signatory"], amendment)
                signatures.append((signatory, party_node["signatory"]))
        return signatures

    def parties_removed(self, amendment: Amendment, node: Node, parties: dict, withdrawn: set):
        for withdrawal_node in node["parties_removed"]:
            party = self.party(parties, withdrawal_node, "organisation")
            if party is None:
                continue
            if party.pk in withdrawn:
                self.fail(
                    withdrawal_node, "organisation", "Le retrait de cette partie est déjà prévu."
                )
                continue
            withdrawal = PartyWithdrawal(
                amendment=amendment, party=party, **withdrawal_node.columns()
            )
            on = withdrawal.on
            if on and amendment.effective_date and on < amendment.effective_date:
                self.fail(
                    withdrawal_node,
                    "on",
                    "Le retrait ne prend pas effet avant la date d'effet de l'avenant.",
                )
                continue
            if on and (refused := amendment_date_error(amendment.convention, on, signing=False)):
                self.fail(withdrawal_node, "on", refused)
                continue
            if self.valid(withdrawal, withdrawal_node, exclude=["party"]):
                withdrawal.save()
                withdrawn.add(party.pk)
        remaining = sum(1 for p in parties.values() if p is not None and p.pk not in withdrawn)
        if node["parties_removed"] and remaining < MIN_PARTIES:
            self.fail(
                node,
                "parties_removed",
                "Une convention lie au moins deux parties : pour y mettre fin, enregistrez une "
                "résiliation.",
            )

    def article_changes(self, amendment: Amendment, node: Node, numbers: dict) -> None:
        changed = set()
        for change_node in node["changes"]:
            kind, number = change_node["kind"], change_node["article"]
            article = numbers.get(number) if number else None
            if number and article is None:
                self.fail(change_node, "article", f"la convention n'a pas d'article {number}")
                continue
            try:
                check_article_change(
                    amendment=amendment,
                    kind=kind,
                    article=article,
                    body=change_node["body"],
                    already_changed=kind != ArticleChangeKind.ADD and article in changed,
                )
            except ValidationError as error:
                self.report(error, change_node)
                continue
            if kind != ArticleChangeKind.ADD:
                changed.add(article)
            removed = kind == ArticleChangeKind.REMOVE
            change = ArticleChange(
                amendment=amendment,
                kind=kind,
                article=article,
                heading="" if removed else change_node["heading"],
                body="" if removed else change_node["body"],
            )
            if self.valid(change, change_node):
                change.save()

    def link_applications(self) -> None:
        """An avenant that creates a convention d'application names it; it may come later in
        the file."""
        for amendment, node in self._applications:
            application = self.convention_named(node, "application")
            if application is None:
                continue
            if Amendment.objects.filter(application=application).exists():
                self.fail(
                    node,
                    "application",
                    f"« {application.reference} » est déjà la convention d'application d'un "
                    "autre avenant",
                )
                continue
            # An update, as the convention's own columns: no history row of its own.
            Amendment.objects.filter(pk=amendment.pk).update(application=application)

    # After the rows ---------------------------------------------------------------------

    def finish(self) -> None:
        """Once every row is written: the échéancier computes each convention's schedule (as
        after every write service), then the rules that need it are checked: no avenant
        signed, or taking effect, after its convention stopped applying."""
        for convention, _ in self.loaded:
            convention_changed.send(sender=Convention, convention=convention)
        for convention, amendment, node, signatures in self._amendments:
            convention.refresh_from_db(fields=["ends_on"])
            for key in ("signed_on", "effective_date"):
                on = getattr(amendment, key)
                if on and (ended := convention.ended_before(on)):
                    self.fail(node, key, ended)
            for signatory, signatory_node in signatures:
                if signatory.signed_on and (ended := convention.ended_before(signatory.signed_on)):
                    self.fail(signatory_node, "signed_on", ended)


def _hint(name: str) -> str:
    """« (vouliez-vous dire « Chambre régionale … » ?) » when `name` looks like the acronym
    of one organisation."""
    for found in (
        Organisation.objects.filter(short_name__iexact=name),
        Organisation.objects.filter(short_name__istartswith=name),
    ):
        names = list(found.values_list("name", flat=True)[:2])
        if len(names) == 1:
            return f" (vouliez-vous dire « {names[0]} » ? une organisation se désigne par son nom)"
    return ""


def _homonyms(name: str) -> str:
    return (
        f"plusieurs personnes de la base s'appellent « {name} » : "
        "le format ne sait pas laquelle choisir"
    )
