"""The apps are layers, and every import points down (docs/architecture.md).

An app's code may import Django, libraries and the apps of lower layers, never an app of its
own layer or of a higher one: the échéancier reads conventions and actions, they never import
it; where a lower app must reach an upper one (refresh the schedule after a write, show the
action plans on the convention page), the upper app registers with the lower one's
`extensions`. Imports are read with `ast`, lazy imports inside functions included.

Tests, migrations and the root URLconf and settings (which wire every app together) are not
layered code.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Apps of one layer may not import each other.
LAYERS = [
    {"config"},  # project-wide helpers (widgets, logging, health); not its wiring below
    {"users"},
    {"jobs"},  # background work: renders and exports, filled by the apps above
    {"partners"},
    {"conventions"},
    {"actions"},
    {"echeancier", "documents", "interchange"},
    {"portal", "backup", "reprise"},
    {"proconnect"},  # signs staff in as staff and partners as partners (portal.access)
    {"devtools"},
]
WIRING = {"config/urls.py", "config/settings.py", "config/wsgi.py", "manage.py", "conftest.py"}
NOT_LAYERED_DIRS = {"tests", "migrations"}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in `source`, nested ones included; relative
    imports stay inside their app and are left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(root: Path, layers: list[set[str]]) -> list[str]:
    """Every import, in the layered code under `root`, of an app that is not below the
    importing one: « path:line: app imports app (layer n -> layer m) »."""
    layer_of = {app: n for n, apps in enumerate(layers) for app in apps}
    found = []
    for app, layer in layer_of.items():
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if relative.as_posix() in WIRING or NOT_LAYERED_DIRS & set(relative.parts):
                continue
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                target = module.split(".")[0]
                if target == app or target not in layer_of or layer_of[target] < layer:
                    continue
                found.append(
                    f"{relative}:{line}: {app} imports {module} "
                    f"(layer {layer} -> layer {layer_of[target]})"
                )
    return found


def test_every_import_points_down():
    assert violations(ROOT, LAYERS) == []


def test_every_app_of_ours_has_a_layer():
    from django.conf import settings

    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    layered = set().union(*LAYERS)
    assert ours and ours <= layered
    # INSTALLED_APPS lists our apps from the bottom up, as the layers do.
    order = [app for app in settings.INSTALLED_APPS if app in ours]
    assert order == sorted(order, key=lambda app: next(n for n, s in enumerate(LAYERS) if app in s))


def _app(root: Path, name: str, files: dict[str, str]) -> None:
    for relative, source in files.items():
        path = root / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_an_import_going_up_is_reported(tmp_path):
    """The check fails on a violation: conventions importing the échéancier (at the top of a
    module or inside a function), and two apps of one layer importing each other."""
    _app(tmp_path, "conventions", {
        "__init__.py": "",
        "services/lifecycle.py": "from echeancier.refresh import refresh_schedule\n",
        "views.py": "def page():\n    import actions.models\n",
        "tests/test_x.py": "import echeancier\n",  # tests are not layered code
    })  # fmt: skip
    _app(tmp_path, "echeancier", {"refresh.py": "from documents import printing\n"})
    _app(tmp_path, "documents", {"printing.py": "from conventions.models import Convention\n"})
    _app(tmp_path, "actions", {"models.py": "from conventions.models import Convention\n"})

    assert violations(tmp_path, LAYERS) == [
        "conventions/services/lifecycle.py:1: conventions imports echeancier.refresh "
        "(layer 4 -> layer 6)",
        "conventions/views.py:2: conventions imports actions.models (layer 4 -> layer 5)",
        "echeancier/refresh.py:1: echeancier imports documents (layer 6 -> layer 6)",
    ]


def test_no_module_is_over_800_lines():
    long = []
    for layer in LAYERS:
        for app in layer:
            for path in (ROOT / app).rglob("*.py"):
                if "migrations" not in path.parts:
                    lines = path.read_text(encoding="utf-8").count("\n")
                    if lines > 800:
                        long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []
