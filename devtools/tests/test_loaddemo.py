import datetime

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Obligation
from conventions.models import Amendment, Annex, Article, Convention, Party, Signatory
from partners.models import Contact, Mandate, Organisation, Person
from users.models import User

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Convention,
            Party,
            Signatory,
            Article,
            Annex,
            Amendment,
            Organisation,
            Person,
            Mandate,
            Contact,
            Action,
            Obligation,
            User,
        )
    }


def test_loaddemo_loads_the_five_seeds_and_the_parent_of_seed_003(demo):
    assert set(Convention.objects.values_list("reference", flat=True)) == {
        "ORM-DONNEES",
        "CITE-METIERS",
        "CGPME-AGEFA",
        "METROPOLE-PE-2018",
        "METROPOLE-PE-DONNEES",
        "CRESS-PACA-2010",
    }


def test_running_it_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    before = _counts()
    call_command("loaddemo")
    assert _counts() == before


def test_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("loaddemo")
    assert not Convention.objects.exists()


def test_seed_002_has_three_parties_and_says_so(demo):
    convention = Convention.objects.get(reference="CGPME-AGEFA")
    parties = list(convention.parties.select_related("organisation"))
    assert [p.organisation.short_name or p.organisation.name for p in parties] == [
        "Rectorat",
        "CGPME PACA",
        "AGEFA PME",
    ]
    assert parties[0].display_name == "L'Etat"
    assert convention.originals_in_words(len(parties)) == "trois"
    assert [s.name for s in Signatory.objects.filter(party__convention=convention)] == [
        "Bernard Beignier",
        "Joël Martin",
        "Bernard Capron",
    ]
    assert convention.signed_on is None


def test_seed_001_articles_come_back_in_order_numbered_from_position(demo):
    convention = Convention.objects.get(reference="CITE-METIERS")
    numbered = [(a.number, a.heading) for a in convention.numbered_articles()]
    numbers = [n for n, _ in numbered]
    assert numbers[:9] == ["1", "1.1", "1.2", "1.3", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5"]
    assert numbers[-5:] == ["2", "2.1", "2.2", "2.3", "2.4"]
    headings = dict(numbered)
    assert headings["1.3.1"].startswith("Participation au dispositif dénommé")
    assert headings["2.4"] == "Durée de la convention"
    article_24 = next(a for a in convention.numbered_articles() if a.number == "2.4")
    assert "préavis de trois mois" in article_24.body
    assert convention.requires_initials
    assert convention.duration_months == 60 and convention.notice_months == 3


def test_seed_004_is_signed_with_its_plan_of_seven_actions_under_three_axes(demo):
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    assert convention.signed_on == datetime.date(2010, 5, 17)
    assert convention.signature_place == "Aix-en-Provence"
    assert (convention.duration_months, convention.notice_months) == (36, 3)
    assert convention.provisional_months == 6
    signatories = Signatory.objects.filter(party__convention=convention)
    assert [(s.name, s.signed_on) for s in signatories] == [
        ("Jean-Paul de Gaudemar", datetime.date(2010, 5, 17)),
        ("Michel Faure", datetime.date(2010, 5, 17)),
    ]
    assert signatories[0].mandate.person.last_name == "de Gaudemar"
    plan = convention.action_plans.get()
    assert plan.school_year_label == "2010-2011"
    actions = list(plan.actions.order_by("number"))
    assert [a.number for a in actions] == [1, 2, 3, 4, 5, 6, 7]
    assert list(dict.fromkeys(a.axis for a in actions)) == [
        "Information et orientation",
        "Formation professionnelle",
        "Actions pédagogiques",
    ]
    assert actions[2].title.startswith("Participation au salon Métierama")
    contributions = actions[0].contributions.select_related("party__organisation")
    assert [c.party.organisation.short_name for c in contributions] == ["CRESS PACA", "Rectorat"]
    assert [a.kind for a in convention.annexes.order_by("position")] == [
        "contacts",
        "partnership_plan",
        "action_plan",
    ]
    assert plan.annex.position == 3
    partnership_plan = convention.annexes.get(kind="partnership_plan").tables[0]
    assert len(partnership_plan["columns"]) == 3 and len(partnership_plan["rows"]) == 5
    assert convention.contacts.count() == 5
    titles = [a.number for a in convention.numbered_articles() if a.kind == "title"]
    assert titles == ["1", "2", "3"]
    numbers = [a.number for a in convention.numbered_articles()]
    assert "2.3.1" in numbers and numbers[-1] == "3.9"


def test_seed_003_is_an_application_convention_created_by_avenant_1_of_its_parent(demo):
    application = Convention.objects.get(reference="METROPOLE-PE-DONNEES")
    parent = application.parent
    assert parent.reference == "METROPOLE-PE-2018"
    assert parent.signed_on == datetime.date(2018, 11, 6)
    assert application.kind == "application"
    amendment = parent.amendments.get()
    assert amendment.number == 1 and amendment.application == application
    assert application.signed_on is None  # the seed leaves the date blank
    numbers = [a.number for a in application.numbered_articles()]
    assert numbers == [str(n) for n in range(1, 11)] + ["10.1", "10.2"]
    roles = set(application.contacts.values_list("role", flat=True))
    assert {"governance", "operational", "it_security", "data_protection"} <= roles
    obligations = application.obligations.select_related("party__organisation")
    assert sorted((o.party.organisation.name, o.rhythm) for o in obligations) == [
        ("Métropole Aix-Marseille-Provence", "half_yearly"),
        ("Pôle emploi", "half_yearly"),
    ]
    data_list = application.annexes.get(kind="data_list")
    assert any("Marseille" in cell for row in data_list.tables[0]["rows"] for cell in row)


def test_seed_texts_are_loaded_without_loss(demo):
    """Every paragraph of a seed is somewhere in what was loaded, in order."""
    convention = Convention.objects.get(reference="ORM-DONNEES")
    text = "\n".join(a.body for a in convention.numbered_articles())
    assert "loi n°51-711 du 7 juin 1951" in text
    assert text.index("Le Recteur de l'Académie") < text.index("L'ORM déclare que")
    party = convention.parties.get(position=2)
    assert party.designation == "l'ORM"


def test_demo_users(demo):
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="gestionnaire").groups.filter(name="Gestionnaire").exists()
    assert User.objects.get(username="lecteur").groups.filter(name="Lecteur").exists()
    partner = User.objects.get(username="partenaire-cress")
    assert [o.short_name for o in partner.partner_organisations.all()] == ["CRESS PACA"]
    assert partner.check_password("demo")
    assert not partner.groups.exists()
