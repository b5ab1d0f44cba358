"""Money of a convention: the « Financement » section of its page, the forms that record
commitments, instalments and payments ("Gestionnaire" only), and the CSV of every
instalment (staff)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.csv_export import streaming_csv
from config.pagination import more_than
from jobs.registry import ExportKind
from jobs.views import start_export
from users.perms import manager_required, staff_required

from .. import services
from ..enums import CommitmentPeriod
from ..forms.money import CommitmentForm, InstalmentForm, PaymentForm
from ..models import Convention, FinancialCommitment, Instalment, Payment
from ..models.money import Ledger, ledger
from ..rules import money
from ..rules.formatting import french_date
from .edit import apply_errors, form_page
from .lists import PAGE_SIZE

ANCHOR = "financement"


def money_context(request, convention) -> dict:
    """What the « Financement » section shows: three queries, whatever the number of
    commitments, instalments and payments; none when the convention (read with its parts:
    `Convention.read_parts`) has no commitment."""
    money = Ledger([])
    if convention.has_financial_commitments:
        money = ledger(
            FinancialCommitment.objects.filter(convention=convention), today=timezone.localdate()
        )
    return {
        "money": money,
        "can_record_money": convention.can_record_money_by(request.user),
    }


def _section_url(convention):
    return f"{convention.get_absolute_url()}#{ANCHOR}"


def _convention(request, reference) -> Convention:
    convention = get_object_or_404(Convention, reference=reference)
    if not convention.can_record_money_by(request.user):
        raise PermissionDenied
    return convention


def _commitment(convention, pk) -> FinancialCommitment:
    return get_object_or_404(
        FinancialCommitment.objects.select_related("payer__organisation", "payee__organisation"),
        pk=pk,
        convention=convention,
    )


def _subject(commitment) -> str:
    return (
        f"« {commitment.label} » ({commitment.payer.display_name} → "
        f"{commitment.payee.display_name}, {commitment.amount_label})"
    )


def _confirm_delete(request, *, convention, title, question):
    return render(
        request,
        "conventions/confirm_delete.html",
        {
            "convention": convention,
            "title": title,
            "question": question,
            "cancel_url": _section_url(convention),
        },
    )


@manager_required
def commitment_edit(request, reference, pk=None):
    """Add a commitment, or change one (`pk`)."""
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk) if pk else None
    form = CommitmentForm(request.POST or None, instance=commitment, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_save(commitment=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "L'engagement financier est enregistré.")
            return redirect(_section_url(convention))
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Modifier l'engagement financier"
        if commitment
        else "Ajouter un engagement financier",
        intro="Qui verse quoi à qui : une subvention, une contribution, une participation aux "
        "frais. Les échéances et les versements s'ajoutent ensuite, depuis la section "
        "« Financement » de la convention.",
        submit="Enregistrer",
        cancel_url=_section_url(convention),
    )


@manager_required
def commitment_delete(request, reference, pk):
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk)
    if request.method == "POST":
        services.commitment_delete(commitment=commitment)
        messages.success(request, "L'engagement financier est supprimé.")
        return redirect(_section_url(convention))
    return _confirm_delete(
        request,
        convention=convention,
        title="Supprimer l'engagement financier",
        question=f"Supprimer l'engagement {_subject(commitment)}, ses échéances et ses "
        "versements ?",
    )


@manager_required
def instalment_add(request, reference, pk):
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk)
    form = InstalmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.instalment_add(commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "L'échéance de versement est ajoutée.")
            return redirect(_section_url(convention))
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter une échéance de versement",
        intro=f"Engagement {_subject(commitment)}. Chaque échéance figure à l'échéancier ; "
        "elle est soldée quand les versements la couvrent.",
        submit="Ajouter",
        cancel_url=_section_url(convention),
    )


@manager_required
def instalment_delete(request, reference, pk, instalment):
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk)
    row = get_object_or_404(Instalment, pk=instalment, commitment=commitment)
    if request.method == "POST":
        services.instalment_delete(instalment=row)
        messages.success(request, "L'échéance de versement est supprimée.")
        return redirect(_section_url(convention))
    return _confirm_delete(
        request,
        convention=convention,
        title="Supprimer l'échéance de versement",
        question=f"Supprimer l'échéance de {money.euros(row.amount)} au "
        f"{french_date(row.due_on)} de l'engagement {_subject(commitment)} ?",
    )


@manager_required
def payment_add(request, reference, pk):
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_add(commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le versement est enregistré.")
            return redirect(_section_url(convention))
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Enregistrer un versement",
        intro=f"Engagement {_subject(commitment)}. Les versements soldent les échéances dans "
        "l'ordre de leurs dates.",
        submit="Enregistrer",
        cancel_url=_section_url(convention),
    )


@manager_required
def payment_delete(request, reference, pk, payment):
    convention = _convention(request, reference)
    commitment = _commitment(convention, pk)
    row = get_object_or_404(Payment, pk=payment, commitment=commitment)
    if request.method == "POST":
        services.payment_delete(payment=row)
        messages.success(request, "Le versement est supprimé.")
        return redirect(_section_url(convention))
    return _confirm_delete(
        request,
        convention=convention,
        title="Supprimer le versement",
        question=f"Supprimer le versement de {money.euros(row.amount)} du "
        f"{french_date(row.paid_on)} de l'engagement {_subject(commitment)} ?",
    )


# --- The CSV of every instalment ------------------------------------------------------

CSV_COLUMNS = [
    "Convention",
    "Payeur",
    "Bénéficiaire",
    "Objet",
    "Périodicité",
    "Imputation",
    "Échéance",
    "Montant (€)",
    "Soldée le",
    "Montant versé (€)",
]
PERIOD_LABELS = dict(CommitmentPeriod.choices)
CHUNK = 500


def _csv_rows(commitments, today):
    """One row per instalment, and one per commitment without schedule (its amount, the
    payments' total); read by chunks of commitments, three queries each."""
    pks = list(commitments.values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = ledger(
            FinancialCommitment.objects.filter(pk__in=pks[start : start + CHUNK]), today=today
        )
        for commitment in chunk.commitments:
            head = [
                commitment.convention.reference,
                commitment.payer.display_name,
                commitment.payee.display_name,
                commitment.label,
                PERIOD_LABELS[commitment.period],
                commitment.imputation,
            ]
            if not commitment.instalment_rows:
                yield head + [
                    "",
                    money.decimal_fr(commitment.amount),
                    french_date(_paid_on(commitment)),
                    money.decimal_fr(commitment.totals.paid),
                ]
            for instalment in commitment.instalment_rows:
                yield head + [
                    french_date(instalment.due_on),
                    money.decimal_fr(instalment.amount),
                    french_date(instalment.coverage.paid_on),
                    money.decimal_fr(instalment.coverage.covered),
                ]


def _paid_on(commitment):
    """When a commitment paid once, without schedule, was paid in full (None: not yet, or a
    yearly commitment, whose total is not known)."""
    if commitment.period != CommitmentPeriod.ONCE:
        return None
    payments = [(p.paid_on, p.amount) for p in commitment.payment_rows]
    (paid,) = money.coverage([(datetime.date.min, commitment.amount)], payments)
    return paid.paid_on


def export_rows(params):
    """Every commitment's schedule, by convention (no filter: `params` is not read)."""
    commitments = FinancialCommitment.objects.order_by("convention__reference", "pk")
    return _csv_rows(commitments, timezone.localdate())


CSV_EXPORT = ExportKind(
    title="l'échéancier des financements",
    filename="financements",
    header=CSV_COLUMNS,
    rows=export_rows,
)


@staff_required
def money_export(request):
    """/conventions/financements.csv: every commitment's schedule, by convention; streamed
    at once for a page of commitments or less (25), else written by the worker (`jobs`)."""
    if more_than(FinancialCommitment.objects, PAGE_SIZE):
        return start_export(request, kind="financements")
    today = timezone.localdate()
    return streaming_csv(f"financements-{today:%Y-%m-%d}.csv", CSV_COLUMNS, export_rows({}))
