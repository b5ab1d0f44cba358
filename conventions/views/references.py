"""A convention's references: the article of its parent it applies, and its references
outside the application (a partner's number, NOR, BO). Facts about the convention rather
than its signed text: a Gestionnaire writes them at any time."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from users.perms import manager_required

from .. import services
from ..forms import ExternalReferenceForm, ParentArticleForm
from ..models import Convention, ExternalReference
from .edit import apply_errors, form_page


def _convention(request, reference) -> Convention:
    # Any convention, draft or signed: `manager_required` is the whole right.
    return get_object_or_404(Convention, reference=reference)


def _back(convention):
    return redirect(convention.get_absolute_url() + "#references")


@manager_required
def reference_add(request, reference, pk=None):
    convention = _convention(request, reference)
    instance = None
    if pk is not None:
        instance = get_object_or_404(ExternalReference, pk=pk, convention=convention)
    form = ExternalReferenceForm(request.POST or None, instance=instance, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_reference_save(reference=form.instance)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La référence est enregistrée.")
            return _back(convention)
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Modifier la référence" if instance else "Ajouter une référence",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url() + "#references",
    )


@manager_required
def reference_delete(request, reference, pk):
    convention = _convention(request, reference)
    external = get_object_or_404(ExternalReference, pk=pk, convention=convention)
    if request.method == "POST":
        services.external_reference_delete(reference=external)
        messages.success(request, "La référence est supprimée.")
        return _back(convention)
    return render(
        request,
        "conventions/confirm_delete.html",
        {
            "convention": convention,
            "title": "Supprimer la référence",
            "question": f"Supprimer la référence « {external} » ?",
            "cancel_url": convention.get_absolute_url() + "#references",
        },
    )


@manager_required
def parent_article(request, reference):
    convention = _convention(request, reference)
    if convention.parent_id is None:
        raise PermissionDenied("Seule une convention qui en applique une autre en cite l'article.")
    form = ParentArticleForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        services.parent_article_update(
            convention=convention, parent_article=form.cleaned_data["parent_article"]
        )
        messages.success(request, "L'article de la convention parente est enregistré.")
        return _back(convention)
    return form_page(
        request,
        convention=convention,
        form=form,
        title="Article de la convention parente",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url() + "#references",
    )
