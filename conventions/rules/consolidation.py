"""The text in force on a date: the signed convention plus the avenants in force then.

Original articles keep their numbers, as legal references do: an article an avenant adds
after Article 3 is "Article 3 bis" (then "ter", ...), one added at the end takes the next
number; a removed article stays in the list, marked, so that readers see it went away.

`consolidate` is pure (plain objects in, plain objects out); `consolidated_articles`
reads what it needs from the database in three queries.
"""

import datetime
from dataclasses import dataclass

from ..enums import ArticleChangeKind, ArticleKind
from ..models import Amendment, Article, Convention

LATIN = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies"]


@dataclass
class ConsolidatedArticle:
    number: str
    depth: int
    kind: str
    heading: str
    body: str
    article_id: int | None = None
    # "original", "replaced", "added" or "removed", and by which avenant (its number).
    state: str = "original"
    amendment_number: int | None = None

    @property
    def label(self) -> str:
        return Article.label(self.kind, self.number)

    @property
    def removed(self) -> bool:
        return self.state == "removed"


def _suffix(rank: int) -> str:
    return LATIN[rank - 1] if rank <= len(LATIN) else f"({rank + 1})"


def consolidate(articles, amendments, on: datetime.date) -> list[ConsolidatedArticle]:
    """Apply the changes of the avenants in force on `on` to the numbered articles.

    `articles`: in document order, each with `.pk`, `.number`, `.depth`, `.kind`,
    `.heading`, `.body` (as `Convention.numbered_articles()` gives them).
    `amendments`: each with `.number`, `.signed_on`, `.start_date` and `.changes_list`
    (objects with `.kind`, `.article_id`, `.heading`, `.body`). Unsigned avenants and those
    taking effect after `on` change nothing.
    """
    items = [
        ConsolidatedArticle(
            number=a.number,
            depth=a.depth,
            kind=a.kind,
            heading=a.heading,
            body=a.body,
            article_id=a.pk,
        )
        for a in articles
    ]
    added_after: dict[int, int] = {}
    for amendment in sorted(amendments, key=lambda a: a.number):
        if amendment.signed_on is None or amendment.start_date > on:
            continue
        for change in amendment.changes_list:
            index = None
            if change.article_id is not None:
                index = next(
                    (i for i, item in enumerate(items) if item.article_id == change.article_id),
                    None,
                )
            if change.kind == ArticleChangeKind.ADD:
                _add(items, index, change, amendment.number, added_after)
            elif index is None or items[index].removed:
                continue
            elif change.kind == ArticleChangeKind.REPLACE:
                item = items[index]
                item.heading = change.heading or item.heading
                item.body = change.body
                item.state, item.amendment_number = "replaced", amendment.number
            elif change.kind == ArticleChangeKind.REMOVE:
                for i in _subtree(items, index):
                    items[i].state, items[i].amendment_number = "removed", amendment.number
    return items


def _subtree(items, index) -> range:
    end = index + 1
    while end < len(items) and items[end].depth > items[index].depth:
        end += 1
    return range(index, end)


def _add(items, index, change, amendment_number, added_after):
    if index is None:
        # "2 bis" does not count: the next number follows the last plain one.
        top_level = sum(1 for item in items if item.depth == 0 and item.number.isdigit())
        items.append(
            ConsolidatedArticle(
                number=str(top_level + 1),
                depth=0,
                kind=ArticleKind.ARTICLE,
                heading=change.heading,
                body=change.body,
                state="added",
                amendment_number=amendment_number,
            )
        )
        return
    target = items[index]
    rank = added_after.get(change.article_id, 0) + 1
    added_after[change.article_id] = rank
    # After the target's sub-articles and the articles already added after it.
    position = _subtree(items, index).stop
    while (
        position < len(items)
        and items[position].state == "added"
        and (items[position].depth == target.depth)
    ):
        position = _subtree(items, position).stop
    items.insert(
        position,
        ConsolidatedArticle(
            number=f"{target.number} {_suffix(rank)}",
            depth=target.depth,
            kind=target.kind,
            heading=change.heading,
            body=change.body,
            state="added",
            amendment_number=amendment_number,
        ),
    )


def signed_amendments(convention: Convention) -> list[Amendment]:
    """The convention's signed avenants with `.changes_list` (two queries)."""
    amendments = list(
        convention.amendments.filter(signed_on__isnull=False)
        .prefetch_related("changes")
        .order_by("number")
    )
    for amendment in amendments:
        amendment.changes_list = sorted(amendment.changes.all(), key=lambda c: c.pk)
    return amendments


def consolidated_articles(
    convention: Convention, on: datetime.date, articles=None
) -> list[ConsolidatedArticle]:
    """The text of `convention` in force on `on`. Pass `articles` (numbered) if already read."""
    if articles is None:
        articles = convention.numbered_articles()
    return consolidate(articles, signed_amendments(convention), on)
