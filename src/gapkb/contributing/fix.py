"""`gapkb fix`: the repairs that need no decision of the contributor's, made in place.

Each fix edits the text where the problem is and nowhere else, so comments, quotes and
line breaks stay as written, and a second run changes nothing:

- trailing spaces are removed (but inside `|` blocks, where two of them are a Markdown line
  break) and the file ends with one newline;
- `id` is set from the file name (GK223);
- a text field's value that YAML reads as a number or true/false (`arxiv: 2402.11740`,
  `version: 2.10`) is put in double quotes exactly as written (GK210), and so is text that
  YAML 1.1 readers take for true/false (`yes`, `no`, `on`, `off`);
- `yes`/`no`/`on`/`off` in a true/false field become true/false (GK211), a quoted number
  in a number field loses its quotes (GK212);
- a concept's `updated` becomes today when its content differs from the committed version
  (or when it is before `created`, GK224);
- the top-level fields are put in the template's order, each with the comments above it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel

from gapkb.entry_rules import Key, _dotted, _unwrap, field_at
from gapkb.entry_types import PartialDate, TextOrNumber
from gapkb.entry_yaml import ContentError, _StringLoader, parse_yaml
from gapkb.findings import GapkbError
from gapkb.model import ID_RE, Concept, Instrument

KINDS: dict[str, type[Concept] | type[Instrument]] = {
    "concepts": Concept,
    "instruments": Instrument,
}
# Text that YAML 1.1 (PyYAML's safe_load, older tools) reads as true or false.
YAML_1_1_BOOLEANS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
TRUE_WORDS = {"y", "yes", "on"}
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(\s|$)")


@dataclass(frozen=True)
class Change:
    """One repair: the line it is on (in the text before the repair) and what it did."""

    line: int
    what: str


@dataclass
class Fixed:
    """An entry file's text before and after the repairs, and the repairs made."""

    path: Path
    before: str
    after: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def fix_file(
    path: Path, *, root: Path | None = None, today: dt.date | None = None, base: str = "HEAD"
) -> Fixed:
    """The repaired text of one entry file (nothing is written)."""
    model = KINDS.get(path.resolve().parent.name)
    if model is None or path.suffix not in (".yaml", ".yml"):
        raise GapkbError(f"{path} is not an entry — give files under concepts/ or instruments/")
    try:
        before = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GapkbError(f"{path} cannot be read as UTF-8 text: {error}") from None
    committed = _committed(path, root or path.resolve().parent.parent, base)
    after, changes = fix_text(before, model, path.stem, today=today, committed=committed)
    return Fixed(path, before, after, changes)


def fix_text(
    text: str,
    model: type[BaseModel],
    stem: str,
    *,
    today: dt.date | None = None,
    committed: str | None = None,
) -> tuple[str, list[Change]]:
    """Apply every repair to an entry's text; return the new text and what changed."""
    changes: list[Change] = []
    text = _trailing_whitespace(text, changes)
    root = _compose(text)
    if root is None:  # a file YAML cannot read: only the whitespace is safe to touch
        return text, changes
    text = _apply(text, _value_edits(root, model, stem), changes)
    if model is Concept:
        text = _updated(text, today or dt.date.today(), committed, changes)
    return _reorder(text, model, changes), changes


# --- whitespace -------------------------------------------------------------------------


def _trailing_whitespace(text: str, changes: list[Change]) -> str:
    lines = text.split("\n")
    kept = _literal_block_lines(text)

    def strip(number: int, line: str) -> str:
        return line.rstrip("\r") if number in kept else line.rstrip(" \t\r")

    for number, line in enumerate(lines, start=1):
        if line != strip(number, line):
            changes.append(Change(number, "removed trailing spaces"))
    fixed = "\n".join(strip(n, line) for n, line in enumerate(lines, start=1))
    fixed = fixed.rstrip("\n") + "\n"
    if fixed.rstrip("\n") == text.rstrip("\n") and fixed != text:
        changes.append(Change(len(lines), "ended the file with one newline"))
    return fixed


def _literal_block_lines(text: str) -> set[int]:
    """Line numbers of the content of `|` blocks: their trailing spaces are the text's own."""
    root = _compose(text)
    lines: set[int] = set()
    for _, node in _scalars(root) if root is not None else ():
        if node.style == "|":
            end = node.end_mark.line + (1 if node.end_mark.column else 0)
            lines.update(range(node.start_mark.line + 2, end + 1))  # 0-based marks, 1-based lines
    return lines


# --- values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Edit:
    start: int  # character offsets in the text
    end: int
    new: str
    line: int
    what: str


def _compose(text: str) -> yaml.Node | None:
    loader = _StringLoader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, ContentError, RecursionError):
        return None
    finally:
        loader.dispose()


def _scalars(node: yaml.Node, key: Key = ()) -> typing.Iterator[tuple[Key, yaml.ScalarNode]]:
    """Every scalar of a composed document with its field path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            yield from _scalars(value, (*key, str(key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, (*key, i))
    elif isinstance(node, yaml.ScalarNode):
        yield key, node


def expected_type(model: type[BaseModel], loc: Key) -> Any:
    """The type a field at `loc` holds (str, int, bool, ...), through lists, mappings and
    nested models; None when `loc` names no field."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                return None
            annotation = info.annotation
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return None
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _numbers_accepted(model: type[BaseModel], loc: Key) -> bool:
    """A field that takes a number as well as text (`volume: 631`, `issued: 2024`)."""
    info = field_at(model, loc)
    if info is None:
        return False
    return any(
        t in (TextOrNumber, PartialDate)
        for t in (info.annotation, *typing.get_args(info.annotation))
    )


def _value_edits(root: yaml.Node, model: type[BaseModel], stem: str) -> list[_Edit]:
    edits: list[_Edit] = []
    for loc, node in _scalars(root):
        start, end = node.start_mark.index, node.end_mark.index
        line, plain = node.start_mark.line + 1, node.style in (None, "")
        raw = node.value
        wanted = expected_type(model, loc)
        name = _dotted(loc)
        if loc == ("id",) and ID_RE.match(stem) and raw != stem:
            edits.append(_Edit(start, end, stem, line, f"id: set to '{stem}', the file name"))
        elif (
            wanted is str
            and plain
            and "\n" not in raw
            and (node.tag != "tag:yaml.org,2002:str" or YAML_1_1_BOOLEANS.match(raw))
            and not _numbers_accepted(model, loc)
        ):
            if node.tag == "tag:yaml.org,2002:null":
                continue  # an empty optional field
            edits.append(
                _Edit(
                    start, end, json.dumps(raw, ensure_ascii=False), line, f"{name}: quoted {raw}"
                )
            )
        elif wanted is bool and plain and YAML_1_1_BOOLEANS.match(raw):
            value = "true" if raw.lower() in TRUE_WORDS else "false"
            edits.append(_Edit(start, end, value, line, f"{name}: {raw} written as {value}"))
        elif wanted is int and not plain and re.fullmatch(r"[0-9]+", raw):
            edits.append(_Edit(start, end, raw, line, f"{name}: unquoted the number {raw}"))
    return edits


def _apply(text: str, edits: list[_Edit], changes: list[Change]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    changes.extend(Change(e.line, e.what) for e in sorted(edits, key=lambda e: e.start))
    return text


# --- updated ----------------------------------------------------------------------------


def _committed(path: Path, root: Path, base: str) -> str | None:
    """The file's text at `base` (a git revision), or None outside git or for a new file."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        done = subprocess.run(
            ["git", "show", f"{base}:./{rel}"],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=30,
        )
    except (ValueError, OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _content(text: str) -> Any:
    """An entry's data without `updated`, to tell a change of content from none."""
    try:
        data, _lines = parse_yaml(text)
    except ContentError:
        return None
    if isinstance(data, dict):
        data.pop("updated", None)
    return data


def _updated(text: str, today: dt.date, committed: str | None, changes: list[Change]) -> str:
    root = _compose(text)
    node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == "updated"), None)
    if not isinstance(node, yaml.ScalarNode) or not node.value:
        return text
    data = _content(text)
    created = data.get("created") if isinstance(data, dict) else None
    changed = committed is not None and data is not None and _content(committed) != data
    before_created = isinstance(created, str) and node.value < created
    if node.value == today.isoformat() or not (changed or before_created):
        return text
    why = "the content changed" if changed else "it was before created"
    edit = _Edit(
        node.start_mark.index,
        node.end_mark.index,
        today.isoformat(),
        node.start_mark.line + 1,
        f"updated: set to today, {today.isoformat()} ({why})",
    )
    return _apply(text, [edit], changes)


# --- field order ------------------------------------------------------------------------


def _reorder(text: str, model: type[BaseModel], changes: list[Change]) -> str:
    """Top-level fields in the model's (the template's) order, each with the comment lines
    directly above it; the header (the schema modeline, comments before a blank line) stays."""
    lines = text.splitlines(keepends=True)
    if any(line.startswith(("---", "...")) for line in lines):
        return text
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if len(starts) < 2:
        return text
    firsts: list[
        int
    ] = []  # where each field's block begins: its key, or the comments just above it
    for start in starts:
        first = start
        while (
            first > 0
            and lines[first - 1].startswith("#")
            and not lines[first - 1].startswith("# yaml-language-server")
            and (not firsts or first - 1 > starts[len(firsts) - 1])
        ):
            first -= 1
        firsts.append(first)
    header = lines[: firsts[0]]
    blocks = [lines[a:b] for a, b in zip(firsts, [*firsts[1:], len(lines)], strict=True)]
    order = list(model.model_fields)
    names = [str(_TOP_KEY.match(lines[s]).group(1)) for s in starts]  # type: ignore[union-attr]

    def rank(i: int) -> tuple[int, int]:
        return (order.index(names[i]) if names[i] in order else len(order), i)

    ranked = sorted(range(len(blocks)), key=rank)
    if ranked == list(range(len(blocks))):
        return text
    moved = [names[i] for n, i in enumerate(ranked) if i != n]
    changes.append(
        Change(starts[0] + 1, f"put the fields in the template's order (moved {', '.join(moved)})")
    )
    for block in blocks:  # a block moved to the end of the file keeps its line break
        if block and not block[-1].endswith("\n"):
            block[-1] += "\n"
    return "".join(header + [line for i in ranked for line in blocks[i]])
