"""Terms fixed by the calendar, school years, prolongations by avenant, unknown terms
(DOMAIN.md, "Ends fixed by the calendar, school years, prolongations, unknowns")."""

import datetime
from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conventions.enums import ConventionStatus as S
from conventions.models import Amendment, Convention
from echeancier.enums import DeadlineKind
from echeancier.models import Deadline
from echeancier.refresh import refresh_schedule
from echeancier.schedule import DurationChange, ScheduleInput, compute_schedule
from tests.factories import ConventionFactory

TODAY = date(2026, 12, 1)


def last_day(data, on):
    return compute_schedule(data, on=on).ends_on


def kinds(schedule, kind):
    return [d for d in schedule.deadlines if d.kind == kind]


# --- The examples of the issue, on the pure schedule -------------------------------------


def test_36_months_from_7_july_2020_then_prolonged_by_avenant_to_31_december_2023():
    data = ScheduleInput(signed_on=date(2020, 7, 7), duration_months=36, notice_months=3)
    assert last_day(data, TODAY) == date(2023, 7, 6)

    prolongation = DurationChange(
        signed_on=date(2023, 5, 2), new_last_day=date(2023, 12, 31), number=1
    )
    prolonged = replace(data, amendments=(prolongation,))
    # Before the avenant is signed, the term is the one the convention gives.
    assert last_day(prolonged, date(2023, 5, 1)) == date(2023, 7, 6)
    schedule = compute_schedule(prolonged, on=date(2023, 5, 2))
    assert schedule.ends_on == date(2023, 12, 31)
    assert schedule.current_term_end == date(2023, 12, 31)
    assert schedule.notice_deadline == date(2023, 10, 1)  # 3 months before 1 January
    assert compute_schedule(prolonged, on=date(2023, 8, 1)).status == S.IN_FORCE
    assert compute_schedule(prolonged, on=date(2024, 1, 1)).status == S.EXPIRED


def test_school_years_2016_2017_to_2018_2019_end_on_31_august_2019():
    effective = ScheduleInput(
        signed_on=date(2016, 6, 20), effective_date=date(2016, 9, 1), school_years=3
    )
    assert last_day(effective, TODAY) == date(2019, 8, 31)
    signed_in_october = ScheduleInput(signed_on=date(2016, 10, 15), school_years=3)
    assert last_day(signed_in_october, TODAY) == date(2019, 8, 31)
    # Signed in the spring, the school year under way counts as the first.
    assert last_day(ScheduleInput(signed_on=date(2017, 3, 1), school_years=1), TODAY) == date(
        2017, 8, 31
    )


def test_four_years_renewed_tacitly_each_year_is_12_months_renewed_at_most_3_times():
    data = ScheduleInput(
        signed_on=date(2007, 2, 22), duration_months=12, tacit_renewal=True, max_renewals=3
    )
    schedule = compute_schedule(data, on=TODAY)
    assert schedule.ends_on == date(2011, 2, 21)
    assert [p.last for p in schedule.periods] == [
        date(2008, 2, 21),
        date(2009, 2, 21),
        date(2010, 2, 21),
        date(2011, 2, 21),
    ]
    assert schedule.status == S.EXPIRED


def test_a_fixed_last_day_is_the_term_and_its_notice_counts_back_from_it():
    data = ScheduleInput(
        signed_on=date(2022, 11, 3), fixed_last_day=date(2025, 8, 31), notice_months=3
    )
    schedule = compute_schedule(data, on=date(2024, 1, 1))
    assert schedule.ends_on == date(2025, 8, 31)
    assert schedule.notice_deadline == date(2025, 6, 1)
    notices = kinds(schedule, DeadlineKind.NOTICE)
    assert [n.due_on for n in notices] == [date(2025, 6, 1)]
    assert [t.due_on for t in kinds(schedule, DeadlineKind.TERM_END)] == [date(2025, 8, 31)]


def test_a_fixed_last_day_renewed_tacitly_renews_by_the_months_the_text_gives():
    data = ScheduleInput(
        signed_on=date(2022, 11, 3),
        fixed_last_day=date(2023, 8, 31),
        tacit_renewal=True,
        renewal_months=12,
        max_renewals=1,
    )
    schedule = compute_schedule(data, on=date(2024, 1, 1))
    assert [(p.first, p.last) for p in schedule.periods] == [
        (date(2022, 11, 3), date(2023, 8, 31)),
        (date(2023, 9, 1), date(2024, 8, 31)),
    ]
    assert schedule.ends_on == date(2024, 8, 31)


def test_a_new_duration_counts_from_the_start_of_the_term_in_force_and_renewals_follow():
    data = ScheduleInput(
        signed_on=date(2015, 1, 1), duration_months=12, tacit_renewal=True, max_renewals=2
    )
    # Signed during the first renewal (2016): 24 months from 1 January 2016.
    change = DurationChange(signed_on=date(2016, 3, 1), new_duration_months=24, number=1)
    schedule = compute_schedule(replace(data, amendments=(change,)), on=date(2016, 3, 1))
    assert [(p.first, p.last) for p in schedule.periods] == [
        (date(2015, 1, 1), date(2015, 12, 31)),
        (date(2016, 1, 1), date(2017, 12, 31)),
        (date(2018, 1, 1), date(2019, 12, 31)),
    ]


def test_an_unknown_term_is_to_complete_and_nothing_is_guessed():
    data = ScheduleInput(
        signed_on=date(2004, 3, 12),
        term_unknown=True,
        notice_months=3,
        yearly_steering_meeting=True,
    )
    schedule = compute_schedule(data, on=TODAY)
    assert schedule.status == S.INCOMPLETE
    assert schedule.ends_on is None and schedule.current_term_end is None
    assert schedule.notice_deadline is None
    assert kinds(schedule, DeadlineKind.NOTICE) == kinds(schedule, DeadlineKind.TERM_END) == []
    # Its yearly meetings do not depend on the term: they still fall due.
    assert kinds(schedule, DeadlineKind.MEETING)


def test_an_unknown_term_still_ends_by_termination():
    from echeancier.schedule import TerminationEvent

    data = ScheduleInput(
        signed_on=date(2004, 3, 12),
        term_unknown=True,
        terminations=(TerminationEvent("mutual", agreed_last_day=date(2020, 6, 30)),),
    )
    assert compute_schedule(data, on=date(2020, 1, 1)).status == S.TERMINATING
    assert compute_schedule(data, on=TODAY).status == S.TERMINATED


# --- Stored: the models, the database rules, the refresh --------------------------------


@pytest.mark.django_db
def test_stored_conventions_follow_the_calendar_rules():
    school = ConventionFactory(
        duration_months=None, school_years=3, effective_date=date(2016, 9, 1), notice_months=2
    )
    school.signed_on = date(2016, 6, 20)
    school.save()
    refresh_schedule(school, today=TODAY)
    school.refresh_from_db()
    assert school.ends_on == date(2019, 8, 31)
    assert school.status == S.EXPIRED

    prolonged = ConventionFactory(duration_months=36, notice_months=3)
    prolonged.signed_on = date(2020, 7, 7)
    prolonged.save()
    Amendment.objects.create(
        convention=prolonged,
        number=1,
        title="Prolongation",
        signed_on=date(2023, 5, 2),
        new_last_day=date(2023, 12, 31),
    )
    refresh_schedule(prolonged, today=date(2023, 6, 1))
    prolonged.refresh_from_db()
    assert prolonged.ends_on == date(2023, 12, 31)
    assert prolonged.notice_deadline == date(2023, 10, 1)
    assert Deadline.objects.filter(
        convention=prolonged, kind=DeadlineKind.TERM_END, due_on=date(2023, 12, 31)
    ).exists()


@pytest.mark.django_db
def test_the_database_refuses_two_ways_of_giving_the_term():
    convention = ConventionFactory(duration_months=36)
    convention.fixed_last_day = date(2025, 8, 31)
    with pytest.raises(ValidationError) as error:
        convention.full_clean()
    assert "Indiquez la durée d'une seule façon" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(fixed_last_day=date(2025, 8, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(
            duration_months=None, term_unknown=True, school_years=2
        )


@pytest.mark.django_db
def test_a_signed_convention_with_an_unknown_term_is_completed_once_its_term_is_found():
    convention = ConventionFactory(duration_months=None, term_unknown=True, notice_months=3)
    convention.signed_on = date(2004, 3, 12)
    convention.save()
    refresh_schedule(convention, today=TODAY)
    convention.refresh_from_db()
    assert convention.status == S.INCOMPLETE

    # The signed text stays frozen, but its term may be completed, once.
    Convention.objects.filter(pk=convention.pk).update(term_unknown=False, duration_months=60)
    convention.refresh_from_db()
    refresh_schedule(convention, today=TODAY)
    convention.refresh_from_db()
    assert convention.status == S.EXPIRED
    assert convention.ends_on == date(2009, 3, 11)
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(duration_months=36)
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(title="Un autre titre")


@pytest.mark.django_db
def test_the_convention_page_says_what_is_missing(manager_client):
    convention = ConventionFactory(duration_months=None, term_unknown=True)
    convention.signed_on = datetime.date(2004, 3, 12)
    convention.save()
    refresh_schedule(convention, today=TODAY)
    page = manager_client.get(reverse("conventions:detail", args=[convention.reference]))
    text = page.content.decode()
    assert "À compléter" in text
    assert "Le texte connu ne donne pas : la durée ou le terme de la convention" in text


@pytest.fixture
def to_complete():
    convention = ConventionFactory(duration_months=None, term_unknown=True, notice_months=3)
    convention.signed_on = datetime.date(2004, 3, 12)
    convention.save()
    refresh_schedule(convention, today=TODAY)
    return convention


@pytest.mark.django_db
def test_a_gestionnaire_completes_the_term_in_the_staff_pages(manager_client, to_complete):
    url = reverse("conventions:complete", args=[to_complete.reference])
    page = manager_client.get(reverse("conventions:detail", args=[to_complete.reference]))
    assert url in page.content.decode()

    both = manager_client.post(url, {"duration_months": "36", "school_years": "2"})
    assert both.status_code == 200
    text = both.content.decode()
    assert "Indiquez la durée d&#x27;une seule façon" in text
    assert 'value="36"' in text  # what was typed is kept
    assert manager_client.post(url, {}).status_code == 200  # nothing given: said, not saved

    done = manager_client.post(url, {"fixed_last_day": "2009-03-11"})
    assert done.status_code == 302
    to_complete.refresh_from_db()
    assert (to_complete.term_unknown, to_complete.fixed_last_day) == (False, date(2009, 3, 11))
    assert to_complete.status == S.EXPIRED
    # Completed once: the page is no longer offered.
    assert manager_client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_reader_cannot_complete_a_term(reader_client, to_complete):
    url = reverse("conventions:complete", args=[to_complete.reference])
    assert reader_client.post(url, {"duration_months": "36"}).status_code == 403
    to_complete.refresh_from_db()
    assert to_complete.term_unknown


@pytest.mark.django_db
def test_an_avenant_of_prolongation_is_written_in_the_staff_pages(manager_client):
    convention = ConventionFactory(duration_months=36, notice_months=3)
    convention.signed_on = date(2020, 7, 7)
    convention.save()
    refresh_schedule(convention, today=date(2023, 5, 1))
    url = reverse("conventions:amendment_create", args=[convention.reference])
    both = manager_client.post(
        url, {"title": "Prolongation", "new_duration_months": "40", "new_last_day": "2023-12-31"}
    )
    assert "pas les deux" in both.content.decode()
    before = manager_client.post(url, {"title": "Prolongation", "new_last_day": "2019-12-31"})
    assert "Le nouveau dernier jour doit suivre le 7 juillet 2020" in before.content.decode()
    # Recorded now, in 2026, for a convention then in force: dated within its life.
    created = manager_client.post(
        url,
        {"title": "Prolongation", "new_last_day": "2023-12-31", "effective_date": "2023-05-01"},
    )
    assert created.status_code == 302
    assert convention.amendments.get().new_last_day == date(2023, 12, 31)


@pytest.mark.django_db
def test_the_echeancier_lists_the_conventions_to_complete(manager_client, gestionnaire):
    mine = []
    for n in range(7):
        convention = ConventionFactory(
            duration_months=None, term_unknown=True, referent=gestionnaire if n < 2 else None
        )
        convention.signed_on = date(2004, 3, 12)
        convention.save()
        refresh_schedule(convention, today=TODAY)
        mine += [convention] if n < 2 else []
    in_force = ConventionFactory(duration_months=36)
    in_force.signed_on = date(2025, 1, 1)
    in_force.save()
    refresh_schedule(in_force, today=TODAY)

    page = manager_client.get(reverse("echeancier:index"))
    section = page.content.decode().split('data-testid="to-complete"')[1].split("</section>")[0]
    assert "À compléter" in section and ">7<" in section
    assert section.count("<li>") == 5  # a preview, then the filtered list
    assert "?status=incomplete" in section and in_force.reference not in section
    listed = manager_client.get(reverse("conventions:list"), {"status": "incomplete"})
    assert listed.context["page"].paginator.count == 7

    # « Mes échéances »: the référent's own.
    own = manager_client.get(reverse("echeancier:index"), {"referent": "moi"}).content.decode()
    section = own.split('data-testid="to-complete"')[1].split("</section>")[0]
    assert ">2<" in section and section.count("<li>") == 2
    assert all(c.reference in section for c in mine)


# --- The date of signature unknown ------------------------------------------------------


def test_a_signature_date_unknown_is_to_complete():
    data = ScheduleInput(signature_unknown=True, duration_months=60, notice_months=3)
    schedule = compute_schedule(data, on=TODAY)
    assert schedule.status == S.INCOMPLETE
    assert schedule.ends_on is None and schedule.deadlines == ()
    # With its effective date known, the term is computed from it; the fact stays missing.
    dated = replace(data, effective_date=date(2004, 9, 1))
    assert compute_schedule(dated, on=date(2005, 1, 1)).status == S.INCOMPLETE
    assert compute_schedule(dated, on=date(2005, 1, 1)).current_term_end == date(2009, 8, 31)
    assert compute_schedule(dated, on=TODAY).status == S.EXPIRED


@pytest.fixture
def signed_on_unknown_date():
    convention = ConventionFactory(duration_months=60, notice_months=3)
    Convention.objects.filter(pk=convention.pk).update(signed_on_unknown=True)
    convention.refresh_from_db()
    refresh_schedule(convention, today=TODAY)
    convention.refresh_from_db()
    return convention


@pytest.mark.django_db
def test_a_convention_signed_on_an_unknown_date_is_signed_frozen_and_completed_once(
    manager_client, signed_on_unknown_date
):
    convention = signed_on_unknown_date
    assert convention.is_signed and convention.status == S.INCOMPLETE
    assert convention.missing_facts == ["La date de signature"]
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(title="Un autre titre")
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(signed_on=date(2004, 3, 12))

    page = manager_client.get(convention.get_absolute_url()).content.decode()
    assert "Le texte connu ne donne pas : la date de signature" in page
    url = reverse("conventions:complete", args=[convention.reference])
    future = manager_client.post(url, {"signed_on": "2099-01-01"})
    assert "ne peut pas être dans le futur" in future.content.decode()
    assert manager_client.post(url, {"signed_on": "2004-03-12"}).status_code == 302
    convention.refresh_from_db()
    assert (convention.signed_on, convention.signed_on_unknown) == (date(2004, 3, 12), False)
    assert convention.status == S.EXPIRED
    assert convention.ends_on == date(2009, 3, 11)
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(signed_on=date(2004, 3, 13))


@pytest.mark.django_db
def test_a_partner_sees_a_convention_signed_on_an_unknown_date(signed_on_unknown_date):
    from conventions.models import Party
    from tests.factories import UserFactory

    user = UserFactory()
    partner = Party.objects.filter(convention=signed_on_unknown_date).last().organisation
    partner.members.add(user)
    assert list(Convention.objects.visible_to(user)) == [signed_on_unknown_date]


def test_two_avenants_on_one_term_both_apply_in_order():
    data = ScheduleInput(signed_on=date(2020, 7, 7), effective_date=date(2020, 9, 1),
                         duration_months=36)  # fmt: skip
    early = DurationChange(signed_on=date(2020, 7, 20), new_duration_months=24, number=1,
                           effective_on=date(2020, 8, 1))  # fmt: skip
    later = DurationChange(signed_on=date(2022, 3, 1), new_last_day=date(2023, 6, 30), number=2)
    schedule = compute_schedule(replace(data, amendments=(early, later)), on=date(2022, 3, 1))
    assert schedule.ends_on == date(2023, 6, 30)
    only_early = compute_schedule(replace(data, amendments=(early,)), on=date(2021, 1, 1))
    assert only_early.ends_on == date(2022, 8, 31)


@pytest.mark.django_db
def test_a_paper_convention_is_recorded_as_signed_on_an_unknown_date(manager_client):
    draft = ConventionFactory(duration_months=36)
    url = reverse("conventions:sign_unknown_date", args=[draft.reference])
    assert url in manager_client.get(draft.get_absolute_url()).content.decode()
    assert "Confirmer" in manager_client.get(url).content.decode()
    assert manager_client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.is_signed and draft.signed_on is None and draft.signed_on_unknown
    assert draft.status == S.INCOMPLETE
    assert draft.parties.filter(signed_organisation_name__isnull=True).count() == 0
    # Signed: the page no longer offers it, the text is frozen.
    assert manager_client.get(url).status_code == 403
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        Convention.objects.filter(pk=draft.pk).update(title="Autre")


@pytest.mark.django_db
def test_a_reader_cannot_record_a_signature_date_unknown(reader_client):
    draft = ConventionFactory()
    url = reverse("conventions:sign_unknown_date", args=[draft.reference])
    assert reader_client.post(url).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_signed
