"""The JSON attached to a signed PDF is the convention in the interchange format
(docs/format.md), written by `interchange` through `conventions.extensions.convention_data`:
every key, preamble, annexes and contacts included, and `load_conventions` reads it back."""

import datetime
import json
from io import BytesIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from pypdf import PdfReader

from conventions import services
from conventions.extensions import convention_data
from conventions.models import Convention, Signatory
from documents.signed import generated_document

pytestmark = pytest.mark.django_db

REFERENCE = "METROPOLE-PE-DONNEES"


def sign_every_party(convention):
    signatories = Signatory.objects.filter(party__convention=convention, amendment=None)
    # The signed PDF is stored by the worker once the signature commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        for day, signatory in enumerate(signatories.order_by("pk"), start=2):
            services.convention_sign(
                signatory=signatory, on=datetime.date(2019, 1, day), place="Marseille"
            )


def test_the_attached_json_is_the_convention_in_the_format_and_loads_back(demo, tmp_path):
    convention = Convention.objects.get(reference=REFERENCE)
    sign_every_party(convention)
    document = generated_document(convention)  # stored by the last signature
    attached = PdfReader(BytesIO(document.read())).attachments[f"{REFERENCE}.json"][0]
    data = json.loads(attached)

    [written] = data["conventions"]
    assert written["reference"] == REFERENCE and written["parent"] == "METROPOLE-PE-2018"
    assert written["preamble"].startswith("Vu le code du travail")
    assert written["signed_on"] == "2019-01-03"
    assert [a["kind"] for a in written["annexes"]] and written["contacts"]
    assert {c["person"] for c in written["contacts"]} >= {"Yves Vernet", "Philippine Menier"}
    assert len(written["articles"]) == convention.articles.filter(parent=None).count()
    assert {o["name"] for o in data["organisations"]} == {
        "Pôle emploi",
        "Métropole Aix-Marseille-Provence",
    }
    assert {m["person"] for m in data["mandates"]} == {"Jean-Charles Blanc", "Martine Vassal"}
    convention.refresh_from_db()
    assert data == json.loads(json.dumps(convention_data(convention), default=str))

    # Loaded back as a copy (the reference is unique): the same convention, key by key.
    written["reference"] = "METROPOLE-PE-DONNEES-COPIE"
    path = tmp_path / "convention.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_conventions", str(path))
    copy = Convention.objects.get(reference="METROPOLE-PE-DONNEES-COPIE")
    assert copy.is_signed and copy.preamble == convention.preamble
    again = json.loads(json.dumps(convention_data(copy), default=str))
    again["conventions"][0]["reference"] = REFERENCE
    written["reference"] = REFERENCE
    assert again == data
