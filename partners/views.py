"""Partner organisations, for the staff: who they are, who represents them, their conventions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from users.perms import manager_required, staff_required
from users.roles import is_manager

from .accounts import invite_contact, revoke_access
from .extensions import detail_sections, list_columns
from .forms import InvitationForm
from .models import Contact, Mandate, Organisation, Person

PAGE_SIZE = 25
SUGGESTIONS = 15


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
    page = Paginator(organisations.order_by("-is_academy", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for organisation in page:
        organisation.column_values = [getattr(organisation, c.attribute) for c in list_columns]
    return render(request, "partners/list.html", {"page": page, "q": text, "columns": list_columns})


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
    context = {
        "organisation": organisation,
        "people": people,
        # The accounts of the partner portal (none for the académie itself).
        "members": organisation.members.order_by("last_name", "first_name", "pk"),
        "can_manage_access": not organisation.is_academy and is_manager(request.user),
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
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"Invitation envoyée à {user.email} : le lien pour choisir un mot de passe est "
                "valable 7 jours."
                if created
                else f"{user.email} a accès au portail de {organisation.display_name} ; un "
                "nouveau lien pour choisir un mot de passe lui a été envoyé.",
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
