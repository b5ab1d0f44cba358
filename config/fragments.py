"""Keys for caching rendered fragments with Django's `{% cache %}` tag, in this process.

A filter form or the numbered text of a convention is rendered through dozens of templates,
the largest part of a page's CPU (make bench), yet it is a pure function of a few values:
the query string and the choices offered, or the articles as displayed. The templates
wrap them in `{% cache 86400 "name" key using="fragments" %}`, where `key` is one of the
filters below: a digest of everything the fragment shows, so that a change shows at once
and nothing needs invalidating. The "fragments" cache is each process's own memory
(LocMemCache): nothing shared, nothing stale, lost on restart.

Loaded in templates as `{% load fragments %}` (TEMPLATES' "libraries").
"""

import hashlib

from django import template

from .widgets import FastSelect

register = template.Library()


def digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@register.filter
def form_key(form) -> str:
    """What a (GET) filter form's markup depends on: the data of its fields, their errors
    and the choices each offers. A FastSelect's choices come from the database: read here
    once, and kept on the widget for the rendering, when the fragment is not cached."""
    parts = []
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, FastSelect):
            choices = tuple(widget.choice_pairs())
        else:
            choices = tuple(getattr(bound.field, "choices", ()))
        value = form.data.getlist(bound.html_name) if hasattr(form.data, "getlist") else None
        parts.append((bound.html_name, choices, value, tuple(bound.errors)))
    return digest(type(form).__qualname__, form.is_bound, tuple(parts))


ARTICLE_SHOWN = ("depth", "label", "heading", "state", "amendment_number", "removed", "body")


@register.filter
def articles_key(articles) -> str:
    """What the numbered text shows of each article."""
    return digest(
        tuple(tuple(getattr(article, name, None) for name in ARTICLE_SHOWN) for article in articles)
    )
