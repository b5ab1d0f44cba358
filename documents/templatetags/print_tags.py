"""Filters of the printed documents (templates/print/): French typography."""

from django import template

from conventions.rules.formatting import render_markup

from ..typography import french_typography, in_sentence

register = template.Library()


@register.filter
def typo(value):
    """Plain text with French non-breaking spaces; escaped by the template as usual."""
    return french_typography(str(value or ""))


@register.filter
def typo_markup(value):
    """The text markup of articles and annexes, with French typography, as safe HTML."""
    return render_markup(french_typography(value or ""))


@register.filter
def lower_first(value):
    """ "Pour le recteur et par délégation" as it reads inside a sentence."""
    value = str(value or "")
    return value[:1].lower() + value[1:]


@register.filter(name="in_sentence")
def in_sentence_filter(value):
    """ "Le ministre de l'éducation nationale" as it reads after "représenté par"."""
    return in_sentence(str(value or ""))
