from django import template

from config.fragments import digest

register = template.Library()


@register.filter
def plan_key(plan, reference) -> str:
    """What a plan's table on the convention page shows (`actions.sections`): its title,
    its year and the reference of its convention (in its address), its rows."""
    return digest(reference, str(plan), plan.school_year, tuple(plan.rows))
