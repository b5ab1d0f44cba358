"""Load the seed conventions (YAML files in `devtools/seeds/`, format in SCHEMA.md).

Idempotent: organisations, people and mandates are matched by natural key, and a convention
whose reference already exists is left as it is, so that loading twice changes nothing.
"""

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionAudience, ActionContribution, ActionPlan, Obligation
from conventions.models import Amendment, Annex, Article, Convention, Party, Signatory
from echeancier.refresh import refresh_schedule
from partners.models import Contact, Mandate, Organisation, Person
from users.roles import ensure_groups

SEED_DIR = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "demo"


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("seed_*.yaml"))


@transaction.atomic
def load_demo() -> list[Convention]:
    """Load every seed file and the demo users; returns the conventions created."""
    created = []
    for path in seed_files():
        created += load_seed(yaml.safe_load(path.read_text(encoding="utf-8")))
    _create_demo_users()
    today = timezone.localdate()
    for convention in created:  # parents come first in the seed files
        refresh_schedule(convention, today=today)
    return created


def load_seed(data: dict) -> list[Convention]:
    loader = _SeedLoader()
    for org in data.get("organisations", []):
        loader.organisation(org)
    for person in data.get("people", []):
        loader.person(person)
    for mandate in data.get("mandates", []):
        loader.mandate(mandate)
    created = []
    for convention in data.get("conventions", []):
        if not Convention.objects.filter(reference=convention["reference"]).exists():
            created.append(loader.convention(convention))
    # An avenant may create an application convention named later in the file.
    for convention in data.get("conventions", []):
        for amendment in convention.get("amendments") or []:
            if amendment.get("application"):
                Amendment.objects.filter(
                    convention__reference=convention["reference"],
                    number=amendment["number"],
                    application=None,
                ).update(application=Convention.objects.get(reference=amendment["application"]))
    return created


class _SeedLoader:
    def __init__(self):
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}

    def organisation(self, data):
        fields = {k: v for k, v in data.items() if k != "name" and v is not None}
        org, _ = Organisation.objects.get_or_create(name=data["name"], defaults=fields)
        self.organisations[org.name] = org
        return org

    def org(self, name) -> Organisation:
        if name not in self.organisations:
            self.organisations[name] = Organisation.objects.get(name=name)
        return self.organisations[name]

    def person(self, data):
        fields = {
            k: v for k, v in data.items() if k not in ("first_name", "last_name") and v is not None
        }
        person, _ = Person.objects.get_or_create(
            first_name=data["first_name"], last_name=data["last_name"], defaults=fields
        )
        self.people[person.full_name] = person
        return person

    def find_person(self, full_name) -> Person:
        """A person by "first last" (a few dozen people: reading them all is fine)."""
        if full_name not in self.people:
            self.people.update({p.full_name: p for p in Person.objects.all()})
        if full_name not in self.people:
            raise ValueError(f"Unknown person in seed data: {full_name!r}")
        return self.people[full_name]

    def mandate(self, data):
        mandate, _ = Mandate.objects.get_or_create(
            person=self.find_person(data["person"]),
            organisation=self.org(data["organisation"]),
            title=data["title"],
            defaults={"start_date": data.get("start_date"), "end_date": data.get("end_date")},
        )
        return mandate

    def convention(self, data) -> Convention:
        convention = Convention.objects.create(
            reference=data["reference"],
            title=data["title"],
            short_title=data["short_title"],
            kind=data["kind"],
            parent=Convention.objects.get(reference=data["parent"]) if data.get("parent") else None,
            renews=Convention.objects.get(reference=data["renews"]) if data.get("renews") else None,
            preamble=(data.get("preamble") or "").strip(),
            signature_place=data.get("signature_place") or "",
            effective_date=data.get("effective_date"),
            duration_months=data.get("duration_months"),
            notice_months=data.get("notice_months") or 0,
            provisional_months=data.get("provisional_months") or 0,
            tacit_renewal=bool(data.get("tacit_renewal")),
            renewal_months=data.get("renewal_months"),
            max_renewals=data.get("max_renewals"),
            yearly_steering_meeting=bool(data.get("yearly_steering_meeting")),
            requires_initials=bool(data.get("requires_initials")),
        )
        parties = {}
        for position, party_data in enumerate(data.get("parties", []), start=1):
            parties[party_data["organisation"]] = self.party(convention, position, party_data)
        for position, article in enumerate(data.get("articles") or [], start=1):
            self.article(convention, None, position, article)
        annexes = [
            Annex.objects.create(
                convention=convention,
                position=position,
                kind=annex["kind"],
                title=annex["title"],
                body=(annex.get("body") or "").strip(),
                tables=annex.get("tables") or [],
            )
            for position, annex in enumerate(data.get("annexes") or [], start=1)
        ]
        for position, contact in enumerate(data.get("contacts") or [], start=1):
            Contact.objects.create(
                convention=convention,
                organisation=self.org(contact["organisation"]),
                person=self.find_person(contact["person"]),
                role=contact["role"],
                title=contact.get("title") or "",
                address=contact.get("address") or "",
                position=position,
            )
        for amendment in data.get("amendments") or []:
            Amendment.objects.create(
                convention=convention,
                number=amendment["number"],
                title=amendment["title"],
                body=(amendment.get("body") or "").strip(),
                signed_on=amendment.get("signed_on"),
                signature_place=amendment.get("signature_place") or "",
            )
        for plan_data in data.get("action_plans") or []:
            self.action_plan(convention, plan_data, parties, annexes)
        for obligation in data.get("obligations") or []:
            Obligation.objects.create(
                convention=convention,
                party=parties[obligation["party"]],
                title=obligation["title"],
                description=(obligation.get("description") or "").strip(),
                rhythm=obligation["rhythm"],
            )
        if data.get("signed_on"):
            # Signed last, as in life: the parties keep their organisations' names and
            # addresses as signed, then the database freezes the text (0007).
            for party in parties.values():
                party.take_organisation_as_signed()
            convention.signed_on = data["signed_on"]
            convention.save(update_fields=["signed_on"])
        return convention

    def party(self, convention, position, data) -> Party:
        party = Party.objects.create(
            convention=convention,
            organisation=self.org(data["organisation"]),
            position=position,
            name_as_written=data.get("name_as_written") or "",
            description=data.get("description") or "",
            designation=data.get("designation") or "",
            address=data.get("address") or "",
        )
        signatory = data.get("signatory")
        if signatory:
            mandate = None
            if signatory.get("person"):
                mandate = (
                    Mandate.objects.filter(
                        person=self.find_person(signatory["person"]),
                        organisation=party.organisation,
                    )
                    .order_by("pk")
                    .first()
                )
            Signatory.objects.create(
                party=party,
                mandate=mandate,
                name=signatory["name"],
                title=signatory["title"],
                signed_on=signatory.get("signed_on"),
                place=signatory.get("place") or "",
            )
        return party

    def article(self, convention, parent, position, data):
        article = Article.objects.create(
            convention=convention,
            parent=parent,
            position=position,
            kind=data.get("kind", "article"),
            heading=data.get("heading") or "",
            body=(data.get("body") or "").strip(),
        )
        for child_position, child in enumerate(data.get("children") or [], start=1):
            self.article(convention, article, child_position, child)

    def action_plan(self, convention, data, parties, annexes):
        annex_number = data.get("annex")
        plan = ActionPlan.objects.create(
            convention=convention,
            school_year=data["school_year"],
            annex=annexes[annex_number - 1] if annex_number else None,
        )
        for action_data in data.get("actions") or []:
            action = Action.objects.create(
                plan=plan,
                number=action_data["number"],
                axis=action_data["axis"],
                title=action_data["title"].strip(),
                objective=(action_data.get("objective") or "").strip(),
                modalities=(action_data.get("modalities") or "").strip(),
                start_label=action_data.get("start_label") or "",
            )
            ActionAudience.objects.bulk_create(
                ActionAudience(action=action, audience=audience)
                for audience in action_data.get("audiences") or []
            )
            for contribution in action_data.get("contributions") or []:
                ActionContribution.objects.create(
                    action=action,
                    party=parties[contribution["party"]],
                    text=contribution["text"].strip(),
                )
        return plan


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
