"""Writing the yearly cycle ("Gestionnaire" only): plans and actions, steering meetings and
their reviews, obligations and deliveries. Views parse the request, call a service from
`actions.services`, and show its refusals on the form (what was typed is kept).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conventions.views.edit import apply_errors
from users.perms import manager_required

from . import reading, rights, services
from .forms import (
    ActionForm,
    ActionResultsForm,
    CarryOverForm,
    FulfilmentForm,
    MeetingForm,
    ObligationForm,
    PlanForm,
    ReviewForm,
)
from .models import Action, ObligationFulfilment, SteeringMeeting, school_year_of
from .views import convention_or_404, plan_or_404


def _convention(request, reference, check):
    convention = convention_or_404(reference)
    if not check(convention, request.user):
        raise PermissionDenied
    return convention


def _page(request, *, convention, form, title, submit, cancel_url, intro="", **extra):
    return render(
        request,
        "actions/form.html",
        {
            "convention": convention,
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            "axes": extra.pop("axes", []),
            "multipart": extra.pop("multipart", False),
            "delete_url": extra.pop("delete_url", ""),
            **extra,
        },
    )


def _confirm(request, *, convention, title, question, cancel_url):
    return render(
        request,
        "actions/confirm_delete.html",
        {"convention": convention, "title": title, "question": question, "cancel_url": cancel_url},
    )


def partnership_url(convention, anchor=""):
    return reverse("actions:partnership", args=[convention.reference]) + anchor


def plan_url(plan):
    return reverse("actions:plan", args=[plan.convention.reference, plan.school_year])


# Plans -------------------------------------------------------------------------------------


@manager_required
def plan_create(request, reference):
    convention = _convention(request, reference, rights.can_manage_plans)
    today = timezone.localdate()
    form = PlanForm(
        request.POST or None, convention=convention, initial={"school_year": school_year_of(today)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(plan=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Le plan {plan.school_year_label} est créé.")
            return redirect(plan_url(plan))
    return _page(
        request,
        convention=convention,
        form=form,
        title="Nouveau plan d'action",
        intro="Un plan par année scolaire ; vous y ajouterez ensuite les actions, par axe.",
        submit="Créer le plan",
        cancel_url=partnership_url(convention),
    )


@manager_required
def plan_edit(request, reference, year):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    form = PlanForm(request.POST or None, instance=plan, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(plan=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le plan est enregistré.")
            return redirect(plan_url(plan))
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier le plan {plan.school_year_label}",
        submit="Enregistrer",
        cancel_url=plan_url(plan),
    )


@manager_required
def plan_delete(request, reference, year):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    if request.method == "POST":
        services.plan_delete(plan=plan)
        messages.success(request, f"Le plan {plan.school_year_label} est supprimé.")
        return redirect(partnership_url(convention, "#plans"))
    return _confirm(
        request,
        convention=convention,
        title=f"Supprimer le plan {plan.school_year_label}",
        question="Supprimer ce plan et toutes ses actions, avec leurs résultats et bilans ?",
        cancel_url=plan_url(plan),
    )


@manager_required
def plan_carry_over(request, reference, year):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    form = CarryOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_carry_over(plan=plan, title=form.cleaned_data["title"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            count = new.actions.count()
            messages.success(
                request,
                f"Le plan {new.school_year_label} est créé : {count} action"
                f"{'s' if count > 1 else ''} non réalisée{'s' if count > 1 else ''} reprise"
                f"{'s' if count > 1 else ''}.",
            )
            return redirect(plan_url(new))
    open_count = plan.actions.filter(status__in=["planned", "in_progress"]).count()
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Préparer le plan {year + 1}-{year + 2}",
        intro=f"Le nouveau plan reprend les {open_count} action(s) du plan "
        f"{plan.school_year_label} qui ne sont ni réalisées ni abandonnées, avec les "
        "engagements des parties et les publics ; leurs résultats repartent de zéro.",
        submit="Créer le plan de l'année suivante",
        cancel_url=plan_url(plan),
    )


# Actions -----------------------------------------------------------------------------------


def _action(plan, number) -> Action:
    return get_object_or_404(
        plan.actions.prefetch_related("audiences", "contributions"), number=number
    )


@manager_required
def action_add(request, reference, year):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    plan.convention = convention
    if plan.text_is_frozen:
        raise PermissionDenied("Ce plan est annexé à la convention signée.")
    parties = reading.parties_of(convention)
    form = ActionForm(request.POST or None, plan=plan, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_save(
                action=form.save(commit=False),
                audiences=data["audiences"],
                contributions=form.contributions(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"L'action n°{action.number} est ajoutée.")
            return redirect(plan_url(plan) + f"#action-{action.number}")
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Plan {plan.school_year_label} : nouvelle action",
        submit="Ajouter l'action",
        cancel_url=plan_url(plan),
        axes=_axes(convention),
    )


def _axes(convention):
    return list(
        Action.objects.filter(plan__convention=convention)
        .order_by("axis")
        .values_list("axis", flat=True)
        .distinct()
    )


@manager_required
def action_edit(request, reference, year, number):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    plan.convention = convention
    action = _action(plan, number)
    if plan.text_is_frozen:
        # The wording is part of the signed convention: only what became of it changes.
        form = ActionResultsForm(request.POST or None, instance=action)
        if request.method == "POST" and form.is_valid():
            services.action_results_save(action=action, **form.cleaned_data)
            messages.success(request, "Les résultats de l'action sont enregistrés.")
            return redirect(plan_url(plan) + f"#action-{action.number}")
        return _page(
            request,
            convention=convention,
            form=form,
            title=f"Action n°{number} : état et résultats",
            intro="Le plan est annexé à la convention signée : son texte ne change plus, "
            "seuls l'état de l'action, ses publics et ses résultats s'enregistrent.",
            submit="Enregistrer",
            cancel_url=plan_url(plan),
        )
    parties = reading.parties_of(convention)
    form = ActionForm(request.POST or None, instance=action, plan=plan, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_save(
                action=form.save(commit=False),
                audiences=form.cleaned_data["audiences"],
                contributions=form.contributions(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"L'action n°{action.number} est enregistrée.")
            return redirect(plan_url(plan) + f"#action-{action.number}")
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Plan {plan.school_year_label} : action n°{number}",
        submit="Enregistrer",
        cancel_url=plan_url(plan),
        axes=_axes(convention),
    )


@manager_required
def action_delete(request, reference, year, number):
    convention = _convention(request, reference, rights.can_manage_plans)
    plan = plan_or_404(convention, year)
    plan.convention = convention
    if plan.text_is_frozen:
        raise PermissionDenied("Ce plan est annexé à la convention signée.")
    action = _action(plan, number)
    if request.method == "POST":
        services.action_delete(action=action)
        messages.success(request, f"L'action n°{number} est supprimée.")
        return redirect(plan_url(plan))
    return _confirm(
        request,
        convention=convention,
        title=f"Supprimer l'action n°{number}",
        question=f"Supprimer « {action.title[:120]} » et ses résultats ?",
        cancel_url=plan_url(plan),
    )


# Steering meetings -------------------------------------------------------------------------


def meeting_url(meeting):
    return reverse("actions:meeting", args=[meeting.convention.reference, meeting.pk])


def _meeting_form(request, convention, meeting=None):
    parties = reading.parties_of(convention)
    plans = convention.action_plans.order_by("-school_year")
    initial = {}
    if meeting is None:
        today = timezone.localdate()
        year = school_year_of(today)
        # The past year's plan to review, next year's to adopt, when they exist.
        by_year = {p.school_year: p for p in plans}
        initial = {
            "held_on": today,
            "reviewed_plan": by_year.get(year) or by_year.get(year - 1),
            "adopted_plan": by_year.get(year + 1),
        }
    return MeetingForm(
        request.POST or None,
        instance=meeting,
        convention=convention,
        parties=parties,
        plans=plans,
        initial=initial,
    )


@manager_required
def meeting_create(request, reference):
    convention = _convention(request, reference, rights.can_record_meetings)
    form = _meeting_form(request, convention)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.save(commit=False), attendees=form.attendees()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Le comité de pilotage est enregistré ; l'échéancier en tient compte. "
                "Faites maintenant le bilan de chaque action.",
            )
            return redirect(meeting_url(meeting))
    return _page(
        request,
        convention=convention,
        form=form,
        title="Enregistrer un comité de pilotage",
        intro="Le comité annuel fait le bilan des actions de l'année écoulée et adopte le "
        "plan de l'année à venir.",
        submit="Enregistrer le comité",
        cancel_url=partnership_url(convention, "#comites"),
    )


def _meeting(convention, pk) -> SteeringMeeting:
    return get_object_or_404(
        SteeringMeeting.objects.select_related("reviewed_plan").prefetch_related("attendances"),
        convention=convention,
        pk=pk,
    )


@manager_required
def meeting_edit(request, reference, pk):
    convention = _convention(request, reference, rights.can_record_meetings)
    meeting = _meeting(convention, pk)
    form = _meeting_form(request, convention, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.save(commit=False), attendees=form.attendees()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le comité de pilotage est enregistré.")
            return redirect(meeting_url(meeting))
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier le comité du {meeting.held_on:%d/%m/%Y}",
        submit="Enregistrer",
        cancel_url=meeting_url(meeting),
    )


@manager_required
def meeting_delete(request, reference, pk):
    convention = _convention(request, reference, rights.can_record_meetings)
    meeting = _meeting(convention, pk)
    if request.method == "POST":
        services.meeting_delete(meeting=meeting)
        messages.success(request, "Le comité de pilotage est supprimé.")
        return redirect(partnership_url(convention, "#comites"))
    return _confirm(
        request,
        convention=convention,
        title="Supprimer le comité de pilotage",
        question="Supprimer ce comité, ses participants et ses bilans d'actions ? "
        "L'échéancier le comptera de nouveau comme à tenir.",
        cancel_url=meeting_url(meeting),
    )


@manager_required
def action_review(request, reference, pk, action_pk):
    convention = _convention(request, reference, rights.can_record_meetings)
    meeting = _meeting(convention, pk)
    action = get_object_or_404(
        Action.objects.select_related("plan"), pk=action_pk, plan__convention=convention
    )
    review = meeting.reviews.filter(action=action).first()
    initial = {
        "status": review.status if review else action.status,
        "pupils_reached": review.pupils_reached if review else action.pupils_reached,
        "events_held": review.events_held if review else action.events_held,
        "assessment": review.assessment if review else "",
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_review_save(meeting=meeting, action=action, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Le bilan de l'action n°{action.number} est enregistré.")
            return redirect(meeting_url(meeting) + f"#action-{action.pk}")
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Bilan de l'action n°{action.number}",
        intro=action.title,
        submit="Enregistrer le bilan",
        cancel_url=meeting_url(meeting),
    )


# Obligations -------------------------------------------------------------------------------


def obligation_url(obligation):
    return reverse("actions:obligation", args=[obligation.convention.reference, obligation.pk])


@manager_required
def obligation_create(request, reference):
    return _obligation_form(request, reference, None)


@manager_required
def obligation_edit(request, reference, pk):
    return _obligation_form(request, reference, pk)


def _obligation_form(request, reference, pk):
    convention = _convention(request, reference, rights.can_manage_obligations)
    obligation = (
        get_object_or_404(convention.obligations.prefetch_related("fixed_dates"), pk=pk)
        if pk
        else None
    )
    form = ObligationForm(request.POST or None, instance=obligation, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.obligation_save(
                obligation=form.save(commit=False), fixed_dates=form.cleaned_data["fixed_dates"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "L'engagement est enregistré ; l'échéancier est à jour.")
            return redirect(obligation_url(obligation))
    return _page(
        request,
        convention=convention,
        form=form,
        title="Modifier l'engagement" if obligation else "Nouvel engagement récurrent",
        intro="Les échéances se comptent depuis le début de la convention : la k-ième "
        "échéance semestrielle tombe la veille du même jour, 6 × k mois plus tard.",
        submit="Enregistrer",
        cancel_url=obligation_url(obligation) if obligation else partnership_url(convention),
    )


@manager_required
def obligation_delete(request, reference, pk):
    convention = _convention(request, reference, rights.can_manage_obligations)
    obligation = get_object_or_404(convention.obligations, pk=pk)
    if request.method == "POST":
        services.obligation_delete(obligation=obligation)
        messages.success(request, "L'engagement est supprimé.")
        return redirect(partnership_url(convention, "#engagements"))
    return _confirm(
        request,
        convention=convention,
        title="Supprimer l'engagement",
        question=f"Supprimer « {obligation.title} » et les livraisons enregistrées ?",
        cancel_url=obligation_url(obligation),
    )


def _fulfilment_form(request, convention, obligation, fulfilment=None):
    today = timezone.localdate()
    reading.attach_occurrences(convention, obligation, today=today)
    initial = {}
    if fulfilment is None and request.GET.get("echeance"):
        initial["due_on"] = request.GET["echeance"]
    return FulfilmentForm(
        request.POST or None,
        request.FILES or None,
        instance=fulfilment,
        obligation=obligation,
        occurrences=obligation.occurrences,
        today=today,
        initial=initial,
    )


@manager_required
def fulfilment_add(request, reference, pk):
    convention = _convention(request, reference, rights.can_record_fulfilments)
    obligation = get_object_or_404(
        convention.obligations.select_related("party__organisation").prefetch_related(
            "fixed_dates", "fulfilments"
        ),
        pk=pk,
    )
    form = _fulfilment_form(request, convention, obligation)
    if request.method == "POST" and form.is_valid():
        try:
            services.fulfilment_save(fulfilment=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La livraison est enregistrée ; l'échéancier est à jour.")
            return redirect(obligation_url(obligation))
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Livraison : {obligation.title}",
        intro=f"Ce que {obligation.party.display_name} a fourni pour une échéance.",
        submit="Enregistrer la livraison",
        cancel_url=obligation_url(obligation),
        multipart=True,
    )


def _fulfilment(convention, pk) -> ObligationFulfilment:
    return get_object_or_404(
        ObligationFulfilment.objects.select_related("obligation__party__organisation"),
        pk=pk,
        obligation__convention=convention,
    )


@manager_required
def fulfilment_edit(request, reference, pk):
    convention = _convention(request, reference, rights.can_record_fulfilments)
    fulfilment = _fulfilment(convention, pk)
    obligation = fulfilment.obligation
    form = _fulfilment_form(request, convention, obligation, fulfilment)
    if request.method == "POST" and form.is_valid():
        try:
            services.fulfilment_save(fulfilment=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La livraison est enregistrée.")
            return redirect(obligation_url(obligation))
    return _page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier la livraison : {obligation.title}",
        submit="Enregistrer",
        cancel_url=obligation_url(obligation),
        multipart=True,
        delete_url=reverse("actions:fulfilment_delete", args=[reference, fulfilment.pk]),
    )


@require_POST
@manager_required
def fulfilment_delete(request, reference, pk):
    convention = _convention(request, reference, rights.can_record_fulfilments)
    fulfilment = _fulfilment(convention, pk)
    services.fulfilment_delete(fulfilment=fulfilment)
    messages.success(request, "La livraison est supprimée ; l'échéance redevient à remplir.")
    return redirect(obligation_url(fulfilment.obligation))
