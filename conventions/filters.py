"""The filters of the convention list, shared by the page and its CSV export."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection
from django.db.models import F
from django.utils import timezone

from config.widgets import FastSelect
from partners.filters import PartnerFilter

from .enums import ConventionKind, ConventionStatus
from .forms import Form, staff_users

# (query parameter value, model field, column heading) of the sortable columns.
SORTABLE = [
    ("reference", "reference", "Référence"),
    ("titre", "title", "Titre"),
    ("statut", "status", "Statut"),
    ("signature", "signed_on", "Signée le"),
    ("echeance", "current_term_end", "Échéance"),
    ("preavis", "notice_deadline", "Préavis avant le"),
]


class FilterForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GET forms: keep django-filter's empty choice and no "required" star.
        for field in self.fields.values():
            field.required = False


class ConventionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="filter_search",
        max_length=200,
        help_text="Référence, titre, partenaire, signataire, correspondant, référence externe, "
        "annexes, plans d'action, texte des articles ; accents et majuscules indifférents.",
    )
    status = django_filters.ChoiceFilter(
        label="Statut", choices=ConventionStatus.choices, empty_label="Tous"
    )
    kind = django_filters.ChoiceFilter(
        label="Nature", choices=ConventionKind.choices, empty_label="Toutes"
    )
    partner = PartnerFilter()
    referent = django_filters.ModelChoiceFilter(
        widget=FastSelect, label="Référent", queryset=staff_users(), empty_label="Tous"
    )
    signed_year = django_filters.NumberFilter(
        label="Année de signature",
        field_name="signed_on",
        lookup_expr="year",
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    due_within = django_filters.NumberFilter(
        label="Arrive à échéance dans (jours)",
        method="filter_due_within",
        validators=[MinValueValidator(0), MaxValueValidator(3650)],
        help_text="Fin de la période en cours d'ici N jours.",
    )
    pending_termination = django_filters.BooleanFilter(
        label="Résiliation en cours",
        method="filter_pending_termination",
        widget=forms.CheckboxInput,
    )
    o = django_filters.OrderingFilter(
        fields=[(field, param) for param, field, _ in SORTABLE],
        label="Trier par",
    )

    class Meta:
        form = FilterForm
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value, vendor=connection.vendor)

    def filter_due_within(self, queryset, name, value):
        return queryset.term_ending_within(days=int(value), today=timezone.localdate())

    def filter_pending_termination(self, queryset, name, value):
        if value:
            return queryset.filter(status=ConventionStatus.TERMINATING)
        return queryset

    @property
    def qs(self):
        # Empty dates last whichever way, and a stable order: the reference breaks ties. The
        # indexes `convention_sort_*` serve each of these orders.
        queryset = super().qs
        ordering = [
            F(key.lstrip("-")).desc(nulls_last=True)
            if key.startswith("-")
            else F(key).asc(nulls_last=True)
            for key in queryset.query.order_by
            if isinstance(key, str) and key.lstrip("-") != "reference"
        ] or [F("signed_on").desc(nulls_last=True)]
        if any(key in ("reference", "-reference") for key in queryset.query.order_by):
            return queryset
        return queryset.order_by(*ordering, "reference")
