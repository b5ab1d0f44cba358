"""Where the apps above `partners` add to its pages. `partners` imports none of them (see
docs/architecture.md): they register here, from their `AppConfig.ready()`.

- `list_columns`: a column of the list of organisations (the number of conventions), computed
  for the rows of the page only.
- `detail_sections`: a section of an organisation's page (its conventions).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ListColumn:
    """`header` over the values that `annotate(queryset)` puts in `attribute` (a subquery:
    evaluated for the page's rows only)."""

    header: str
    attribute: str
    annotate: Callable


@dataclass(frozen=True)
class DetailSection:
    """`template` rendered with the page's context plus `context(request, organisation)`
    (a bounded number of queries, the rows paginated)."""

    template: str
    context: Callable


list_columns: list[ListColumn] = []
detail_sections: list[DetailSection] = []


def register_list_column(column: ListColumn) -> None:
    if column not in list_columns:
        list_columns.append(column)


def register_detail_section(section: DetailSection) -> None:
    if section not in detail_sections:
        detail_sections.append(section)
