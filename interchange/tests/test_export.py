"""`export_conventions`: which conventions, which files, what it refuses."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from actions.models import Obligation, ObligationFulfilment
from interchange import yamlio
from partners.models import Person

pytestmark = pytest.mark.django_db


def export(*arguments) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("export_conventions", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_convention_comes_with_its_family_parent_first(demo, tmp_path):
    out, err = export("METROPOLE-PE-DONNEES", "--output", tmp_path / "out")
    path = tmp_path / "out" / "001-METROPOLE-PE-2018.yaml"
    assert out.splitlines() == [
        f"{path} : METROPOLE-PE-2018, METROPOLE-PE-DONNEES",
        "2 convention(s) dans 1 fichier(s).",
    ]
    assert [p.name for p in (tmp_path / "out").iterdir()] == [path.name]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Conventions au format d'échange (docs/format.md)")
    document = yamlio.read(text)
    assert list(document) == ["organisations", "people", "mandates", "conventions"]
    parent, application = document["conventions"]
    assert list(parent)[:3] == ["reference", "title", "short_title"]
    assert parent["signed_on"] == "2018-11-06"  # dates as AAAA-MM-JJ
    assert parent["amendments"][0]["application"] == "METROPOLE-PE-DONNEES"
    assert application["parent"] == "METROPOLE-PE-2018"
    assert "notice_months: 2\n" in text and "provisional_months" not in text  # 0: the default
    # Texts of several paragraphs as literal blocks, as in the seeds.
    assert "    preamble: |-\n      Vu le code du travail" in text


def test_it_refuses_a_directory_with_yaml_files_and_unknown_references(demo, tmp_path):
    (tmp_path / "old.yaml").write_text("conventions: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="contient déjà des fichiers YAML"):
        export("--output", tmp_path)
    with pytest.raises(CommandError, match="Convention inconnue : NULLE"):
        export("CRESS-PACA-2010", "NULLE", "--output", tmp_path / "new")


def test_attachments_are_not_carried_and_it_says_so(demo, tmp_path):
    obligation = Obligation.objects.first()
    ObligationFulfilment.objects.create(
        obligation=obligation,
        due_on="2019-05-06",
        delivered_on="2019-05-10",
        file=SimpleUploadedFile("donnees.csv", b"a;b\n1;2\n"),
    )
    out, err = export("METROPOLE-PE-DONNEES", "--output", tmp_path)
    assert err == (
        "Attention : METROPOLE-PE-DONNEES : la pièce jointe de la livraison « Fournir les "
        "données emploi » du 06/05/2019 n'est pas exportée (le format ne porte pas de fichiers ; "
        "voir export_all).\n"
    )
    assert "delivered_on: 2019-05-10" in (tmp_path / "001-METROPOLE-PE-2018.yaml").read_text()


def test_two_people_of_one_file_with_the_same_name_cannot_be_told_apart(demo, tmp_path):
    Person.objects.filter(last_name="Menier").update(first_name="Yves", last_name="Vernet")
    with pytest.raises(CommandError, match="Deux personnes distinctes s'appellent « Yves Vernet »"):
        export("METROPOLE-PE-DONNEES", "--output", tmp_path)
