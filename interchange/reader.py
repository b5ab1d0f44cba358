"""Read a file of the interchange format: YAML, then every key checked against the schema.

`read_file(path)` returns the file's values as `Node`s (a mapping of the format, its keys at
their default when absent or null) and the problems found, every one of them: unknown keys,
missing required keys, wrong types, bad dates, unknown codes. What needs the database
(organisations, references, the rules of the forms) is checked by the loader.
"""

import difflib
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .schema import FILE, ListOf, Shape, shown
from .schema import Invalid as _Invalid


@dataclass(frozen=True)
class Problem:
    """One problem of a file: where (`path` of keys and list indexes from the top of the
    file, and the line when known) and what, in French."""

    path: tuple
    message: str
    line: int | None = None


def dotted(path) -> str:
    """("parties", 1, "organisation") → "parties[1].organisation"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Node:
    """A checked mapping of the file: its values by key (a nested mapping is a `Node`, a
    nested list a list of `Node`s), where it is, and the keys whose value was refused
    (`invalid`: reported already, left at their default)."""

    def __init__(self, shape: Shape, path: tuple, line: int | None, key_lines: dict):
        self.shape = shape
        self.path = path
        self.line = line
        self.key_lines = key_lines
        self.values: dict = {}
        self.invalid: set[str] = set()

    def __getitem__(self, key):
        return self.values[key]

    def line_of(self, key) -> int | None:
        return self.key_lines.get(key, self.line)

    def columns(self) -> dict:
        """{model attribute: value} of the plain columns (refused values left out)."""
        return self.shape.columns({k: v for k, v in self.values.items() if k not in self.invalid})

    def __repr__(self):
        return f"<Node {dotted(self.path) or 'file'}>"


class _Refused(Exception):
    pass


class Checker:
    """Checks YAML data against the shapes of the schema, collecting every problem."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path, message, line):
        self.problems.append(Problem(tuple(path), message, line))

    def mapping(self, shape: Shape, data, path: tuple, line) -> Node | None:
        if not isinstance(data, dict):
            self.add(path, f"table de clés attendue, reçu {shown(data)}", line)
            return None
        node = Node(shape, path, getattr(data, "line", line), getattr(data, "key_lines", {}))
        for key in data:
            if key not in shape.by_key:
                self.add((*path, str(key)), unknown_key(key, shape), node.line_of(key))
        for field in shape.fields:
            raw = data.get(field.key)
            where, at = (*path, field.key), node.line_of(field.key)
            if raw is None or (raw == "" and field.required):
                if field.required:
                    self.add(where, "valeur obligatoire", at)
                    node.invalid.add(field.key)
                node.values[field.key] = field.empty
            elif field.many:
                node.values[field.key] = self.items(field.shape, raw, where, at)
                if not isinstance(raw, list):
                    node.invalid.add(field.key)
            elif field.shape is not None:
                node.values[field.key] = self.mapping(field.shape, raw, where, at)
                if node.values[field.key] is None:
                    node.invalid.add(field.key)
            else:
                try:
                    node.values[field.key] = self.value(field.kind, raw, where, at)
                except _Refused:
                    node.invalid.add(field.key)
                    node.values[field.key] = field.empty
        return node

    def items(self, shape: Shape, raw, path: tuple, line) -> list[Node]:
        if not isinstance(raw, list):
            self.add(path, f"liste attendue (lignes commençant par « - »), reçu {shown(raw)}", line)
            return []
        nodes = []
        for index, item in enumerate(raw):
            node = self.mapping(shape, item, (*path, index), getattr(item, "line", line))
            if node is not None:
                nodes.append(node)
        return nodes

    def value(self, kind, raw, path: tuple, line):
        if isinstance(kind, ListOf):
            if not isinstance(raw, list):
                self.add(path, f"liste attendue, reçu {shown(raw)}", line)
                raise _Refused
            values, refused = [], False
            for index, item in enumerate(raw):
                try:
                    values.append(self.value(kind.item, item, (*path, index), line))
                except _Refused:
                    refused = True
            if refused:
                raise _Refused
            return values
        try:
            return kind.parse(raw)
        except _Invalid as error:
            self.add(path, str(error), line)
            raise _Refused from None


def unknown_key(key, shape: Shape) -> str:
    """A key the format does not have: refused, never ignored (a typo would lose a value)."""
    message = f"clé inconnue « {key} »"
    close = difflib.get_close_matches(str(key), list(shape.by_key), n=1, cutoff=0.6)
    if close:
        return f"{message} (vouliez-vous dire « {close[0]} » ?)"
    keys = ", ".join(shape.by_key)
    return f"{message} ; clés possibles : {keys}"


def read_file(path: Path) -> tuple[Node | None, list[Problem]]:
    """The checked content of the file at `path`, and its problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem((), "le fichier n'est pas encodé en UTF-8")]
    except OSError as error:
        return None, [Problem((), f"fichier illisible ({error.strerror or error})")]
    return read_text(text)


def read_text(text: str) -> tuple[Node | None, list[Problem]]:
    try:
        data = yamlio.read(text)
    except yamlio.YamlError as error:
        return None, [Problem((), error.message, error.line)]
    if data is None:
        return None, [Problem((), "le fichier est vide")]
    checker = Checker()
    document = checker.mapping(FILE, data, (), 1)
    return document, checker.problems


def describe(problem: Problem, label: str, document: Node | None) -> str:
    """« seed_004.yaml (ligne 57), convention CRESS-PACA-2010, parties[1].organisation :
    organisation inconnue « CRESS » »: the file, the convention by its reference (by its
    rank when it has none), the key path from there (list indexes from 0)."""
    where = [label if problem.line is None else f"{label} (ligne {problem.line})"]
    path = problem.path
    if len(path) >= 2 and path[0] == "conventions" and isinstance(path[1], int):
        reference = _references(document).get(path[1])
        if reference:
            where.append(f"convention {reference}")
            path = path[2:]
    if path:
        where.append(dotted(path))
    return f"{', '.join(where)} : {problem.message}"


def _references(document: Node | None) -> dict[int, str]:
    if document is None:
        return {}
    return {
        node.path[1]: node["reference"]
        for node in document["conventions"]
        if "reference" not in node.invalid and node["reference"]
    }
