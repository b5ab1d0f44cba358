"""Sessions that end after a working day without activity, without a write per page view."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESHED_AT = "_refreshed_at"


class SlidingSessionMiddleware:
    """Pushes a signed-in session's expiry back (SESSION_COOKIE_AGE from now) when
    SESSION_REFRESH_SECONDS have passed since it was last pushed back.

    Django's SESSION_SAVE_EVERY_REQUEST would do it on every request: a database write
    (three queries) for each page read, which on SQLite also queues every reader behind the
    writers. Here a session is written at most once per period, so it ends between
    SESSION_COOKIE_AGE and SESSION_COOKIE_AGE + SESSION_REFRESH_SECONDS after the last request.
    Placed after SessionMiddleware, so that the save happens in its response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if not session.is_empty() and not session.modified:
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: SessionMiddleware saves it
        return response


@receiver(user_logged_in)
def _mark_fresh(sender, request, user, **kwargs):
    """Signing in writes the session anyway: the next page has nothing to push back."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT] = int(time.time())
