"""What the apps above `jobs` render and export in the background: they register here, from
their `AppConfig.ready()`, since `jobs` imports none of them (docs/architecture.md).

- A renderer (`register_renderer`): a function of a `Render` row that does the work (print
  its HTML as a PDF, store a signed PDF) and returns the name, in the default storage, of the
  file it wrote ("" when the file it made is kept elsewhere, as a signed document is).
- An export (`register_export`): the CSV of a list, rebuilt by the worker from the query
  string of the request that asked for it (the list's filters): its header, its rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

renderers: dict[str, Callable] = {}


def register_renderer(kind: str, render: Callable) -> None:
    if renderers.get(kind, render) is not render:
        raise ImproperlyConfigured(f"Two renderers for {kind!r}")
    renderers[kind] = render


@dataclass(frozen=True)
class ExportKind:
    """`rows(params)`: the rows of the CSV for the query string `params` (a QueryDict), read
    in chunks; `title`: what the export page calls it (« la liste des conventions »);
    `filename`: the file's name before its date (« conventions »)."""

    title: str
    filename: str
    header: list[str]
    rows: Callable[..., Iterable[list]]


exports: dict[str, ExportKind] = {}


def register_export(kind: str, export: ExportKind) -> None:
    if exports.get(kind, export) != export:
        raise ImproperlyConfigured(f"Two exports for {kind!r}")
    exports[kind] = export
