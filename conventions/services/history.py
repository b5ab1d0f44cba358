"""Who changed what, when: the history of a convention and of everything that belongs to it.

The rows are written by django-simple-history (`history = HistoricalRecords()` on each model,
the user taken from the request by its middleware). They are only read here: nothing in the
application reverts or edits them.

Paths that write with `bulk_create`/`bulk_update`/`update()` leave no history row: the
computed schedule (`refresh.refresh_schedule`, left out of the convention's history anyway)
and the fictitious data of `generate_data`.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.text import Truncator

from partners.models import Contact

from ..extensions import history_kinds
from ..models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    ExternalReference,
    FinancialCommitment,
    Instalment,
    Party,
    Payment,
    RenewalDecision,
    Signatory,
    Termination,
)
from ..rules.formatting import french_date
from ..rules.money import euros

# Bookkeeping columns, the search document (derived from the rest, rewritten after every
# write) and the link to the convention whose history is shown: never shown.
HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "search_document", "convention"}
# Each kind of row the page shows, in a stable order (ties on the same instant); the apps
# above add theirs (`conventions.extensions.history_kinds`: the action plans' rows).
TRACKED = {
    "convention": Convention,
    "party": Party,
    "signatory": Signatory,
    "article": Article,
    "annex": Annex,
    "amendment": Amendment,
    "articlechange": ArticleChange,
    "termination": Termination,
    "renewaldecision": RenewalDecision,
    "contact": Contact,
    "externalreference": ExternalReference,
    "financialcommitment": FinancialCommitment,
    "instalment": Instalment,
    "payment": Payment,
}
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
TEXT_LIMIT = 300


def _h(model):
    return model.history.model


def _tracked() -> dict:
    return TRACKED | {kind.kind: kind.model for kind in history_kinds}


def _scopes(convention_id: int) -> dict:
    """For each kind, the history rows that belong to the convention, deleted rows included
    (rows found through a parent are found through the parent's history, so a deleted
    party still brings its signatories)."""
    mine = {"convention_id": convention_id}
    party_ids = _h(Party).objects.filter(**mine).values("id")
    amendment_ids = _h(Amendment).objects.filter(**mine).values("id")
    commitment_ids = _h(FinancialCommitment).objects.filter(**mine).values("id")
    scopes = {
        "convention": Q(id=convention_id),
        "signatory": Q(party_id__in=party_ids) | Q(amendment_id__in=amendment_ids),
        "articlechange": Q(amendment_id__in=amendment_ids),
        "instalment": Q(commitment_id__in=commitment_ids),
        "payment": Q(commitment_id__in=commitment_ids),
    }
    for kind in history_kinds:
        if kind.scope is not None:
            scopes[kind.kind] = kind.scope(convention_id, _h)
    return {
        kind: _h(model).objects.filter(scopes.get(kind, Q(**mine)))
        for kind, model in _tracked().items()
    }


def events(convention: Convention):
    """All history rows of the convention as (history_date, history_id, kind), newest first:
    one UNION query, to paginate; `entries` turns a page of them into what the page shows."""
    parts = [
        qs.order_by()
        .annotate(row_kind=Value(kind, output_field=CharField()))
        .values_list("history_date", "history_id", "row_kind")
        for kind, qs in _scopes(convention.pk).items()
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "row_kind", "-history_id")


@dataclass
class Change:
    label: str
    before: str
    after: str
    # A link to another row: its model and the ids before and after, named by `entries`.
    related: type | None = None
    ids: tuple = (None, None)


@dataclass
class Entry:
    date: datetime.datetime
    user: object
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        return when(self.date)


def entries(rows) -> list[Entry]:
    """The entries of a page of `events`: two queries per kind of row on the page (the
    rows with their users, then the rows just before them), whatever their number."""
    by_kind = {}
    for _date, history_id, kind in rows:
        by_kind.setdefault(kind, []).append(history_id)
    records = {}
    tracked = _tracked()
    for kind, ids in by_kind.items():
        model = _h(tracked[kind])
        previous = model.objects.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        current = list(
            model.objects.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(
                previous_id=Subquery(
                    previous.order_by("-history_date", "-history_id").values("history_id")[:1]
                )
            )
        )
        before = model.objects.in_bulk([r.previous_id for r in current if r.previous_id])
        for record in current:
            records[kind, record.history_id] = (record, before.get(record.previous_id))
    return name_related(
        [_entry(kind, *records[kind, history_id]) for _date, history_id, kind in rows]
    )


def _entry(kind, record, previous) -> Entry:
    model = _tracked()[kind]
    changes = [] if record.history_type == "-" else diff(model, previous, record)
    return Entry(
        date=record.history_date,
        user=record.history_user,
        action=ACTIONS[record.history_type],
        subject=subject(model, record),
        changes=changes,
    )


def shown_fields(model):
    return [f for f in model.history.model.tracked_fields if f.name not in HIDDEN_FIELDS]


def diff(model, old, new) -> list[Change]:
    """The fields whose value differs between two history rows (`old` None: a creation,
    every filled field)."""
    changes = []
    for f in shown_fields(model):
        after = getattr(new, f.attname)
        before = getattr(old, f.attname) if old is not None else None
        if before == after or (old is None and after in (None, "", [], {})):
            continue
        change = Change(str(f.verbose_name), display(f, before), display(f, after))
        if f.is_relation:
            change.related, change.ids = f.related_model, (before, after)
        changes.append(change)
    return changes


def name_related(entries_: list) -> list:
    """Links shown by what they point to (« Plan d'action 2011-2012 »), not by a database
    id: one query per kind of row linked to, whatever the number of entries."""
    wanted: dict[type, set] = {}
    for entry in entries_:
        for change in entry.changes:
            if change.related is not None:
                wanted.setdefault(change.related, set()).update(i for i in change.ids if i)
    found = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}
    for entry in entries_:
        for change in entry.changes:
            if change.related is None:
                continue
            rows = found[change.related]
            before, after = (
                (str(rows[i]) if i in rows else "(supprimé)") if i else "—" for i in change.ids
            )
            change.before, change.after = before, after
    return entries_


def changed_labels(model, old, new) -> list[str]:
    return [change.label for change in diff(model, old, new)]


def display(f, value) -> str:
    """A stored value as the page shows it: labels of choices, French dates, short text."""
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{french_date(local.date())} à {local:%H} h {local:%M}"
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, Decimal):
        return euros(value)
    if f.is_relation:
        return f"n° {value}"
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def subject(model, record) -> str:
    """« article « Objet » », read from the row's own columns (no query)."""
    name = str(model._meta.verbose_name)
    if model is Convention:
        return f"{name} {record.reference}"
    if model in (Instalment, Payment):
        day = record.due_on if model is Instalment else record.paid_on
        return f"{name} de {euros(record.amount)} du {french_date(day)}"
    for attribute in ("heading", "name", "title", "label", "name_as_written", "number", "body"):
        value = getattr(record, attribute, None)
        if value not in (None, ""):
            return f"{name} « {Truncator(str(value)).chars(60)} »"
    return f"{name} n° {record.id}"


def when(moment: datetime.datetime) -> str:
    """« 23 novembre 2026 à 10 h 02 »."""
    local = timezone.localtime(moment)
    return f"{french_date(local.date())} à {local:%H} h {local:%M}"


def conflict_message(obj, version: int, *, noun: str) -> str:
    """Why a save based on `version` of `obj` (a Convention or an Article) was refused: who
    saved it since, when, and which fields they changed.

    « Cette convention a été modifiée par Louis Lecture le 23 novembre 2026 à 10 h 02
    pendant que vous la modifiiez : titre, préambule. Vos saisies sont conservées
    ci-dessous ; vérifiez-les puis enregistrez à nouveau. »
    """
    rows = obj.history.order_by("-history_date", "-history_id")
    latest = rows.select_related("history_user").first()
    loaded = rows.filter(version__lte=version).first()
    changed = changed_labels(type(obj), loaded, latest) if loaded and latest else []
    by = ""
    if latest is not None and latest.history_user is not None:
        by = f" par {latest.history_user}"
    at = f" le {when(latest.history_date)}" if latest is not None else ""
    what = f" : {', '.join(changed)}" if changed else ""
    pronoun = "la" if noun.startswith("Cette") else "le"
    return (
        f"{noun} a été modifié{'e' if pronoun == 'la' else ''}{by}{at} pendant que vous "
        f"{pronoun} modifiiez{what}. Vos saisies sont conservées ci-dessous ; "
        "vérifiez-les puis enregistrez à nouveau."
    )
