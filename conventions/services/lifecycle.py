"""Writes that span several models: create, sign, amend, renew a convention, record events.

Every function takes keyword-only arguments, runs in one transaction and ends with
`_after_change(convention)`, the single place where the stored schedule is refreshed (by the
échéancier, through `conventions.extensions.convention_changed`).
Rules that refuse an operation raise `ValidationError` with a French message, which the
views show on the form.
"""

import datetime
import functools
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from partners.models import Mandate, Organisation

from ..enums import TerminationKind
from ..extensions import (
    amendment_signed,
    convention_changed,
    convention_signed,
    signature_rolled_back,
)
from ..models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    ExternalReference,
    FinancialCommitment,
    Party,
    RenewalDecision,
    Signatory,
    Termination,
)
from ..rules import offices
from ..rules.consolidation import consolidated_articles

logger = logging.getLogger(__name__)

MIN_PARTIES = 2
SIGNED_TEXT = "La convention est signée : son texte ne change plus que par avenant."


# Hooks ------------------------------------------------------------------------------------


def _after_change(convention: Convention) -> None:
    """Called after every change to a convention, its parties, avenants or events: the
    stored status, dates and deadlines follow at once (and those of its dependents)."""
    convention_changed.send(sender=Convention, convention=convention)


def _on_fully_signed(convention: Convention) -> None:
    """Called once, when the last party has signed: the documents app records the signed
    PDF to store in the same transaction, and its worker stores it once it commits."""
    convention_signed.send(sender=Convention, convention=convention)


def _on_amendment_signed(amendment: Amendment) -> None:
    """Called once, when the last party has signed an avenant: its signed PDF is stored."""
    amendment_signed.send(sender=Amendment, amendment=amendment)


# Guards ------------------------------------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved the object after the editor loaded it: their save is refused, the
    message says who changed what (conventions.services.history.conflict_message)."""

    def __init__(self, message: str, *, version: int):
        super().__init__(message)
        self.message = message
        self.version = version  # the current one, for the form shown again


def claim_version(model, *, pk: int, version: int, noun: str) -> None:
    """Optimistic locking: move the row from `version` to `version + 1` in one UPDATE,
    which matches no row if another save came first (on every database, without relying
    on row locks, which SQLite lacks)."""
    from conventions.services.history import conflict_message

    if model.objects.filter(pk=pk, version=version).update(version=version + 1):
        return
    current = model.objects.get(pk=pk)
    raise StaleEdit(conflict_message(current, version, noun=noun), version=current.version)


def ensure_draft(convention: Convention) -> None:
    """The text of a signed convention is frozen: every draft edit goes through here."""
    if convention.is_signed:
        raise ValidationError(SIGNED_TEXT)


def ensure_amendment_draft(amendment: Amendment) -> None:
    if amendment.is_signed:
        raise ValidationError("L'avenant est signé : il ne change plus.")


def _check_mandate(organisation: Organisation, mandate: Mandate | None) -> None:
    if mandate is not None and mandate.organisation_id != organisation.pk:
        raise ValidationError(
            {"mandate": "Ce représentant n'exerce pas de mandat dans cette organisation."}
        )


# Convention and parties --------------------------------------------------------------------


@transaction.atomic
def convention_create(*, convention: Convention, parties: list[tuple[Organisation, Mandate]]):
    """Save a new draft (unsaved `convention` from the form) with its first parties.

    Each party is represented by the holder of a mandate of its organisation; the name and
    title are copied into the Signatory so that they stay as signed.
    """
    if len(parties) < MIN_PARTIES:
        raise ValidationError("Une convention a au moins deux parties.")
    organisations = [organisation.pk for organisation, _ in parties]
    if len(set(organisations)) != len(organisations):
        raise ValidationError("Une organisation ne peut être partie qu'une fois.")
    convention.signed_on = None
    convention.save()
    for organisation, mandate in parties:
        party_add(convention=convention, organisation=organisation, mandate=mandate)
    _after_change(convention)
    return convention


@transaction.atomic
def convention_update(*, convention: Convention, version: int) -> Convention:
    """Save the edited fields of a draft, if nobody saved it since the editor loaded
    `version` (else `StaleEdit`, saying who changed what)."""
    stored = Convention.objects.select_for_update().get(pk=convention.pk)
    ensure_draft(stored)
    claim_version(Convention, pk=convention.pk, version=version, noun="Cette convention")
    convention.signed_on = None
    convention.version = version + 1
    convention.save()
    _after_change(convention)
    return convention


@transaction.atomic
def party_add(
    *, convention: Convention, organisation: Organisation, mandate: Mandate | None, **fields
) -> Party:
    """A party of a draft, represented by the holder of `mandate`. `fields`: how the text
    names it (`PARTY_WORDING`)."""
    ensure_draft(convention)
    party = _new_party(
        convention, organisation, mandate, "Cette organisation est déjà partie à la convention.",
        **fields,
    )  # fmt: skip
    _after_change(convention)
    return party


# How the text names a party, typed in its form: the columns a new party takes as given.
PARTY_WORDING = ("name_as_written", "description", "designation", "group", "address",
                 "printed_block", "signature_heading", "signature_mention")  # fmt: skip


def _new_party(
    convention, organisation, mandate, already: str, *, amendment=None, **fields
) -> Party:
    """A party at the end of the convention's list and its signatory (of the convention, or
    of `amendment`, by which it joins), the name and title copied from `mandate`."""
    _check_mandate(organisation, mandate)
    if convention.parties.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": already})
    unknown = set(fields) - set(PARTY_WORDING)
    if unknown:
        raise TypeError(f"Not a party's wording: {', '.join(sorted(unknown))}")
    position = (convention.parties.aggregate(m=Max("position"))["m"] or 0) + 1
    party = Party.objects.create(
        convention=convention,
        organisation=organisation,
        joined_by=amendment,
        position=position,
        **fields,
    )
    Signatory.objects.create(
        party=party,
        amendment=amendment,
        mandate=mandate,
        name=mandate.person.full_name if mandate else "",
        title=mandate.title if mandate else "",
    )
    return party


@transaction.atomic
def party_update(*, party: Party, mandate: Mandate | None, **fields) -> Party:
    """Change how a party is named and who represents it, while the convention is a draft."""
    ensure_draft(party.convention)
    _check_mandate(party.organisation, mandate)
    for name, value in fields.items():
        setattr(party, name, value)
    party.save()
    signatory = party.signatories.filter(amendment=None).first()
    if signatory is None:
        signatory = Signatory(party=party)
    if mandate is not None and mandate.pk != signatory.mandate_id:
        signatory.mandate = mandate
        signatory.name = mandate.person.full_name
        signatory.title = mandate.title
    signatory.save()
    _after_change(party.convention)
    return party


@transaction.atomic
def party_remove(*, party: Party) -> None:
    convention = party.convention
    ensure_draft(convention)
    if convention.parties.count() <= MIN_PARTIES:
        raise ValidationError("Une convention a au moins deux parties : ajoutez-en une d'abord.")
    if FinancialCommitment.objects.filter(Q(payer=party) | Q(payee=party)).exists():
        raise ValidationError(
            "Cette partie verse ou reçoit un financement de la convention : supprimez d'abord "
            "l'engagement financier (section « Financement » de la convention)."
        )
    party.delete()
    _renumber(list(convention.parties.order_by("position", "pk")), Party)
    _after_change(convention)


def _renumber(rows, model, field="position"):
    """Give `rows` the ranks 1..n in this order, without breaking a unique (…, position)
    constraint on the way: first every row takes a temporary rank above all ranks in use,
    then its final one (databases check uniqueness row by row within one UPDATE)."""
    if not rows:
        return
    top = max(getattr(row, field) for row in rows) + 1
    for offset, row in enumerate(rows):
        setattr(row, field, top + offset)
    model.objects.bulk_update(rows, [field])
    for rank, row in enumerate(rows, start=1):
        setattr(row, field, rank)
    model.objects.bulk_update(rows, [field])


# Signatures --------------------------------------------------------------------------------


def _signature_transaction(func):
    """`transaction.atomic`, and when the block does not commit (an error in it or in a
    receiver of `convention_signed`, a locked database at a query or at the COMMIT),
    `signature_rolled_back` once it is rolled back: the apps above remove what they wrote
    outside the database for it (the documents app: the signed PDF's file)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            for receiver, error in signature_rolled_back.send_robust(sender=func):
                if isinstance(error, Exception):
                    logger.error("signature_rolled_back: %s failed", receiver, exc_info=error)
            raise

    return wrapper


def _record_signature(
    signatory, *, on, place, mandate, name, title, delegation="", delegation_act=""
):
    if on is None:
        raise ValidationError({"signed_on": "Indiquez la date de signature."})
    if mandate is not None:
        _check_mandate(signatory.party.organisation, mandate)
        signatory.mandate = mandate
        signatory.name = name or mandate.person.full_name
        signatory.title = title or mandate.title
    elif name or title:
        # As typed: a title without a name is a signatory known by office only.
        signatory.name = name
        signatory.title = title or signatory.title
    if not signatory.title:
        raise ValidationError({"title": "Indiquez la fonction du signataire."})
    signatory.delegation = delegation
    signatory.delegation_act = delegation_act
    signatory.signed_on = on
    signatory.place = place
    signatory.save()


@_signature_transaction
def convention_sign(
    *,
    signatory: Signatory,
    on: datetime.date,
    place: str,
    mandate: Mandate | None = None,
    name: str = "",
    title: str = "",
    delegation: str = "",
    delegation_act: str = "",
) -> Convention:
    """Record one party's signature. When the last party has signed, the convention is
    signed on the last date, at the place of that last signature, and its text is frozen."""
    convention = Convention.objects.select_for_update().get(pk=signatory.party.convention_id)
    if signatory.amendment_id is not None:
        raise ValidationError("Cette signature est celle d'un avenant.")
    ensure_draft(convention)
    _record_signature(
        signatory,
        on=on,
        place=place,
        mandate=mandate,
        name=name,
        title=title,
        delegation=delegation,
        delegation_act=delegation_act,
    )
    signatories = list(
        Signatory.objects.filter(party__convention=convention, amendment=None).order_by(
            "signed_on", "pk"
        )
    )
    party_count = convention.parties.count()
    all_signed = len(signatories) == party_count and all(s.signed_on for s in signatories)
    if all_signed and party_count >= MIN_PARTIES:
        last = max(signatories, key=lambda s: (s.signed_on, s.pk == signatory.pk))
        # As the signatories' names and titles: the parties as printed, kept before the
        # text freezes, so that renaming an organisation later changes no signed text.
        for party in convention.parties.select_related("organisation"):
            party.take_organisation_as_signed()
        convention.signed_on = last.signed_on
        convention.signature_place = last.place
        convention.save(update_fields=["signed_on", "signature_place", "updated_at"])
        _on_fully_signed(convention)
    _after_change(convention)
    return convention


# Avenants ----------------------------------------------------------------------------------


@transaction.atomic
def amendment_create(
    *,
    convention: Convention,
    title: str,
    body: str = "",
    effective_date: datetime.date | None = None,
    new_duration_months: int | None = None,
    new_last_day: datetime.date | None = None,
) -> Amendment:
    """Avenant N°k (the next number) to a signed convention, to be signed by every party;
    each party's signatory starts as the one who signed the convention."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if not convention.is_signed:
        raise ValidationError("Un avenant ne modifie qu'une convention signée.")
    number = (convention.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
    amendment = Amendment.objects.create(
        convention=convention,
        number=number,
        title=title,
        body=body,
        effective_date=effective_date,
        new_duration_months=new_duration_months,
        new_last_day=new_last_day,
    )
    for party in _parties_now(convention):
        _sign_for(party, amendment)
    _after_change(convention)
    return amendment


def _parties_now(convention: Convention) -> list[Party]:
    """The parties an avenant made today is between: every party bound by the convention,
    those that joined by a signed avenant included, those withdrawn by one excluded."""
    return [
        party
        for party in convention.parties.with_membership()
        .prefetch_related("signatories")
        .order_by("position", "pk")
        if not party.accession_pending and party.left_on is None
    ]


def _last_signature(party: Party) -> Signatory | None:
    """Who signed for the party last: on its latest signed avenant, else on the convention
    (or, for a party that joined by an avenant, on that avenant)."""
    signatories = list(party.signatories.all())
    return max(
        signatories,
        key=lambda s: (s.signed_on is not None, s.signed_on or datetime.date.min, s.pk),
        default=None,
    )


def _sign_for(party: Party, amendment: Amendment) -> Signatory:
    """The party's signatory on `amendment`, starting as the last one who signed for it."""
    last = _last_signature(party)
    return Signatory.objects.create(
        party=party,
        amendment=amendment,
        mandate=last.mandate if last else None,
        name=last.name if last else "",
        title=last.title if last else "",
    )


@transaction.atomic
def amendment_update(*, amendment: Amendment) -> Amendment:
    """Save an unsigned avenant's object, text, effective date or new duration."""
    ensure_amendment_draft(Amendment.objects.select_for_update().get(pk=amendment.pk))
    amendment.save()
    _after_change(amendment.convention)
    return amendment


def amendment_date_error(convention: Convention, on: datetime.date, *, signing: bool) -> str:
    """Why an avenant of `convention` cannot be signed (`signing`) or take effect on `on`:
    before the convention, or after it stopped applying; "" when it can. The avenant form,
    `amendment_sign` and the import ask this."""
    if convention.signed_on and on < convention.signed_on:
        if signing:
            return "Un avenant ne peut pas être signé avant la convention."
        return "Un avenant ne prend pas effet avant la convention."
    return convention.ended_before(on)


def check_article_change(
    *, amendment: Amendment, kind: str, article: Article | None, body: str, already_changed: bool
) -> None:
    """What an avenant may do to an article (`article_change_add` and the import): replace or
    remove an article of its convention, once; add one with a text."""
    if article is not None and article.convention_id != amendment.convention_id:
        raise ValidationError({"article": "Cet article n'appartient pas à la convention."})
    if kind != "add" and article is None:
        raise ValidationError({"article": "Choisissez l'article remplacé ou supprimé."})
    if kind != "remove" and not body.strip():
        raise ValidationError({"body": "Indiquez le texte de l'article."})
    if already_changed:
        raise ValidationError({"article": "Cet avenant modifie déjà cet article."})


@transaction.atomic
def article_change_add(
    *,
    amendment: Amendment,
    kind: str,
    article: Article | None,
    heading: str = "",
    body: str = "",
) -> ArticleChange:
    """Replace, add (after `article`, or at the end) or remove an article of the convention."""
    ensure_amendment_draft(amendment)
    check_article_change(
        amendment=amendment,
        kind=kind,
        article=article,
        body=body,
        already_changed=kind != "add"
        and amendment.changes.filter(article=article).exclude(kind="add").exists(),
    )
    change = ArticleChange.objects.create(
        amendment=amendment,
        kind=kind,
        article=article,
        heading=heading if kind != "remove" else "",
        body=body if kind != "remove" else "",
    )
    _after_change(amendment.convention)
    return change


@transaction.atomic
def article_change_delete(*, change: ArticleChange) -> None:
    ensure_amendment_draft(change.amendment)
    change.delete()
    _after_change(change.amendment.convention)


@_signature_transaction
def amendment_sign(
    *,
    signatory: Signatory,
    on: datetime.date,
    place: str,
    mandate: Mandate | None = None,
    name: str = "",
    title: str = "",
    delegation: str = "",
    delegation_act: str = "",
) -> Amendment:
    """Record one party's signature of an avenant; the last one makes the avenant signed."""
    if signatory.amendment_id is None:
        raise ValidationError("Cette signature est celle de la convention.")
    amendment = Amendment.objects.select_for_update().get(pk=signatory.amendment_id)
    ensure_amendment_draft(amendment)
    if on is not None and (refused := amendment_date_error(amendment.convention, on, signing=True)):
        raise ValidationError({"signed_on": refused})
    _record_signature(
        signatory,
        on=on,
        place=place,
        mandate=mandate,
        name=name,
        title=title,
        delegation=delegation,
        delegation_act=delegation_act,
    )
    _signed_by_all(amendment, last_signed=signatory)
    _after_change(amendment.convention)
    return amendment


def _signed_by_all(amendment: Amendment, last_signed: Signatory | None = None) -> None:
    """Once every party to the avenant has signed, it is signed on the day of the last
    signature, where it was signed; the parties that join by it keep their organisations'
    names and addresses as signed, and the text freezes."""
    signatories = list(amendment.signatories.order_by("signed_on", "pk"))
    if not signatories or not all(s.signed_on for s in signatories):
        return
    last = max(
        signatories,
        key=lambda s: (s.signed_on, last_signed is not None and s.pk == last_signed.pk, s.pk),
    )
    for party in amendment.parties_added.select_related("organisation"):
        party.take_organisation_as_signed()
    amendment.signed_on = last.signed_on
    amendment.signature_place = last.place
    amendment.save(update_fields=["signed_on", "signature_place"])
    _on_amendment_signed(amendment)


# Renewal -----------------------------------------------------------------------------------


COPIED_FIELDS = [
    "title",
    "short_title",
    "kind",
    "parent",
    "preamble",
    "effective_date",
    "duration_months",
    "notice_months",
    "provisional_months",
    "tacit_renewal",
    "renewal_months",
    "max_renewals",
    "requires_initials",
    "referent",
]


@transaction.atomic
def convention_renew(
    *, convention: Convention, reference: str, today: datetime.date, **overrides
) -> Convention:
    """A new draft that renews `convention`: its clauses, parties, text in force today
    (avenants applied) and annexes copied, linked by `renews`.

    Each party is represented by the current holder of the office that signed the old
    convention (`rules.offices.successor`), or left to be named: never by a former holder.
    `new.representative_notes` says, per party, what was proposed and why.
    """
    if not convention.is_signed:
        raise ValidationError("Seule une convention signée se renouvelle.")
    fields = {name: getattr(convention, name) for name in COPIED_FIELDS}
    fields["effective_date"] = None
    fields.update(overrides)
    new = Convention(reference=reference, renews=convention, **fields)
    new.full_clean()
    new.save()

    current = Mandate.objects.current(today)
    notes = []
    bound = (
        convention.parties.with_membership()
        .prefetch_related("signatories__mandate__person")
        .order_by("position", "pk")
    )
    # The parties bound today: those that joined by an avenant in, those withdrawn out.
    for position, party in enumerate((p for p in bound if p.bound_on(today)), start=1):
        signed = _last_signature(party)
        copy = Party.objects.create(
            convention=new,
            organisation_id=party.organisation_id,
            position=position,
            name_as_written=party.name_as_written,
            description=party.description,
            designation=party.designation,
            group=party.group,
            address=party.address,
        )
        # The current holder of the office that signed, never the former one.
        proposal = offices.successor(
            signed.mandate if signed and signed.mandate_id else None,
            signed.title if signed else "",
            list(current.filter(organisation_id=party.organisation_id).select_related("person")),
        )
        mandate = proposal.mandate
        Signatory.objects.create(
            party=copy,
            mandate=mandate,
            name=mandate.person.full_name if mandate else "",
            title=mandate.title if mandate else "",
        )
        notes.append(
            f"{copy.display_name} : "
            + (f"{mandate.person.full_name}, {proposal.note}" if mandate else proposal.note)
            + "."
        )

    _copy_articles(new, consolidated_articles(convention, on=today))
    Annex.objects.bulk_create(
        Annex(
            convention=new,
            position=annex.position,
            kind=annex.kind,
            title=annex.title,
            body=annex.body,
            tables=annex.tables,
        )
        for annex in convention.annexes.order_by("position")
    )
    _after_change(new)
    _after_change(convention)
    new.representative_notes = notes  # what the draft's page says of each representative
    return new


def _copy_articles(convention, articles):
    """Rebuild the tree from the consolidated list (document order, with depths)."""
    stack: list[Article] = []  # the last article seen at each depth
    counts: dict[int | None, int] = {}
    for item in articles:
        if item.removed:
            continue
        depth = min(item.depth, len(stack))
        del stack[depth:]
        parent = stack[-1] if stack else None
        key = parent.pk if parent else None
        counts[key] = counts.get(key, 0) + 1
        article = Article.objects.create(
            convention=convention,
            parent=parent,
            position=counts[key],
            kind=item.kind,
            heading=item.heading,
            body=item.body,
        )
        stack.append(article)


# Events ------------------------------------------------------------------------------------


def check_termination(termination: Termination) -> None:
    """The rules of a termination event, by kind (`termination_record`, its form, the import)."""
    errors = {}
    kind = termination.kind
    if kind in (TerminationKind.NOTICE, TerminationKind.BREACH) and not termination.received_on:
        errors["received_on"] = "Indiquez la date de réception du courrier."
    if kind == TerminationKind.NOTICE and termination.party_id is None:
        errors["party"] = "Indiquez la partie qui résilie."
    if kind == TerminationKind.MUTUAL and not termination.agreed_last_day:
        errors["agreed_last_day"] = "Indiquez le dernier jour convenu."
    if kind != TerminationKind.BREACH and termination.cured_on:
        errors["cured_on"] = "Seul un manquement peut être réparé."
    if (
        termination.cured_on
        and termination.received_on
        and termination.cured_on < termination.received_on
    ):
        errors["cured_on"] = "Le manquement ne peut pas être réparé avant la mise en demeure."
    if (
        termination.requested_on
        and termination.received_on
        and termination.requested_on <= termination.received_on
    ):
        errors["requested_on"] = "La date d'effet demandée suit la réception du courrier."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def termination_record(*, termination: Termination) -> Termination:
    """Record (or correct) a termination letter, a formal notice or a mutual termination."""
    convention = termination.convention
    if not convention.is_signed:
        raise ValidationError("Seule une convention signée peut être résiliée.")
    if termination.party_id and termination.party.convention_id != convention.pk:
        raise ValidationError({"party": "Cette organisation n'est pas partie à la convention."})
    check_termination(termination)
    termination.save()
    _after_change(convention)
    return termination


@transaction.atomic
def termination_delete(*, termination: Termination) -> None:
    termination.delete()
    _after_change(termination.convention)


@transaction.atomic
def renewal_decision_record(
    *, convention: Convention, decided_on: datetime.date, renew: bool, note: str = ""
) -> RenewalDecision:
    if not convention.is_signed:
        raise ValidationError("Seule une convention signée peut être reconduite.")
    decision = RenewalDecision.objects.create(
        convention=convention, decided_on=decided_on, renew=renew, note=note
    )
    _after_change(convention)
    return decision


@transaction.atomic
def convention_signed_on_unknown_date(*, convention: Convention) -> Convention:
    """A convention signed before the application, on a date its known text does not give:
    signed (its text frozen), « à compléter » until someone finds the date. No PDF is stored
    as its signed copy: its scan or original is (documents)."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    ensure_draft(convention)
    if convention.parties.count() < MIN_PARTIES:
        raise ValidationError(f"Une convention compte au moins {MIN_PARTIES} parties.")
    for party in convention.parties.select_related("organisation"):
        party.take_organisation_as_signed()
    convention.signed_on_unknown = True
    convention.save(update_fields=["signed_on_unknown", "updated_at"])
    _after_change(convention)
    return convention


@transaction.atomic
def convention_complete(*, convention: Convention) -> Convention:
    """The facts of a signed convention « à compléter », found since: `convention` comes
    from `CompletionForm` (its date of signature, its term, the « inconnu » flags cleared).
    The database lets these fields change while they are unknown, and only then."""
    stored = Convention.objects.select_for_update().get(pk=convention.pk)
    if not (stored.is_signed and (stored.term_unknown or stored.signed_on_unknown)):
        raise ValidationError("Les dates de cette convention sont déjà connues.")
    convention.full_clean(validate_unique=False)
    convention.save(update_fields=["signed_on", "signed_on_unknown", "duration_months",
                                   "school_years", "fixed_last_day", "term_unknown",
                                   "updated_at"])  # fmt: skip
    _after_change(convention)
    return convention


# References: facts about the convention, not its signed text: written at any time.


@transaction.atomic
def external_reference_save(*, reference: ExternalReference) -> ExternalReference:
    reference.full_clean()
    reference.save()
    _after_change(reference.convention)  # the search finds it by its references
    return reference


@transaction.atomic
def external_reference_delete(*, reference: ExternalReference) -> None:
    reference.delete()
    _after_change(reference.convention)


@transaction.atomic
def parent_article_update(*, convention: Convention, parent_article: str) -> Convention:
    convention.parent_article = parent_article
    convention.save(update_fields=["parent_article", "updated_at"])
    return convention
