"""Step 1: YAML entries -> validated records, with the line of every field.

Each file is read with gapkb.entry_yaml (safe, every scalar a string, the line of every
node) and checked against the entry models (gapkb.model); gapkb.entry_rules turns what
pydantic reports into messages that say `path:line: field:` and how to fix it. Then the
references between entries are checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from gapkb.entry_rules import (
    Key,
    _dotted,
    did_you_mean,
    entry_problems,
    explain_errors,
    field_at,
    find_placeholders,
    placeholder_message,
    suggest_id,
)
from gapkb.entry_yaml import ContentError, parse_yaml
from gapkb.findings import Finding
from gapkb.model import (
    ID_RE,
    Concept,
    Instrument,
)

EntryT = TypeVar("EntryT", bound=BaseModel)

MAX_FILE_BYTES = 1_000_000
CONCEPTS_DIR = "concepts"
INSTRUMENTS_DIR = "instruments"
SCHEMA_OF_DIR: dict[str, type[Concept] | type[Instrument]] = {
    CONCEPTS_DIR: Concept,
    INSTRUMENTS_DIR: Instrument,
}


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
            raise ContentError(
                1, "", "the entry is a symbolic link — commit a regular file", "GK101"
            )
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise ContentError(
                1,
                "",
                f"the file is larger than {MAX_FILE_BYTES} bytes — split or shorten it",
                "GK102",
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ContentError(
                line,
                "",
                f"byte 0x{raw[error.start]:02x} is not UTF-8 — save the file as UTF-8",
                "GK103",
            ) from None
        if not text.strip() or all(
            not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
        ):
            raise ContentError(1, "", "the file is empty — fill it in from `gapkb new`", "GK104")
        data, lines = parse_yaml(text.removeprefix("\ufeff"))
    except ContentError as error:
        return [Finding(rel, error.line, error.field, error.message, code=error.code)]
    if not isinstance(data, dict):
        message = "an entry must be a mapping of fields — start with `id: ...`"
        return [Finding(rel, 1, "", message, code="GK111")]
    # Placeholders left from `gapkb new` are reported by name, instead of the type errors
    # they would cause (or, in a text field, instead of passing silently).
    placeholders = list(find_placeholders(data))
    problems: list[Finding] = [
        Finding(
            rel,
            line_of(lines, loc),
            _dotted(loc),
            placeholder_message(model, loc, text),
            code="GK201",
        )
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
                code="GK112",
            )
        )
    try:
        entry = model.model_validate(data)
    except ValidationError as error:
        for loc, message, code in explain_errors(error.errors(), model):
            if any(loc[: len(at)] == at for at, _text in placeholders):
                continue
            line = line_of(lines, loc)
            problems.append(Finding(rel, line, _dotted(loc), message, code=code))
        return problems
    for loc, message, code in entry_problems(entry):
        problems.append(Finding(rel, line_of(lines, loc), _dotted(loc), message, code=code))
    if entry.id != stem and ID_RE.match(stem):
        problems.append(
            Finding(
                rel,
                lines.get(("id",), 1),
                "id",
                f"'{entry.id}' differs from the file name '{path.name}' — make them equal"
                " (`gapkb fix` sets it)",
                code="GK223",
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
                    code="GK301",
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
            code = "GK310"
        else:
            hint = did_you_mean(value, choices) or f" — add {kind}s/{value}.yaml or fix the id"
            message = f"unknown {kind} '{value}'{hint}"
            code = "GK302" if kind == "concept" else "GK308"
        problems.append(Finding(record.path, record.line(*key), _dotted(key), message, code=code))

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
                            code="GK303",
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
                        code="GK305",
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
                        code="GK304",
                    )
                )
            if (link.provision, link.concept) in pairs:
                problems.append(
                    Finding(
                        irecord.path,
                        irecord.line("coverage", i),
                        f"coverage[{i}]",
                        f"{link.provision} → {link.concept} is linked twice — keep one link",
                        code="GK306",
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
                        code="GK307",
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
                Finding(
                    record.path,
                    record.line("unverified", i),
                    f"unverified[{i}]",
                    wrong,
                    code="GK311",
                )
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

    def check(key: Key, value: str, choices: Iterable[str], what: str, fix: str, code: str) -> None:
        if value not in choices:
            hint = did_you_mean(value, choices) or f" — {fix}"
            message = f"unknown {what}{hint}"
            problems.append(
                Finding(record.path, record.line(*key), _dotted(key), message, code=code)
            )

    def instrument_id(key: Key, value: str) -> None:
        fix = f"add instruments/{value}.yaml or fix the id"
        check(key, value, kb.instruments, f"instrument '{value}'", fix, "GK308")

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
                        "GK309",
                    )
        if amendment.by is not None:
            check(
                ("amends", i, "by"),
                amendment.by,
                own,
                f"provision '{amendment.by}' of {instrument.id}",
                "add it under provisions: or fix the id",
                "GK304",
            )
    for i, provision in enumerate(instrument.provisions):
        if provision.inserted_by is not None:
            instrument_id(("provisions", i, "inserted_by"), provision.inserted_by)
    for i, link in enumerate(instrument.coverage):
        if link.quote_version is not None:
            instrument_id(("coverage", i, "quote_version"), link.quote_version)
    return problems
