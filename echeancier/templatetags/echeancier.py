from django import template

from config.fragments import digest

register = template.Library()


@register.filter
def deadline_rows_key(deadlines):
    """A digest of all that rows of the échéancier show (includes/deadline_row.html): the
    key of their cached markup (config/fragments.py)."""
    return digest(
        tuple(
            (
                d.due_on,
                getattr(d, "overdue", None),
                d.done_on,
                d.kind,
                d.label,
                d.convention.reference,
                d.convention.short_title,
                d.convention.status,
                tuple(d.convention.partner_names()),
                d.convention.referent_name,
            )
            for d in deadlines
        )
    )
