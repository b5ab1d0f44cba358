"""An avenant that changes who is bound by the convention: a party joins (accession) or
leaves (withdrawal); and who signs the avenant: only its parties ("Gestionnaire" only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from users.perms import manager_required

from .. import services
from ..forms import PartyForm
from ..forms.membership import SigningPartyForm, WithdrawalForm
from ..models import Party, PartyWithdrawal, Signatory
from .edit import apply_errors, form_page
from .workflow import amendment_url, editable_amendment


@manager_required
def party_join(request, reference, number):
    convention, amendment = editable_amendment(request, reference, number)
    form = PartyForm(request.POST or None, convention=convention, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            party = services.amendment_party_join(
                amendment=amendment,
                organisation=data["organisation"],
                mandate=data["mandate"],
                **{name: data[name] for name in services.PARTY_WORDING},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{party.organisation.name} adhère à la convention par l'avenant "
                f"N°{number} : elle le signe avec les autres parties.",
            )
            return redirect(amendment_url(amendment))
    return form_page(
        request,
        convention=convention,
        form=form,
        title=f"Avenant N°{number} : une organisation adhère à la convention",
        intro="Elle devient partie à la convention à la date d'effet de l'avenant, une fois "
        "celui-ci signé ; elle le signe.",
        submit="Ajouter l'adhésion",
        cancel_url=amendment_url(amendment),
    )


@require_POST
@manager_required
def party_unjoin(request, reference, number, pk):
    convention, amendment = editable_amendment(request, reference, number)
    party = get_object_or_404(Party, pk=pk, joined_by=amendment)
    try:
        services.amendment_party_unjoin(party=party)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'adhésion est retirée de l'avenant.")
    return redirect(amendment_url(amendment))


@manager_required
def party_withdraw(request, reference, number):
    convention, amendment = editable_amendment(request, reference, number)
    form = WithdrawalForm(request.POST or None, parties=Party.objects.may_leave(convention))
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = services.amendment_party_withdraw(
                amendment=amendment, party=form.cleaned_data["party"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{withdrawal.party.display_name} se retire de la convention par l'avenant "
                f"N°{number}.",
            )
            return redirect(amendment_url(amendment))
    return form_page(
        request,
        convention=convention,
        form=form,
        title=f"Avenant N°{number} : une partie se retire de la convention",
        intro="Elle n'est plus liée à compter de la date indiquée (ou de la date d'effet de "
        "l'avenant), une fois celui-ci signé ; elle le signe.",
        submit="Ajouter le retrait",
        cancel_url=amendment_url(amendment),
    )


@require_POST
@manager_required
def withdrawal_delete(request, reference, number, pk):
    convention, amendment = editable_amendment(request, reference, number)
    withdrawal = get_object_or_404(PartyWithdrawal, pk=pk, amendment=amendment)
    services.amendment_party_withdrawal_delete(withdrawal=withdrawal)
    messages.success(request, "Le retrait est retiré de l'avenant.")
    return redirect(amendment_url(amendment))


@require_POST
@manager_required
def signatory_remove(request, reference, number, pk):
    convention, amendment = editable_amendment(request, reference, number)
    signatory = get_object_or_404(
        Signatory.objects.select_related("party"), pk=pk, amendment=amendment
    )
    try:
        result = services.amendment_signatory_remove(signatory=signatory)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{signatory.party.display_name} ne signe pas cet avenant."
            + (" Toutes ses parties ont signé : l'avenant est signé." if result.is_signed else ""),
        )
    return redirect(amendment_url(amendment))


@require_POST
@manager_required
def signatory_add(request, reference, number):
    convention, amendment = editable_amendment(request, reference, number)
    form = SigningPartyForm(request.POST, parties=Party.objects.may_sign(amendment))
    if form.is_valid():
        try:
            services.amendment_signatory_add(amendment=amendment, party=form.cleaned_data["party"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "La partie signera l'avenant.")
    else:
        messages.error(request, "Choisissez la partie qui signe l'avenant.")
    return redirect(amendment_url(amendment))
