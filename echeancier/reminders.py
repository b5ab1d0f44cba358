"""E-mail reminders of deadlines to each convention's référent, and the weekly digest.

Each (deadline, offset, recipient) is mailed once, whatever the number of runs: what was
sent is recorded in `ReminderSent` (unique), in the same transaction as the sending, so
that a failed sending is retried on the next run. After a gap of days, the offsets reached
meanwhile are covered by a single reminder: nobody gets "in 90 days" and "in 30 days" on
the same morning.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from conventions.enums import ACTIVE_STATUSES
from conventions.models import Party
from conventions.rules.formatting import french_date

from .models import Deadline, DigestSent, ReminderSent


def _mailable(deadlines):
    """Deadlines whose convention applies and has a référent who can receive mail."""
    return (
        deadlines.filter(
            convention__status__in=ACTIVE_STATUSES,
            convention__referent__isnull=False,
            convention__referent__is_active=True,
        )
        .exclude(convention__referent__email="")
        .select_related("convention__referent")
        .prefetch_related(
            Prefetch(
                "convention__parties",
                queryset=Party.objects.select_related("organisation").order_by("position", "pk"),
            )
        )
        .order_by("convention__referent_id", "due_on", "convention__reference", "kind", "pk")
    )


def _links():
    return {
        "echeancier_url": settings.SITE_URL + reverse("echeancier:index") + "?referent=moi",
        "calendar_url": settings.SITE_URL + reverse("calendrier:index"),
        "academy_name": settings.ACADEMY_NAME,
    }


def _row(deadline, today):
    days_left = (deadline.due_on - today).days
    return {
        "deadline": deadline,
        "date": french_date(deadline.due_on),
        "days_left": days_left,
        "convention_url": settings.SITE_URL + deadline.convention.get_absolute_url(),
        "partners": ", ".join(deadline.convention.partner_names()),
        "overdue": deadline.is_overdue(today),
    }


def send_due_reminders(*, today: datetime.date, offsets=None) -> int:
    """Mail each référent the deadlines that reached one of the `offsets` (days before)
    and were not yet reminded at that offset. Returns the number of mails sent."""
    offsets = sorted(set(offsets or settings.REMINDER_OFFSETS_DAYS), reverse=True)
    candidates = list(
        _mailable(Deadline.objects.upcoming(today, offsets[0]).filter(done_on__isnull=True))
    )
    already = set(
        ReminderSent.objects.filter(deadline__in=[d.pk for d in candidates]).values_list(
            "deadline_id", "offset_days", "recipient_id"
        )
    )
    due = defaultdict(list)  # recipient -> [(deadline, offsets reached and not sent)]
    for deadline in candidates:
        recipient = deadline.convention.referent
        days_left = (deadline.due_on - today).days
        pending = [
            o for o in offsets if days_left <= o and (deadline.pk, o, recipient.pk) not in already
        ]
        if pending:
            due[recipient].append((deadline, pending))
    sent = 0
    for recipient, items in due.items():
        rows = [_row(deadline, today) for deadline, _ in items]
        if len(rows) == 1:
            row = rows[0]
            subject = (
                f"Rappel : {row['deadline'].get_kind_display().lower()} le {row['date']} — "
                f"{row['deadline'].convention.reference}"
            )
        else:
            subject = f"Rappel : {len(rows)} échéances de vos conventions approchent"
        body = render_to_string(
            "echeancier/email/reminders.txt", {"recipient": recipient, "rows": rows, **_links()}
        )
        message = EmailMessage(subject, body, None, [recipient.email])
        try:
            with transaction.atomic():
                ReminderSent.objects.bulk_create(
                    ReminderSent(deadline=deadline, offset_days=offset, recipient=recipient)
                    for deadline, pending in items
                    for offset in pending
                )
                mailers.default.send_messages([message])
        except IntegrityError:
            continue  # another run sent these meanwhile
        sent += 1
    return sent


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week: a digest is sent once per week."""
    return day - datetime.timedelta(days=day.weekday())


def send_weekly_digests(*, today: datetime.date, days=None) -> int:
    """Mail each référent the list of their overdue deadlines and of those due in the next
    `days` days, once per week. Returns the number of mails sent."""
    days = settings.REMINDER_DIGEST_DAYS if days is None else days
    monday = week_of(today)
    already = set(DigestSent.objects.filter(week_of=monday).values_list("recipient_id", flat=True))
    by_recipient = defaultdict(list)
    for deadline in _mailable(Deadline.objects.due_or_overdue(today, days)).exclude(
        convention__referent__in=already
    ):
        by_recipient[deadline.convention.referent].append(_row(deadline, today))
    sent = 0
    for recipient, rows in by_recipient.items():
        overdue = [r for r in rows if r["overdue"]]
        upcoming = [r for r in rows if not r["overdue"] and r["days_left"] >= 0]
        if not overdue and not upcoming:
            continue
        body = render_to_string(
            "echeancier/email/digest.txt",
            {
                "recipient": recipient,
                "overdue": overdue,
                "upcoming": upcoming,
                "days": days,
                "week": french_date(monday),
                **_links(),
            },
        )
        subject = f"Vos échéances de conventions — semaine du {french_date(monday)}"
        message = EmailMessage(subject, body, None, [recipient.email])
        try:
            with transaction.atomic():
                DigestSent.objects.create(recipient=recipient, week_of=monday)
                mailers.default.send_messages([message])
        except IntegrityError:
            continue
        sent += 1
    return sent
