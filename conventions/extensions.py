"""Where the apps above `conventions` plug into it. `conventions` imports none of them (see
docs/architecture.md): they register here, from their `AppConfig.ready()`.

- Signals sent by the write services (`conventions.services`, and `actions.services` for the
  changes of a convention's yearly cycle), inside their transaction, so that what a receiver
  raises rolls the write back:
  - `convention_changed(convention=...)`: after every change to a convention or to what
    belongs to it. The échéancier recomputes the stored status, dates and deadlines.
  - `convention_signed(convention=...)`: once, when the last party has signed. The documents
    app records the signed PDF to store, which its worker stores after the commit.
  - `amendment_signed(amendment=...)`: once, when the last party has signed an avenant.
- `signature_rolled_back()`: sent by the signature services (`convention_sign`,
  `amendment_sign`) after their transaction (or savepoint) was rolled back instead of
  committed: an error in a receiver, a locked database at any query or at the COMMIT. What a
  receiver wrote outside the database for it (the documents app: the signed PDF's file) is
  to be removed.
- Sections of the convention page (`page_sections`): what an upper app shows on it (the
  documents, the action plans), each a template and the context it needs.
- Kinds of history rows (`history_kinds`): the rows of upper apps' models that belong to a
  convention, for its « Historique » page.
- The convention's data (`convention_data`): one convention in the interchange format of
  docs/format.md, as a dict, written by `interchange` (its only writer); the documents app
  attaches it, as JSON, to a signed PDF.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.dispatch import Signal

convention_changed = Signal()
convention_signed = Signal()
amendment_signed = Signal()
signature_rolled_back = Signal()


@dataclass(frozen=True)
class PageSection:
    """A part of the convention page, shown in `slot` ("documents" after the key dates,
    "cycle" after the linked conventions) and listed in its summary as `title` (`#anchor`):
    `template` rendered with the page's context plus what `context(request, convention,
    page)` returns (`page`: the page's own context; a bounded number of queries).

    `parts`: the convention's reverse relations it lists. The page reads, with the
    convention, whether it has any of each (`convention.has_<part>`), and the section reads
    only those it has (`if_any`)."""

    slot: str
    anchor: str
    title: str
    template: str
    context: Callable
    parts: tuple[str, ...] = ()


page_sections: list[PageSection] = []


def register_page_section(section: PageSection) -> None:
    if section not in page_sections:
        page_sections.append(section)


def section_parts() -> list[str]:
    return [part for section in page_sections for part in section.parts]


def if_any(convention, part, rows):
    """`rows` if the convention has some `part` (`Convention.read_parts`), else an
    empty list: no query (`QuerySet.none()` would still be compiled)."""
    return rows if getattr(convention, f"has_{part}") else []


def sections_context(request, convention, page: dict) -> dict:
    """The page's sections by slot, and their context merged into the page's."""
    slots = {}
    for section in page_sections:
        slots.setdefault(section.slot, []).append(section)
        page.update(section.context(request, convention, page))
    page["sections"] = slots
    return page


@dataclass(frozen=True)
class HistoryKind:
    """Rows of `model` (tracked by django-simple-history) that belong to a convention:
    `scope(convention_id, history_of)` returns the `Q` that selects them in the history table
    (`history_of(model)` is another model's history table, to go through a parent)."""

    kind: str
    model: type
    scope: Callable[[int, Callable], Q] | None = None


history_kinds: list[HistoryKind] = []


def register_history_kind(kind: HistoryKind) -> None:
    if all(k.kind != kind.kind for k in history_kinds):
        history_kinds.append(kind)


# The function that writes one convention in the interchange format: one, registered by
# `interchange` (a list, as the other extension points, so that registering twice is
# harmless).
convention_data_writers: list[Callable] = []


def register_convention_data(writer: Callable) -> None:
    if writer not in convention_data_writers:
        convention_data_writers.append(writer)


def convention_data(convention) -> dict:
    """`convention` in the interchange format (docs/format.md): a file's document with the
    organisations, people and mandates it names, and the convention with every key (parties,
    articles, annexes, contacts, avenants, the yearly cycle, money), which
    `load_conventions` reads back."""
    if len(convention_data_writers) != 1:
        raise ImproperlyConfigured(
            "One writer of the convention's data must be registered (the interchange app), "
            f"not {len(convention_data_writers)}."
        )
    return convention_data_writers[0](convention)


# Texts of an upper app that the search finds a convention by (`actions`: its plans and
# actions). Each provider takes convention ids and returns {id: [text, ...]}, in a bounded
# number of queries.
search_text_providers: list[Callable] = []


def register_search_texts(provider: Callable) -> None:
    if provider not in search_text_providers:
        search_text_providers.append(provider)
