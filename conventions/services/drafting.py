"""Editing the text of a draft: articles (a tree) and annexes (a list).

Sibling ranks stay dense (1..n) and unique; every move goes through `_place`, which writes
them in two passes so that the unique (parent, position) constraints hold at every row.
All functions refuse a signed convention (`services.ensure_draft`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_update_with_history

from ..models import Annex, Article, Convention
from .lifecycle import _after_change, _renumber, claim_version, ensure_draft


def _siblings(convention_id, parent_id, exclude=None) -> list[Article]:
    rows = Article.objects.filter(convention_id=convention_id, parent_id=parent_id)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.order_by("position", "pk"))


def _place(article: Article, *, parent: Article | None, index: int) -> None:
    """Move `article` (and its sub-articles) under `parent`, at 0-based rank `index`."""
    old = _siblings(article.convention_id, article.parent_id, exclude=article)
    same_list = (parent.pk if parent else None) == article.parent_id
    new = old if same_list else _siblings(article.convention_id, parent.pk if parent else None)
    new.insert(max(0, min(index, len(new))), article)
    article.parent = parent
    rows = new if same_list else old + new
    # First pass: the new parent and a temporary rank above every rank in use.
    top = max([row.position for row in rows] + [0]) + 1
    for offset, row in enumerate(rows):
        row.position = top + offset
    Article.objects.bulk_update(rows, ["parent", "position"])
    for siblings in (new,) if same_list else (old, new):
        for rank, row in enumerate(siblings, start=1):
            row.position = rank
    # The final ranks go into the history (the temporary ones above do not).
    bulk_update_with_history(rows, Article, ["parent", "position"])


def _locked(article: Article) -> Article:
    article = Article.objects.select_related("convention").get(pk=article.pk)
    ensure_draft(article.convention)
    return article


@transaction.atomic
def article_add(
    *, convention: Convention, parent: Article | None, kind: str, heading: str, body: str
) -> Article:
    """A new article at the end of the top level, or the last sub-article of `parent`."""
    ensure_draft(convention)
    if parent is not None and parent.convention_id != convention.pk:
        raise ValidationError("Cet article n'appartient pas à la convention.")
    last = Article.objects.filter(convention=convention, parent=parent).aggregate(
        m=Max("position")
    )["m"]
    article = Article.objects.create(
        convention=convention,
        parent=parent,
        position=(last or 0) + 1,
        kind=kind,
        heading=heading,
        body=body,
    )
    _after_change(convention)
    return article


@transaction.atomic
def article_update(
    *, article: Article, version: int, kind: str, heading: str, body: str
) -> Article:
    """Save an article, if nobody saved it since the editor loaded `version` (else
    `services.StaleEdit`)."""
    stored = _locked(article)
    claim_version(Article, pk=article.pk, version=version, noun="Cet article")
    stored.kind, stored.heading, stored.body = kind, heading, body
    stored.version = version + 1
    stored.save()
    _after_change(stored.convention)
    return stored


@transaction.atomic
def article_delete(*, article: Article) -> None:
    """Delete an article with its sub-articles; the following ones move up a number."""
    article = _locked(article)
    article.delete()
    _renumber(_siblings(article.convention_id, article.parent_id), Article)
    _after_change(article.convention)


@transaction.atomic
def article_move(*, article: Article, direction: str) -> Article:
    """`up`/`down` among its siblings, `indent` (becomes the last sub-article of the one
    before it) or `outdent` (becomes the article right after its parent). A move that is
    not possible (first article up, ...) changes nothing."""
    article = _locked(article)
    siblings = _siblings(article.convention_id, article.parent_id)
    index = next(i for i, row in enumerate(siblings) if row.pk == article.pk)
    if direction == "up" and index > 0:
        _place(article, parent=article.parent, index=index - 1)
    elif direction == "down" and index < len(siblings) - 1:
        _place(article, parent=article.parent, index=index + 1)
    elif direction == "indent" and index > 0:
        previous = siblings[index - 1]
        _place(article, parent=previous, index=previous.children.count())
    elif direction == "outdent" and article.parent_id is not None:
        parent = article.parent
        uncles = _siblings(article.convention_id, parent.parent_id)
        parent_index = next(i for i, row in enumerate(uncles) if row.pk == parent.pk)
        _place(article, parent=parent.parent, index=parent_index + 1)
    _after_change(article.convention)
    return article


@transaction.atomic
def annex_add(*, convention: Convention, kind: str, title: str, body: str) -> Annex:
    ensure_draft(convention)
    last = convention.annexes.aggregate(m=Max("position"))["m"]
    annex = Annex.objects.create(
        convention=convention, position=(last or 0) + 1, kind=kind, title=title, body=body
    )
    _after_change(convention)
    return annex


@transaction.atomic
def annex_update(*, annex: Annex, kind: str, title: str, body: str) -> Annex:
    ensure_draft(annex.convention)
    annex.kind, annex.title, annex.body = kind, title, body
    annex.save()
    _after_change(annex.convention)
    return annex


@transaction.atomic
def annex_delete(*, annex: Annex) -> None:
    convention = annex.convention
    ensure_draft(convention)
    annex.delete()
    _renumber(list(convention.annexes.order_by("position", "pk")), Annex)
    _after_change(convention)


@transaction.atomic
def annex_move(*, annex: Annex, direction: str) -> None:
    convention = annex.convention
    ensure_draft(convention)
    annexes = list(convention.annexes.order_by("position", "pk"))
    index = next(i for i, row in enumerate(annexes) if row.pk == annex.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(annexes):
        annexes[index], annexes[target] = annexes[target], annexes[index]
        _renumber(annexes, Annex)
    _after_change(convention)
