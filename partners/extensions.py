"""Where the apps above `partners` add to its pages. `partners` imports none of them (see
docs/architecture.md): they register here, from their `AppConfig.ready()`.

- `list_columns`: a column of the list of organisations (the number of conventions), computed
  for the rows of the page only.
- `detail_sections`: a section of an organisation's page (its conventions).
- `merge_keeps`: rows that print an organisation's name and must go on printing the same
  when it is merged into another (the parties of signed conventions: `partners.merge`).
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
    display: Callable = str  # the value as the list shows it


@dataclass(frozen=True)
class DetailSection:
    """`template` rendered with the page's context plus `context(request, organisation)`
    (a bounded number of queries, the rows paginated)."""

    template: str
    context: Callable


@dataclass(frozen=True)
class MergeKeep:
    """Among the rows of `model` (a label: "conventions.party") that point to an organisation
    merged away, `rows(queryset)` are those that print its name: the UPDATE that moves them
    also sets the columns `values(organisation)` gives, so that they print the same."""

    model: str
    rows: Callable
    values: Callable


list_columns: list[ListColumn] = []
detail_sections: list[DetailSection] = []
merge_keeps: list[MergeKeep] = []


def register_list_column(column: ListColumn) -> None:
    if column not in list_columns:
        list_columns.append(column)


def register_detail_section(section: DetailSection) -> None:
    if section not in detail_sections:
        detail_sections.append(section)


def register_merge_keep(keep: MergeKeep) -> None:
    if keep not in merge_keeps:
        merge_keeps.append(keep)
