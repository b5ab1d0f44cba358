"""Writes of the partners' pages that span several models."""

from django.db import transaction

from .models import Mandate, Organisation, Person


@transaction.atomic
def person_add(
    *, organisation: Organisation, person: Person, title: str, start_date=None, end_date=None
) -> Mandate:
    """A new person (not yet saved) and the office they hold at `organisation`; the dates
    are checked by the form (`forms.check_mandate_dates`) and by the database."""
    person.save()
    mandate = Mandate(
        person=person,
        organisation=organisation,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    mandate.save()
    return mandate
