"""Who may use the partner portal, and the one decorator every portal page wears.

A partner user is an active account that belongs to at least one organisation
(`Organisation.members`) and to no staff group. What they see is decided by
`Convention.objects.visible_to(user)` (see `portal.queries`), never here.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from users.roles import is_staff_member

LOGIN_URL = "portal_account:login"


def _of_an_organisation(user) -> bool:
    return user.is_active and user.partner_organisations.exists()


def is_partner(user) -> bool:
    return user.is_authenticated and not is_staff_member(user) and _of_an_organisation(user)


def portal_view(view):
    """A portal page: read-only (GET and HEAD; any other method is answered 405), behind the
    portal's own login page, for partner users only. Staff are sent back to their
    application; an account of no organisation is refused (403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_staff_member(request.user):
            return redirect("home")
        if not _of_an_organisation(request.user):  # login_required: authenticated
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(require_safe(wrapper), login_url=LOGIN_URL)
