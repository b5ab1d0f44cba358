"""Merging a duplicate organisation into the one kept.

Everything that points to the duplicate (a convention's parties and correspondents, the
mandates, the portal accounts, and whatever the apps above add later) moves to the kept
organisation in one transaction, then the duplicate is deleted. These rows are found from
the models (`Organisation._meta.related_objects` and its many-to-many fields): `partners`
imports none of the apps above (docs/architecture.md).

A row that prints the organisation's name keeps printing the same: the apps above say which
(`extensions.merge_keeps`; a signed convention's party keeps the name and address it was
signed with, and the database allows a signed party that one change only:
conventions/models/triggers.py).

The merge is refused, with the reason, when two rows would collide on a unique constraint
(both organisations parties to the same convention: `party_unique_organisation`), when the
duplicate is the académie, or when portal accounts would move to the académie (they would
see every convention).

History: the moved rows that have one get a line (« Fusion … »), the duplicate's ends with
its deletion, and the kept organisation's says what it received.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef

from .extensions import merge_keeps
from .models import Organisation

# Blank fields of the kept organisation that the duplicate's value fills.
FILLED = ["short_name", "address", "siret", "email", "phone", "website"]
# How many colliding rows a refusal names.
NAMED = 5


@dataclass(frozen=True)
class Link:
    """Rows of `model` whose `source` column points to an organisation. For a many-to-many
    table, `other` is its other column: a pair the kept organisation already has is dropped
    rather than moved."""

    model: type[models.Model]
    source: str
    label: str
    other: str = ""


def links() -> list[Link]:
    """Every kind of row that points to an organisation."""
    found = []
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            m2m = relation.field
            found.append(
                Link(
                    m2m.remote_field.through,
                    m2m.m2m_reverse_field_name(),
                    str(model._meta.verbose_name_plural),
                    other=m2m.m2m_field_name(),
                )
            )
        else:
            found.append(Link(model, relation.field.name, str(model._meta.verbose_name_plural)))
    for m2m in Organisation._meta.many_to_many:
        found.append(
            Link(
                m2m.remote_field.through,
                m2m.m2m_field_name(),
                str(m2m.verbose_name),
                other=m2m.m2m_reverse_field_name(),
            )
        )
    return found


@dataclass
class MergePlan:
    kept: Organisation
    duplicate: Organisation
    # (label, number of rows), for the kinds of rows that move.
    moves: list[tuple[str, int]] = field(default_factory=list)
    # Labels of the kept organisation's blank fields that the duplicate fills.
    filled: list[str] = field(default_factory=list)
    # Why the merge cannot be done (nothing moves while there is one).
    refusals: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """« parties : 2, correspondants : 1 », or « rien »."""
        return ", ".join(f"{label} : {count}" for label, count in self.moves) or "rien"


def merge_plan(*, kept: Organisation, duplicate: Organisation) -> MergePlan:
    """What merging `duplicate` into `kept` moves and fills, or why it cannot be done: a
    query per kind of row and per unique constraint, whatever their number."""
    plan = MergePlan(kept=kept, duplicate=duplicate)
    if kept.pk == duplicate.pk:
        plan.refusals.append("Choisissez une autre organisation que celle-ci.")
        return plan
    if duplicate.is_academy:
        plan.refusals.append(
            f"{duplicate.name} est l'académie : elle ne peut pas disparaître dans une fusion. "
            "Fusionnez plutôt le doublon dans l'académie, depuis la page de l'académie."
        )
    for link in links():
        count = link.model._base_manager.filter(**{link.source: duplicate}).count()
        if count:
            plan.moves.append((link.label, count))
            if link.other and kept.is_academy and link.model is _members_through():
                plan.refusals.append(
                    f"{duplicate.name} a {count} compte(s) du portail des partenaires : "
                    f"rattachés à {kept.name}, l'académie, ils verraient toutes ses "
                    "conventions. Révoquez-les avant la fusion."
                )
            if not link.other:
                plan.refusals += _collisions(link, kept, duplicate)
    plan.filled = [
        str(Organisation._meta.get_field(name).verbose_name)
        for name in FILLED
        if not getattr(kept, name) and getattr(duplicate, name)
    ]
    return plan


def _members_through():
    return Organisation.members.through


def _unique_sets(model, source: str):
    """(columns, condition) of each unique rule of `model` that includes `source`."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and source in constraint.fields:
            yield constraint.fields, constraint.condition
    for fields in model._meta.unique_together:
        if source in fields:
            yield fields, None
    if model._meta.get_field(source).unique:
        yield (source,), None


def _collisions(link: Link, kept, duplicate) -> list[str]:
    """A refusal for each unique rule that the move would break: rows of both organisations
    with the same other columns (both parties to the same convention)."""
    refusals = []
    rows = link.model._base_manager
    for fields, condition in _unique_sets(link.model, link.source):
        others = [name for name in fields if name != link.source]
        narrow = [condition] if condition is not None else []
        clash = rows.filter(*narrow, **{link.source: kept}).filter(
            **{name: OuterRef(name) for name in others}
        )
        colliding = (
            rows.filter(*narrow, **{link.source: duplicate})
            .filter(Exists(clash))
            .select_related(*(n for n in others if link.model._meta.get_field(n).is_relation))
            .order_by("pk")[: NAMED + 1]
        )
        colliding = list(colliding)
        if not colliding:
            continue
        named = "; ".join(_describe(row, others) for row in colliding[:NAMED])
        more = " ; …" if len(colliding) > NAMED else ""
        noun = link.model._meta.verbose_name
        refusals.append(
            f"{duplicate.name} et {kept.name} ont chacune une « {noun} » pour : {named}{more}. "
            f"Une seule peut rester : corrigez ces {link.label} avant de fusionner."
        )
    return refusals


def _describe(row, names) -> str:
    """« convention CONV-1 — Titre, rôle Correspondant »: the columns that collide."""
    parts = []
    for name in names:
        model_field = row._meta.get_field(name)
        value = getattr(row, f"get_{name}_display")() if model_field.choices else getattr(row, name)
        parts.append(f"{model_field.verbose_name} {value}")
    return ", ".join(parts)


@transaction.atomic
def organisation_merge(*, kept: Organisation, duplicate: Organisation, by=None) -> MergePlan:
    """Move everything of `duplicate` to `kept` and delete `duplicate`, or raise a
    ValidationError saying why not (nothing is changed then)."""
    locked = Organisation.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])
    locked = {o.pk: o for o in locked.order_by("pk")}
    if len(locked) != 2 and kept.pk != duplicate.pk:
        raise ValidationError("L'une des deux organisations n'existe plus.")
    kept, duplicate = locked.get(kept.pk, kept), locked.get(duplicate.pk, duplicate)
    plan = merge_plan(kept=kept, duplicate=duplicate)
    if plan.refusals:
        raise ValidationError(plan.refusals)
    reason = f"Fusion de « {duplicate.name} » (n° {duplicate.pk}) dans n° {kept.pk}"
    for link in links():
        _move(link, kept, duplicate, reason=reason[:100], by=by)
    filled = [name for name in FILLED if not getattr(kept, name) and getattr(duplicate, name)]
    for name in filled:
        setattr(kept, name, getattr(duplicate, name))
    text = (
        f"Fusion : « {duplicate.name} » (n° {duplicate.pk}) est fusionnée dans cette "
        f"organisation et supprimée. Repris : {plan.summary}."
    )
    duplicate._change_reason = f"Fusionnée dans « {kept.name} » (n° {kept.pk})."
    if by is not None:  # else the request's user, if any
        duplicate._history_user = kept._history_user = by
    # Deleted first: the SIRET it gives to the kept organisation is unique.
    duplicate.delete()
    if plan.filled:
        text += f" Complété : {', '.join(plan.filled)}."
    kept._change_reason = text
    kept.save()
    return plan


def _move(link: Link, kept, duplicate, *, reason: str, by) -> None:
    rows = link.model._base_manager.filter(**{link.source: duplicate})
    if link.other:
        # A pair the kept organisation already has (the same portal account) is dropped.
        kept_pairs = link.model._base_manager.filter(**{link.source: kept})
        rows.filter(**{f"{link.other}__in": kept_pairs.values(link.other)}).delete()
        rows.update(**{link.source: kept})
        return
    history = getattr(link.model._meta, "simple_history_manager_attribute", None)
    moved = list(rows.order_by().values_list("pk", flat=True)) if history else []
    for keep in merge_keeps:
        if keep.model == link.model._meta.label_lower:
            keep.rows(rows).update(**{link.source: kept}, **keep.values(duplicate))
    rows.update(**{link.source: kept})
    if moved:
        getattr(link.model, history).bulk_history_create(
            link.model._base_manager.filter(pk__in=moved).order_by("pk"),
            update=True,
            default_user=by,
            default_change_reason=reason,
        )
