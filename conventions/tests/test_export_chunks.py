"""The CSV export reads conventions in chunks: memory bounded by a chunk, whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conventions.models import Convention
from tests.factories import ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_rows_stream_chunk_by_chunk_with_their_partners_in_order():
    academy = OrganisationFactory(academy=True, name="Académie")
    for number in range(7):
        partner = OrganisationFactory(name=f"Partenaire {number}")
        ConventionFactory(reference=f"C-{number}", parties=[academy, partner])
    rows = Convention.objects.order_by("reference").values_with_partner_names(
        "reference", chunk_size=3
    )
    with CaptureQueriesContext(connection) as queries:
        first = next(rows)
        # The first row is out once its chunk and that chunk's parties are read, not all rows.
        parties_read = sum("conventions_party" in q["sql"] for q in queries.captured_queries)
        assert parties_read == 1
        rest = list(rows)
    assert first == ("Académie, Partenaire 0", "C-0")
    assert [row[1] for row in rest] == [f"C-{n}" for n in range(1, 7)]
    assert rest[-1] == ("Académie, Partenaire 6", "C-6")
    # Seven rows in chunks of three: three chunks, one query for the parties of each.
    assert sum("conventions_party" in q["sql"] for q in queries.captured_queries) == 3
