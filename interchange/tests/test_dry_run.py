"""`--dry-run` checks everything and says what a load would create, and writes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devtools.demo import SEED_DIR

from .files import GOOD, changed, table_counts, write

pytestmark = pytest.mark.django_db


def run(*arguments) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_conventions", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_of_the_seeds_says_what_would_be_created_and_writes_nothing():
    before = table_counts()
    out, err = run(SEED_DIR, "--dry-run")
    assert err == ""
    assert table_counts() == before  # every table of the project, history included
    lines = out.splitlines()
    assert f"{SEED_DIR / 'seed_004.yaml'} : vérifié, rien n'est écrit (--dry-run)." in lines
    assert (
        "  Convention à créer : CRESS-PACA-2010 « Convention cadre de partenariat entre "
        "l'académie d'Aix-Marseille et la chambre régionale de l'Economie sociale et solidaire "
        "Provence-Alpes-Côte d'Azur » : 2 parties, 22 articles, 3 annexes, 1 plan d'action, "
        "7 actions, 5 correspondants"
    ) in lines
    assert (
        "  Convention à créer : METROPOLE-PE-2018 « Convention de partenariat entre la "
        "Métropole Aix-Marseille-Provence et Pôle emploi » : 2 parties, 1 avenant"
    ) in lines
    assert "  Organisations à créer : Pôle emploi ; Métropole Aix-Marseille-Provence" in lines
    assert "  Personnes à créer : Jean-Paul de Gaudemar ; Mario Barsamian" in lines


def test_what_a_dry_run_announces_is_what_the_load_does():
    announced, _ = run(SEED_DIR, "--dry-run")
    done, _ = run(SEED_DIR)
    assert (
        done.replace("créées :", "à créer :")
        .replace("créés :", "à créer :")
        .replace("créée :", "à créer :")
        .replace("chargé.", "vérifié, rien n'est écrit (--dry-run).")
        == announced
    )


def test_a_dry_run_of_a_bad_file_writes_nothing_and_fails(tmp_path):
    run(write(tmp_path, "good.yaml", GOOD))
    before = table_counts()
    bad = write(
        tmp_path,
        "bad.yaml",
        changed(("ESSAI-2010", "ESSAI-2011"), ("notice_months: 3", "notice_months: 40")),
    )
    with pytest.raises(CommandError, match="1 fichier sur 1 en erreur"):
        call_command(
            "load_conventions", str(bad), "--dry-run", stdout=StringIO(), stderr=StringIO()
        )
    assert table_counts() == before


def test_a_dry_run_of_a_directory_sees_what_earlier_files_would_create(tmp_path):
    """As in a real load, a later file finds what an earlier one creates (here the parent of
    a convention d'application, its organisations and mandates)."""
    write(tmp_path, "1.yaml", GOOD)
    write(
        tmp_path,
        "2.yaml",
        """\
        conventions:
          - reference: "ESSAI-APPLICATION"
            title: "Convention d'application"
            short_title: "Application"
            kind: application
            parent: "ESSAI-2010"
            parties:
              - organisation: "Académie d'Aix-Marseille"
                signatory:
                  {person: "Jean-Paul de Gaudemar", name: "J.-P. de Gaudemar", title: "Recteur"}
              - organisation: "Chambre régionale de l'Economie sociale et solidaire"
        """,
    )
    before = table_counts()
    out, err = run(tmp_path, "--dry-run")
    assert err == ""
    assert "  Convention à créer : ESSAI-APPLICATION « Convention d'application » : 2 parties" in (
        out.splitlines()
    )
    assert table_counts() == before
