"""Load the seed conventions (YAML files in `devtools/seeds/`, in the interchange format of
docs/format.md) and the demo users.

The seeds go through the same loader as `load_conventions` (`interchange.loader`), one
transaction per file, with one difference: a convention whose reference already exists is
left as it is rather than refused, so that loading twice changes nothing. Organisations,
people and mandates are matched by natural key, as in any load. The demo users, with their
known password, exist only here.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from conventions.models import Convention
from interchange.loader import load_file
from partners.models import Organisation
from users.roles import ensure_groups

SEED_DIR = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "demo"


class SeedError(Exception):
    """A seed file the loader refuses: the seeds are ours, this is a bug."""


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("seed_*.yaml"))


@transaction.atomic
def load_demo() -> list[Convention]:
    """Load every seed file and the demo users; returns the conventions created."""
    created = []
    for path in seed_files():
        report = load_file(path, skip_existing=True)
        if not report.ok:
            raise SeedError("\n".join(report.problems))
        created += report.created
    _create_demo_users()
    return created


def _create_demo_users():
    User = get_user_model()
    manager_group, reader_group = ensure_groups()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@example.org", DEMO_PASSWORD, first_name="Admin", last_name="Démo"
        )
    for username, first, last, group in [
        ("gestionnaire", "Emmanuelle", "Gestion", manager_group),
        ("lecteur", "Louis", "Lecture", reader_group),
    ]:
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(
                username, f"{username}@example.org", DEMO_PASSWORD, first_name=first, last_name=last
            )
            user.groups.add(group)
    gestionnaire = User.objects.get(username="gestionnaire")
    Convention.objects.filter(referent=None).update(referent=gestionnaire)
    if not User.objects.filter(username="partenaire-cress").exists():
        partner = User.objects.create_user(
            "partenaire-cress",
            "partenaire@cresspaca.example.org",
            DEMO_PASSWORD,
            first_name="Marielle",
            last_name="Partenaire",
        )
        cress = Organisation.objects.get(short_name="CRESS PACA")
        cress.members.add(partner)
