"""The search document of a convention: every text a person may type to find it, besides its
articles (searched through their own index), in one normalised column.

Its parties (as written, their organisations' names and acronyms), signatories,
correspondents, external references, annexes, and what upper apps register (`actions`: the
plans and actions), lower-cased and without accents, so that « pole emploi » finds « Pôle
emploi » the same way on SQLite and PostgreSQL. Rewritten after every write of the
convention (`convention_changed`), and in batches by `generate_data` and the
`refresh_search` command.
"""

import re
import unicodedata
from collections import defaultdict

from config.bulk import update_rows
from partners.models import Contact

from .extensions import search_text_providers
from .models import Annex, Convention, ExternalReference, Party, Signatory

BATCH = 500


def normalise(text: str) -> str:
    """ "Pôle Emploi’s" -> "pole emploi's": lower case, no accents, one space."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("’", "'").lower())
    # Only the non-ASCII characters are looked at: a third of the time `generate_data`
    # spent on documents went to this line when it went through every character.
    plain = NON_ASCII.sub(_without_accent, decomposed)
    return " ".join(plain.split())


NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_accent(match: re.Match) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def documents(ids: list[int]) -> dict[int, str]:
    """The search document of each convention of `ids` (seven queries, and the providers')."""
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, *values in (
        Convention.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "reference", "title", "short_title")
    ):
        texts[pk].extend(values)
    for row in Party.objects.order_by("position", "pk").filter(convention_id__in=ids).values_list(
        "convention_id", "name_as_written", "designation", "group", "organisation__name",
        "organisation__short_name",
    ):  # fmt: skip
        texts[row[0]].extend(row[1:])
    for row in (
        Signatory.objects.order_by("party__position", "pk")
        .filter(party__convention_id__in=ids)
        .values_list("party__convention_id", "name", "title")
    ):
        texts[row[0]].extend(row[1:])
    for row in (
        Contact.objects.order_by("position", "pk")
        .filter(convention_id__in=ids)
        .values_list("convention_id", "person__first_name", "person__last_name", "title")
    ):
        texts[row[0]].extend(row[1:])
    for row in (
        ExternalReference.objects.order_by("label", "pk")
        .filter(convention_id__in=ids)
        .values_list("convention_id", "label", "value")
    ):
        texts[row[0]].extend(row[1:])
    for row in (
        Annex.objects.order_by("position", "pk")
        .filter(convention_id__in=ids)
        .values_list("convention_id", "title", "body")
    ):
        texts[row[0]].extend(row[1:])
    for provider in search_text_providers:
        for pk, more in provider(ids).items():
            texts[pk].extend(more)
    return {pk: normalise(" ".join(t for t in texts.get(pk, []) if t)) for pk in ids}


def refresh_search_documents(ids) -> int:
    """Rewrite the search documents of the conventions of `ids`, by batches."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        update_rows(Convention, ["search_document"], list(documents(batch).items()))
    return len(ids)
