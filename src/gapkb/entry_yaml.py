"""Entry files as YAML: a safe loader that keeps the line of every node.

YAML is read as editors read it: the YAML 1.2 core schema (`true`/`false` are booleans,
`yes`, `no` and `on` are text, `2024-06-13` is text, never a timestamp; `631` is an
integer, `1.10` a number). The same data goes to the entry models and to the JSON
Schemas, so `gapkb check` and an editor agree. The loader refuses anchors and aliases (a
431-byte alias bomb explodes when walked), tags and duplicate keys, and remembers the
line of each node so that every problem names `path:line: field:`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from gapkb.entry_rules import Key, _dotted


class ContentError(Exception):
    """A problem in one file that stops it from being read at all."""

    def __init__(self, line: int, field: str, message: str, code: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message, self.code = line, field, message, code


class _StringLoader(yaml.SafeLoader):
    """SafeLoader that resolves plain scalars by the YAML 1.2 core schema."""

    # Only the core schema's resolvers, added below (PyYAML's own are YAML 1.1's).
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}  # type: ignore[misc]

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(
                event.start_mark.line + 1,
                "",
                "YAML anchors and aliases (&name, *name) are not allowed"
                " — write the value out in full",
                "GK107",
            )
        return super().compose_node(parent, index)


# YAML 1.2.2, 10.3.2 "Tag Resolution" (the core schema), in the order the spec lists them.
NULL, BOOL, INT, FLOAT = (f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float"))
CORE_RESOLVERS: list[tuple[str, str, list[str]]] = [
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),  # "": the empty scalar
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
]
for _tag, _pattern, _first in CORE_RESOLVERS:
    _StringLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)
_CORE_PATTERNS = {tag: re.compile(pattern) for tag, pattern, _first in CORE_RESOLVERS}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    NULL,
    BOOL,
    INT,
    FLOAT,
}


def core_value(tag: str, text: str) -> Any:
    """A scalar's value under the YAML 1.2 core schema, given its resolved tag."""
    if tag == NULL:
        return None
    if tag == BOOL:
        return text.lower() == "true"
    if tag == INT:
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)
    if tag == FLOAT:
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return float(lowered.replace(".inf", "inf"))
        return float("nan") if lowered == ".nan" else float(text)
    return text


def _to_python(node: yaml.Node, key: Key, lines: dict[Key, int]) -> Any:
    """Turn a composed node into plain data, recording the line of every value."""
    lines[key] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS or (
        # an explicit `!!int abc` or `!!bool "yes"`: only what the core schema resolves
        isinstance(node, yaml.ScalarNode)
        and node.tag in _CORE_PATTERNS
        and (node.style not in (None, "") or not _CORE_PATTERNS[node.tag].match(node.value))
    ):
        raise ContentError(
            lines[key], _dotted(key), f"the YAML tag {node.tag} is not allowed — remove it", "GK108"
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(
                    key_node.start_mark.line + 1,
                    _dotted(key),
                    "a field name must be plain text — write `name: value`",
                    "GK113",
                )
            name = str(key_node.value)
            if name in result:
                raise ContentError(
                    key_node.start_mark.line + 1,
                    _dotted((*key, name)),
                    f"'{name}' appears twice in the same mapping — keep one",
                    "GK109",
                )
            result[name] = _to_python(value_node, (*key, name), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*key, i), lines) for i, item in enumerate(node.value)]
    return core_value(str(node.tag), str(node.value))


class _FastStringLoader(yaml.CSafeLoader):
    """_StringLoader's resolution on libyaml's C parser (about 10 times as fast; see
    bench/RESULTS.md). Its composer cannot be hooked, so parse_yaml() first walks the
    event stream to refuse anchors, aliases and deep nesting before anything is composed."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = _StringLoader.yaml_implicit_resolvers  # type: ignore[misc]


MAX_DEPTH = 64  # nested mappings and lists; entries need 5


def parse_yaml(text: str) -> tuple[Any, dict[Key, int]]:
    """Parse one YAML document into plain data and a line index."""
    if not yaml.__with_libyaml__:
        return _parse_yaml_python(text)
    try:
        _refuse_anchors_and_depth(text)
        loader = _FastStringLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        # libyaml's error wording differs from PyYAML's: the pure-Python parser says it.
        return _parse_yaml_python(text)
    if node is None:
        raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`", "GK104")
    lines: dict[Key, int] = {}
    return _to_python(node, (), lines), lines


def _refuse_anchors_and_depth(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(
                line,
                "",
                "YAML anchors and aliases (&name, *name) are not allowed"
                " — write the value out in full",
                "GK107",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentError(line, "", "nesting is too deep — flatten the structure", "GK110")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _parse_yaml_python(text: str) -> tuple[Any, dict[Key, int]]:
    loader = _StringLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and (error.context or "").startswith(_STARTED_AT):
            mark = error.context_mark  # an unclosed quote or bracket: where it was opened
        line = mark.line + 1 if mark else 1
        code, message = in_plain_words(error.problem or "", error.context or "")
        raise ContentError(line, "", message, code) from None
    except yaml.YAMLError as error:
        raise ContentError(
            1, "", f"YAML cannot read the file ({error}) — check its syntax", "GK105"
        ) from None
    except RecursionError:
        raise ContentError(1, "", "nesting is too deep — flatten the structure", "GK110") from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`", "GK104")
    lines: dict[Key, int] = {}
    return _to_python(node, (), lines), lines


# What PyYAML's parser says (its `problem` or `context`, matched by its start) in words:
# what is wrong on the line, then how to fix it. The first match wins.
_INDENTATION = (
    "GK105",
    "YAML cannot read this line: its indentation does not line up with the lines above"
    " — start the fields of one group, and the `-` of one list, in the same column",
)
PLAIN_WORDS: list[tuple[str, tuple[str, str]]] = [
    (
        "found character '\\t'",
        ("GK106", "a tab indents this line — indent YAML with spaces, not tabs"),
    ),
    (
        "found a tab character",
        ("GK106", "a tab indents this line — indent YAML with spaces, not tabs"),
    ),
    (
        "mapping values are not allowed",
        (
            "GK105",
            "YAML cannot read this line: a colon followed by a space inside a value, or a line"
            " indented under a value — put the value in double quotes, or fix the indentation",
        ),
    ),
    (
        "could not find expected ':'",
        (
            "GK105",
            "YAML cannot read this line: it is not `field: value` — add the colon after the field"
            " name, or indent the line under the field it continues",
        ),
    ),
    ("expected <block end>", _INDENTATION),
    ("did not find expected key", _INDENTATION),
    ("did not find expected '-' indicator", _INDENTATION),
    (
        "expected ',' or ']'",
        (
            "GK105",
            "YAML cannot read this line: a list in brackets [ ] is not closed, or an item in it"
            " holds a colon — close it with ], or put the item in double quotes",
        ),
    ),
    (
        "expected ',' or '}'",
        (
            "GK105",
            "YAML cannot read this line: a group in braces { } is not closed, or a value in it"
            " holds a colon or a comma — close it with }, or put the value in double quotes",
        ),
    ),
    (
        "expected the node content",
        (
            "GK105",
            "YAML cannot read this line: a list or group in brackets is not closed, or a value is"
            " missing after a dash or a colon — close it with ] or }, or fill in the value",
        ),
    ),
    (
        "found unexpected end of stream",
        (
            "GK105",
            "YAML cannot read this line: a quoted value is not closed — add the closing quote",
        ),
    ),
    (
        "found unknown escape character",
        (
            "GK105",
            "YAML cannot read this line: a backslash in double quotes starts an escape YAML does"
            " not know — use single quotes, or write the backslash twice",
        ),
    ),
    (
        "expected a single document",
        (
            "GK105",
            "YAML cannot read this line: it starts a second document (a line `---`)"
            " — keep one document per entry and remove the `---`",
        ),
    ),
    (
        "found character",
        (
            "GK105",
            "YAML cannot read this line: a value starts with a character YAML reserves (@ or `)"
            " — put the value in double quotes",
        ),
    ),
    (
        "expected chomping or indentation indicators",
        (
            "GK105",
            "YAML cannot read this line: after | or >- only the text's lines may follow"
            " — move the text to the next lines, indented",
        ),
    ),
]


# Parser contexts whose start, not where the parser gave up, is the line to fix.
_STARTED_AT = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow",
)


def in_plain_words(problem: str, context: str = "") -> tuple[str, str]:
    """(code, message) for a YAML parser error: what is wrong on the line, and the fix."""
    for start, explained in PLAIN_WORDS:
        if problem.startswith(start) or context.startswith(start):
            return explained
    what = f"{context}: {problem}" if context else problem or "it cannot be parsed"
    return (
        "GK105",
        f"YAML cannot read this line ({what}) — check the indentation, colons and quotes",
    )
