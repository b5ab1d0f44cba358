"""An index for each sort of the conventions list, both ways, the reference breaking ties
(`conventions.filters.ConventionFilter.qs`: empty dates last either way): the database reads
a page from the index in order instead of sorting every convention (make bench, 100,000
conventions). The default order, signed_on descending, has `convention_list_order` (0011).

As 0011, by vendor: SQLite takes no NULLS LAST in an index (its NULLs sort first going up,
last going down), so there the ascending indexes on dates put them first."""

from django.db import migrations

SORTED = [("title", "title"), ("status", "status"), ("signed_on", "signed"),
          ("current_term_end", "end"), ("notice_deadline", "notice")]  # fmt: skip


def _indexes(vendor):
    for column, short in SORTED:
        for way in ("asc", "desc"):
            if (column, way) == ("signed_on", "desc"):
                continue
            nulls = " NULLS LAST" if vendor == "postgresql" else ""
            yield (
                f"convention_sort_{short}_{way}",
                f"({column} {way.upper()}{nulls}, reference)",
            )


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for name, columns in _indexes(vendor):
        schema_editor.execute(f"CREATE INDEX {name} ON conventions_convention {columns}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for name, _ in _indexes(vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("conventions", "0021_search_document")]

    operations = [migrations.RunPython(create, drop)]
