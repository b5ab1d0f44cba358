"""Filters of the printed documents (templates/print/): French typography."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from conventions.rules.formatting import render_markup

from ..typography import (
    in_sentence,
    print_typography,
    superscript_ordinals,
    unhyphenated_names,
)

register = template.Library()


@register.filter(is_safe=True)
def typo(value):
    """Plain text with French typography (non-breaking spaces, apostrophes, proper names
    unbroken), escaped, its ordinals in superscript: safe HTML."""
    html = escape(print_typography(str(value or "")))
    return mark_safe(unhyphenated_names(superscript_ordinals(html)))


@register.filter
def typo_markup(value):
    """The text markup of articles and annexes, with French typography, as safe HTML."""
    html = render_markup(print_typography(value or ""))
    return mark_safe(unhyphenated_names(superscript_ordinals(html)))


@register.filter
def lower_first(value):
    """ "Pour le recteur et par délégation" as it reads inside a sentence."""
    value = str(value or "")
    return value[:1].lower() + value[1:]


@register.filter(name="in_sentence")
def in_sentence_filter(value):
    """ "Le ministre de l'éducation nationale" as it reads after "représenté par"."""
    return in_sentence(str(value or ""))
