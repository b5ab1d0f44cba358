"""YAML in and out, as the interchange format needs it.

Reading: every mapping remembers the line of each of its keys (error messages name it), a
key given twice is refused (YAML would silently keep the last one), a key is its text (`on`
is not read as true, as YAML 1.1 would), and dates stay text
(`2010-05-17`), parsed by the format's own date type, so that « 2010-02-30 » is reported
on its key like any other mistake rather than aborting the whole file.

Writing: block style, keys in the format's order, texts of several lines as literal blocks
(`|`, line breaks as "\n"), lists indented under their key as in the seed files, no anchors.
"""

import yaml

# The problems PyYAML reports most (C and Python parsers), in French; anything else gets the
# generic message.
_PROBLEMS = {
    "mapping values are not allowed": (
        "deux-points inattendu : une valeur qui contient « : » doit être entre guillemets, "
        "ou l'indentation est incohérente"
    ),
    "could not find expected ':'": "deux-points attendu après la clé",
    "found character": "caractère interdit (une tabulation ? indentez avec des espaces)",
    "found unexpected end of stream": "fin du fichier inattendue (guillemet non fermé ?)",
    "did not find expected key": "indentation incohérente (clé attendue)",
    "did not find expected node content": "valeur attendue (crochet ou accolade non fermé ?)",
    "expected <block end>": "indentation incohérente",
    "did not find expected '-' indicator": "indentation incohérente (tiret de liste attendu)",
    "found undefined alias": "alias YAML inconnu (une valeur commençant par « * » ?)",
    "found unknown escape character": "échappement inconnu dans un texte entre guillemets",
}


class YamlError(Exception):
    """A file that is not valid YAML: `line` (1-based, or None) and a French message."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


class Mapping(dict):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key) -> int | None:
        return self.key_lines.get(key, self.line)


# The C parser when PyYAML has it (four times faster), with the safe constructors.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# No implicit timestamps: a date is text until the format's date type reads it.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:bool":
            # A key is a name: YAML 1.1 would read `on:` (a withdrawal's date) as true.
            key = key_node.value
        else:
            key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise YamlError("clé de type non pris en charge", key_node.start_mark.line + 1)
        if key in mapping:
            raise YamlError(
                f"clé « {key} » donnée deux fois dans le même bloc "
                f"(d'abord ligne {mapping.key_lines[key]})",
                key_node.start_mark.line + 1,
            )
        mapping.key_lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read(text: str):
    """The YAML document in `text`, its mappings as `Mapping`s; raises `YamlError`."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = (error.problem or "").strip()
        message = next(
            (french for english, french in _PROBLEMS.items() if problem.startswith(english)),
            "syntaxe YAML invalide",
        )
        raise YamlError(message, mark.line + 1 if mark else None) from None
    except yaml.YAMLError:
        raise YamlError("syntaxe YAML invalide", None) from None


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Lists indented under their key ("  - ..."), as the seed files are written.
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


def _represent_text(dumper, value: str):
    # Line breaks as "\n": a text typed in a browser has "\r\n", which YAML would otherwise
    # write as one escaped line; the format reads both the same (`schema.Text`).
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_text)


def write(document, header: str = "") -> str:
    """`document` (dicts, lists, texts, numbers, dates) as YAML, after `header` comments."""
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + body
