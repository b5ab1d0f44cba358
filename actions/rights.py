"""Who may do what with a convention's yearly cycle (named predicates, used by the views and
by the templates that decide whether to show a button).

Staff read everything (`users.perms.staff_required`); only "Gestionnaire" writes. Meetings
and deliveries happen under a signed convention; plans and obligations may be prepared with
the draft.
"""

from conventions.rights import may_write


def can_manage_plans(convention, user) -> bool:
    return may_write(user)


def can_manage_obligations(convention, user) -> bool:
    return may_write(user)


def can_record_meetings(convention, user) -> bool:
    return convention.is_signed and may_write(user)


def can_record_fulfilments(convention, user) -> bool:
    return convention.is_signed and may_write(user)
