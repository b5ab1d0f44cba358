"""Database triggers that hold whatever path writes: the frozen text of signed conventions
(and the FTS5 index of the articles on SQLite).
Below every form and every path (admin, shell, bulk update, raw SQL): once a convention is
signed, its text cannot change; once an avenant is signed, neither can it; a stored signed
document is never rewritten. Database triggers, on SQLite and on PostgreSQL, refuse:

- a change to the text fields of a signed convention (its title, preamble, clauses, dates
  of signature...; the computed schedule, the référent and such stay writable);
- adding or changing an article, annex, party, or the convention's own signatories once it
  is signed (its avenants get their own signatories); a party that joins by an avenant
  (`joined_by`) is added and changed while that avenant is unsigned, then frozen with it;
  and a party moves to another organisation when a duplicate is merged away (`PARTY_MOVE`:
  what it prints stays);
- a change to a signed avenant's text, or to the article changes and withdrawals it makes;
- any change to a stored signed document (file, fingerprint).

Deleting stays governed by the application (PROTECT foreign keys, admin permissions), so
that removing a whole record set (tests, restores) works. The error is an IntegrityError
whose message contains "signed_text_frozen".

They are created by migrations 0006 and 0007 and installed again after every `migrate`
(`ConventionsConfig.ready` connects `install` to post_migrate): on SQLite a later migration
that rebuilds a table drops its triggers, and nothing would say so.
"""

from django.db import connection as default_connection

MESSAGE = "signed_text_frozen"

CONVENTION_TEXT = [
    "reference", "title", "short_title", "kind", "parent_id", "preamble", "signature_place",
    "effective_date", "notice_months", "provisional_months",
    "tacit_renewal", "renewal_months", "max_renewals", "requires_initials",
    "document_title", "has_cover", "cover", "parties_intro", "parties_outro", "articles_intro",
    "closing", "signatures_per_party", "letterhead_id", "preamble_heading",
    "intro_after_preamble", "with_letterhead",
]  # fmt: skip
# How the text gives the term: frozen too, except on a convention signed with its term
# unknown ("à compléter"), whose staff complete it once they find it.
CONVENTION_TERM = ["duration_months", "school_years", "fixed_last_day", "term_unknown"]
# Likewise its date of signature, on a convention known to be signed on an unknown date.
CONVENTION_SIGNATURE = ["signed_on", "signed_on_unknown"]
AMENDMENT_TEXT = ["convention_id", "number", "title", "body", "signature_place", "signed_on",
                  "effective_date", "new_duration_months", "new_last_day"]  # fmt: skip
SIGNED_DOCUMENT = ["convention_id", "amendment_id", "kind", "file", "sha256", "size", "sealed"]

# A signed convention's party may change organisation, and nothing else, when a duplicate
# organisation is merged into the one kept (`partners.merge`): it must then hold the name and
# address its text prints (`signed_organisation_*`, not NULL), so that the text stays. A
# party signed before migration 0014 kept them (NULL) gets them in the statement that moves
# it; the trigger trusts their values then, as it cannot compare them with the old
# organisation's: naming `partners_organisation` in a trigger would break the partners'
# migrations that rebuild that table on SQLite.
PARTY_MOVE = ["organisation_id", "signed_organisation_name", "signed_organisation_address"]

# (table, how the row finds whether its convention is signed: SQL on a row alias)
CHILDREN = {
    "conventions_article": "{row}.convention_id",
    "conventions_annex": "{row}.convention_id",
    "conventions_party": "{row}.convention_id",
}
# Rows that belong to an avenant: frozen once it is signed.
AMENDMENT_CHILDREN = ["conventions_articlechange", "conventions_partywithdrawal"]


def _joining(columns: dict[str, set[str]], op: str) -> str:
    """SQL true when a party row is one that joins by an avenant still unsigned: such a
    party is written (INSERT, UPDATE) on a signed convention until its avenant is signed."""
    if "joined_by_id" not in columns.get("conventions_party", set()):
        return "FALSE"
    row = "NEW" if op == "INSERT" else "OLD"
    same = "" if op == "INSERT" else " AND NEW.joined_by_id = OLD.joined_by_id"
    return (
        f"({row}.joined_by_id IS NOT NULL{same} AND EXISTS (SELECT 1 FROM "
        f"conventions_amendment a WHERE a.id = {row}.joined_by_id AND a.signed_on IS NULL))"
    )


def _columns(connection) -> dict[str, set[str]]:
    """The columns each frozen table has now. A migration of the past (0007) installs the
    triggers with this module as it is today: they must name only the columns its schema
    has, and `install` runs again after every migrate with the whole schema."""
    tables = ["conventions_convention", "conventions_amendment", "conventions_signeddocument",
              "conventions_party", "conventions_articlechange",
              "conventions_partywithdrawal"]  # fmt: skip
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return {
            table: {c.name for c in connection.introspection.get_table_description(cursor, table)}
            for table in tables
            if table in existing
        }


def _lists(columns: dict[str, set[str]]):
    def present(table, names):
        return [c for c in names if c in columns.get(table, set())]

    text = present("conventions_convention", CONVENTION_TEXT)
    term = present("conventions_convention", CONVENTION_TERM)
    signature = present("conventions_convention", CONVENTION_SIGNATURE)
    if "term_unknown" not in term:
        text, term = text + term, []
    if "signed_on_unknown" not in signature:
        text, signature = text + signature, []
    return (
        text,
        term,
        signature,
        present("conventions_amendment", AMENDMENT_TEXT),
        present("conventions_signeddocument", SIGNED_DOCUMENT),
    )


def _signed(columns: dict[str, set[str]], alias: str = "") -> str:
    """SQL true when the convention (its columns prefixed by `alias`) is signed: it has a
    date of signature, or is known to be signed on an unknown date."""
    if "signed_on_unknown" in columns.get("conventions_convention", set()):
        return f"({alias}signed_on IS NOT NULL OR {alias}signed_on_unknown)"
    return f"({alias}signed_on IS NOT NULL)"


def _party_move(columns: dict[str, set[str]], same) -> str:
    """SQL true when an UPDATE of a party only moves it (`PARTY_MOVE`); "" before migration
    0014 (no such columns: nothing is allowed)."""
    party = columns.get("conventions_party", set())
    if not set(PARTY_MOVE) <= party:
        return ""
    # Quoted: a party has a column named "group".
    unchanged = " AND ".join(same(f'"{c}"') for c in sorted(party - set(PARTY_MOVE)))
    kept = " AND ".join(same(c) for c in PARTY_MOVE[1:])
    return (
        "NEW.signed_organisation_name IS NOT NULL AND NEW.signed_organisation_address IS NOT "
        f"NULL AND {unchanged} AND (({kept}) OR OLD.signed_organisation_name IS NULL)"
    )


def _clauses(changed, term, signature) -> str:
    """The text changes allowed while a fact is unknown: the term, the date of signature."""
    clauses = ""
    if term:
        clauses += f" OR (NOT OLD.term_unknown AND ({changed(term)}))"
    if signature:
        clauses += f" OR (NOT OLD.signed_on_unknown AND ({changed(signature)}))"
    return clauses


def _sqlite(columns):
    statements = []
    text, term, signature, amendment_text, signed_document = _lists(columns)

    def changed(columns):
        return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns) or "0"

    statements.append(
        f"""CREATE TRIGGER conventions_convention_frozen BEFORE UPDATE ON conventions_convention
        WHEN {_signed(columns, "OLD.")}
            AND ({changed(text)}{_clauses(changed, term, signature)})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    )
    for table, convention in CHILDREN.items():
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD")):
            signed = (
                f"COALESCE((SELECT {_signed(columns)} FROM conventions_convention WHERE id = "
                f"{convention.format(row=row)}), 0)"
            )
            if table == "conventions_party":
                signed += f" AND NOT {_joining(columns, op)}"
            if table == "conventions_party" and op == "UPDATE":
                move = _party_move(columns, lambda c: f"NEW.{c} IS OLD.{c}")
                signed += f" AND NOT ({move})" if move else ""
            statements.append(
                f"""CREATE TRIGGER {table}_frozen_{op.lower()} BEFORE {op} ON {table}
                WHEN {signed} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
            )
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD")):
        statements.append(
            f"""CREATE TRIGGER conventions_signatory_frozen_{op.lower()}
            BEFORE {op} ON conventions_signatory
            WHEN {row}.amendment_id IS NULL AND COALESCE((SELECT {_signed(columns, "c.")}
                FROM conventions_party p JOIN conventions_convention c ON c.id = p.convention_id
                WHERE p.id = {row}.party_id), 0)
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        )
        for table in AMENDMENT_CHILDREN:
            if table not in columns:
                continue
            statements.append(
                f"""CREATE TRIGGER {table}_frozen_{op.lower()} BEFORE {op} ON {table}
                WHEN (SELECT signed_on FROM conventions_amendment WHERE id = {row}.amendment_id)
                    IS NOT NULL
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
            )
    statements.append(
        f"""CREATE TRIGGER conventions_amendment_frozen BEFORE UPDATE ON conventions_amendment
        WHEN OLD.signed_on IS NOT NULL AND ({changed(amendment_text)})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    )
    statements.append(
        f"""CREATE TRIGGER conventions_signeddocument_frozen
        BEFORE UPDATE ON conventions_signeddocument
        WHEN {changed(signed_document)} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    )
    return statements


def _sqlite_drop():
    names = ["conventions_convention_frozen", "conventions_amendment_frozen",
             "conventions_signeddocument_frozen"]  # fmt: skip
    for op in ("insert", "update"):
        names += [f"{table}_frozen_{op}" for table in CHILDREN]
        names += [f"conventions_signatory_frozen_{op}"]
        names += [f"{table}_frozen_{op}" for table in AMENDMENT_CHILDREN]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def _postgresql(columns):
    text, term, signature, amendment_text, signed_document = _lists(columns)

    def changed(columns):
        return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns) or "FALSE"

    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    row = "CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END"
    functions = {
        "conventions_convention": f"""
            IF {_signed(columns, "OLD.")}
                AND ({changed(text)}{_clauses(changed, term, signature)}) THEN {raise_} END IF;
        """,
        "conventions_amendment": f"""
            IF OLD.signed_on IS NOT NULL AND ({changed(amendment_text)}) THEN {raise_} END IF;
        """,
        "conventions_signeddocument": f"""
            IF {changed(signed_document)} THEN {raise_} END IF;
        """,
        "conventions_signatory": f"""
            IF ({row}).amendment_id IS NULL AND EXISTS (
                SELECT 1 FROM conventions_party p JOIN conventions_convention c
                ON c.id = p.convention_id WHERE p.id = ({row}).party_id
                AND {_signed(columns, "c.")}) THEN {raise_} END IF;
        """,
    }
    for table in AMENDMENT_CHILDREN:
        if table in columns:
            functions[table] = f"""
                IF EXISTS (SELECT 1 FROM conventions_amendment WHERE id = ({row}).amendment_id
                    AND signed_on IS NOT NULL) THEN {raise_} END IF;
            """
    for table in CHILDREN:
        joining = ""
        if table == "conventions_party":
            joining = (
                f" AND NOT (CASE WHEN TG_OP = 'INSERT' THEN {_joining(columns, 'INSERT')} "
                f"ELSE {_joining(columns, 'UPDATE')} END)"
            )
        functions[table] = f"""
            IF EXISTS (SELECT 1 FROM conventions_convention WHERE id = ({row}).convention_id
                AND {_signed(columns)}){joining} THEN {raise_} END IF;
        """
    move = _party_move(columns, lambda c: f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}")
    if move:
        functions["conventions_party"] = f"""
            IF TG_OP = 'UPDATE' THEN IF {move} THEN RETURN NEW; END IF; END IF;
        """ + functions["conventions_party"]
    statements = []
    for table, body in functions.items():
        ops = "UPDATE" if table in (
            "conventions_convention", "conventions_amendment", "conventions_signeddocument"
        ) else "INSERT OR UPDATE"  # fmt: skip
        statements.append(
            f"""CREATE FUNCTION {table}_frozen() RETURNS trigger AS $$
            BEGIN {body} RETURN NEW; END; $$ LANGUAGE plpgsql"""
        )
        statements.append(
            f"""CREATE TRIGGER {table}_frozen BEFORE {ops} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_frozen()"""
        )
    return statements


def _postgresql_drop():
    tables = ["conventions_convention", "conventions_amendment", "conventions_signeddocument",
              "conventions_signatory", *AMENDMENT_CHILDREN, *CHILDREN]  # fmt: skip
    return [f"DROP FUNCTION IF EXISTS {table}_frozen() CASCADE" for table in tables]


FTS_TRIGGERS = [
    """CREATE TRIGGER conventions_article_fts_insert AFTER INSERT ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(rowid, heading, body)
        VALUES (new.id, new.heading, new.body);
    END""",
    """CREATE TRIGGER conventions_article_fts_delete AFTER DELETE ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(conventions_article_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
    END""",
    """CREATE TRIGGER conventions_article_fts_update AFTER UPDATE ON conventions_article BEGIN
        INSERT INTO conventions_article_fts(conventions_article_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
        INSERT INTO conventions_article_fts(rowid, heading, body)
        VALUES (new.id, new.heading, new.body);
    END""",
]
# The search document of conventions (conventions.search) on SQLite: an FTS5 index, its
# text held by the convention row (external content), kept by these triggers.
SEARCH_FTS_CREATE = """CREATE VIRTUAL TABLE conventions_convention_fts USING fts5(
    search_document, content='conventions_convention', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2')"""
SEARCH_FTS_TRIGGERS = [
    """CREATE TRIGGER conventions_search_fts_insert AFTER INSERT ON conventions_convention
    BEGIN
        INSERT INTO conventions_convention_fts(rowid, search_document)
        VALUES (new.id, new.search_document);
    END""",
    """CREATE TRIGGER conventions_search_fts_delete AFTER DELETE ON conventions_convention
    BEGIN
        INSERT INTO conventions_convention_fts(conventions_convention_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    """CREATE TRIGGER conventions_search_fts_update
    AFTER UPDATE OF search_document ON conventions_convention BEGIN
        INSERT INTO conventions_convention_fts(conventions_convention_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO conventions_convention_fts(rowid, search_document)
        VALUES (new.id, new.search_document);
    END""",
]
SEARCH_FTS_TRIGGER_NAMES = [
    "conventions_search_fts_insert",
    "conventions_search_fts_delete",
    "conventions_search_fts_update",
]
SEARCH_FTS_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SEARCH_FTS_TRIGGER_NAMES] + [
    "DROP TABLE IF EXISTS conventions_convention_fts"
]
# The words of each convention's articles on PostgreSQL, for the search (migration
# 0023_article_words): one stripped French tsvector per convention, accents removed, in the
# column `conventions_convention.article_words` (not a model field: Django never reads it)
# under a GIN index. One value per convention rather than an index on 2.5 million articles:
# the search is then a condition on the convention's own row, which PostgreSQL estimates
# (a word in every article: walk the list's order and stop at the page; a rare word: the
# index) instead of gathering every matching article first (seconds for a common word at
# 100,000 conventions). Kept by statement triggers whatever path writes the articles (raw
# SQL included), and written with the search document (`conventions.search`).
ARTICLE_WORDS_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION conventions_article_words(convention_pk bigint)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT strip(to_tsvector('french', unaccent(coalesce(
            string_agg(coalesce(heading, '') || ' ' || coalesce(body, ''), ' '), ''))))
        FROM conventions_article WHERE convention_id = convention_pk
    $$""",
    """CREATE OR REPLACE FUNCTION conventions_article_words_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN
        UPDATE conventions_convention SET article_words = conventions_article_words(id)
        WHERE id IN (SELECT DISTINCT convention_id FROM changed_articles);
        RETURN NULL;
    END $$""",
]
ARTICLE_WORDS_TRIGGERS = {
    f"conventions_article_words_{op.lower()}": f"""CREATE TRIGGER
        conventions_article_words_{op.lower()} AFTER {op} ON conventions_article
        REFERENCING {"OLD" if op == "DELETE" else "NEW"} TABLE AS changed_articles
        FOR EACH STATEMENT EXECUTE FUNCTION conventions_article_words_refresh()"""
    for op in ("INSERT", "UPDATE", "DELETE")
}
ARTICLE_WORDS_DROP = [
    f"DROP TRIGGER IF EXISTS {name} ON conventions_article" for name in ARTICLE_WORDS_TRIGGERS
]
FTS_TRIGGER_NAMES = [
    "conventions_article_fts_insert",
    "conventions_article_fts_delete",
    "conventions_article_fts_update",
]


def install(connection=default_connection):
    """(Re)create every trigger of this module: idempotent, a few milliseconds."""
    if connection.vendor == "sqlite":
        statements = _sqlite_drop() + _sqlite(_columns(connection))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                "'conventions_article_fts'"
            )
            if cursor.fetchone():
                statements += [f"DROP TRIGGER IF EXISTS {n}" for n in FTS_TRIGGER_NAMES]
                statements += FTS_TRIGGERS
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                "'conventions_convention_fts'"
            )
            if cursor.fetchone():
                statements += [f"DROP TRIGGER IF EXISTS {n}" for n in SEARCH_FTS_TRIGGER_NAMES]
                statements += SEARCH_FTS_TRIGGERS
    elif connection.vendor == "postgresql":
        columns = _columns(connection)
        statements = _postgresql_drop() + _postgresql(columns)
        if "article_words" in columns.get("conventions_convention", ()):
            statements += ARTICLE_WORDS_FUNCTIONS + ARTICLE_WORDS_DROP
            statements += list(ARTICLE_WORDS_TRIGGERS.values())
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection=default_connection):
    statements = {"sqlite": _sqlite_drop, "postgresql": _postgresql_drop}.get(
        connection.vendor, list
    )()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# For migrations whose operations make SQLite rebuild a frozen table: the triggers that
# name the table would break the rebuild. `RunPython(migration_uninstall, migration_install)`
# first and `RunPython(migration_install, migration_uninstall)` last lift them around the
# rebuild, both ways, and never leave a database migrated by steps without them.


def migration_uninstall(apps, schema_editor):
    uninstall(schema_editor.connection)


def migration_install(apps, schema_editor):
    install(schema_editor.connection)
