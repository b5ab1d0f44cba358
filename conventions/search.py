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

from django.contrib.postgres.search import SearchQuery, SearchVectorExact, SearchVectorField
from django.db import connection, models

from config.bulk import update_rows
from partners.models import Contact, Organisation

from .extensions import search_text_providers
from .models import Annex, Convention, ExternalReference, Party, Signatory

BATCH = 500


def normalise(text: str) -> str:
    """ "Pôle Emploi’s" -> "pole emploi's", "Œuvre" -> "oeuvre": lower case, no accents nor
    ligatures (as PostgreSQL's `unaccent`, which writes the words of the articles), one
    space."""
    decomposed = unicodedata.normalize(
        "NFKD", (text or "").replace("’", "'").lower().translate(LIGATURES)
    )
    # Only the non-ASCII characters are looked at: a third of the time `generate_data`
    # spent on documents went to this line when it went through every character.
    plain = NON_ASCII.sub(_without_accent, decomposed)
    return " ".join(plain.split())


NON_ASCII = re.compile(r"[^\x00-\x7f]")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def _without_accent(match: re.Match) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


class ArticleWords(models.Expression):
    """The words of a convention's articles on PostgreSQL: the column `article_words` that
    migration 0023 adds and its triggers keep (not a model field, so that no query reads it
    but the search), under whatever alias the query gives the conventions' table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return (
            f"{compiler.quote_name(alias)}.{connection.ops.quote_name('article_words')}",
            [],
        )

    @classmethod
    def match(cls, words: str):
        """`article_words @@ websearch_to_tsquery('french', words)`, `words` without accents
        (`conventions.search.normalise`): a constant that PostgreSQL computes once, where
        `unaccent()` in the query would be computed again for every row it reads."""
        return SearchVectorExact(
            cls(), SearchQuery(words, config="french", search_type="websearch")
        )


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
    return {pk: _document(texts.get(pk, [])) for pk in ids}


def _document(texts: list[str]) -> str:
    """The texts normalised, each once: one already in the document (a short title within
    the title, an action repeated in every year's plan) adds nothing a search could find,
    and each search reads every document it passes (those of the generated conventions are
    less than half as long: make bench)."""
    document = ""
    for text in texts:
        text = normalise(text)
        if text and text not in document:
            document = f"{document} {text}" if document else text
    return document


def refresh_search_documents(ids) -> int:
    """Rewrite the search documents of the conventions of `ids`, by batches; on PostgreSQL
    the words of their articles too (`article_words`, migration 0023), in the same
    statement: a bulk load that wrote the articles before their conventions (`generate_data`)
    left them empty."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        rows = list(documents(batch).items())
        if connection.vendor == "postgresql":
            _write_postgresql(rows)
        else:
            update_rows(Convention, ["search_document"], rows)
    return len(ids)


def _write_postgresql(rows):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conventions_convention SET search_document = written.document, "
            "article_words = conventions_article_words(written.id) "
            "FROM unnest(%s::bigint[], %s::text[]) AS written(id, document) "
            "WHERE conventions_convention.id = written.id",
            [[pk for pk, _ in rows], [document for _, document in rows]],
        )


def refresh_after_renaming(sender, instance, created=False, raw=False, **kwargs):
    """After an organisation or a person is saved (renamed, merged into): the search
    documents that print its names. At once for a few conventions; by the worker for more
    (`refresh_search_task`), an organisation party to thousands of them taking seconds."""
    if created or raw:  # nothing prints it yet; loaddata: the documents come with it
        return
    if isinstance(instance, Organisation):
        rows = Party.objects.filter(organisation=instance)
    else:
        rows = Contact.objects.filter(person=instance)
    ids = sorted(set(rows.values_list("convention_id", flat=True)))
    if len(ids) <= BATCH:
        refresh_search_documents(ids)
    else:
        from .tasks import refresh_search_task

        refresh_search_task.enqueue(ids)
