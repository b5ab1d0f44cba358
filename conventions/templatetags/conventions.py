import datetime

from django import template
from django.utils import timezone

from ..rules import money
from ..rules.formatting import french_date, render_markup

register = template.Library()


@register.filter
def date_fr(value):
    """{{ convention.signed_on|date_fr }} -> "17 mai 2010", "1er décembre 2026" (a moment:
    its day in local time)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return french_date(value)


@register.filter
def moment_fr(value):
    """A moment: "1er décembre 2026 à 10 h 02", in local time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{french_date(local.date())} à {local:%H} h {local:%M}"


@register.filter
def markup(value):
    """Render the plain-text markup of articles and annexes as safe HTML."""
    return render_markup(value)


# DSFR badge colour of each status ("" is the neutral grey badge).
STATUS_BADGES = {
    "draft": "",
    "in_signature": "fr-badge--info",
    "signed": "fr-badge--info",
    "in_force": "fr-badge--success",
    "terminating": "fr-badge--warning",
    "provisional": "fr-badge--warning",
    "expired": "fr-badge--error",
    "terminated": "fr-badge--error",
    "replaced": "fr-badge--new",
    "incomplete": "fr-badge--warning",
}


@register.filter
def status_badge(status):
    """{{ convention.status|status_badge }} -> the DSFR badge class for that status."""
    return STATUS_BADGES.get(status, "")


@register.filter
def article_label(article):
    """ "Titre 2", "Article 1" or "1.3.1" for a numbered article."""
    from conventions.models import Article

    return Article.label(article.kind, article.number)


@register.filter
def months(value):
    """12 -> "12 mois"; None -> ""."""
    return "" if value is None else f"{value} mois"


@register.filter
def partner_names(convention):
    """The partners of a convention (its parties but the académie), as attached or from
    the prefetched parties (`Convention.partner_names`): "CRESS PACA, AGEFA PME"."""
    return ", ".join(convention.partner_names())


# What a row of the conventions list shows (conventions/list.html).
LIST_ROW_SHOWN = ("reference", "short_title", "kind", "status", "signed_on", "current_term_end",
                  "notice_deadline")  # fmt: skip


@register.filter
def list_rows_key(conventions):
    """A digest of all the rows of a page of the list show, partners included: the key of
    their cached markup (config/fragments.py)."""
    from config.fragments import digest

    return digest(
        tuple(
            (tuple(getattr(c, name) for name in LIST_ROW_SHOWN), partner_names(c))
            for c in conventions
        )
    )


@register.filter
def euros(value):
    """{{ amount|euros }} -> "30 000,00 €" (non-breaking spaces); "" for None."""
    return money.euros(value)
