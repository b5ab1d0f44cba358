from django import template

register = template.Library()


@register.filter
def fr_plural(value, suffix="s"):
    """French plural: « 0 action », « 1 action », « 2 actions » (Django's pluralize writes
    « 0 actions »). None counts as 0."""
    try:
        return suffix if int(value or 0) > 1 else ""
    except (TypeError, ValueError):
        return ""


@register.filter
def overview_rows_key(rows):
    """A digest of all that the rows of the overview show (`reading.OverviewRow`): the key
    of their cached markup (config/fragments.py)."""
    from config.fragments import digest

    return digest(tuple(rows))
