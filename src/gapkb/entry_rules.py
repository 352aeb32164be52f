"""The entry format's rules as a contributor meets them: fields, placeholders, messages.

The models (gapkb.model) say what an entry may hold; this module finds the field at a
location, the placeholders a scaffold leaves (`<<title>>`), and turns each problem
pydantic reports into a message that names the field and says how to fix it. The loader
(gapkb.records) and `gapkb new` (gapkb.contributing.scaffold) both read it; it reads
neither.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from gapkb.entry_types import (
    ELLIPSIS_RE,
    PLACEHOLDER_RE,
    QUOTE_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
)
from gapkb.model import (
    ID_RE,
    JURISDICTION_PATTERN,
    LANG_PATTERN,
    SCHEME_NAME_PATTERN,
    Category,
    Concept,
    Confidence,
    InstrumentKind,
    SourceType,
    Status,
    Strength,
)

Key = tuple[str | int, ...]


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


def explain_errors(errors: Iterable[ErrorDetails], model: type[BaseModel]) -> list[Explained]:
    """Explain pydantic's errors: one message per field, even where a union tried several types."""
    explained: list[Explained] = []
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


class Explained(NamedTuple):
    """One problem with one field: where, what is wrong — how to fix it, and its code."""

    loc: Key
    message: str
    code: str


# The model's own rules (PydanticCustomError types in gapkb.model and gapkb.entry_types),
# whose messages already say what is wrong and how to fix it.
RULE_CODES: dict[str, str] = {
    "author_form": "GK218",
    "source_date": "GK219",
    "scheme_term": "GK220",
    "quote_language": "GK217",
    "date_form": "GK208",
    "partial_date": "GK208",
    "date_calendar": "GK209",
    "year_range": "GK213",
}
_PYDANTIC_DATES = ("date_parsing", "date_from_datetime_parsing", "date_type")


def explain(error: ErrorDetails, model: type[BaseModel]) -> Explained:
    """Turn one pydantic error into (location, 'what is wrong — how to fix', code)."""
    loc, _union = field_loc(model, error["loc"])
    kind, value, name = error["type"], error.get("input"), str(loc[-1]) if loc else ""
    shown = repr(value) if isinstance(value, str) else ""
    if kind == "revoked_by_missing":  # shown where the contributor wrote the status
        return Explained((*loc[:-1], "status"), str(error["msg"]), "GK221")
    if kind in RULE_CODES:
        return Explained(loc, str(error["msg"]), RULE_CODES[kind])
    if kind == "missing":
        return Explained(
            loc, "required field is missing — add it (see `gapkb new` for a template)", "GK202"
        )
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(name, allowed) or f" — allowed fields: {', '.join(allowed)}"
        return Explained(loc, f"unknown field{hint}", "GK204")
    if value is None:  # `strength:` left empty is null, which only optional fields accept
        return Explained(loc, _left_empty(model, loc), "GK203")
    if kind == "enum":
        enum = _ENUMS.get(name)
        choices = (
            [m.value for m in enum] if enum else [str(error.get("ctx", {}).get("expected", ""))]
        )
        hint = did_you_mean(str(value), choices) or " — use one of: " + ", ".join(choices)
        return Explained(loc, f"{shown or _as_yaml(value)} is not allowed{hint}", "GK205")
    if kind == "string_pattern_mismatch":
        return Explained(loc, *_pattern_message(model, loc, error, shown))
    if kind in _PYDANTIC_DATES:
        return Explained(
            loc, f"{shown or 'the value'} is not a date — write it as YYYY-MM-DD", "GK208"
        )
    if kind in ("bool_parsing", "bool_type"):
        yaml_1_1 = isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n")
        words = (
            " (YAML 1.2, which editors read, takes yes, no, on and off as text)" if yaml_1_1 else ""
        )
        message = f"{shown or _as_yaml(value)} is not true or false{words} — write true or false"
        return Explained(loc, message, "GK211")
    if kind in ("int_parsing", "int_type"):
        if isinstance(value, str) and value.strip().isdigit():
            return Explained(
                loc,
                f"{shown} is text, not a number — write {value.strip()} without quotes",
                "GK212",
            )
        return Explained(
            loc, f"{shown or _as_yaml(value)} is not a whole number — write digits only", "GK212"
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        message = f"{shown or _as_yaml(value)} is out of range — {error['msg'].lower()}"
        return Explained(loc, message, "GK213")
    if kind == "list_type":
        return Explained(loc, "expected a list — write `- item` lines or [a, b]", "GK214")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Explained(loc, "expected a group of fields — write `field: value` lines", "GK214")
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            return Explained(
                loc,
                f"YAML reads this value as {'true or false' if isinstance(value, bool) else f'the number {value}'},"
                " not as text — put it in double quotes, exactly as written (`gapkb fix` does it)",
                "GK210",
            )
        return Explained(
            loc, "expected text — write a plain value (quote it if it starts with [ or {)", "GK214"
        )
    if kind in ("too_short", "string_too_short"):
        return Explained(
            loc, "must not be empty — fill it in or remove the field if it is optional", "GK203"
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    return Explained(loc, message if " — " in message else f"{message} — fix the value", "GK222")


def _as_yaml(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _left_empty(model: type[BaseModel], loc: Key) -> str:
    """A required field left empty (`strength:`): what to fill it in with, as the template says."""
    info = field_at(model, loc)
    values = choices(info) if info is not None else []
    if values:
        return f"left empty — fill it in with one of: {', '.join(values)}"
    what = info.description if info is not None and info.description else ""
    return (
        f"left empty — fill it in{': ' + what if what else ''} (an empty field counts as missing)"
    )


def entry_problems(entry: BaseModel) -> list[Explained]:
    """Rules between two fields of one entry that a JSON Schema cannot state, so that an
    editor does not show them: only `gapkb check` does."""
    problems: list[Explained] = []
    if isinstance(entry, Concept) and entry.updated < entry.created:
        problems.append(
            Explained(
                ("updated",),
                f"{entry.updated} is before created ({entry.created}) — set updated to the day"
                " of your last change (`gapkb fix` sets it to today)",
                "GK224",
            )
        )
    return problems


def _pattern_message(
    model: type[BaseModel], loc: Key, error: ErrorDetails, shown: str
) -> tuple[str, str]:
    """('what is wrong — how to fix', code) for a value of the wrong form, in words, not a regex."""
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    value, name = str(error.get("input")), str(loc[-1]) if loc else ""
    if pattern == ID_RE.pattern:
        if " - " in value and loc and isinstance(loc[-1], int):
            # `- a\n  - b` indented deeper than the first `-` continues item a as text
            return (
                f"{shown} looks like two list items run together"
                " — check the indentation of the `-` lines: put them all in the same column"
            ), "GK206"
        return (
            f"{shown} is not a kebab-case id — use lower-case letters and digits joined by"
            f" hyphens, e.g. '{suggest_id(value)}'"
        ), "GK206"
    if pattern == URL_PATTERN:
        return "must be an http:// or https:// URL — give the https:// address", "GK207"
    if pattern == TEXT_PATTERN or (pattern == QUOTE_PATTERN and not ELLIPSIS_RE.search(value)):
        return "must not be empty — fill it in or remove the field if it is optional", "GK215"
    if pattern == QUOTE_PATTERN:
        return (
            "the quote has an ellipsis, so it is not verbatim — quote one continuous"
            " passage; make two links or quote a shorter passage"
        ), "GK216"
    if pattern == JURISDICTION_PATTERN:
        message = f"{shown} is not a jurisdiction — use an ISO 3166 code (US, CN, US-CA), EU or INT"
    elif pattern == LANG_PATTERN:
        message = f"{shown} is not a language code — use a BCP 47 code such as en, zh, fr (zh-Hans for a script)"
    elif pattern == SCHEME_NAME_PATTERN:
        suggestion = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_") or "celex"
        message = f"{shown} is not a scheme name — write it in lower case with _ between words, e.g. '{suggestion}'"
    elif name == "doi":
        message = f"{shown} is not a bare DOI — write it as 10.xxxx/..., without https://doi.org/"
    elif name == "arxiv":
        message = f'{shown} is not a bare arXiv id — write it as "2402.11746", in quotes'
    else:
        info = field_at(model, loc)
        what = info.description if info is not None and info.description else None
        message = (
            f"{shown} has the wrong form — {what or 'compare it with the template of `gapkb new`'}"
        )
    return message, "GK222"


def suggest_id(text: str) -> str:
    """A kebab-case id close to `text` (for messages and scaffolds)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "my-id"


def _strip_optional(annotation: Any) -> Any:
    """`X | None` -> X; anything else unchanged."""
    args = typing.get_args(annotation)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _list_item(annotation: Any) -> Any:
    """The item type of a list annotation, else None."""
    annotation = _strip_optional(annotation)
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None


def _enum(annotation: Any) -> type[Enum] | None:
    annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    return None


def field_at(model: type[BaseModel], loc: Key) -> FieldInfo | None:
    """The model field at a location such as ('primary_source', 'authors', 0, 'family')."""
    current: type[BaseModel] | None = model
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        info = current.model_fields[part]
        item = _list_item(info.annotation)
        current = _model(item if item is not None else info.annotation)
    return info


def choices(info: FieldInfo) -> list[str]:
    """The allowed values of an enum field (or of a list of enums), else []."""
    item = _list_item(info.annotation)
    enum = _enum(item if item is not None else info.annotation)
    return [str(m.value) for m in enum] if enum is not None else []


def definitions(info: FieldInfo) -> list[tuple[str, str]]:
    """(value, definition) for an enum whose members define themselves (Category), else []."""
    item = _list_item(info.annotation)
    enum = _enum(item if item is not None else info.annotation)
    if enum is None or not all(isinstance(getattr(m, "definition", None), str) for m in enum):
        return []
    return [(str(m.value), str(getattr(m, "definition", ""))) for m in enum]


def find_placeholders(data: Any, key: Key = ()) -> Iterator[tuple[Key, str]]:
    """(location, placeholder) for every `<<...>>` left in parsed YAML data."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from find_placeholders(value, (*key, name))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_placeholders(value, (*key, i))
    elif isinstance(data, str):
        match = PLACEHOLDER_RE.search(data)
        if match:
            yield key, match.group(0)


def placeholder_message(model: type[BaseModel], loc: Key, placeholder: str) -> str:
    """'placeholder <<x>> is not filled in — replace it: what goes there'."""
    info = field_at(model, loc)
    if info is None:
        return f"placeholder {placeholder} is not filled in — replace it or delete the line"
    how = "replace it" if info.is_required() else "replace it or delete the line"
    values = choices(info)
    if values:
        return (
            f"placeholder {placeholder} is not filled in — {how} with one of: {', '.join(values)}"
        )
    return f"placeholder {placeholder} is not filled in — {how}: {info.description}"
