"""An organisation's history as its page shows it: who changed what, and the merges.

The rows are written by django-simple-history (`Organisation.history`, the user taken from
the request) and by `merge.organisation_merge` (its reason says what was merged). They are
only read here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from .models import Organisation

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
HIDDEN = {"id"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    date: datetime.datetime
    user: object
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        """« 1er mai 2026 à 10 h 02 »."""
        local = timezone.localtime(self.date)
        day = "1er" if local.day == 1 else str(local.day)
        return f"{day} {MONTHS[local.month - 1]} {local.year} à {local:%H} h {local:%M}"


def rows(organisation: Organisation):
    """Its history rows, newest first (to paginate)."""
    return (
        Organisation.history.filter(id=organisation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def entries(page_rows: list, organisation: Organisation) -> list[Entry]:
    """The entries of a page of `rows`: one more query, for the row before the oldest of the
    page (what its first change is compared with)."""
    if not page_rows:
        return []
    oldest = page_rows[-1]
    before = (
        Organisation.history.filter(id=organisation.pk)
        .filter(
            Q(history_date__lt=oldest.history_date)
            | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )
    previous = [*page_rows[1:], before]
    return [
        Entry(
            date=row.history_date,
            user=row.history_user,
            action=ACTIONS[row.history_type],
            reason=row.history_change_reason or "",
            changes=diff(old, row) if row.history_type == "~" and old is not None else [],
        )
        for row, old in zip(page_rows, previous, strict=True)
    ]


def diff(old, new) -> list[Change]:
    changes = []
    for model_field in Organisation.history.model.tracked_fields:
        if model_field.name in HIDDEN:
            continue
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            label = str(model_field.verbose_name)
            changes.append(Change(label, display(model_field, before), display(model_field, after)))
    return changes


def display(model_field, value) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    return Truncator(str(value)).chars(200)
