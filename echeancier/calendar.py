"""The deadlines as an iCalendar (RFC 5545) feed, for Outlook or Thunderbird to subscribe to."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from conventions.rules.formatting import french_date

from .deadlines import ONE_DAY

# Past deadlines kept in the feed: last year's, so that the agenda keeps some history.
FEED_PAST_DAYS = 365


@dataclass(frozen=True)
class FeedEntry:
    """What one event says of its deadline; `notes` are extra lines of its description."""

    label: str
    done_on: datetime.date | None
    url: str
    notes: tuple[str, ...] = ()


def staff_entry(deadline) -> FeedEntry:
    convention = deadline.convention
    return FeedEntry(
        label=deadline.label,
        done_on=deadline.done_on,
        url=settings.SITE_URL + convention.get_absolute_url(),
        notes=(f"Référent : {convention.referent or 'aucun'}",),
    )


def feed_for(deadlines, *, now: datetime.datetime, name: str, entry_for=staff_entry) -> bytes:
    """`deadlines`: Deadline rows with their convention loaded (and what `entry_for` reads:
    the référent for the staff's). The partner portal passes its own `entry_for`."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.ACADEMY_NAME}//Conventions de partenariat//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT6H")
    for deadline in deadlines:
        convention = deadline.convention
        entry = entry_for(deadline)
        url = entry.url
        event = Event()
        # Stable while the deadline keeps its kind and date: updates replace, not duplicate.
        event.add("uid", f"echeance-{deadline.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", deadline.due_on)  # a whole day: VALUE=DATE
        event.add("dtend", deadline.due_on + ONE_DAY)
        event.add("transp", "TRANSPARENT")
        done = f" (fait le {french_date(entry.done_on)})" if entry.done_on else ""
        event.add("summary", f"{deadline.get_kind_display()} — {convention.reference}{done}")
        event.add(
            "description",
            "\n".join(
                [
                    entry.label,
                    "",
                    f"{convention.short_title} ({convention.get_status_display().lower()})",
                    f"Échéance : {french_date(deadline.due_on)}",
                    *entry.notes,
                    url,
                ]
            ),
        )
        event.add("url", url)
        event.add("categories", [deadline.get_kind_display()])
        calendar.add_component(event)
    return calendar.to_ical()
