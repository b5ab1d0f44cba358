"""Rules between a convention's clauses. Pure functions, no database.

`Convention.clean()` applies them, so that the staff form, the admin, a renewal and the
import (`interchange`) refuse the same conventions with the same message.
"""


def notice_exceeds_term(
    notice_months: int | None,
    duration_months: int | None,
    tacit_renewal: bool = False,
    renewal_months: int | None = None,
) -> str:
    """Why a notice cannot end this term, or "": a notice longer than the term (or than a
    tacit renewal period) would fall due before the term even starts.

    >>> notice_exceeds_term(3, 36)
    ''
    >>> notice_exceeds_term(6, 3)
    'Le préavis (6 mois) est plus long que la durée de la convention (3 mois).'
    >>> notice_exceeds_term(6, 36, True, 3)
    'Le préavis (6 mois) est plus long que la durée d'une reconduction (3 mois).'
    """
    if not notice_months:
        return ""
    if duration_months and notice_months > duration_months:
        return (
            f"Le préavis ({notice_months} mois) est plus long que la durée de la convention "
            f"({duration_months} mois)."
        )
    if tacit_renewal and renewal_months and notice_months > renewal_months:
        return (
            f"Le préavis ({notice_months} mois) est plus long que la durée d'une reconduction "
            f"({renewal_months} mois)."
        )
    return ""
