"""Hostile values posted to the review form of an imported document never give a 500, and a
refused confirmation stores nothing: no convention, organisation nor signed document, and
the import stays « à vérifier » (issue 18, point 5; the pattern of tests/test_hostile_input)."""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from conventions.models import Convention
from partners.models import Organisation
from reprise.enums import ImportState
from reprise.models import DocumentImport
from reprise.tests import documents
from reprise.tests.test_pages import SHORT, imported, page_forms, review_data
from tests.test_hostile_input import SETTINGS, VALUES

FIELDS = [
    "reference", "title", "short_title", "kind", "parent", "signature_place", "signed_on",
    "signed_on_unknown", "effective_date", "term", "duration_months", "ends_on", "school_years",
    "notice_months", "tacit_renewal", "renewal_months", "max_renewals", "provisional_months",
    "parties-0-organisation", "parties-1-organisation", "parties-1-new_name",
    "parties-1-new_siret", "parties-1-signatory_name", "parties-TOTAL_FORMS",
    "parties-INITIAL_FORMS",
]  # fmt: skip


@pytest.fixture
def review(manager_client, academy):
    record = imported(manager_client, "courte.docx", documents.to_docx(SHORT))
    return record, review_data(page_forms(manager_client, record), reference="EX-2019")


@SETTINGS
@given(changes=st.dictionaries(st.sampled_from(FIELDS), VALUES, min_size=1, max_size=4))
def test_hostile_values_never_crash_and_a_refusal_creates_nothing(manager_client, review, changes):
    record, data = review
    with transaction.atomic():
        before = (Convention.objects.count(), Organisation.objects.count())
        response = manager_client.post(f"/reprise/{record.pk}/", {**data, **changes})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert (Convention.objects.count(), Organisation.objects.count()) == before
            assert DocumentImport.objects.get(pk=record.pk).state == ImportState.TO_REVIEW
        transaction.set_rollback(True)
