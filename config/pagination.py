"""Pages of a list whose total is counted only up to a bound.

An exact `COUNT(*)` over a filtered join of 100,000 conventions costs more than the page
it numbers (make bench). `BoundedPaginator` counts at most `limit + 1` rows
(`SELECT COUNT(*) FROM (… LIMIT 1001)`), which the database stops reading as soon as it
has them: past the bound the list says « plus de 1 000 » and offers the pages up to it;
narrowing the filters or reversing the sort reaches the rest.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import IntegerField, Subquery

COUNT_LIMIT = 1000


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit or COUNT_LIMIT

    @cached_property
    def _bounded_count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "query"):
            return _count_up_to(rows, self.limit + 1)
        return len(rows[: self.limit + 1])

    @property
    def capped(self) -> bool:
        """True when there are more rows than the bound: `count` is then the bound."""
        return self._bounded_count > self.limit

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def display_count(self) -> str:
        """« 57 », « 1 000 », or « plus de 1 000 » past the bound."""
        if self.capped:
            return f"plus de {_thousands(self.limit)}"
        return _thousands(self.count)


class AdminPaginator(BoundedPaginator):
    """For an admin change list, which prints `count`: « plus de 1 000 » past the bound
    (`ModelAdmin.get_paginator`)."""

    @cached_property
    def count(self) -> "BoundedCount":
        count = BoundedCount(min(self._bounded_count, self.limit))
        count.capped = self.capped
        return count


class OrderedIdsPaginator(BoundedPaginator):
    """For a costly filter (the search): its rows' ids, in order, read once up to the bound
    — the count and every page come from them — then the page's rows by their ids
    (`rows(ids)`, a queryset with what the page shows). The filter runs once per page,
    where counting, then reading the page, ran it twice."""

    def __init__(self, queryset, per_page, *, rows, **kwargs):
        super().__init__(queryset, per_page, **kwargs)
        self.rows = rows

    @cached_property
    def ids(self) -> list:
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def _bounded_count(self) -> int:
        return len(self.ids)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.ids[bottom : min(bottom + self.per_page, self.count)]
        found = {row.pk: row for row in self.rows(ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


class BoundedCount(int):
    """A count read up to a bound (`bounded_count`): an int that knows whether it was cut
    and reads « plus de 1 000 » when it was."""

    capped = False

    def __str__(self):
        return f"plus de {_thousands(int(self))}" if self.capped else _thousands(int(self))


def _count_up_to(queryset, most: int) -> int:
    """COUNT(*) of at most `most` rows, in no order and without the rows' related objects:
    the database stops at `most`, by whichever index is quickest."""
    return queryset.select_related(None).prefetch_related(None).order_by()[:most].count()


def bounded_count(queryset, limit: int | None = None) -> BoundedCount:
    limit = limit or COUNT_LIMIT
    found = _count_up_to(queryset, limit + 1)
    count = BoundedCount(min(found, limit))
    count.capped = found > limit
    return count


class BoundedSubqueryCount(Subquery):
    """`COUNT(*)` of a correlated subquery's rows, read up to `COUNT_LIMIT + 1`: per row of
    a page, the count stops at the bound (`as_bounded_count` then reads « plus de 1 000 »)
    instead of reading, say, every convention of the académie."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS bounded)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by()[: COUNT_LIMIT + 1], **extra)


def as_bounded_count(found: int | None) -> BoundedCount:
    """A count read by `BoundedSubqueryCount`, as a BoundedCount."""
    found = found or 0
    count = BoundedCount(min(found, COUNT_LIMIT))
    count.capped = found > COUNT_LIMIT
    return count


def more_than(queryset, number: int) -> bool:
    """Whether `queryset` has more than `number` rows, reading at most `number + 1`."""
    return _count_up_to(queryset, number + 1) > number
