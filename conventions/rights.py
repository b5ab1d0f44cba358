"""Who may do what in the staff application, asked once per request.

`users.roles` answers with a query each time; a detail page asks a dozen times (one per
button), so the answer is kept on the user object for the request.
"""

from users.roles import is_manager, is_staff_member


def may_read(user) -> bool:
    """Staff (Gestionnaire, Lecteur, superuser); partner users and anonymous may not."""
    if not hasattr(user, "_conventions_may_read"):
        user._conventions_may_read = is_staff_member(user)
    return user._conventions_may_read


def may_write(user) -> bool:
    """Only "Gestionnaire" (and superusers) change anything."""
    if not hasattr(user, "_conventions_may_write"):
        user._conventions_may_write = is_manager(user)
    return user._conventions_may_write
