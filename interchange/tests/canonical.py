"""Every convention of the database as plain values, to compare two databases field by field.

Independent of the writer: every concrete field of every model is read from `_meta`, so that
a field the format forgets makes the round trip fail. Left out: database ids, timestamps, the
optimistic-locking `version`, the search document (derived), the history tables, and the
référent (a staff user of this installation, not a fact of the agreement: docs/format.md).
Line breaks are compared as "\n", as the format writes them. A link to another row is
replaced by that row's natural key (an organisation and a person by all their fields);
positions by the order of the rows.
"""

from actions.models import ActionPlan
from conventions.models import Convention
from echeancier.models import Deadline

# The search document is derived from the rows compared here (conventions.search): written
# again on load, stale before it when a test writes rows behind the services' back.
LEFT_OUT = {"id", "created_at", "updated_at", "version", "referent", "position",
            "search_document"}  # fmt: skip


def canonical() -> dict[str, dict]:
    return {c.reference: convention(c) for c in Convention.objects.order_by("reference")}


def row(obj, **natural) -> dict:
    """The concrete fields of `obj`; a link by `natural[field name](target)`, or by the
    default natural key of the target's model."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in LEFT_OUT or field.name in natural and natural[field.name] is None:
            continue
        if field.is_relation:
            target = getattr(obj, field.name)
            key = natural.get(field.name, _natural)
            values[field.name] = None if target is None else key(target)
        else:
            value = getattr(obj, field.attname)
            # A browser's "\r\n" is read and written as "\n" (docs/format.md).
            values[field.name] = value.replace("\r\n", "\n") if isinstance(value, str) else value
    return values


def _natural(target):
    model = type(target).__name__
    if model == "Convention":
        return target.reference
    if model in ("Organisation", "Person"):
        return row(target)
    if model == "Mandate":
        return row(target)
    if model == "Party":
        return target.organisation.name
    if model == "Letterhead":
        return (target.organisation.name, target.name, target.valid_from)
    if model == "Amendment":
        return target.number
    if model == "ActionPlan":
        return target.school_year
    if model == "Action":
        return (target.plan.school_year, target.number)
    if model == "Annex":
        return (target.title, target.kind)
    if model == "Obligation":
        return (target.party.organisation.name, target.title)
    raise AssertionError(f"no natural key for {model}")


def convention(c: Convention) -> dict:
    numbers = {a.pk: a.number for a in c.numbered_articles()}

    def article(target):
        return numbers[target.pk]

    skip = {"convention": None}
    return {
        "convention": row(c),
        "parties": [
            {
                **row(p, **skip),
                "signatory": [
                    row(s, party=None) for s in p.signatories.filter(amendment=p.joined_by)
                ],
            }
            for p in c.parties.order_by("position", "pk")
        ],
        "articles": [
            (a.number, a.depth, row(a, convention=None, parent=article))
            for a in c.numbered_articles()
        ],
        "annexes": [row(a, **skip) for a in c.annexes.order_by("position", "pk")],
        "contacts": [row(x, **skip) for x in c.contacts.order_by("position", "pk")],
        "amendments": [
            {
                **row(m, **skip),
                "changes": [
                    row(ch, amendment=None, article=article) for ch in m.changes.order_by("pk")
                ],
                "signatories": [row(s) for s in m.signatories.order_by("party__position", "pk")],
                "withdrawals": [row(w, amendment=None) for w in m.withdrawals.order_by("pk")],
            }
            for m in c.amendments.order_by("number")
        ],
        "terminations": [row(t, **skip) for t in c.terminations.order_by("pk")],
        "renewal_decisions": [row(d, **skip) for d in c.renewal_decisions.order_by("pk")],
        "action_plans": [plan(p) for p in c.action_plans.order_by("school_year")],
        "steering_meetings": [
            {
                **row(m, **skip),
                "attendances": [row(a, meeting=None) for a in m.attendances.order_by("pk")],
                "reviews": [row(r, meeting=None) for r in m.reviews.order_by("pk")],
            }
            for m in c.steering_meetings.order_by("held_on", "pk")
        ],
        "obligations": [
            {
                **row(o, **skip),
                "fixed_dates": list(o.fixed_dates.values_list("due_on", flat=True)),
                "fulfilments": [row(f, obligation=None) for f in o.fulfilments.order_by("due_on")],
            }
            for o in c.obligations.order_by("pk")
        ],
        # Computed by the échéancier from the loaded rows (convention_changed).
        "deadlines": sorted(
            (repr(sorted(row(d, **skip).items())) for d in Deadline.objects.filter(convention=c)),
        ),
    }


def plan(p: ActionPlan) -> dict:
    return {
        **row(p, convention=None),
        "actions": [
            {
                **row(a, plan=None),
                "audiences": sorted(a.audiences.values_list("audience", flat=True)),
                "contributions": [row(x, action=None) for x in a.contributions.order_by("pk")],
            }
            for a in p.actions.order_by("number")
        ],
    }
