"""The filters of the overview of actions, shared by the page, its totals, chart and CSV."""

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator

from conventions.filters import FilterForm
from partners.filters import PartnerFilter

from .enums import ActionStatus, Audience
from .models import Action


class ActionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label="Année de la rentrée",
        field_name="plan__school_year",
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    axis = django_filters.ChoiceFilter(label="Axe", empty_label="Tous", choices=[])
    partner = PartnerFilter()
    audience = django_filters.ChoiceFilter(
        label="Public",
        choices=Audience.choices,
        method="filter_audience",
        empty_label="Tous",
    )
    status = django_filters.ChoiceFilter(
        label="État", choices=ActionStatus.choices, empty_label="Tous"
    )

    class Meta:
        form = FilterForm
        fields = []

    def __init__(self, *args, axes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["axis"].extra["choices"] = [(a, a) for a in axes]

    def filter_audience(self, queryset, name, value):
        return queryset.with_audience(value)

    @property
    def qs(self):
        return super().qs.order_by("-plan__school_year", "plan__convention__reference", "number")


def known_axes() -> list[str]:
    """Every axis in use, for the filter's choices (one query)."""
    return list(Action.objects.order_by("axis").values_list("axis", flat=True).distinct())
