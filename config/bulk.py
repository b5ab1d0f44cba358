"""Many rows of one model written from plain tuples, in one statement.

`QuerySet.bulk_update` builds a CASE expression per row and field: storing the schedule of
500 conventions (8 fields) cost 2 s of Python, four fifths of a schedule refresh (profile of
`generate_data`, issue 20); `bulk_create` builds and checks a model instance per row. These
write the same rows from tuples: on PostgreSQL one statement over `unnest` arrays (or a
`COPY`, for bulk loads), on SQLite one `executemany`. Either way one query as Django counts
them (`COPY` is not counted). Like `bulk_create` and `bulk_update`, they call no `save()`,
send no signal and write no history row.

The columns a row does not give take the model's default (`default`, `auto_now`...), as
`bulk_create` would store them; a default that must differ between rows (a unique token)
has to be given.
"""

import enum
from collections.abc import Iterable, Sequence

from django.db import connection


def _value(value):
    return value.value if isinstance(value, enum.Enum) else value


def _columns(model, fields: Sequence[str]):
    """The fields named (attnames), then the other concrete fields with the model's default
    for them, ready for the database."""
    named = [model._meta.get_field(name) for name in fields]
    attnames = {field.attname for field in named}
    template = model()
    others = [
        field
        for field in model._meta.concrete_fields
        if field.attname not in attnames and not field.primary_key
    ]
    defaults = tuple(
        _value(field.get_db_prep_save(field.pre_save(template, True), connection))
        for field in others
    )
    return named + others, defaults


def _quote(fields) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


def _arrays(fields, rows):
    """`unnest(%s::type[], ...)` and its parameters: one array per column."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    sql = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    return sql, [list(column) for column in columns]


def insert_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert `rows`, tuples of the values of `fields` (attnames, the primary key among them
    or not, values as the database takes them: str, int, date, Decimal...), the other
    columns taking the model's defaults (an automatic primary key: the next one)."""
    if not rows:
        return
    columns, defaults = _columns(model, fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays, params = _arrays(columns[: len(fields)], rows)
            constants = "".join(
                f", %s::{field.cast_db_type(connection)}" for field in columns[len(fields) :]
            )
            cursor.execute(
                f"INSERT INTO {table} ({_quote(columns)}) "
                f"SELECT *{constants} FROM unnest({arrays})",
                params + list(defaults),
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({_quote(columns)}) VALUES ({marks})",
                [tuple(row) + defaults for row in rows],
            )


def copy_rows(model, fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """`insert_rows` for a bulk load: PostgreSQL's `COPY`, which streams the rows as they
    come (a generator is read once, in constant memory)."""
    if connection.vendor != "postgresql":
        insert_rows(model, fields, list(rows))
        return
    columns, defaults = _columns(model, fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({_quote(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row + defaults)


def update_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Set `fields` (attnames) of the rows given as `(pk, *values)` tuples."""
    if not rows:
        return
    named = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays, params = _arrays([pk, *named], rows)
            names = [f"c{n}" for n in range(len(named))]
            assignments = ", ".join(
                f"{connection.ops.quote_name(field.column)} = u.{name}"
                for field, name in zip(named, names, strict=True)
            )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) "
                f"AS u(pk, {', '.join(names)}) "
                f"WHERE {table}.{connection.ops.quote_name(pk.column)} = u.pk",
                params,
            )
        else:
            assignments = ", ".join(
                f"{connection.ops.quote_name(field.column)} = %s" for field in named
            )
            cursor.executemany(
                f"UPDATE {table} SET {assignments} "
                f"WHERE {connection.ops.quote_name(pk.column)} = %s",
                [(*row[1:], row[0]) for row in rows],
            )
