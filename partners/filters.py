"""The "Partenaire" filter of the staff lists (conventions, échéancier, actions).

A text, not a <select>: a national database holds 2,000 organisations, which no one scrolls
through and which would weigh 100 kB and 25 ms on every page (make bench). What is typed is
matched against the organisations' names and acronyms; `static/js/suggest.js` offers the
matching names as the user types (`partners:suggestions`), and without JavaScript the field is
a plain text filter.
"""

import django_filters
from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html

from .models import Organisation


class SuggestInput(forms.TextInput):
    """A text input with an empty <datalist> that suggest.js fills from `suggest_url`."""

    def __init__(self, suggest_url, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.suggest_url = suggest_url

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}_suggestions"
        attrs = {**(attrs or {}), "list": list_id, "data-suggest-url": str(self.suggest_url)}
        html = super().render(name, value, attrs, renderer)
        return html + format_html('<datalist id="{}"></datalist>', list_id)


class PartnerFilter(django_filters.CharFilter):
    """Rows with a party whose organisation's name or acronym contains the text; the
    queryset's `with_partner(organisations)` says what "with a party" means for its rows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Partenaire")
        kwargs.setdefault("help_text", "Nom ou sigle, même partiel.")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", SuggestInput(reverse_lazy("partners:suggestions")))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.with_partner(Organisation.objects.partners().named(value))
