"""The accounts `make loadtest` signs in with, and the conventions its users visit.

The staff that `generate_data` creates cannot sign in (unusable passwords), so the load test
makes its own: staff agents in the "Gestionnaire" group and partner users, each a member of
one partner organisation that is a party to conventions shown on the portal. Every account
gets one password, new at each run and written only to the accounts file (var/, not
committed), with the references each user visits.
"""

import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from conventions.models import Convention
from partners.models import Organisation
from users.roles import ensure_groups

STAFF_PREFIX = "charge-personnel-"
PARTNER_PREFIX = "charge-partenaire-"
# Conventions a staff user picks from, and a partner user's own, at most.
STAFF_SAMPLE = 500
PARTNER_SAMPLE = 50


def partner_organisations(count: int):
    """`count` partner organisations with the most conventions on the portal (ties by pk)."""
    visible = Convention.objects.signed().values("pk")
    return list(
        Organisation.objects.partners()
        .filter(parties__convention__in=visible)
        .annotate(conventions=Count("parties__convention", distinct=True))
        .order_by("-conventions", "pk")[:count]
    )


@transaction.atomic
def create_accounts(*, staff: int, partners: int, password: str | None = None) -> dict:
    """Create (or reset) `staff` staff and `partners` partner accounts that sign in with one
    password; return what the locustfile reads: the password, the staff usernames with
    conventions to visit, each partner's username with the references its portal shows."""
    password = password or secrets.token_urlsafe(18)
    # One hash for every account: hashing costs a good part of a second each.
    hashed = make_password(password)
    User = get_user_model()
    manager_group, _ = ensure_groups()

    staff_names = [f"{STAFF_PREFIX}{i:02d}" for i in range(1, staff + 1)]
    for username in staff_names:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"password": hashed, "is_active": True, "last_name": "Test de charge"},
        )
        user.groups.set([manager_group])

    organisations = partner_organisations(partners)
    if len(organisations) < partners:
        raise ValueError(
            f"{partners} comptes partenaires demandés, mais seulement {len(organisations)} "
            "organismes partenaires ont une convention signée : générez d'abord des données "
            "(manage.py generate_data)."
        )
    partner_accounts = []
    for i, organisation in enumerate(organisations, start=1):
        user, _ = User.objects.update_or_create(
            username=f"{PARTNER_PREFIX}{i:02d}",
            defaults={
                "password": hashed,
                "is_active": True,
                "email": f"partenaire{i:02d}@charge.example.org",
            },
        )
        user.groups.clear()
        user.partner_organisations.set([organisation])
        references = list(
            Convention.objects.visible_to(user)
            .order_by("-signed_on", "reference")
            .values_list("reference", flat=True)[:PARTNER_SAMPLE]
        )
        partner_accounts.append({"username": user.username, "conventions": references})

    # Conventions of every kind and status, spread over the table (every k-th by pk).
    total = Convention.objects.count()
    step = max(1, total // STAFF_SAMPLE)
    references = list(
        Convention.objects.order_by("pk").values_list("reference", flat=True)[::step][:STAFF_SAMPLE]
    )
    return {
        "password": password,
        "staff": [{"username": name, "conventions": references} for name in staff_names],
        "partners": partner_accounts,
    }


def write_accounts(accounts: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")
    path.chmod(0o600)
