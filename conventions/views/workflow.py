"""Signatures, avenants, renewal and events of a convention ("Gestionnaire" only)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from users.perms import manager_required, staff_required

from .. import services
from ..forms import (
    AmendmentForm,
    ArticleChangeForm,
    CompletionForm,
    RenewalDecisionForm,
    RenewForm,
    SignatureForm,
    TerminationForm,
)
from ..forms.membership import SigningPartyForm
from ..models import (
    Amendment,
    Article,
    ArticleChange,
    Convention,
    Party,
    Signatory,
    Termination,
)
from .edit import apply_errors, form_page

logger = logging.getLogger(__name__)

# A signature rolled back because the database was busy (locked) or out of reach: nothing
# was recorded (nor any signed PDF kept), the same form is shown again to be sent again.
DATABASE_BUSY = (
    "La base de données est momentanément indisponible : la signature n'a pas été "
    "enregistrée. Réessayez dans quelques instants."
)


def _convention(reference, check):
    convention = get_object_or_404(Convention, reference=reference)
    if not check(convention):
        raise PermissionDenied
    return convention


def _signature_form(request, *, signatory, sign, title, cancel_url, convention):
    today = timezone.localdate()
    form = SignatureForm(request.POST or None, signatory=signatory, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signed = sign(
                signatory=signatory,
                on=data["signed_on"],
                place=data["place"],
                mandate=data["mandate"],
                name=data["name"],
                title=data["title"],
                delegation=data["delegation"],
                delegation_act=data["delegation_act"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except OperationalError:
            logger.warning("Signature of signatory %s not recorded", signatory.pk, exc_info=True)
            form.add_error(None, DATABASE_BUSY)
        else:
            return signed
    return form_page(
        request,
        convention=convention,
        form=form,
        title=title,
        submit="Enregistrer la signature",
        cancel_url=cancel_url,
    )


@manager_required
def convention_sign(request, reference, pk):
    convention = _convention(reference, lambda c: c.can_be_signed_by(request.user))
    signatory = get_object_or_404(
        Signatory.objects.select_related("party__organisation"),
        pk=pk,
        party__convention=convention,
        amendment=None,
    )
    result = _signature_form(
        request,
        signatory=signatory,
        sign=services.convention_sign,
        title=f"Signature pour {signatory.party.display_name}",
        cancel_url=convention.get_absolute_url(),
        convention=convention,
    )
    if not isinstance(result, Convention):
        return result
    if result.is_signed:
        messages.success(
            request, "Toutes les parties ont signé : la convention est signée, son texte est figé."
        )
    else:
        messages.success(request, "La signature est enregistrée.")
    return redirect(result)


# Avenants ----------------------------------------------------------------------------------


@manager_required
def amendment_create(request, reference):
    convention = _convention(reference, lambda c: c.can_be_amended_by(request.user))
    form = AmendmentForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        amendment = services.amendment_create(convention=convention, **form.cleaned_data)
        messages.success(request, f"L'avenant N°{amendment.number} est créé.")
        return redirect(
            "conventions:amendment", reference=convention.reference, number=amendment.number
        )
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Nouvel avenant",
        intro="L'avenant reçoit le numéro suivant. Vous indiquerez ensuite les articles "
        "qu'il remplace, ajoute ou supprime, puis les signatures des parties.",
        submit="Créer l'avenant",
        cancel_url=convention.get_absolute_url(),
    )


def _amendment(convention, number):
    return get_object_or_404(
        Amendment.objects.prefetch_related(
            Prefetch(
                "signatories",
                queryset=Signatory.objects.select_related("party__organisation").order_by(
                    "party__position", "pk"
                ),
            )
        ),
        convention=convention,
        number=number,
    )


@staff_required
def amendment_detail(request, reference, number):
    convention = get_object_or_404(Convention, reference=reference)
    amendment = _amendment(convention, number)
    articles = convention.numbered_articles()
    labels = {a.pk: Article.label(a.kind, a.number) for a in articles}
    changes = list(amendment.changes.order_by("pk"))
    for change in changes:
        change.target_label = labels.get(change.article_id, "")
    can_edit = amendment.can_be_edited_by(request.user)
    return render(
        request,
        "conventions/amendment.html",
        {
            "convention": convention,
            "amendment": amendment,
            "changes": changes,
            "change_form": ArticleChangeForm(articles=articles) if can_edit else None,
            "can_edit": can_edit,
            "parties_added": amendment.parties_added.select_related("organisation").order_by(
                "position"
            ),
            "withdrawals": amendment.withdrawals.select_related("party").order_by("pk"),
            "signing_form": SigningPartyForm(parties=Party.objects.may_sign(amendment))
            if can_edit
            else None,
            "crumb": f"Avenant N°{amendment.number}",
        },
    )


def editable_amendment(request, reference, number):
    convention = get_object_or_404(Convention, reference=reference)
    amendment = _amendment(convention, number)
    if not amendment.can_be_edited_by(request.user):
        raise PermissionDenied("L'avenant est signé : il ne change plus.")
    return convention, amendment


@manager_required
def amendment_edit(request, reference, number):
    convention, amendment = editable_amendment(request, reference, number)
    form = AmendmentForm(request.POST or None, instance=amendment, convention=convention)
    if request.method == "POST" and form.is_valid():
        services.amendment_update(amendment=form.save(commit=False))
        messages.success(request, "L'avenant est enregistré.")
        return redirect("conventions:amendment", reference=reference, number=number)
    return form_page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier l'avenant N°{number}",
        submit="Enregistrer",
        cancel_url=amendment_url(amendment),
    )


def amendment_url(amendment):
    return reverse(
        "conventions:amendment",
        kwargs={"reference": amendment.convention.reference, "number": amendment.number},
    )


@manager_required
def article_change_add(request, reference, number):
    convention, amendment = editable_amendment(request, reference, number)
    articles = convention.numbered_articles()
    form = ArticleChangeForm(request.POST or None, articles=articles)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_change_add(amendment=amendment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La modification est ajoutée à l'avenant.")
            return redirect(amendment_url(amendment))
    return form_page(
        request,
        convention=convention,
        form=form,
        title=f"Avenant N°{number} : modifier un article",
        submit="Ajouter la modification",
        cancel_url=amendment_url(amendment),
    )


@require_POST
@manager_required
def article_change_delete(request, reference, number, pk):
    convention, amendment = editable_amendment(request, reference, number)
    change = get_object_or_404(ArticleChange, pk=pk, amendment=amendment)
    services.article_change_delete(change=change)
    messages.success(request, "La modification est retirée de l'avenant.")
    return redirect(amendment_url(amendment))


@manager_required
def amendment_sign(request, reference, number, pk):
    convention, amendment = editable_amendment(request, reference, number)
    signatory = get_object_or_404(
        Signatory.objects.select_related("party__organisation"), pk=pk, amendment=amendment
    )
    result = _signature_form(
        request,
        signatory=signatory,
        sign=services.amendment_sign,
        title=f"Avenant N°{number} : signature pour {signatory.party.display_name}",
        cancel_url=amendment_url(amendment),
        convention=convention,
    )
    if not isinstance(result, Amendment):
        return result
    if result.is_signed:
        messages.success(request, f"Toutes les parties ont signé l'avenant N°{number}.")
    else:
        messages.success(request, "La signature est enregistrée.")
    return redirect(amendment_url(result))


# Renewal and events ------------------------------------------------------------------------


@manager_required
def convention_renew(request, reference):
    convention = _convention(reference, lambda c: c.can_be_renewed_by(request.user))
    form = RenewForm(
        request.POST or None,
        initial={
            "reference": _next_reference(convention.reference),
            "title": convention.title,
            "short_title": convention.short_title,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.convention_renew(
                convention=convention,
                reference=data["reference"],
                title=data["title"],
                short_title=data["short_title"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Le projet {new.reference} renouvelle {convention.reference} : parties, "
                "articles en vigueur et annexes sont repris.",
            )
            messages.info(
                request,
                "Représentants proposés — " + " ".join(new.representative_notes),
            )
            return redirect("conventions:draft", reference=new.reference)
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Renouveler la convention",
        intro="Un nouveau projet reprend les parties, le texte en vigueur aujourd'hui "
        "(avenants compris) et les annexes ; il remplacera celle-ci une fois en vigueur.",
        submit="Créer le projet de renouvellement",
        cancel_url=convention.get_absolute_url(),
    )


def _next_reference(reference: str) -> str:
    """A free reference for the renewal: "X-R2" after "X-R1", else "X-R1"."""
    stem, _, suffix = reference.rpartition("-R")
    number = int(suffix) + 1 if stem and suffix.isdigit() else 1
    stem = stem if stem and suffix.isdigit() else reference
    taken = set(
        Convention.objects.filter(reference__startswith=f"{stem}-R").values_list(
            "reference", flat=True
        )
    )
    while f"{stem}-R{number}" in taken:
        number += 1
    return f"{stem}-R{number}"[:40]


@manager_required
def termination_add(request, reference, pk=None):
    convention = _convention(reference, lambda c: c.can_record_events_by(request.user))
    termination = get_object_or_404(Termination, pk=pk, convention=convention) if pk else None
    form = TerminationForm(request.POST or None, instance=termination, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_record(termination=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La résiliation est enregistrée.")
            return redirect(convention.get_absolute_url() + "#evenements")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Modifier la résiliation" if termination else "Enregistrer une résiliation",
        intro="Courrier de résiliation ou de non-reconduction d'une partie, mise en demeure "
        "pour manquement (indiquez plus tard s'il a été réparé), ou résiliation d'un commun "
        "accord.",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url(),
    )


@manager_required
def renewal_decision_add(request, reference):
    convention = _convention(reference, lambda c: c.can_record_events_by(request.user))
    form = RenewalDecisionForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        services.renewal_decision_record(convention=convention, **form.cleaned_data)
        messages.success(request, "La décision est enregistrée.")
        return redirect(convention.get_absolute_url() + "#evenements")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Décision de reconduction",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url(),
    )


@manager_required
def complete(request, reference):
    """« Compléter » a signed convention whose known text lacked its date of signature or
    its term."""
    convention = _convention(
        reference,
        lambda c: (
            c.is_signed
            and (c.term_unknown or c.signed_on_unknown)
            and c.can_record_events_by(request.user)
        ),
    )
    form = CompletionForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_complete(convention=form.instance)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "C'est complété ; les échéances sont calculées.")
            return redirect(convention.get_absolute_url() + "#dates")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Compléter la convention",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url(),
    )


@manager_required
def sign_unknown_date(request, reference):
    """« Signée avant l'application, date inconnue »: the paper convention is signed, its
    date is not known; it is « à compléter » until someone finds it."""
    convention = _convention(reference, lambda c: c.can_be_signed_by(request.user))
    if request.method == "POST":
        try:
            services.convention_signed_on_unknown_date(convention=convention)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(convention.get_absolute_url() + "#parties")
        messages.success(
            request,
            "La convention est enregistrée comme signée, date inconnue : son texte ne change "
            "plus ; complétez la date dès qu'elle est connue.",
        )
        return redirect(convention.get_absolute_url())
    return render(
        request,
        "conventions/confirm_delete.html",
        {
            "convention": convention,
            "title": "Signée, date inconnue",
            "question": "Cette convention a été signée avant l'application, à une date que le "
            "texte connu ne donne pas. Son texte ne pourra plus changer (sauf par avenant) ; "
            "elle sera « à compléter » jusqu'à ce que sa date de signature soit saisie. "
            "Confirmer ?",
            "submit": "Confirmer",
            "cancel_url": convention.get_absolute_url(),
        },
    )
