from django.db import models


class DeadlineKind(models.TextChoices):
    """What falls due on a date of the échéancier (`Deadline.kind`)."""

    NOTICE = "notice", "Date limite de préavis"
    TERM_END = "term_end", "Fin de période"
    PROVISIONAL_END = "provisional_end", "Fin de l'application provisoire"
    END = "end", "Fin anticipée"
    MEETING = "meeting", "Comité de pilotage annuel"
    OBLIGATION = "obligation", "Engagement récurrent"
    INSTALMENT = "instalment", "Versement"


# Deadlines that ask the rectorat or a partner to do something, and so can be overdue.
# The others (ends of term, of provisional application, early ends) just happen.
ACTIONABLE_DEADLINE_KINDS = (
    DeadlineKind.NOTICE,
    DeadlineKind.MEETING,
    DeadlineKind.OBLIGATION,
    DeadlineKind.INSTALMENT,
)
