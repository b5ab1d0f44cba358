"""The keys of the shapes real conventions take beyond the seeds: a term by school years or
by a fixed last day, `unknown` facts, a prolongation to a date, references outside the
application, the parent's article, offices, delegations and joint designations."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conventions.enums import ConventionStatus
from conventions.models import Convention, Signatory

pytestmark = pytest.mark.django_db

FILE = """
organisations:
  - {name: "Académie de Paris", legal_form: state, is_academy: true}
  - {name: "Université Paris Cité", legal_form: public_body}
  - {name: "Sorbonne Université", legal_form: public_body}
  - {name: "CNES", legal_form: public_body}
conventions:
  - reference: "SORBONNE-2016"
    title: "Convention entre l'académie de Paris et les universités"
    short_title: "Universités 2016"
    signature_place: "Paris"
    signed_on: 2016-06-20
    effective_date: 2016-09-01
    school_years: 3
    notice_months: 3
    parties:
      - organisation: "Académie de Paris"
        signatory: {name: "", title: "Le recteur de l'académie de Paris",
                    delegation: "Pour le recteur et par délégation",
                    delegation_act: "arrêté du 1er septembre 2015",
                    signed_on: 2016-06-20, place: "Paris"}
      - organisation: "Université Paris Cité"
        group: "l'Université"
        signatory: {name: "Claire Martin", title: "Présidente", signed_on: 2016-06-10,
                    place: "Paris"}
      - organisation: "Sorbonne Université"
        group: "l'Université"
        signatory: {name: "Jean Dupont", title: "Président", signed_on: 2016-06-12,
                    place: "Paris"}
    articles:
      - {heading: "Objet", body: "La présente convention..."}
  - reference: "CNES-2004"
    title: "Accord de partenariat avec le CNES"
    short_title: "CNES"
    signed_on: unknown
    duration_months: unknown
    external_references:
      - {label: "N° CNES", value: "CNES/90552"}
    parties:
      - organisation: "Académie de Paris"
      - organisation: "CNES"
    financial_commitments:
      - payer: "Académie de Paris"
        payee: "CNES"
        label: "Subvention de fonctionnement"
        amount: "30000.00"
        period: yearly
        imputation: "BOP 214, action 08"
        schedule:
          - {due_on: 2005-06-30, amount: "10000.00"}
          - {due_on: 2005-12-31, amount: "20000.00"}
        payments:
          - {paid_on: 2005-07-02, amount: "10000.00", reference: "Mandat 2005-77"}
  - reference: "PROLONGEE-2020"
    title: "Convention prolongée"
    short_title: "Prolongée"
    signature_place: "Paris"
    signed_on: 2020-07-07
    duration_months: 36
    parties:
      - organisation: "Académie de Paris"
        signatory: {name: "A", title: "Recteur", signed_on: 2020-07-07, place: "Paris"}
      - organisation: "CNES"
        signatory: {name: "B", title: "Président", signed_on: 2020-07-01, place: "Paris"}
    amendments:
      - number: 1
        title: "Prolongation"
        signed_on: 2023-05-02
        new_ends_on: 2023-12-31
        signatories:
          - {party: "Académie de Paris", name: "A", title: "Recteur", signed_on: 2023-05-02,
             place: "Paris"}
          - {party: "CNES", name: "B", title: "Président", signed_on: 2023-05-01,
             place: "Paris"}
      - number: 2
        title: "Adhésion de Sorbonne Université"
        signed_on: 2023-06-15
        effective_date: 2023-07-01
        parties_added:
          - organisation: "Sorbonne Université"
            designation: "SU"
            signatory: {name: "C", title: "Président", signed_on: 2023-06-15, place: "Paris"}
        signatories:
          - {party: "Académie de Paris", name: "A", title: "Recteur", signed_on: 2023-06-10,
             place: "Paris"}
      - number: 3
        title: "Retrait du CNES"
        signed_on: 2023-09-20
        parties_removed:
          - {organisation: "CNES", on: 2023-10-01}
        signatories:
          - {party: "Académie de Paris", name: "A", title: "Recteur", signed_on: 2023-09-20,
             place: "Paris"}
          - {party: "CNES", name: "B", title: "Président", signed_on: 2023-09-18,
             place: "Paris"}
    financial_commitments:
      - payer: "Académie de Paris"
        payee: "Sorbonne Université"
        amendment: 2
        label: "Contribution"
        amount: "5000.00"
"""


def _load(tmp_path, text=FILE):
    path = tmp_path / "conventions.yaml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    try:
        call_command("load_conventions", str(path), stdout=out, stderr=out)
    except CommandError as error:
        out.write(str(error))
    return out.getvalue()


def test_every_new_key_loads_and_exports_back(tmp_path):
    report = _load(tmp_path)
    assert "refusé" not in report, report
    school = Convention.objects.get(reference="SORBONNE-2016")
    assert (school.school_years, school.ends_on) == (3, datetime.date(2019, 8, 31))
    assert set(school.parties.values_list("group", flat=True)) == {"", "l'Université"}
    office = Signatory.objects.get(party__convention=school, party__position=1)
    assert (office.name, office.delegation) == ("", "Pour le recteur et par délégation")

    unknown = Convention.objects.get(reference="CNES-2004")
    assert unknown.is_signed and unknown.signed_on is None
    assert unknown.signed_on_unknown and unknown.term_unknown
    assert unknown.status == ConventionStatus.INCOMPLETE
    assert list(unknown.external_references.values_list("label", "value")) == [
        ("N° CNES", "CNES/90552")
    ]
    commitment = unknown.financial_commitments.get()
    assert (commitment.amount, commitment.period) == (Decimal("30000.00"), "yearly")
    assert commitment.payer.organisation.name == "Académie de Paris"
    assert [i.amount for i in commitment.instalments.order_by("due_on")] == [
        Decimal("10000.00"),
        Decimal("20000.00"),
    ]
    assert commitment.payments.get().reference == "Mandat 2005-77"
    prolonged = Convention.objects.get(reference="PROLONGEE-2020")
    assert prolonged.amendments.get(number=1).new_last_day == datetime.date(2023, 12, 31)
    joined = prolonged.parties.with_membership().get(organisation__name="Sorbonne Université")
    assert (joined.joined_by.number, joined.position, joined.designation) == (2, 3, "SU")
    assert joined.joined_on == datetime.date(2023, 7, 1)
    assert joined.signatories.get().amendment.number == 2
    cnes = prolonged.parties.with_membership().get(organisation__name="CNES")
    assert cnes.left_on == datetime.date(2023, 10, 1)
    assert prolonged.amendments.get(number=2).signatories.count() == 2
    assert prolonged.financial_commitments.get().payee == joined

    out = tmp_path / "export"
    call_command("export_conventions", "CNES-2004", "SORBONNE-2016", "PROLONGEE-2020",
                 "--output", str(out), stdout=StringIO())  # fmt: skip
    written = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("*.yaml")))
    for line in ("signed_on: unknown", "duration_months: unknown", "school_years: 3",
                 "group: l'Université", "delegation: Pour le recteur et par délégation",
                 "label: N° CNES", "amount: '30000.00'", "period: yearly",
                 "reference: Mandat 2005-77", "parties_added:\n", "designation: SU",
                 "parties_removed:\n", "organisation: CNES\n"):  # fmt: skip
        assert line in written, line


def test_two_ways_of_giving_the_term_are_one_french_error(tmp_path):
    bad = FILE.replace("    school_years: 3\n", "    school_years: 3\n    ends_on: 2019-08-31\n")
    report = _load(tmp_path, bad)
    assert "Indiquez la durée d'une seule façon" in report
    assert not Convention.objects.filter(reference="SORBONNE-2016").exists()


def test_unknown_is_the_only_word_taken_for_a_date(tmp_path):
    report = _load(tmp_path, FILE.replace("signed_on: unknown", "signed_on: inconnue"))
    assert "ou « unknown » si le texte ne le donne pas" in report


def test_an_amount_is_refused_in_french_and_nothing_is_created(tmp_path):
    report = _load(tmp_path, FILE.replace('amount: "30000.00"', 'amount: "12,5,0"'))
    assert 'financial_commitments[0].amount : montant en euros attendu, écrit "12500.00"' in report
    assert not Convention.objects.exists()


def test_an_exported_commitment_loads_back_the_same(tmp_path):
    _load(tmp_path)
    out = tmp_path / "export"
    call_command("export_conventions", "CNES-2004", "--output", str(out), stdout=StringIO())
    Convention.objects.get(reference="CNES-2004").financial_commitments.all().delete()
    from conventions.models import ExternalReference

    ExternalReference.objects.all().delete()
    Convention.objects.filter(reference="CNES-2004").delete()
    report = _load(tmp_path, "\n".join(p.read_text() for p in sorted(out.glob("*.yaml"))))
    assert "refusé" not in report, report
    commitment = Convention.objects.get(reference="CNES-2004").financial_commitments.get()
    assert commitment.imputation == "BOP 214, action 08"
    assert commitment.instalments.count() == 2 and commitment.payments.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                '- organisation: "Sorbonne Université"\n            designation',
                '- organisation: "CNES"\n            designation',
            ),
            "amendments[1].parties_added[0].organisation : Cette organisation est déjà partie",
        ),
        (
            (
                '{organisation: "CNES", on: 2023-10-01}',
                '{organisation: "CNES", on: 2023-10-01}\n'
                '          - {organisation: "Académie de Paris"}',
            ),
            "amendments[2].parties_removed : Une convention lie au moins deux parties",
        ),
        (
            ('{organisation: "CNES", on: 2023-10-01}', '{organisation: "CNES", on: 2023-09-01}'),
            None,
        ),
        (
            ('{organisation: "CNES", on: 2023-10-01}', '{organisation: "Inconnue"}'),
            "amendments[2].parties_removed[0].organisation : « Inconnue » n'est pas partie",
        ),
    ],
)
def test_accession_and_withdrawal_errors_create_nothing(tmp_path, change, message):
    report = _load(tmp_path, FILE.replace(*change))
    if message is None:  # a withdrawal dated before its avenant's signature: allowed, no
        # effective date given (the date is the first day no longer bound)
        assert "refusé" not in report, report
        return
    assert message in report, report
    assert not Convention.objects.filter(reference="PROLONGEE-2020").exists()
