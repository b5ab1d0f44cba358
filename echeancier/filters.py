"""The échéancier's filters: référent ("mes échéances"), partner, kind, window, overdue."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from config.widgets import FastSelect
from conventions.models import Convention
from partners.filters import PartnerFilter

from .enums import DeadlineKind
from .models import Deadline

MINE = "moi"
WINDOWS = [
    ("30", "30 prochains jours"),
    ("90", "90 prochains jours"),
    ("365", "365 prochains jours"),
]
DEFAULT_WINDOW = 90


class DeadlineFilter(django_filters.FilterSet):
    """Takes `request` (for "mes échéances"). `qs` filters on who, what and with whom; the
    view applies the period (`window_days`, `overdue_only`)."""

    referent = django_filters.ChoiceFilter(
        widget=FastSelect,
        label="Référent",
        empty_label="Tous les référents",
        method="filter_referent",
    )
    organisation = PartnerFilter()
    kind = django_filters.ChoiceFilter(
        label="Nature", choices=DeadlineKind.choices, empty_label="Toutes les échéances"
    )
    window = django_filters.ChoiceFilter(
        label="Période", choices=WINDOWS, empty_label=None, method="filter_nothing"
    )
    overdue = django_filters.BooleanFilter(
        label="En retard uniquement",
        widget=forms.CheckboxInput,
        method="filter_nothing",
    )

    class Meta:
        model = Deadline
        fields = ["referent", "organisation", "kind", "window", "overdue"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("window"):
            data = data.copy()  # the default period shows as selected
            data["window"] = str(DEFAULT_WINDOW)
        super().__init__(data, *args, **kwargs)
        # Only people who follow at least one convention (one query, plain values).
        User = get_user_model()
        referents = (
            User.objects.filter(Exists(Convention.objects.filter(referent=OuterRef("pk"))))
            .order_by("last_name", "first_name", "username")
            .values_list("pk", *User.CHOICE_LABEL_FIELDS)
        )
        # Every référent's name, which the rows show too.
        self.referent_names = {pk: User.choice_label(*label) for pk, *label in referents}
        self.filters["referent"].extra["choices"] = [(MINE, "Mes échéances")] + [
            (str(pk), name) for pk, name in self.referent_names.items()
        ]

    def filter_referent(self, queryset, name, value):
        if value == MINE:
            return queryset.of_referent(self.request.user)
        return queryset.filter(convention__referent_id=int(value))

    def filter_nothing(self, queryset, name, value):
        return queryset  # the period is applied by the view: see `overdue_only`

    # Read after `.qs` (the form is then validated); an invalid value falls back to the default.

    def conventions_to_complete(self, conventions):
        """The conventions « à compléter » of the référent chosen, if one is."""
        referent = self.form.cleaned_data.get("referent")
        if referent == MINE:
            return conventions.filter(referent=self.request.user)
        if referent:
            return conventions.filter(referent_id=int(referent))
        return conventions

    @property
    def window_days(self) -> int:
        return int(self.form.cleaned_data.get("window") or DEFAULT_WINDOW)

    @property
    def overdue_only(self) -> bool:
        return bool(self.form.cleaned_data.get("overdue"))
