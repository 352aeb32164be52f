"""Step 1: YAML entries -> validated records, with the line of every field.

YAML is read with a loader that keeps every scalar a string (YAML 1.1's `no`,
`1.10` and `013` stay what the contributor typed), refuses anchors and aliases
(a 431-byte alias bomb explodes when walked) and duplicate keys, and remembers
the line of each node so that every problem names `path:line: field:`.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gapkb.findings import Finding
from gapkb.model import (
    ID_RE,
    JURISDICTION_PATTERN,
    LANG_PATTERN,
    PARTIAL_DATE_PATTERN,
    SCHEME_NAME_PATTERN,
    Category,
    Concept,
    Confidence,
    Instrument,
    InstrumentKind,
    SourceType,
    Status,
    Strength,
)
from gapkb.scaffold import field_at, find_placeholders, placeholder_message

Key = tuple[str | int, ...]
EntryT = TypeVar("EntryT", bound=BaseModel)

MAX_FILE_BYTES = 1_000_000
CONCEPTS_DIR = "concepts"
INSTRUMENTS_DIR = "instruments"
SCHEMA_OF_DIR: dict[str, type[Concept] | type[Instrument]] = {
    CONCEPTS_DIR: Concept,
    INSTRUMENTS_DIR: Instrument,
}


class ContentError(Exception):
    """A problem in one file that stops it from being read at all."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


@dataclass
class Record(Generic[EntryT]):
    """A validated entry with the file it came from and the line of each field."""

    entry: EntryT
    path: str
    lines: dict[Key, int]

    def line(self, *key: str | int) -> int:
        """Line of the field at `key`, or of its closest enclosing field."""
        return line_of(self.lines, key)


def line_of(lines: dict[Key, int], key: Key) -> int:
    """Line of the field at `key`, or of its closest enclosing field."""
    for end in range(len(key), -1, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return 1


@dataclass
class KnowledgeBase:
    """All records of a repository, and the problems found while reading them."""

    root: Path
    concepts: dict[str, Record[Concept]] = field(default_factory=dict)
    instruments: dict[str, Record[Instrument]] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    # (folder, file stem) -> path of entries that exist but did not load, so that a
    # reference to one is not mistaken for a reference to nothing
    unloaded: dict[tuple[str, str], str] = field(default_factory=dict)


# --- YAML with lines -------------------------------------------------------------------


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


# --- messages ----------------------------------------------------------------------------


def _dotted(key: Iterable[str | int]) -> str:
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{match[0]}'?" if match else ""


_ENUMS: dict[str, type[Any]] = {
    "strength": Strength,
    "confidence": Confidence,
    "category": Category,
    "kind": InstrumentKind,
    "status": Status,
    "type": SourceType,
}


def _fields_at(model: type[BaseModel], loc: Key) -> list[str]:
    """Field names allowed in the mapping at `loc` (for unknown-field hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` -> X and `X | None` -> X; a union of several types stays one."""
    if typing.get_origin(annotation) is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if _is_union(annotation):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return _unwrap(rest[0])
    return annotation


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def field_loc(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[Key, bool]:
    """A pydantic error location as the contributor's field path, and whether it crossed a union.

    pydantic adds a tag for each alternative of a union it tried (`issued.constrained-str`,
    `issued.constrained-int`), the name of a validator function, and `[key]` for a bad
    mapping key: none of them is a field the contributor wrote.
    """
    path: list[str | int] = []
    union = False
    annotation: Any = model
    for part in loc:
        if isinstance(part, str) and (part.startswith("function-") or part == "[key]"):
            continue
        annotation = _unwrap(annotation)
        if _is_union(annotation):
            union, annotation = True, None  # `part` names the alternative tried
            continue
        path.append(part)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            annotation = info.annotation if info is not None else None
        elif origin is list or origin is dict:
            annotation = args[-1]
        else:
            annotation = None
    return tuple(path), union


# pydantic error types that say only "not this type": where a union was tried, another
# alternative's error says more (a date pattern, rather than "not a whole number").
_TYPE_ONLY = re.compile(r"_(type|parsing)$")


def explain_errors(errors: Iterable[ErrorDetails], model: type[BaseModel]) -> list[tuple[Key, str]]:
    """Explain pydantic's errors: one message per field, even where a union tried several types."""
    explained: list[tuple[Key, str]] = []
    tried: dict[Key, tuple[int, bool]] = {}  # union location -> (its message, only a type error)
    for error in errors:
        loc, union = field_loc(model, error["loc"])
        type_only = bool(_TYPE_ONLY.search(error["type"]))
        if union and loc in tried:
            at, was_type_only = tried[loc]
            if was_type_only and not type_only:
                explained[at] = explain(error, model)
                tried[loc] = (at, False)
            continue
        if union:
            tried[loc] = (len(explained), type_only)
        explained.append(explain(error, model))
    return explained


def explain(error: ErrorDetails, model: type[BaseModel]) -> tuple[Key, str]:
    """Turn one pydantic error into (location, 'what is wrong — how to fix')."""
    loc, _union = field_loc(model, error["loc"])
    kind, value, name = error["type"], error.get("input"), str(loc[-1]) if loc else ""
    shown = repr(value) if isinstance(value, str) else ""
    if kind == "missing":
        return loc, "required field is missing — add it (see `gapkb new` for a template)"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(name, allowed) or f" — allowed fields: {', '.join(allowed)}"
        return loc, f"unknown field{hint}"
    if kind == "enum":
        enum = _ENUMS.get(name)
        choices = (
            [m.value for m in enum] if enum else [str(error.get("ctx", {}).get("expected", ""))]
        )
        hint = did_you_mean(str(value), choices)
        return loc, f"{shown} is not allowed{hint or ' — use one of: ' + ', '.join(choices)}"
    if kind == "string_pattern_mismatch":
        return loc, _pattern_message(model, loc, error, shown)
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return loc, f"{shown} is not a day of the calendar — check the month and the day"
        return loc, f"{shown or 'the value'} is not a date — write it as YYYY-MM-DD"
    if kind in ("bool_parsing", "bool_type"):
        return loc, f"{shown or 'the value'} is not true or false — write true or false"
    if kind in ("int_parsing", "int_type"):
        return loc, f"{shown or 'the value'} is not a whole number — write digits only"
    if kind in ("greater_than_equal", "less_than_equal"):
        return loc, f"{shown or 'the value'} is out of range — {error['msg'].lower()}"
    if kind == "list_type":
        return loc, "expected a list — write `- item` lines or [a, b]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, "expected a mapping of fields — write `field: value` lines"
    if kind == "string_type":
        return loc, "expected text — write a plain string (quote it if it starts with [ or {)"
    if kind in ("too_short", "string_too_short"):
        return loc, "must not be empty — fill it in or remove the field if it is optional"
    message = str(error["msg"]).removeprefix("Value error, ")
    return loc, message if " — " in message else f"{message} — fix the value"


def _pattern_message(model: type[BaseModel], loc: Key, error: ErrorDetails, shown: str) -> str:
    """'what is wrong — how to fix' for a value of the wrong form, in words rather than a regex."""
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    value, name = str(error.get("input")), str(loc[-1]) if loc else ""
    if pattern == ID_RE.pattern:
        if " - " in value and loc and isinstance(loc[-1], int):
            # `- a\n  - b` indented deeper than the first `-` continues item a as text
            return (
                f"{shown} looks like two list items run together"
                " — check the indentation of the `-` lines: put them all in the same column"
            )
        return f"{shown} is not a kebab-case id — use lower-case letters and digits joined by hyphens, e.g. '{suggest_id(value)}'"
    if pattern == JURISDICTION_PATTERN:
        return f"{shown} is not a jurisdiction — use an ISO 3166 code (US, CN, US-CA), EU or INT"
    if pattern == PARTIAL_DATE_PATTERN:
        return f"{shown} is not a date — write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-06-13)"
    if pattern == LANG_PATTERN:
        return f"{shown} is not a language code — use a BCP 47 code such as en, zh, fr (zh-Hans for a script)"
    if pattern == SCHEME_NAME_PATTERN:
        suggestion = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_") or "celex"
        return f"{shown} is not a scheme name — write it in lower case with _ between words, e.g. '{suggestion}'"
    if name == "doi":
        return f"{shown} is not a bare DOI — write it as 10.xxxx/..., without https://doi.org/"
    if name == "arxiv":
        return f'{shown} is not a bare arXiv id — write it as "2402.11746", in quotes'
    info = field_at(model, loc)
    what = info.description if info is not None and info.description else None
    return f"{shown} has the wrong form — {what or 'compare it with the template of `gapkb new`'}"


def suggest_id(text: str) -> str:
    """A kebab-case id close to `text` (for messages and scaffolds)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "my-id"


# --- loading -----------------------------------------------------------------------------


def entry_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(folder, file) for every YAML entry under concepts/ and instruments/."""
    for folder in SCHEMA_OF_DIR:
        directory = root / folder
        if directory.is_dir():
            for path in sorted(directory.iterdir()):
                if path.suffix in (".yaml", ".yml") and path.is_file():
                    yield folder, path


def read_entry(root: Path, folder: str, path: Path) -> Record[Any] | list[Finding]:
    """Read and validate one file; return its record or its problems."""
    rel = path.relative_to(root).as_posix()
    model = SCHEMA_OF_DIR[folder]
    try:
        if path.is_symlink():
            raise ContentError(1, "", "the entry is a symbolic link — commit a regular file")
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise ContentError(
                1, "", f"the file is larger than {MAX_FILE_BYTES} bytes — split or shorten it"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ContentError(
                line, "", f"byte 0x{raw[error.start]:02x} is not UTF-8 — save the file as UTF-8"
            ) from None
        if not text.strip() or all(
            not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
        ):
            raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`")
        data, lines = parse_yaml(text.removeprefix("\ufeff"))
    except ContentError as error:
        return [Finding(rel, error.line, error.field, error.message)]
    if not isinstance(data, dict):
        return [Finding(rel, 1, "", "an entry must be a mapping of fields — start with `id: ...`")]
    # Placeholders left from `gapkb new` are reported by name, instead of the type errors
    # they would cause (or, in a text field, instead of passing silently).
    placeholders = list(find_placeholders(data))
    problems: list[Finding] = [
        Finding(rel, line_of(lines, loc), _dotted(loc), placeholder_message(model, loc, text))
        for loc, text in placeholders
    ]
    stem = path.stem
    if not ID_RE.match(stem):
        problems.append(
            Finding(
                rel,
                1,
                "",
                f"file name '{path.name}' is not kebab-case — rename it to '{suggest_id(stem)}{path.suffix}'",
            )
        )
    try:
        entry = model.model_validate(data)
    except ValidationError as error:
        for loc, message in explain_errors(error.errors(), model):
            if any(loc[: len(at)] == at for at, _text in placeholders):
                continue
            line = line_of(lines, loc)
            problems.append(Finding(rel, line, _dotted(loc), message))
        return problems
    if entry.id != stem and ID_RE.match(stem):
        problems.append(
            Finding(
                rel,
                lines.get(("id",), 1),
                "id",
                f"'{entry.id}' differs from the file name '{path.name}' — make them equal",
            )
        )
    return problems or Record(entry, rel, lines)


def load_records(root: Path) -> KnowledgeBase:
    """Read every entry under `root`, then check references across files."""
    kb = KnowledgeBase(root=root)
    seen: dict[str, str] = {}
    for folder, path in entry_files(root):
        result = read_entry(root, folder, path)
        if isinstance(result, list):
            kb.problems.extend(result)
            kb.unloaded.setdefault((folder, path.stem), path.relative_to(root).as_posix())
            continue
        entry_id = result.entry.id
        if entry_id in seen:
            kb.problems.append(
                Finding(
                    result.path,
                    result.line("id"),
                    "id",
                    f"'{entry_id}' is already used by {seen[entry_id]} — choose another id",
                )
            )
            continue
        seen[entry_id] = result.path
        target = kb.concepts if folder == CONCEPTS_DIR else kb.instruments
        target[entry_id] = result
    kb.problems.extend(check_references(kb))
    return kb


def check_references(kb: KnowledgeBase) -> list[Finding]:
    """Cross-file checks: every id an entry names must exist."""
    problems: list[Finding] = []
    concepts = set(kb.concepts)

    def unknown(
        record: Record[Any], key: Key, kind: str, value: str, choices: Iterable[str]
    ) -> None:
        unloaded = kb.unloaded.get((f"{kind}s", value))
        if unloaded:  # the file is there; its own error is the one to fix
            message = f"{kind} '{value}' did not load — fix the error reported in {unloaded}"
        else:
            hint = did_you_mean(value, choices) or f" — add {kind}s/{value}.yaml or fix the id"
            message = f"unknown {kind} '{value}'{hint}"
        problems.append(Finding(record.path, record.line(*key), _dotted(key), message))

    for cid, record in kb.concepts.items():
        for field_name in ("related", "broader"):
            for i, other in enumerate(getattr(record.entry, field_name)):
                if other == cid:
                    problems.append(
                        Finding(
                            record.path,
                            record.line(field_name, i),
                            f"{field_name}[{i}]",
                            f"a concept cannot be {field_name} to itself — remove '{cid}'",
                        )
                    )
                elif other not in concepts:
                    unknown(record, (field_name, i), "concept", other, concepts)
        problems.extend(_unverified_paths(record))
    for iid, irecord in kb.instruments.items():
        instrument = irecord.entry
        provisions: dict[str, int] = {}
        for i, provision in enumerate(instrument.provisions):
            if provision.id in provisions:
                problems.append(
                    Finding(
                        irecord.path,
                        irecord.line("provisions", i, "id"),
                        f"provisions[{i}].id",
                        f"provision '{provision.id}' is listed twice — keep one",
                    )
                )
            provisions.setdefault(provision.id, i)
        pairs: set[tuple[str, str]] = set()
        repeated_links: set[int] = set()
        for i, link in enumerate(instrument.coverage):
            if link.concept not in concepts:
                unknown(irecord, ("coverage", i, "concept"), "concept", link.concept, concepts)
            if link.provision not in provisions:
                problems.append(
                    Finding(
                        irecord.path,
                        irecord.line("coverage", i, "provision"),
                        f"coverage[{i}].provision",
                        f"unknown provision '{link.provision}' of {iid}{did_you_mean(link.provision, provisions) or ' — add it under provisions: or fix the id'}",
                    )
                )
            if (link.provision, link.concept) in pairs:
                problems.append(
                    Finding(
                        irecord.path,
                        irecord.line("coverage", i),
                        f"coverage[{i}]",
                        f"{link.provision} → {link.concept} is linked twice — keep one link",
                    )
                )
                repeated_links.add(i)
            pairs.add((link.provision, link.concept))
        if instrument.revoked_by is not None:
            if instrument.revoked_by == iid:
                problems.append(
                    Finding(
                        irecord.path,
                        irecord.line("revoked_by"),
                        "revoked_by",
                        "an instrument cannot revoke itself — name the revoking instrument",
                    )
                )
            elif instrument.revoked_by not in kb.instruments:
                unknown(
                    irecord, ("revoked_by",), "instrument", instrument.revoked_by, kb.instruments
                )
        problems.extend(_amendment_problems(kb, irecord))
        problems.extend(_unverified_paths(irecord))
        # A repeated provision or link is reported once, here; dropped from the record, it
        # cannot also reach the graph as one node with two titles or two strengths.
        repeated_provisions = set(range(len(instrument.provisions))) - set(provisions.values())
        _drop_items(irecord, "provisions", repeated_provisions)
        _drop_items(irecord, "coverage", repeated_links)
    return problems


def _drop_items(record: Record[Any], name: str, drop: set[int]) -> None:
    """Remove list items from a record's entry, renumbering the line index to match."""
    if not drop:
        return
    items = getattr(record.entry, name)
    kept = [i for i in range(len(items)) if i not in drop]
    record.entry = record.entry.model_copy(update={name: [items[i] for i in kept]})
    renumber = {old: new for new, old in enumerate(kept)}
    lines: dict[Key, int] = {}
    for key, line in record.lines.items():
        if len(key) > 1 and key[0] == name and isinstance(key[1], int):
            if key[1] in drop:
                continue
            key = (name, renumber[key[1]], *key[2:])
        lines[key] = line
    record.lines = lines


def _unverified_paths(record: Record[Any]) -> list[Finding]:
    """Every path listed under `unverified` must name a field the entry fills in."""
    problems = []
    for i, dotted in enumerate(record.entry.unverified):
        key: Key = tuple(int(p) if p.isdigit() else p for p in dotted.split("."))
        wrong = _unverified_problem(record, key, dotted)
        if wrong:
            problems.append(
                Finding(record.path, record.line("unverified", i), f"unverified[{i}]", wrong)
            )
    return problems


def _shifted(name: str) -> str:
    # Positions count items, so one inserted in the middle of a list moves every later one.
    return f"inserting into the middle of {name} shifts the positions after it"


def _unverified_problem(record: Record[Any], key: Key, dotted: str) -> str | None:
    """Why an `unverified` path names nothing to verify, or None if it names a filled field."""
    no_field = f"'{dotted}' names no field of this entry — use a dotted path such as dates.in_force or references.0.pages"
    value: Any = record.entry
    item: tuple[Key, Any] | None = None  # the last list item passed: (its path, the item)
    for at, part in enumerate(key):
        if isinstance(part, int):
            if not isinstance(value, list):
                return no_field
            if part >= len(value):
                name = _dotted(key[:at])
                return (
                    f"'{dotted}' points past the end of {name} ({len(value)} item(s), numbered"
                    f" from 0) — {_shifted(name)}: update the position, and add new items at the end"
                )
            value = value[part]
            item = (key[: at + 1], value)
        elif isinstance(value, BaseModel):
            value = getattr(value, part, None)
        else:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            break
    if value not in (None, "", [], {}):
        return None
    if key not in record.lines and field_at(type(record.entry), key) is None:
        return no_field  # a misspelt field, not an empty one
    if item is None:
        return f"'{dotted}' names an empty field — fill the field in, or remove the path from unverified"
    path, entry = item
    label = f" ({entry.id})" if isinstance(getattr(entry, "id", None), str) else ""
    return (
        f"'{dotted}' names an empty field: {_dotted(path)}{label} has no {_dotted(key[len(path) :])}"
        f" — {_shifted(_dotted(path[:-1]))}: check that {path[-1]} is still the position you mean"
    )


def _amendment_problems(kb: KnowledgeBase, record: Record[Any]) -> list[Finding]:
    """The ids that amendments, inserted provisions and quote versions name must exist."""
    problems: list[Finding] = []
    instrument = record.entry
    own = {p.id for p in instrument.provisions}

    def check(key: Key, value: str, choices: Iterable[str], what: str, fix: str) -> None:
        if value not in choices:
            hint = did_you_mean(value, choices) or f" — {fix}"
            problems.append(
                Finding(record.path, record.line(*key), _dotted(key), f"unknown {what}{hint}")
            )

    def instrument_id(key: Key, value: str) -> None:
        fix = f"add instruments/{value}.yaml or fix the id"
        check(key, value, kb.instruments, f"instrument '{value}'", fix)

    for i, amendment in enumerate(instrument.amends):
        instrument_id(("amends", i, "instrument"), amendment.instrument)
        target = kb.instruments.get(amendment.instrument)
        if target is not None:
            theirs = {p.id for p in target.entry.provisions}
            for field_name in ("provisions", "deletes"):
                for j, provision_id in enumerate(getattr(amendment, field_name)):
                    check(
                        ("amends", i, field_name, j),
                        provision_id,
                        theirs,
                        f"provision '{provision_id}' of {amendment.instrument}",
                        f"add it under the provisions of {target.path} or fix the id",
                    )
        if amendment.by is not None:
            check(
                ("amends", i, "by"),
                amendment.by,
                own,
                f"provision '{amendment.by}' of {instrument.id}",
                "add it under provisions: or fix the id",
            )
    for i, provision in enumerate(instrument.provisions):
        if provision.inserted_by is not None:
            instrument_id(("provisions", i, "inserted_by"), provision.inserted_by)
    for i, link in enumerate(instrument.coverage):
        if link.quote_version is not None:
            instrument_id(("coverage", i, "quote_version"), link.quote_version)
    return problems
