from django import template

from conventions.formatting import french_date, render_markup

register = template.Library()


@register.filter
def date_fr(value):
    """{{ convention.signed_on|date_fr }} -> "17 mai 2010"."""
    return french_date(value)


@register.filter
def markup(value):
    """Render the plain-text markup of articles and annexes as safe HTML."""
    return render_markup(value)
