"""Entry files as YAML: a safe loader that keeps the line of every node.

YAML is read with a loader that keeps every scalar a string (YAML 1.1's `no`,
`1.10` and `013` stay what the contributor typed), refuses anchors and aliases
(a 431-byte alias bomb explodes when walked) and duplicate keys, and remembers
the line of each node so that every problem names `path:line: field:`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from gapkb.entry_rules import Key, _dotted


class ContentError(Exception):
    """A problem in one file that stops it from being read at all."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


class _StringLoader(yaml.SafeLoader):
    """SafeLoader that resolves plain scalars only to null or string."""

    # Plain scalars resolve to null or str only (the null resolver is added below).
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}  # type: ignore[misc]

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(
                event.start_mark.line + 1,
                "",
                "YAML anchors and aliases (&name, *name) are not allowed"
                " — write the value out in full",
            )
        return super().compose_node(parent, index)


_StringLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _to_python(node: yaml.Node, key: Key, lines: dict[Key, int]) -> Any:
    """Turn a composed node into plain data, recording the line of every value."""
    lines[key] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        raise ContentError(
            lines[key], _dotted(key), f"the YAML tag {node.tag} is not allowed — remove it"
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(
                    key_node.start_mark.line + 1, _dotted(key), "a key must be plain text"
                )
            name = str(key_node.value)
            if name in result:
                raise ContentError(
                    key_node.start_mark.line + 1,
                    _dotted((*key, name)),
                    f"'{name}' appears twice in the same mapping — keep one",
                )
            result[name] = _to_python(value_node, (*key, name), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*key, i), lines) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


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
        raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`")
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
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentError(line, "", "nesting is too deep — flatten the structure")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _parse_yaml_python(text: str) -> tuple[Any, dict[Key, int]]:
    loader = _StringLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or "cannot be parsed"
        if "'\\t'" in problem:  # PyYAML's wording for a tab where indentation is expected
            raise ContentError(
                line, "", "a tab indents this line — indent YAML with spaces, not tabs"
            ) from None
        raise ContentError(
            line, "", f"YAML syntax error: {problem} — check indentation, colons and quotes"
        ) from None
    except yaml.YAMLError as error:
        raise ContentError(1, "", f"YAML error: {error} — check the file's syntax") from None
    except RecursionError:
        raise ContentError(1, "", "nesting is too deep — flatten the structure") from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`")
    lines: dict[Key, int] = {}
    return _to_python(node, (), lines), lines
