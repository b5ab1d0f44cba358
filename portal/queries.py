"""What the portal reads, all of it derived from `Convention.objects.visible_to(user)`.

A foreign object is simply absent from these querysets, so that the views answer 404 for it
exactly as for one that does not exist.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from actions.models import Obligation
from conventions.enums import ENDED_STATUSES, ConventionStatus
from conventions.models import Amendment, Convention, FinancialCommitment
from documents.models import SignedDocument
from echeancier.enums import DeadlineKind
from echeancier.models import Deadline
from partners.models import Organisation


def visible_conventions(user):
    return Convention.objects.visible_to(user)


def convention_for(user, reference: str) -> Convention:
    """A visible convention, with `parent_visible`: whether its parent is visible too."""
    visible = visible_conventions(user)
    return get_object_or_404(
        visible.select_related("parent").annotate(
            parent_visible=Exists(visible.filter(pk=OuterRef("parent_id")))
        ),
        reference=reference,
    )


def signed_amendment_for(user, reference: str, number: int) -> Amendment:
    """A signed avenant of a visible convention; an unsigned one does not exist here."""
    return get_object_or_404(
        Amendment.objects.filter(
            convention__in=visible_conventions(user), signed_on__isnull=False
        ).select_related("convention"),
        convention__reference=reference,
        number=number,
    )


def shared_document_for(user, reference: str, pk: int) -> SignedDocument:
    return get_object_or_404(
        SignedDocument.objects.for_partners()
        .filter(convention__in=visible_conventions(user))
        .select_related("convention", "amendment"),
        convention__reference=reference,
        pk=pk,
    )


def _member_of_debtor(user):
    return Exists(
        Organisation.members.through.objects.filter(
            organisation=OuterRef("party__organisation"), user=user
        )
    )


def obligations_concerning(user):
    """The recurring duties of visible conventions that concern the user's organisations:
    their own, and the académie's (owed to every partner of the convention); never those
    of another partner organisation."""
    return Obligation.objects.filter(convention__in=visible_conventions(user)).filter(
        Q(party__organisation__is_academy=True) | _member_of_debtor(user)
    )


def commitments_concerning(user):
    """The financial commitments of visible conventions in which one of the user's
    organisations pays or receives: never those between other parties (the académie and
    another partner of a three-party convention), never those of an avenant not yet
    signed."""
    return (
        FinancialCommitment.objects.filter(convention__in=visible_conventions(user))
        .involving(Organisation.objects.filter(members=user))
        .filter(Q(amendment__isnull=True) | Q(amendment__signed_on__isnull=False))
    )


def deadlines_for(user):
    """The deadlines of visible conventions, less the occurrences of other partners'
    obligations and the instalments of commitments that do not concern the user."""
    return Deadline.objects.filter(convention__in=visible_conventions(user)).filter(
        Q(obligation__isnull=True) | Q(obligation__in=obligations_concerning(user)),
        Q(instalment__isnull=True) | Q(instalment__commitment__in=commitments_concerning(user)),
    )


def upcoming_deadlines(user, *, today: datetime.date, days: int):
    return (
        deadlines_for(user)
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days))
        .select_related("convention")
        .order_by("due_on", "convention__reference", "kind", "pk")
    )


# --- What of the stored schedule a partner may read --------------------------------------
#
# The schedule also reflects the rectorat's internal renewal decisions (`RenewalDecision`):
# they mark a notice deadline "done", name the decision in the labels of notices and ends
# of term, and fix `ends_on` before anything is notified. The portal shows none of that:
# neutral labels for those two kinds, no "done" on a notice, and the last day of
# application only once it is public (a termination under way, or the convention ended).

PUBLIC_END_STATUSES = (ConventionStatus.TERMINATING, *ENDED_STATUSES)


def public_ends_on(convention: Convention) -> datetime.date | None:
    return convention.ends_on if convention.status in PUBLIC_END_STATUSES else None


def public_label(deadline: Deadline) -> str:
    if deadline.kind == DeadlineKind.NOTICE:
        months = deadline.convention.notice_months
        notice = f"préavis de {months} mois" if months else "sans préavis"
        return (
            f"Date limite de préavis ({notice}) pour notifier la résiliation ou la "
            "non-reconduction avant la fin de la période"
        )
    if deadline.kind == DeadlineKind.TERM_END:
        return "Fin de la période de la convention"
    return deadline.label


def public_done_on(deadline: Deadline) -> datetime.date | None:
    """A meeting held, a delivery made; a notice deadline is never shown as settled."""
    return None if deadline.kind == DeadlineKind.NOTICE else deadline.done_on


def for_display(deadlines, *, today: datetime.date) -> list[Deadline]:
    """The deadlines with `.public_label`, `.public_done_on` and `.overdue` set."""
    rows = list(deadlines)
    for deadline in rows:
        deadline.public_label = public_label(deadline)
        deadline.public_done_on = public_done_on(deadline)
        deadline.overdue = deadline.kind != DeadlineKind.NOTICE and deadline.is_overdue(today)
    return rows
