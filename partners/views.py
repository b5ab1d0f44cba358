"""Partner organisations, for the staff: who they are, who represents them, their conventions."""

import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.pagination import BoundedPaginator
from config.routers import replica_reads
from users.perms import manager_required, staff_required
from users.roles import is_manager

from . import history
from .accounts import OtherOrganisation, invite_contact, revoke_access
from .extensions import detail_sections, list_columns
from .forms import (
    InvitationForm,
    MandateForm,
    MergeChoiceForm,
    NewPersonForm,
    OrganisationForm,
    PersonForm,
)
from .merge import merge_plan, organisation_merge
from .models import Contact, Mandate, Organisation, Person
from .services import person_add

PAGE_SIZE = 25
SUGGESTIONS = 15


@replica_reads
@staff_required
def organisation_list(request):
    text = request.GET.get("q", "").strip()[:200]
    organisations = Organisation.objects.all()
    # The apps above add their columns (the number of conventions: `conventions.apps`).
    for column in list_columns:
        organisations = column.annotate(organisations)
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(address__icontains=text)
        )
    page = BoundedPaginator(
        organisations.order_by("-is_academy", "name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for organisation in page:
        organisation.column_values = [
            c.display(getattr(organisation, c.attribute)) for c in list_columns
        ]
    return render(
        request,
        "partners/list.html",
        {"page": page, "q": text, "columns": list_columns, "can_edit": is_manager(request.user)},
    )


@staff_required
def organisation_suggestions(request):
    """The partners whose name or acronym contains `q` (2 characters at least), as JSON, for
    the "Partenaire" filters (`partners.filters`, `static/js/suggest.js`)."""
    text = request.GET.get("q", "").strip()[:200]
    rows = []
    if len(text) >= 2:
        rows = (
            Organisation.objects.partners()
            .named(text)
            .order_by("name", "pk")
            .values("name", "short_name")[:SUGGESTIONS]
        )
    return JsonResponse({"results": list(rows)})


@staff_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    return _detail(request, organisation, InvitationForm())


def _detail(request, organisation, invitation_form):
    people = (
        Person.objects.filter(
            Exists(Mandate.objects.filter(person=OuterRef("pk"), organisation=organisation))
            | Exists(Contact.objects.filter(person=OuterRef("pk"), organisation=organisation))
        )
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.filter(organisation=organisation).order_by(
                    "-start_date", "pk"
                ),
                to_attr="mandates_here",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    can_edit = is_manager(request.user)
    context = {
        "organisation": organisation,
        "people": people,
        # The accounts of the partner portal (none for the académie itself).
        "members": organisation.members.order_by("last_name", "first_name", "pk"),
        "can_edit": can_edit,
        "can_manage_access": not organisation.is_academy and can_edit,
        "invitation_form": invitation_form,
    }
    # The apps above add their sections (the organisation's conventions: `conventions.apps`).
    for section in detail_sections:
        context.update(section.context(request, organisation))
    context["sections"] = detail_sections
    return render(request, "partners/detail.html", context)


@manager_required
@require_POST
def member_invite(request, pk):
    """Invite a partner contact to the portal: creates the account (or adds a known one) and
    mails a link, valid 7 days, to choose a password."""
    organisation = get_object_or_404(Organisation.objects.partners(), pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            user, created = invite_contact(organisation=organisation, **form.cleaned_data)
        except OtherOrganisation as other:
            return render(
                request,
                "partners/invite_confirm.html",
                {"organisation": organisation, "form": form, "user": other.user,
                 "others": other.others},
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"Invitation envoyée à {user.email} : le lien pour choisir un mot de passe est "
                "valable 7 jours."
                if created
                else f"{user.email} a désormais accès au portail pour l'organisation "
                f"« {organisation.name} » ; un nouveau lien pour choisir un mot de passe lui a "
                "été envoyé.",
            )
            return redirect("partners:detail", pk=organisation.pk)
    return _detail(request, organisation, form)


@manager_required
@require_POST
def member_revoke(request, pk, user_pk):
    organisation = get_object_or_404(Organisation.objects.partners(), pk=pk)
    user = get_object_or_404(get_user_model(), pk=user_pk, partner_organisations=organisation)
    deactivated = revoke_access(organisation=organisation, user=user)
    messages.success(
        request,
        f"Accès de {user} révoqué"
        + (" : son compte est désactivé." if deactivated else " pour cette organisation."),
    )
    return redirect("partners:detail", pk=organisation.pk)


# Writing: organisations, people, mandates ----------------------------------------------------


def _form_page(request, *, form, title, submit, cancel_url, organisation=None, intro=""):
    return render(
        request,
        "partners/form.html",
        {
            "organisation": organisation,
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
        },
    )


def _detail_href(organisation, anchor=""):
    return reverse("partners:detail", args=[organisation.pk]) + anchor


@manager_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"L'organisation « {organisation.name} » est créée.")
        return redirect("partners:detail", pk=organisation.pk)
    return _form_page(
        request,
        form=form,
        title="Nouvel organisme",
        submit="Créer l'organisme",
        cancel_url=reverse("partners:list"),
    )


@manager_required
@require_POST
def organisation_create_inline(request):
    """The same creation, from another form (the new convention's), which stays on its page
    with what was typed: JSON, the new organisation's id and label, or the French errors."""
    if "application/json" not in request.headers.get("Accept", ""):
        return organisation_create(request)  # without JavaScript: the organisation's page
    form = OrganisationForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    organisation = form.save()
    label = organisation.name + (f" ({organisation.short_name})" if organisation.short_name else "")
    return JsonResponse({"pk": organisation.pk, "label": label}, status=201)


@manager_required
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    stored = copy.copy(organisation)  # the breadcrumb's name, not the one typed and refused
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'organisation est enregistrée.")
        return redirect("partners:detail", pk=organisation.pk)
    return _form_page(
        request,
        form=form,
        organisation=stored,
        title="Modifier l'organisation",
        submit="Enregistrer",
        cancel_url=_detail_href(organisation),
    )


@staff_required
def organisation_history(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    page = Paginator(history.rows(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/history.html",
        {
            "organisation": organisation,
            "page": page,
            "entries": history.entries(list(page), organisation),
        },
    )


def _person_of(organisation, pk):
    """A person who holds a mandate, or is a correspondent, at the organisation (404 else)."""
    return get_object_or_404(
        Person.objects.filter(
            Exists(Mandate.objects.filter(person=OuterRef("pk"), organisation=organisation))
            | Exists(Contact.objects.filter(person=OuterRef("pk"), organisation=organisation))
        ),
        pk=pk,
    )


@manager_required
def person_add_view(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mandate = person_add(
            organisation=organisation,
            person=form.save(commit=False),
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
        messages.success(request, f"{mandate.person.full_name} est ajouté(e) : {mandate.title}.")
        return redirect(_detail_href(organisation, "#personnes"))
    return _form_page(
        request,
        form=form,
        organisation=organisation,
        title="Ajouter une personne",
        submit="Ajouter",
        cancel_url=_detail_href(organisation, "#personnes"),
        intro=f"Une personne et la fonction qu'elle exerce à {organisation.display_name}. "
        "Pour une personne déjà enregistrée ailleurs, ajoutez plutôt un mandat.",
    )


@manager_required
def person_edit(request, pk, person_pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    person = _person_of(organisation, person_pk)
    title = f"Modifier {person.full_name}"  # as stored, not as typed
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La personne est enregistrée.")
        return redirect(_detail_href(organisation, "#personnes"))
    return _form_page(
        request,
        form=form,
        organisation=organisation,
        title=title,
        submit="Enregistrer",
        cancel_url=_detail_href(organisation, "#personnes"),
        intro="Ses nom et coordonnées valent pour tous ses mandats ; les conventions signées "
        "gardent le nom avec lequel elle a signé.",
    )


@manager_required
def mandate_add(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = MandateForm(request.POST or None, initial={"organisation": organisation})
    if request.method == "POST" and form.is_valid():
        mandate = form.save()
        messages.success(request, f"Le mandat de {mandate.person.full_name} est ajouté.")
        return redirect(_detail_href(mandate.organisation, "#personnes"))
    return _form_page(
        request,
        form=form,
        organisation=organisation,
        title="Ajouter un mandat",
        submit="Ajouter",
        cancel_url=_detail_href(organisation, "#personnes"),
        intro="Une fonction exercée par une personne déjà enregistrée.",
    )


@manager_required
def mandate_edit(request, pk, mandate_pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    mandate = get_object_or_404(Mandate, pk=mandate_pk, organisation=organisation)
    form = MandateForm(request.POST or None, instance=mandate)
    if request.method == "POST" and form.is_valid():
        mandate = form.save()
        messages.success(request, "Le mandat est enregistré.")
        return redirect(_detail_href(mandate.organisation, "#personnes"))
    return _form_page(
        request,
        form=form,
        organisation=organisation,
        title="Modifier le mandat",
        submit="Enregistrer",
        cancel_url=_detail_href(organisation, "#personnes"),
        intro="Les conventions signées gardent le nom et la fonction de leurs signataires.",
    )


# Merging a duplicate ---------------------------------------------------------------------------


@manager_required
def merge_choose(request, pk):
    """Choose the duplicate to merge into this organisation; the confirmation page follows."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = MergeChoiceForm(request.GET or None, organisation=organisation)
    if form.is_bound and form.is_valid():
        return redirect("partners:merge", pk=pk, duplicate_pk=form.cleaned_data["duplicate"].pk)
    return render(
        request, "partners/merge_choose.html", {"organisation": organisation, "form": form}
    )


CHANGED_MEANWHILE = (
    "La fusion n'a pas pu se faire : des données ont changé entre-temps. Vérifiez ce qui est "
    "repris ci-dessous puis confirmez à nouveau."
)


@manager_required
def merge_confirm(request, pk, duplicate_pk):
    """What the merge moves (counts), then the merge itself (POST)."""
    kept = get_object_or_404(Organisation, pk=pk)
    duplicate = get_object_or_404(Organisation, pk=duplicate_pk)
    refusals = []
    if request.method == "POST":
        name = duplicate.name
        try:
            done = organisation_merge(kept=kept, duplicate=duplicate, by=request.user)
        except ValidationError as error:
            refusals = error.messages
        except IntegrityError:
            # A row written meanwhile that the database refuses to move: nothing moved.
            refusals = [CHANGED_MEANWHILE]
        else:
            messages.success(
                request, f"« {name} » est fusionnée dans cette organisation : {done.summary}."
            )
            return redirect("partners:detail", pk=kept.pk)
    plan = merge_plan(kept=kept, duplicate=duplicate)
    return render(
        request,
        "partners/merge_confirm.html",
        {"plan": plan, "refusals": refusals or plan.refusals},
    )
