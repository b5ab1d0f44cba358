"""A bad file: one clear French message per problem, naming the file, the convention and the
key; nothing of the file is created; the exit code says so; the other files still load."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conventions.models import Convention
from interchange.schema import CONVENTION
from partners.models import Mandate
from users.models import User

from .files import GOOD, changed, line_of, table_counts, write

pytestmark = pytest.mark.django_db
CRESS = "Chambre régionale de l'Economie sociale et solidaire"


def load(*paths, dry_run=False):
    """(stdout, stderr, the CommandError or None) of `load_conventions`."""
    out, err = StringIO(), StringIO()
    arguments = [str(p) for p in paths] + (["--dry-run"] if dry_run else [])
    try:
        call_command("load_conventions", *arguments, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def problems(err: str) -> list[str]:
    return [line[4:] for line in err.splitlines() if line.startswith("  - ")]


def test_the_good_file_loads(tmp_path):
    out, err, error = load(write(tmp_path, "good.yaml", GOOD))
    assert (err, error) == ("", None)
    assert out.splitlines()[:2] == [
        f"{tmp_path / 'good.yaml'} : chargé.",
        "  Convention créée : ESSAI-2010 « Convention d'essai » : 2 parties, 3 articles, 1 avenant",
    ]
    convention = Convention.objects.get(reference="ESSAI-2010")
    assert convention.signed_on.isoformat() == "2010-05-17"
    assert [a.number for a in convention.numbered_articles()] == ["1", "1.1", "2"]
    assert convention.status == "expired"  # the échéancier computed the schedule


def _unknown_organisation():
    text = changed(
        (
            f'      - organisation: "{CRESS}"\n        signatory:',
            '      - organisation: "CRESS"\n        signatory:',
        )
    )
    return text, (
        f"(ligne {line_of(text, 'organisation: "CRESS"')}), convention ESSAI-2010, "
        "parties[1].organisation : organisation inconnue « CRESS » (vouliez-vous dire "
        f"« {CRESS} » ? une organisation se désigne par son nom)"
    )


def _notice_longer_than_the_term():
    text = changed(("    notice_months: 3", "    notice_months: 48"))
    return text, (
        f"(ligne {line_of(text, 'notice_months: 48')}), convention ESSAI-2010, notice_months : "
        "Le préavis (48 mois) est plus long que la durée de la convention (36 mois)."
    )


def _avenant_in_force_before_the_convention():
    text = changed(("effective_date: 2011-01-01", "effective_date: 2009-01-01"))
    return text, (
        f"(ligne {line_of(text, 'effective_date: 2009')}), convention ESSAI-2010, "
        "amendments[0].effective_date : Un avenant ne prend pas effet avant la convention."
    )


def _party_signing_after_the_convention():
    text = changed(("signed_on: 2010-05-12", "signed_on: 2010-06-12"))
    return text, (
        f"(ligne {line_of(text, 'signed_on: 2010-06-12')}), convention ESSAI-2010, "
        "parties[1].signatory.signed_on : Signature du 12 juin 2010, après celle de la "
        "convention (17 mai 2010), qui est signée le jour de la dernière signature."
    )


def _reference_twice_in_the_file():
    second = '  - reference: "ESSAI-2010"\n    title: "Autre"\n    short_title: "Autre"\n'
    text = GOOD + second
    return text, (
        f"(ligne {line_of(text, '    title: "Autre"') - 1}), convention ESSAI-2010, reference : "
        "référence « ESSAI-2010 » en double dans le fichier (déjà en conventions[0])"
    )


def _yaml_syntax_error():
    text = changed(('    title: "Convention d\'essai"', "    title: Convention : essai"))
    return text, (
        f"(ligne {line_of(text, 'Convention : essai')}) : deux-points inattendu : une valeur qui "
        "contient « : » doit être entre guillemets, ou l'indentation est incohérente"
    )


def _wrong_type():
    text = changed(("duration_months: 36", 'duration_months: "trente-six"'))
    return text, (
        f"(ligne {line_of(text, 'trente-six')}), convention ESSAI-2010, duration_months : "
        "nombre entier attendu, reçu « trente-six » (ou « unknown » si le texte ne le donne pas)"
    )


def _unknown_key():
    text = changed(("    notice_months: 3", "    notice_month: 3"))
    return text, (
        f"(ligne {line_of(text, 'notice_month:')}), convention ESSAI-2010, notice_month : "
        "clé inconnue « notice_month » (vouliez-vous dire « notice_months » ?)"
    )


@pytest.mark.parametrize(
    "case",
    [
        _unknown_organisation,
        _notice_longer_than_the_term,
        _avenant_in_force_before_the_convention,
        _party_signing_after_the_convention,
        _reference_twice_in_the_file,
        _yaml_syntax_error,
        _wrong_type,
        _unknown_key,
    ],
)
def test_a_bad_file_gets_one_clear_message_and_creates_nothing(tmp_path, case):
    text, expected = case()
    path = write(tmp_path, "bad.yaml", text)
    before = table_counts()
    out, err, error = load(path)
    assert problems(err) == [f"{path} {expected}"]
    assert err.splitlines()[0] == f"{path} : refusé, rien n'est créé (1 problème) :"
    assert error is not None and error.returncode == 1
    assert (
        str(error) == "1 fichier refusé sur 1 : corrigez-le et relancez (les autres sont chargés)."
    )
    assert out == ""
    assert table_counts() == before


def test_a_reference_already_in_the_database_is_an_error_not_an_update(tmp_path):
    path = write(tmp_path, "good.yaml", GOOD)
    assert load(path)[2] is None
    edited = write(
        tmp_path, "again.yaml", changed(('title: "Convention d\'essai"', 'title: "Autre titre"'))
    )
    before = table_counts()
    _, err, error = load(edited)
    assert problems(err) == [
        f"{edited} (ligne {line_of(GOOD, 'reference:')}), convention ESSAI-2010, reference : une "
        "convention de la base porte déjà la référence « ESSAI-2010 » (le chargement crée des "
        "conventions, il ne les modifie pas)"
    ]
    assert error is not None
    assert table_counts() == before
    assert Convention.objects.get().title == "Convention d'essai"


def test_every_problem_of_a_file_is_reported_in_file_order(tmp_path):
    text = changed(
        ('short_title: "Essai"', 'short_title: "Essai"\n    colour: blue'),
        ("duration_months: 36", "duration_months: 36.5"),
        ("signed_on: 2010-05-12", "signed_on: 2010-05-32"),
        ('heading: "Durée"\n        body: "Trois ans."', 'heading: ""'),
        ("number: 1\n", "number: 1\n        signatories:\n          - party: Personne\n"),
    )
    path = write(tmp_path, "bad.yaml", text)
    _, err, error = load(path)
    found = problems(err)
    assert [p.split(" : ", 1)[0].split(", ", 1)[1] for p in found] == [
        "convention ESSAI-2010, colour",
        "convention ESSAI-2010, duration_months",
        "convention ESSAI-2010, parties[1].signatory.signed_on",
        "convention ESSAI-2010, articles[1].heading",
        "convention ESSAI-2010, amendments[0].signatories[0].party",
    ]
    assert [p.split(" : ", 1)[1] for p in found] == [
        f"clé inconnue « colour » ; clés possibles : {', '.join(CONVENTION.by_key)}",
        "nombre entier attendu, reçu 36.5",
        "date inexistante « 2010-05-32 »",
        "Indiquez un intitulé ou un texte.",
        "« Personne » n'est pas partie à la convention",
    ]
    assert error is not None and not Convention.objects.exists()


def test_of_two_files_the_good_one_loads_and_the_exit_code_says_one_failed(tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    write(folder, "a.yaml", GOOD)
    bad = write(
        folder,
        "b.yml",
        changed(('"ESSAI-2010"', '"ESSAI-2011"'), ("notice_months: 3", "notice_months: trois")),
    )
    (folder / "notes.txt").write_text("pas un fichier du format", encoding="utf-8")
    out, err, error = load(folder)
    assert out.splitlines()[0] == f"{folder / 'a.yaml'} : chargé."
    assert err.splitlines()[0] == f"{bad} : refusé, rien n'est créé (1 problème) :"
    assert error is not None and error.returncode == 1
    assert (
        str(error) == "1 fichier refusé sur 2 : corrigez-le et relancez (les autres sont chargés)."
    )
    assert list(Convention.objects.values_list("reference", flat=True)) == ["ESSAI-2010"]


def test_directories_are_read_recursively_in_order_and_references_reach_earlier_files(tmp_path):
    """A convention d'application in a later file names its parent, loaded from an earlier
    one, and organisations are found in the database."""
    folder = tmp_path / "lot"
    folder.mkdir()
    write(folder, "1-cadre.yaml", GOOD)
    (folder / "2-suite").mkdir()
    child = f"""\
    conventions:
      - reference: "ESSAI-APPLICATION"
        title: "Convention d'application"
        short_title: "Application"
        kind: application
        parent: "ESSAI-2010"
        parties:
          - organisation: "Académie d'Aix-Marseille"
          - organisation: "{CRESS}"
            signatory: {{person: "Michel Faure", name: "Michel Faure", title: "Président"}}
    """
    write(folder / "2-suite", "application.yml", child)
    out, err, error = load(folder)
    assert (err, error) == ("", None)
    application = Convention.objects.get(reference="ESSAI-APPLICATION")
    assert application.parent.reference == "ESSAI-2010"
    signatory = application.parties.get(position=2).signatories.get()
    assert signatory.mandate == Mandate.objects.get(title="Président")


def test_a_person_with_two_mandates_in_one_organisation_needs_mandate_title(tmp_path):
    text = changed(
        (
            '     title: "Président"}\n',
            '     title: "Président"}\n  - {person: "Michel Faure", organisation: '
            f'"{CRESS}", title: "Trésorier"}}\n',
        )
    )
    path = write(tmp_path, "bad.yaml", text)
    _, err, _ = load(path)
    assert problems(err) == [
        f"{path} (ligne {line_of(text, 'person: "Michel Faure"\n')}), convention ESSAI-2010, "
        f"parties[1].signatory.person : « Michel Faure » a plusieurs mandats à « {CRESS} » : "
        "précisez lequel par mandate_title"
    ]
    chosen = changed(
        (
            '          person: "Michel Faure"\n',
            '          person: "Michel Faure"\n          mandate_title: "Trésorier"\n',
        ),
        text=text,
    )
    assert load(write(tmp_path, "good.yaml", chosen))[2] is None
    signatory = Convention.objects.get().parties.get(position=2).signatories.get()
    assert signatory.mandate.title == "Trésorier"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "le fichier est vide"),
        ("- une\n- liste\n", "table de clés attendue, reçu une liste"),
        (
            "conventions:\n  a: 1\n  a: 2\n",
            "(ligne 3) : clé « a » donnée deux fois dans le même bloc (d'abord ligne 2)",
        ),
    ],
)
def test_file_level_problems(tmp_path, content, message):
    path = write(tmp_path, "f.yaml", content)
    _, err, error = load(path)
    assert error is not None
    assert problems(err)[0].endswith(message) and problems(err)[0].startswith(str(path))


def test_a_file_that_is_not_utf8_and_a_path_that_does_not_exist(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: « café »".encode("latin-1"))
    _, err, error = load(latin, tmp_path / "absent.yaml")
    assert problems(err) == [
        f"{tmp_path / 'absent.yaml'} : fichier ou dossier introuvable",
        f"{latin} : le fichier n'est pas encodé en UTF-8",
    ]
    assert (
        str(error)
        == "2 fichiers refusés sur 2 : corrigez-les et relancez (les autres sont chargés)."
    )


def test_it_works_without_debug_and_creates_no_user(tmp_path, settings):
    settings.DEBUG = False
    from devtools.demo import SEED_DIR

    out, err, error = load(SEED_DIR)
    assert (err, error) == ("", None)
    assert Convention.objects.count() == 6
    assert not User.objects.exists()
