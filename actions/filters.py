"""The filters of the overview of actions, shared by the page, its totals, chart and CSV."""

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator

from conventions.filters import FilterForm
from partners.filters import PartnerFilter

from .enums import ActionStatus, Audience
from .models import ActionTally


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
        # The latest year first, then plan by plan in the order the conventions were
        # recorded: an order the database reads from its indexes, whatever the number of
        # actions (make bench), where sorting by reference sorted every plan.
        return super().qs.order_by("-plan__school_year", "plan__convention_id", "number")

    # The filters the tally (`ActionTally`: per year, axis and state) answers by itself.
    TALLIED = {"year", "axis", "status"}

    def tally_choice(self) -> dict | None:
        """The year, axis and state chosen, for `Tally.select`; None when a filter (partner,
        public) needs the actions themselves."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        used = {name for name, value in data.items() if value not in (None, "")}
        if self.is_bound and not self.form.is_valid() or used - self.TALLIED:
            return None
        return {name: data[name] for name in used}


def known_axes() -> list[str]:
    """Every axis in use, for the filter's choices (one query, on the tally)."""
    return ActionTally.objects.axes()
