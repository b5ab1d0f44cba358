"""The two staff groups and what they may do.

"Gestionnaire" reads and writes conventions and everything around them; "Lecteur" reads
everything and changes nothing. Partner users belong to no group: the portal decides
what they see from `Organisation.members`.
"""

from django.contrib.auth.models import Group, Permission

MANAGER = "Gestionnaire"
READER = "Lecteur"

_APPS = ("partners", "conventions", "actions", "echeancier", "documents")


def ensure_groups():
    """Create (or bring up to date) the two staff groups and their permissions."""
    perms = Permission.objects.filter(content_type__app_label__in=_APPS)
    manager, _ = Group.objects.get_or_create(name=MANAGER)
    manager.permissions.set(perms)
    reader, _ = Group.objects.get_or_create(name=READER)
    reader.permissions.set(perms.filter(codename__startswith="view_"))
    return manager, reader


def staff_groups(user) -> frozenset[str]:
    """The staff groups `user` belongs to, read once per user object: a request loads its
    user afresh, so each page asks once however many rights it checks (make bench)."""
    names = getattr(user, "_staff_groups", None)
    if names is None:
        names = frozenset(
            user.groups.filter(name__in=(MANAGER, READER)).values_list("name", flat=True)
        )
        user._staff_groups = names
    return names


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(staff_groups(user)))


def is_manager(user) -> bool:
    return user.is_authenticated and (user.is_superuser or MANAGER in staff_groups(user))
