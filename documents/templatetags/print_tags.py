"""Filters of the printed documents (templates/print/): French typography and CSS strings."""

from django import template
from django.utils.safestring import mark_safe

from conventions.rules.formatting import render_markup

from ..typography import french_typography

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
def css_string(value):
    """A value as a CSS string in a <style> block, where HTML entities are not decoded:
    quotes, backslashes and angle brackets are escaped the CSS way, so it is safe as is."""
    text = str(value or "").replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\n", " ").replace("<", "\\3c ").replace(">", "\\3e ")
    return mark_safe('"' + text + '"')
