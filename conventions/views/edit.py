"""Writing a draft: the convention, its parties, articles and annexes.

Every view is for "Gestionnaire" only (`manager_required`) and refuses, with a 403, a
convention whose text is frozen by its signature (`can_be_edited_by`); the services check
the same again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partners.enums import LegalForm
from partners.models import Organisation
from users.perms import manager_required

from .. import services
from ..forms import (
    AnnexForm,
    ArticleForm,
    ConventionForm,
    PartyChoiceForm,
    PartyForm,
    WordingForm,
)
from ..models import Annex, Article, Convention, Party, Signatory
from ..services import drafting


def apply_errors(form, error: ValidationError):
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, *, convention, form, title, submit, cancel_url, intro="", extra=None):
    return render(
        request,
        "conventions/form.html",
        {
            "convention": convention,
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            **(extra or {}),
        },
    )


def editable_convention(request, reference) -> Convention:
    convention = get_object_or_404(Convention, reference=reference)
    if not convention.can_be_edited_by(request.user):
        raise PermissionDenied(services.SIGNED_TEXT)
    return convention


def draft_url(convention):
    return redirect("conventions:draft", reference=convention.reference)


@manager_required
def convention_create(request):
    today = timezone.localdate()
    academy = Organisation.objects.filter(is_academy=True).order_by("pk").first()
    data = request.POST if request.method == "POST" else None
    form = ConventionForm(data, initial={"referent": request.user.pk})
    party_forms = [
        PartyChoiceForm(data, prefix="party1", today=today, initial={"organisation": academy}),
        PartyChoiceForm(data, prefix="party2", today=today),
    ]
    if data is not None and form.is_valid() and all(f.is_valid() for f in party_forms):
        try:
            convention = services.convention_create(
                convention=form.save(commit=False),
                parties=[
                    (f.cleaned_data["organisation"], f.cleaned_data["mandate"]) for f in party_forms
                ],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le projet de convention est créé.")
            return draft_url(convention)
    return render(
        request,
        "conventions/create.html",
        {"form": form, "party_forms": party_forms, "legal_forms": LegalForm.choices},
    )


@manager_required
def convention_draft(request, reference):
    """The writing desk of a draft: parties, articles (with their moves) and annexes."""
    convention = editable_convention(request, reference)
    parties = list(
        convention.parties.select_related("organisation")
        .prefetch_related(
            Prefetch("signatories", queryset=Signatory.objects.filter(amendment=None))
        )
        .order_by("position", "pk")
    )
    for party in parties:
        party.signatory = next(iter(party.signatories.all()), None)
    articles = convention.numbered_articles()
    return render(
        request,
        "conventions/draft.html",
        {
            "convention": convention,
            "parties": parties,
            "articles": articles,
            "annexes": convention.annexes.order_by("position"),
        },
    )


@manager_required
def convention_edit(request, reference):
    convention = editable_convention(request, reference)
    cancel_url = _draft_href(convention)
    form = ConventionForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_update(
                convention=form.save(commit=False), version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        except services.StaleEdit as stale:
            form.show_current_version(stale.version)
            form.add_error(None, stale.message)
        else:
            messages.success(request, "La convention est enregistrée.")
            return redirect("conventions:draft", reference=form.instance.reference)
    return form_page(
        request,
        convention=Convention.objects.get(pk=convention.pk),
        form=form,
        title="Modifier la convention",
        submit="Enregistrer",
        cancel_url=cancel_url,
    )


@manager_required
def convention_wording(request, reference):
    """Title, cover, formulas, closing and letterhead of a draft, as they will be signed."""
    convention = editable_convention(request, reference)
    form = WordingForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_update(
                convention=form.save(commit=False), version=form.cleaned_data["version"]
            )
        except services.StaleEdit as stale:
            form.show_current_version(stale.version)
            form.add_error(None, stale.message)
        else:
            messages.success(request, "Le titre et les formules sont enregistrés.")
            return draft_url(convention)
    return form_page(
        request,
        convention=Convention.objects.get(pk=convention.pk),
        form=form,
        title="Titre, formules et en-tête",
        intro="Le texte qui entoure les articles, tel qu'il sera signé. Les formules de la "
        "maison sont proposées ; modifiez-les pour reprendre celles d'un texte existant.",
        submit="Enregistrer",
        cancel_url=_draft_href(convention),
    )


# Parties -----------------------------------------------------------------------------------


@manager_required
def party_add(request, reference):
    convention = editable_convention(request, reference)
    form = PartyForm(request.POST or None, convention=convention, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.party_add(
                convention=convention,
                organisation=data["organisation"],
                mandate=data["mandate"],
                **{name: data[name] for name in services.PARTY_WORDING},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La partie est ajoutée.")
            return draft_url(convention)
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter une partie",
        submit="Ajouter",
        cancel_url=_draft_href(convention),
    )


def _draft_href(convention):
    return reverse("conventions:draft", kwargs={"reference": convention.reference})


@manager_required
def party_edit(request, reference, pk):
    convention = editable_convention(request, reference)
    party = get_object_or_404(
        Party.objects.select_related("organisation"), pk=pk, convention=convention
    )
    form = PartyForm(
        request.POST or None, instance=party, convention=convention, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.party_update(
                party=party,
                mandate=data["mandate"],
                **{name: data[name] for name in services.PARTY_WORDING},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La partie est enregistrée.")
            return draft_url(convention)
    return form_page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier la partie : {party.organisation.name}",
        submit="Enregistrer",
        cancel_url=_draft_href(convention),
    )


@require_POST
@manager_required
def party_delete(request, reference, pk):
    convention = editable_convention(request, reference)
    party = get_object_or_404(Party, pk=pk, convention=convention)
    try:
        services.party_remove(party=party)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La partie est retirée.")
    return draft_url(convention)


# Articles ----------------------------------------------------------------------------------


@manager_required
def article_add(request, reference):
    convention = editable_convention(request, reference)
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id:
        if not str(parent_id).isdigit():
            raise Http404("Article parent inconnu.")
        parent = get_object_or_404(Article, pk=parent_id, convention=convention)
    form = ArticleForm(request.POST or None, initial={"kind": "section" if parent else "article"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drafting.article_add(
                convention=convention,
                parent=parent,
                kind=data["kind"],
                heading=data["heading"],
                body=data["body"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "L'article est ajouté.")
            return redirect(_draft_href(convention) + "#articles")
    title = f"Ajouter un sous-article à « {parent} »" if parent else "Ajouter un article"
    return form_page(
        request,
        convention=convention,
        form=form,
        title=title,
        submit="Ajouter",
        cancel_url=_draft_href(convention),
        extra={"hidden": {"parent": parent.pk} if parent else {}},
    )


@manager_required
def article_edit(request, reference, pk):
    convention = editable_convention(request, reference)
    article = get_object_or_404(Article, pk=pk, convention=convention)
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drafting.article_update(
                article=article,
                version=data["version"],
                kind=data["kind"],
                heading=data["heading"],
                body=data["body"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except services.StaleEdit as stale:
            form.show_current_version(stale.version)
            form.add_error(None, stale.message)
        else:
            messages.success(request, "L'article est enregistré.")
            return redirect(_draft_href(convention) + f"#article-{article.pk}")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Modifier l'article",
        submit="Enregistrer",
        cancel_url=_draft_href(convention),
    )


@manager_required
def article_delete(request, reference, pk):
    convention = editable_convention(request, reference)
    article = get_object_or_404(Article, pk=pk, convention=convention)
    if request.method == "POST":
        drafting.article_delete(article=article)
        messages.success(request, "L'article est supprimé ; les suivants sont renumérotés.")
        return redirect(_draft_href(convention) + "#articles")
    return render(
        request,
        "conventions/confirm_delete.html",
        {
            "convention": convention,
            "title": "Supprimer l'article",
            "question": f"Supprimer l'article « {article} » et ses sous-articles ?",
            "cancel_url": _draft_href(convention),
        },
    )


MOVES = {"up", "down", "indent", "outdent"}


@require_POST
@manager_required
def article_move(request, reference, pk):
    convention = editable_convention(request, reference)
    article = get_object_or_404(Article, pk=pk, convention=convention)
    direction = request.POST.get("direction")
    if direction not in MOVES:
        messages.error(request, "Déplacement inconnu.")
    else:
        drafting.article_move(article=article, direction=direction)
    return redirect(_draft_href(convention) + f"#article-{article.pk}")


# Annexes -----------------------------------------------------------------------------------


@manager_required
def annex_add(request, reference):
    convention = editable_convention(request, reference)
    form = AnnexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        drafting.annex_add(convention=convention, **form.cleaned_data)
        messages.success(request, "L'annexe est ajoutée.")
        return redirect(_draft_href(convention) + "#annexes")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter une annexe",
        submit="Ajouter",
        cancel_url=_draft_href(convention),
    )


@manager_required
def annex_edit(request, reference, pk):
    convention = editable_convention(request, reference)
    annex = get_object_or_404(Annex, pk=pk, convention=convention)
    form = AnnexForm(request.POST or None, instance=annex)
    if request.method == "POST" and form.is_valid():
        drafting.annex_update(annex=annex, **form.cleaned_data)
        messages.success(request, "L'annexe est enregistrée.")
        return redirect(_draft_href(convention) + "#annexes")
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Modifier l'annexe",
        submit="Enregistrer",
        cancel_url=_draft_href(convention),
    )


@manager_required
def annex_delete(request, reference, pk):
    convention = editable_convention(request, reference)
    annex = get_object_or_404(Annex, pk=pk, convention=convention)
    if request.method == "POST":
        drafting.annex_delete(annex=annex)
        messages.success(request, "L'annexe est supprimée.")
        return redirect(_draft_href(convention) + "#annexes")
    return render(
        request,
        "conventions/confirm_delete.html",
        {
            "convention": convention,
            "title": "Supprimer l'annexe",
            "question": f"Supprimer l'annexe « {annex} » ?",
            "cancel_url": _draft_href(convention),
        },
    )


@require_POST
@manager_required
def annex_move(request, reference, pk):
    convention = editable_convention(request, reference)
    annex = get_object_or_404(Annex, pk=pk, convention=convention)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        drafting.annex_move(annex=annex, direction=direction)
    return redirect(_draft_href(convention) + "#annexes")
