"""Who may use the staff application.

Staff are the members of the "Gestionnaire" and "Lecteur" groups (and superusers); partner
users have no group and are refused every staff page. Writing needs the model's change or
add permission, which only "Gestionnaire" has.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import is_manager, is_staff_member


def staff_required(view):
    """Login is already required by the middleware; this refuses non-staff (partners)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
