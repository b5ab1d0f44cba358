"""Write conventions in the interchange format (`export_conventions`).

One file per family: a convention with no parent and every convention under it (its
conventions d'application and locales, theirs...), parents first, since an application
convention cannot be loaded before its parent, nor its parent's avenant that names it. The
file carries the organisations, people and mandates its conventions name. Files are numbered
(`001-REFERENCE.yaml`) so that a family comes after the family of any convention it renews:
loading the directory, in name order, finds every reference.

Every key the loader reads is written, except those at their default (docs/format.md gives
them); the values are those stored (signatories as signed), texts as literal blocks.
"""

import logging
from collections import Counter, defaultdict
from pathlib import Path

from conventions.models import Convention

from . import yamlio
from .schema import (
    ACTION,
    ACTION_PLAN,
    ADDED_PARTY,
    AMENDMENT,
    AMENDMENT_SIGNATORY,
    ANNEX,
    ARTICLE,
    ARTICLE_CHANGE,
    ATTENDANCE,
    CONTACT,
    CONTRIBUTION,
    CONVENTION,
    EXTERNAL_REFERENCE,
    FILE,
    FINANCIAL_COMMITMENT,
    FULFILMENT,
    INSTALMENT,
    LETTERHEAD,
    MANDATE,
    OBLIGATION,
    ORGANISATION,
    PAYMENT,
    PERSON,
    RENEWAL_DECISION,
    REVIEW,
    SIGNATORY,
    STEERING_MEETING,
    TABLE,
    TERMINATION,
    UNKNOWN,
    WITHDRAWAL,
    Shape,
)

HEADER = (
    "Conventions au format d'échange (docs/format.md), écrites par "
    "`python manage.py export_conventions`.\n"
    "À charger par `python manage.py load_conventions`."
)


class ExportError(Exception):
    """Conventions the format cannot write faithfully; the French message says why."""


logger = logging.getLogger(__name__)

def families(selected) -> list[list[Convention]]:
    """Each family of the `selected` conventions: the topmost parent, then the conventions
    under it, depth first; ordered so that a convention comes after the one it renews."""
    children = defaultdict(list)
    for convention in Convention.objects.exclude(parent=None).order_by("reference"):
        children[convention.parent_id].append(convention)
    by_pk = {c.pk: c for c in Convention.objects.all()}
    roots = {}
    for convention in selected:
        while convention.parent_id is not None:
            convention = by_pk[convention.parent_id]
        roots[convention.pk] = convention

    def members(convention):
        return [convention, *(m for child in children[convention.pk] for m in members(child))]

    groups = [members(root) for root in sorted(roots.values(), key=lambda c: c.reference)]
    ordered, placed = [], set()
    while groups:
        ready = next(
            (
                group
                for group in groups
                if all(
                    c.renews_id is None
                    or c.renews_id in placed
                    or not any(c.renews_id == m.pk for g in groups if g is not group for m in g)
                    for c in group
                )
            ),
            groups[0],  # a cycle of renewals: cannot be, but never loop
        )
        groups.remove(ready)
        ordered.append(ready)
        placed.update(c.pk for c in ready)
    return ordered


def export(selected, directory: Path) -> tuple[list[tuple[Path, list[str]]], list[str]]:
    """Write one file per family of `selected` into `directory`; returns the files with the
    references each holds, and warnings (what the format does not carry)."""
    directory.mkdir(parents=True, exist_ok=True)
    written, warnings = [], []
    for rank, family in enumerate(families(selected), start=1):
        family_writer = FamilyWriter()
        text = yamlio.write(family_writer.document(family), header=HEADER)
        path = directory / f"{rank:03d}-{family[0].reference}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append((path, [c.reference for c in family]))
        warnings += family_writer.warnings
    return written, warnings


def convention_document(convention: Convention) -> dict:
    """One convention as a file of the format: the convention and the organisations, people
    and mandates it names (its parent and what it renews by reference: loading it needs them
    loaded). What `conventions.extensions.convention_data` returns, attached to signed PDFs.
    When the format cannot write it faithfully (two people of the same name), a signature
    must still go through: the reason is logged and kept in the data, with the convention's
    reference and title."""
    try:
        return FamilyWriter().document([convention])
    except ExportError as error:
        logger.warning("Convention data of %s not written: %s", convention.reference, error)
        return {
            "reference": convention.reference,
            "title": convention.title,
            "error": str(error),
        }


def ordered(shape: Shape, values: dict) -> dict:
    """`values` in the order of the shape's keys, without the keys at their default."""
    kept = {}
    for field in shape.fields:
        if field.key not in values:
            continue
        value = values[field.key]
        if not field.required and (value is None or _same(value, field.empty)):
            continue
        kept[field.key] = value
    return kept


def _same(value, empty) -> bool:
    return type(value) is type(empty) and value == empty


def columns(shape: Shape, row) -> dict:
    """The plain columns of `row`, by key (`unknown` where its flag says so)."""
    return {
        f.key: UNKNOWN if f.unknown_attr and getattr(row, f.unknown_attr) else getattr(row, f.attr)
        for f in shape.fields
        if f.attr
    }


class FamilyWriter:
    """Writes one family; collects the organisations, people and mandates it names."""

    def __init__(self):
        self.organisations = {}
        self.people = {}
        self.mandates = {}
        self.signatories = []  # (values, mandate, shape): mandate_title where ambiguous
        self.warnings = []

    def document(self, family: list[Convention]) -> dict:
        conventions = [self.convention(c) for c in family]
        held = Counter((m.person_id, m.organisation_id) for m in self.mandates.values())
        for values, mandate, shape in self.signatories:
            if held[(mandate.person_id, mandate.organisation_id)] > 1:
                chosen = ordered(shape, {**values, "mandate_title": mandate.title})
                values.clear()
                values.update(chosen)
        names = Counter(p.full_name for p in self.people.values())
        if twice := [name for name, count in names.items() if count > 1]:
            raise ExportError(
                f"Deux personnes distinctes s'appellent « {twice[0]} » : le format désigne "
                "une personne par son prénom et son nom. Distinguez-les avant d'exporter."
            )
        return ordered(
            FILE,
            {
                "organisations": [self.organisation_values(o) for o in self.organisations.values()],
                "people": [ordered(PERSON, columns(PERSON, p)) for p in self.people.values()],
                "mandates": [self.mandate_values(m) for m in self.mandates.values()],
                "conventions": conventions,
            },
        )

    def organisation(self, organisation) -> str:
        self.organisations.setdefault(organisation.pk, organisation)
        return organisation.name

    def organisation_values(self, organisation) -> dict:
        values = columns(ORGANISATION, organisation)
        values["letterheads"] = [
            ordered(LETTERHEAD, columns(LETTERHEAD, head))
            for head in organisation.letterheads.order_by("valid_from", "pk")
        ]
        return ordered(ORGANISATION, values)

    def person(self, person) -> str:
        self.people.setdefault(person.pk, person)
        return person.full_name

    def mandate_values(self, mandate) -> dict:
        values = columns(MANDATE, mandate)
        values["person"] = mandate.person.full_name
        values["organisation"] = mandate.organisation.name
        return ordered(MANDATE, values)

    def signatory(self, signatory, shape: Shape = SIGNATORY) -> dict:
        values = columns(shape, signatory)
        if signatory.mandate_id:
            mandate = signatory.mandate
            self.organisation(mandate.organisation)
            values["person"] = self.person(mandate.person)
            self.mandates.setdefault(mandate.pk, mandate)
        if shape is AMENDMENT_SIGNATORY:
            values["party"] = signatory.party.organisation.name
        values = ordered(shape, values)
        if signatory.mandate_id:
            self.signatories.append((values, signatory.mandate, shape))
        return values

    # A convention ----------------------------------------------------------------------

    def convention(self, convention: Convention) -> dict:
        values = columns(CONVENTION, convention)
        values["parent"] = convention.parent.reference if convention.parent_id else None
        values["external_references"] = [
            ordered(EXTERNAL_REFERENCE, columns(EXTERNAL_REFERENCE, r))
            for r in convention.external_references.order_by("label", "pk")
        ]
        values["renews"] = convention.renews.reference if convention.renews_id else None
        values["letterhead"] = convention.letterhead.name if convention.letterhead_id else None
        if convention.letterhead_id:
            self.organisation(convention.letterhead.organisation)
        values["parties"] = [
            self.party(party)
            for party in convention.parties.filter(joined_by=None)
            .select_related("organisation")
            .order_by("position", "pk")
        ]
        numbers = {a.pk: a.number for a in convention.numbered_articles()}
        values["articles"] = self.articles(convention)
        annexes = list(convention.annexes.order_by("position", "pk"))
        values["annexes"] = [self.annex(annex) for annex in annexes]
        values["contacts"] = [
            self.contact(contact)
            for contact in convention.contacts.select_related("organisation", "person").order_by(
                "position", "pk"
            )
        ]
        values["amendments"] = [
            self.amendment(amendment, numbers)
            for amendment in convention.amendments.order_by("number")
        ]
        values["terminations"] = [
            ordered(TERMINATION, {**columns(TERMINATION, t), "party": _party_name(t.party)})
            for t in convention.terminations.select_related("party__organisation").order_by("pk")
        ]
        values["renewal_decisions"] = [
            ordered(RENEWAL_DECISION, columns(RENEWAL_DECISION, d))
            for d in convention.renewal_decisions.order_by("pk")
        ]
        ranks = {annex.pk: rank for rank, annex in enumerate(annexes, start=1)}
        values["action_plans"] = [
            self.plan(plan, ranks) for plan in convention.action_plans.order_by("pk")
        ]
        values["steering_meetings"] = [
            self.meeting(meeting) for meeting in convention.steering_meetings.order_by("pk")
        ]
        values["obligations"] = [
            self.obligation(convention, obligation)
            for obligation in convention.obligations.select_related("party__organisation").order_by(
                "pk"
            )
        ]
        values["financial_commitments"] = [
            self.commitment(commitment)
            for commitment in convention.financial_commitments.select_related(
                "payer__organisation", "payee__organisation", "amendment"
            ).order_by("pk")
        ]
        return ordered(CONVENTION, values)

    def commitment(self, commitment) -> dict:
        values = {**columns(FINANCIAL_COMMITMENT, commitment)}
        values["amount"] = _amount(commitment.amount)
        values["payer"] = _party_name(commitment.payer)
        values["payee"] = _party_name(commitment.payee)
        values["amendment"] = commitment.amendment.number if commitment.amendment_id else None
        values["schedule"] = [
            ordered(INSTALMENT, {"due_on": i.due_on, "amount": _amount(i.amount)})
            for i in commitment.instalments.order_by("due_on", "pk")
        ]
        values["payments"] = [
            ordered(
                PAYMENT,
                {"paid_on": p.paid_on, "amount": _amount(p.amount), "reference": p.reference},
            )
            for p in commitment.payments.order_by("paid_on", "pk")
        ]
        return ordered(FINANCIAL_COMMITMENT, values)

    def party(self, party, shape: Shape | None = None) -> dict:
        """A party of the convention, or one that joins by an avenant (`ADDED_PARTY`), with
        its signature of that text."""
        shape = shape or PARTIES_SHAPE
        values = columns(shape, party)
        values["organisation"] = self.organisation(party.organisation)
        signatory = (
            party.signatories.filter(amendment_id=party.joined_by_id)
            .select_related("mandate__person", "mandate__organisation")
            .first()
        )
        values["signatory"] = self.signatory(signatory) if signatory else None
        return ordered(shape, values)

    def articles(self, convention: Convention) -> list[dict]:
        children = defaultdict(list)
        for article in convention.articles.order_by("position", "pk"):
            children[article.parent_id].append(article)

        def tree(parent_id):
            return [
                ordered(ARTICLE, {**columns(ARTICLE, a), "children": tree(a.pk)})
                for a in children[parent_id]
            ]

        return tree(None)

    def annex(self, annex) -> dict:
        tables = [
            ordered(TABLE, {key: table.get(key) for key in TABLE.by_key}) for table in annex.tables
        ]
        return ordered(ANNEX, {**columns(ANNEX, annex), "tables": tables})

    def contact(self, contact) -> dict:
        values = columns(CONTACT, contact)
        values["organisation"] = self.organisation(contact.organisation)
        values["person"] = self.person(contact.person)
        return ordered(CONTACT, values)

    def amendment(self, amendment, numbers: dict) -> dict:
        values = columns(AMENDMENT, amendment)
        values["application"] = (
            amendment.application.reference if amendment.application_id else None
        )
        values["changes"] = [
            ordered(
                ARTICLE_CHANGE,
                {**columns(ARTICLE_CHANGE, c), "article": numbers.get(c.article_id)},
            )
            for c in amendment.changes.order_by("pk")
        ]
        added = list(
            amendment.parties_added.select_related("organisation").order_by("position", "pk")
        )
        values["parties_added"] = [self.party(party, ADDED_PARTY) for party in added]
        values["parties_removed"] = [
            ordered(
                WITHDRAWAL,
                {"organisation": w.party.organisation.name, "on": w.on},
            )
            for w in amendment.withdrawals.select_related("party__organisation").order_by("pk")
        ]
        values["signatories"] = [
            self.signatory(s, AMENDMENT_SIGNATORY)
            for s in amendment.signatories.exclude(party__in=added)
            .select_related("party__organisation", "mandate__person", "mandate__organisation")
            .order_by("party__position", "pk")
        ]
        return ordered(AMENDMENT, values)

    # The yearly cycle ------------------------------------------------------------------

    def plan(self, plan, ranks: dict) -> dict:
        values = columns(ACTION_PLAN, plan)
        values["annex"] = ranks.get(plan.annex_id)
        values["actions"] = [self.action(action) for action in plan.actions.order_by("number")]
        return ordered(ACTION_PLAN, values)

    def action(self, action) -> dict:
        values = columns(ACTION, action)
        values["audiences"] = list(
            action.audiences.order_by("audience").values_list("audience", flat=True)
        )
        if action.carried_from_id:
            source = action.carried_from
            values["carried_from"] = _action_reference(source)
        values["contributions"] = [
            ordered(CONTRIBUTION, {"party": _party_name(c.party), "text": c.text})
            for c in action.contributions.select_related("party__organisation").order_by("pk")
        ]
        return ordered(ACTION, values)

    def meeting(self, meeting) -> dict:
        values = columns(STEERING_MEETING, meeting)
        values["reviewed_plan"] = (
            meeting.reviewed_plan.school_year if meeting.reviewed_plan_id else None
        )
        values["adopted_plan"] = (
            meeting.adopted_plan.school_year if meeting.adopted_plan_id else None
        )
        values["attendances"] = [
            ordered(ATTENDANCE, {"party": _party_name(a.party), "attendees": a.attendees})
            for a in meeting.attendances.select_related("party__organisation").order_by("pk")
        ]
        values["reviews"] = [
            ordered(REVIEW, {**columns(REVIEW, r), "action": _action_reference(r.action)})
            for r in meeting.reviews.select_related("action__plan").order_by("pk")
        ]
        return ordered(STEERING_MEETING, values)

    def obligation(self, convention, obligation) -> dict:
        values = columns(OBLIGATION, obligation)
        values["party"] = _party_name(obligation.party)
        values["fixed_dates"] = list(
            obligation.fixed_dates.order_by("due_on").values_list("due_on", flat=True)
        )
        fulfilments = list(obligation.fulfilments.order_by("pk"))
        values["fulfilments"] = [ordered(FULFILMENT, columns(FULFILMENT, f)) for f in fulfilments]
        for fulfilment in fulfilments:
            if fulfilment.file:
                self.warnings.append(
                    f"{convention.reference} : la pièce jointe de la livraison « "
                    f"{obligation.title} » du {fulfilment.due_on:%d/%m/%Y} n'est pas exportée "
                    "(le format ne porte pas de fichiers ; voir export_all)."
                )
        return ordered(OBLIGATION, values)


PARTIES_SHAPE = CONVENTION.by_key["parties"].shape


def _amount(value) -> str:
    """An amount as the format writes it: "30000.00"."""
    return f"{value:.2f}"


def _party_name(party) -> str | None:
    return party.organisation.name if party is not None else None


def _action_reference(action) -> dict:
    return {"school_year": action.plan.school_year, "number": action.number}
