"""`gapkb new`: a template entry with every field, and the placeholders it leaves to fill in.

The template is generated from the entry models in `model.py`: every field appears, in
the model's order, under a one-line comment made from its Field description. Values the
contributor must supply are placeholders such as `<<title>>` (the field's dotted path in
double angle brackets). The loader reports every placeholder left in an entry as a
violation, so an unfilled scaffold can never pass `gapkb check`; optional fields are
left empty (null), which the models accept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from gapkb.entry_rules import (
    _list_item,
    _model,
    _strip_optional,
    choices,
    definitions,
    suggest_id,
)
from gapkb.entry_types import PLACEHOLDER_RE
from gapkb.entry_yaml import ContentError, parse_yaml
from gapkb.findings import GapkbError
from gapkb.model import ID_RE, Concept, Instrument

Path_ = tuple[str, ...]  # a field's path through the models, without list indexes

KINDS: dict[str, type[Concept] | type[Instrument]] = {"concept": Concept, "instrument": Instrument}
FOLDERS = {"concept": "concepts", "instrument": "instruments"}
MAX_ID_LENGTH = 80


# Optional fields the template still asks for, with why (shown in the comment).
ASKED: dict[str, dict[Path_, str]] = {
    "concept": {
        ("primary_source", "authors", "family"): "a person; for an organisation use literal",
        ("primary_source", "authors", "given"): "a person; for an organisation use literal",
        ("primary_source", "year"): "required unless you give issued instead",
        ("primary_source", "url"): "recommended; delete the line if there is none",
        ("primary_source", "note"): "expected: why this is the primary source",
    },
    "instrument": {
        ("summary",): "recommended",
        ("dates", "in_force"): "needed for coverage to count; delete only if unknown",
        ("coverage", "quote"): "recommended; delete with quote_lang if none",
        ("coverage", "quote_lang"): "needed with a quote",
    },
}
# Lists of mappings the template shows one item of (copy it for more).
EXAMPLE_ITEM: set[Path_] = {("primary_source", "authors"), ("provisions",), ("coverage",)}
# Free-text fields written as block scalars, so that prose can run over several lines.
BLOCK: dict[Path_, str] = {("summary",): ">-", ("details",): "|"}


def comment(info: FieldInfo, status: str) -> str:
    """'Help text (required; one of: a, b)': the one-line comment above a template field."""
    values = choices(info)
    text = info.description or ""
    if definitions(info):
        status = f"{status}; one of those below"
    elif values and not all(v in text for v in values):
        status = f"{status}; one of: {', '.join(values)}"
    return f"{text} ({status})"


def _plain_safe(text: str) -> bool:
    """True if `text` reads back as the same string, unquoted, in any YAML parser: YAML 1.2
    (editors, `gapkb check`) and YAML 1.1 (PyYAML, where `no` is false)."""
    if not text or text != text.strip() or "\n" in text or PLACEHOLDER_RE.search(text):
        return False
    try:
        yaml_1_1 = yaml.safe_load(f"k: {text}")
        yaml_1_2, _lines = parse_yaml(f"k: {text}")
    except (yaml.YAMLError, ContentError):
        return False
    return bool(yaml_1_1 == yaml_1_2 == {"k": text})


def yaml_scalar(value: object) -> str:
    """One value as YAML: plain where that is safe, else double-quoted (JSON is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        value = value.value
    text = str(value)
    return text if _plain_safe(text) else json.dumps(text, ensure_ascii=False)


def _placeholder(path: Path_) -> str:
    return f"<<{'.'.join(path)}>>"


def _status(kind: str, path: Path_, info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    return ASKED[kind].get(path, "optional")


def _asked(kind: str, path: Path_, info: FieldInfo) -> bool:
    return info.is_required() or path in ASKED[kind]


def _render_model(
    kind: str, model: type[BaseModel], path: Path_, indent: int, values: Mapping[Path_, object]
) -> list[str]:
    """The lines of one mapping: a comment line, then the field, for every field."""
    pad = " " * indent
    lines: list[str] = []
    for name, info in model.model_fields.items():
        here = (*path, name)
        item = _list_item(info.annotation)
        nested = _model(info.annotation)
        item_model = _model(item) if item is not None else None
        note = _status(kind, here, info)
        if here in EXAMPLE_ITEM:
            note += "; one item each, copy the item for more"
        lines.append(f"{pad}# {comment(info, note)}")
        # a value to choose by its meaning (a category) is listed with what it means
        lines.extend(f"{pad}#   {value} — {text}" for value, text in definitions(info))
        if here in values:
            lines.append(f"{pad}{name}: {_render_value(values[here])}")
        elif item_model is not None and here in EXAMPLE_ITEM:
            body = _render_model(kind, item_model, here, indent + 4, values)
            lines.append(f"{pad}{name}:")
            lines.append(f"{pad}  - {body[0].lstrip()}")
            lines.extend(body[1:])
        elif item is not None:
            lines.append(
                f"{pad}{name}: [{_placeholder(here)}]" if info.is_required() else f"{pad}{name}: []"
            )
        elif nested is not None:
            lines.append(f"{pad}{name}:")
            lines.extend(_render_model(kind, nested, here, indent + 2, values))
        elif typing.get_origin(_strip_optional(info.annotation)) is dict:
            lines.append(f"{pad}{name}: {{}}")
        elif not _asked(kind, here, info):
            lines.append(f"{pad}{name}:")
        elif here in BLOCK:
            lines.append(f"{pad}{name}: {BLOCK[here]}")
            lines.append(f"{pad}  {_placeholder(here)}")
        else:
            lines.append(f"{pad}{name}: {_placeholder(here)}")
    return lines


def _render_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    return yaml_scalar(value)


def schema_reference(root: Path, kind: str) -> str:
    """The modeline's schema path, relative to the entry's folder (../schema/... at the top)."""
    folder = root.resolve() / FOLDERS[kind]
    name = f"{kind}.schema.json"
    for candidate in (root.resolve(), *root.resolve().parents):
        if (candidate / "schema" / name).is_file():
            return Path(os.path.relpath(candidate / "schema" / name, folder)).as_posix()
    return f"../schema/{name}"


def render_template(
    kind: str,
    entry_id: str,
    values: Mapping[str, object] | None = None,
    *,
    today: dt.date | None = None,
    schema: str | None = None,
) -> str:
    """The text of a new entry: modeline, how-to header, then every field with a comment."""
    model = KINDS[kind]
    today = today or dt.date.today()
    given: dict[Path_, object] = {("id",): entry_id}
    if kind == "concept":
        given |= {("created",): today, ("updated",): today}
    given |= {(name,): value for name, value in (values or {}).items()}
    rel = f"{FOLDERS[kind]}/{entry_id}.yaml"
    header = [
        f"# yaml-language-server: $schema={schema or f'../schema/{kind}.schema.json'}",
        f"# {(model.__doc__ or kind).strip()} Made by `gapkb new {kind}`.",
        "# Replace every <<...>> placeholder; optional fields left empty are ignored (or delete them).",
        f"# Then run `gapkb check {rel}`. CONTRIBUTING.md explains what each field should say.",
        "",
    ]
    return "\n".join([*header, *_render_model(kind, model, (), 0, given)]) + "\n"


# --- writing a new entry ------------------------------------------------------------------


@dataclass(frozen=True)
class NewEntry:
    """A scaffold written to disk, and the placeholders left in it (line, placeholder)."""

    path: Path
    placeholders: list[tuple[int, str]]


def check_id(entry_id: str) -> None:
    """Refuse an id that is not kebab-case (and so could escape its folder)."""
    if not ID_RE.match(entry_id) or len(entry_id) > MAX_ID_LENGTH:
        raise GapkbError(
            f"'{entry_id}' is not a kebab-case id — use lower-case letters and digits joined "
            f"by hyphens (at most {MAX_ID_LENGTH} characters), e.g. "
            f"'{suggest_id(entry_id)[:MAX_ID_LENGTH].strip('-')}'"
        )


def check_values(kind: str, values: Mapping[str, object]) -> None:
    """Validate option values against the model's fields before anything is written."""
    model = KINDS[kind]
    construct: Any = model.model_construct  # a blank instance to validate assignments on
    instance = construct()
    for name, value in values.items():
        if name not in model.model_fields:
            raise GapkbError(f"{kind} entries have no field '{name}'")
        try:
            model.__pydantic_validator__.validate_assignment(instance, name, value)
        except ValidationError as error:
            from gapkb.entry_rules import explain_errors

            message = explain_errors(error.errors(), model)[0].message
            raise GapkbError(f"--{name.replace('_', '-')}: {message}") from None


def new_entry(
    root: Path | str,
    kind: str,
    entry_id: str,
    values: Mapping[str, object] | None = None,
    *,
    today: dt.date | None = None,
) -> NewEntry:
    """Write `<folder>/<id>.yaml` under `root`; never overwrite, never leave the folder."""
    if kind not in KINDS:
        raise GapkbError(f"unknown kind '{kind}' — use concept or instrument")
    root = Path(root)
    check_id(entry_id)
    values = dict(values or {})
    check_values(kind, values)
    if not root.is_dir() or not any((root / f).is_dir() for f in FOLDERS.values()):
        raise GapkbError(
            f"no concepts/ or instruments/ folder under {root} — run from the repository root or pass --root"
        )
    for folder in FOLDERS.values():
        for suffix in (".yaml", ".yml"):
            existing = root / folder / f"{entry_id}{suffix}"
            if existing.exists() or existing.is_symlink():
                rel = f"{folder}/{existing.name}"
                if folder == FOLDERS[kind]:
                    raise GapkbError(f"{rel} already exists — edit it, or choose another id")
                raise GapkbError(
                    f"'{entry_id}' is already used by {rel} (concepts and instruments share ids) — choose another id"
                )
    text = render_template(kind, entry_id, values, today=today, schema=schema_reference(root, kind))
    path = root / FOLDERS[kind] / f"{entry_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError:
        raise GapkbError(
            f"{FOLDERS[kind]}/{path.name} already exists — edit it, or choose another id"
        ) from None
    return NewEntry(path, placeholders_in(text))


def placeholders_in(text: str) -> list[tuple[int, str]]:
    """(line, placeholder) for every placeholder in a template's text, comments excepted."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("#"):
            found.extend((number, m.group(0)) for m in PLACEHOLDER_RE.finditer(line))
    return found


def fill(text: str, values: Mapping[str, object]) -> str:
    """Replace placeholders by name (`{'title': 'X'}` fills `<<title>>`); for scripts and tests.

    A placeholder alone under a block scalar (`summary: >-`) takes the text as it is;
    anywhere else the value is written as a YAML scalar (give years as int, dates as date).
    """
    out: list[str] = []
    for line in text.splitlines():
        for name, value in values.items():
            placeholder = f"<<{name}>>"
            if placeholder not in line:
                continue
            block = line.strip() == placeholder and out and out[-1].rstrip().endswith(("|", ">-"))
            if block:
                pad = line[: len(line) - len(line.lstrip())]
                line = "\n".join(pad + part for part in str(value).splitlines())
            else:
                line = line.replace(placeholder, yaml_scalar(value))
        out.append(line)
    return "\n".join(out) + "\n"


def unfilled(text: str) -> Sequence[str]:
    """The placeholders still in a text."""
    return [p for _line, p in placeholders_in(text)]
