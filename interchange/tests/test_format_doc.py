"""docs/format.md documents every key of the schema, and its example loads."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from conventions.models import Convention
from interchange.schema import shapes

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    """Each "### `path` — ..." section of the keys, by path."""
    parts = re.split(r"^### `([^`]+)`.*$", DOC, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("shape", shapes(), ids=lambda shape: shape.path)
def test_every_key_has_its_row(shape):
    section = _sections().get(shape.path)
    assert section is not None, f"docs/format.md has no section for {shape.path}"
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)
    assert documented == [field.key for field in shape.fields]


def test_the_seeds_point_to_it():
    schema = (ROOT / "devtools" / "seeds" / "SCHEMA.md").read_text(encoding="utf-8")
    assert "docs/format.md" in schema


@pytest.mark.django_db
def test_its_example_loads(tmp_path):
    example = re.search(r"^## An example\n.*?```yaml\n(.*?)```", DOC, re.DOTALL | re.MULTILINE)
    (tmp_path / "example.yaml").write_text(example.group(1), encoding="utf-8")
    call_command("load_conventions", str(tmp_path / "example.yaml"), stdout=StringIO())
    convention = Convention.objects.get(reference="CRESS-PACA-2010")
    assert [a.number for a in convention.numbered_articles()] == ["1", "1.1"]
    assert convention.action_plans.get().annex.position == 1
