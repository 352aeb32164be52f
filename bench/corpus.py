"""A synthetic corpus: the real content scaled k times with the same shape.

Copy 0 keeps the real ids; copy c (1 <= c < k) renames every concept and instrument id
to `<id>-c<c>` and adds ` (copy c)` to titles. Cross-references are rewired so that the
copies form one connected knowledge base rather than k islands, while every count and
distribution stays exactly k times the real one:

- a coverage link of instrument I (copy c) to concept X goes to copy pi_X(c) of X, where
  pi_X is a seeded permutation of the copies. Copy j of X therefore receives exactly the
  links the real X has (from the copy pi_X^-1(j) of every instrument), so its coverage,
  explicit/implicit split and gap status are those of the real X, and the gap share is
  the real one;
- `related` between X and Y maps copy c of X to copy sigma(c) of Y and back through
  sigma^-1 (one seeded permutation per pair), so the relation stays symmetric;
- `broader` from X to Y maps copy c to tau(c) (one permutation per pair); projected back
  onto the real ids it is the real hierarchy, so no cycle appears;
- `revoked_by` stays inside a copy, so revocation dates stay consistent.

Entries are parsed with gapkb's own string-only loader and written back in the entry
format (block scalars for multi-line text, the editor's schema comment on top), so they
go through `gapkb check` like contributions. The same source, scale and seed give the
same bytes.

    .venv/bin/python -m bench.corpus --scale 10 --out build/bench/corpus-10
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from gapkb.entry_yaml import parse_yaml
from gapkb.model import Strength
from gapkb.records import CONCEPTS_DIR, INSTRUMENTS_DIR, load_records

REPO = Path(__file__).resolve().parents[1]
MARKER = ".bench-corpus"  # marks folders this module wrote and may replace
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/{kind}.schema.json\n"
FOLD_AT = 90  # longer one-line text is written folded (>), as in the real entries
_PLAIN_OK = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}


class CorpusError(Exception):
    """The corpus cannot be generated (bad arguments, unreadable source, unsafe target)."""


@dataclass(frozen=True)
class Shape:
    """The counts that the generator promises to scale."""

    concepts: int
    instruments: int
    provisions: int
    links: int
    explicit: int
    implicit: int
    related: int
    broader: int

    def scaled(self, k: int) -> Shape:
        return Shape(*(k * getattr(self, name) for name in self.__dataclass_fields__))


def shape_of(root: Path) -> Shape:
    """Counts of a knowledge base folder, as the loader reads it."""
    kb = load_records(root)
    if kb.problems:
        first = kb.problems[0]
        raise CorpusError(f"{root}: {len(kb.problems)} problem(s), first: {first}")
    links = [link for r in kb.instruments.values() for link in r.entry.coverage]
    return Shape(
        concepts=len(kb.concepts),
        instruments=len(kb.instruments),
        provisions=sum(len(r.entry.provisions) for r in kb.instruments.values()),
        links=len(links),
        explicit=sum(1 for link in links if link.strength is Strength.EXPLICIT),
        implicit=sum(1 for link in links if link.strength is Strength.IMPLICIT),
        related=sum(len(r.entry.related) for r in kb.concepts.values()),
        broader=sum(len(r.entry.broader) for r in kb.concepts.values()),
    )


def copy_id(entry_id: str, copy: int) -> str:
    return entry_id if copy == 0 else f"{entry_id}-c{copy}"


def _entries(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(folder.glob("*.yaml")):
        data, _lines = parse_yaml(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
        if not isinstance(data, dict) or data.get("id") != path.stem:
            raise CorpusError(f"{path}: not an entry whose id is its file name")
        yield path.stem, data


class _Wiring:
    """The seeded permutations that connect the copies."""

    def __init__(self, scale: int, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.perms: dict[tuple[str, ...], list[int]] = {}

    def perm(self, *key: str) -> list[int]:
        # Drawn in first-use order; the caller walks entries in sorted order, so the
        # permutations depend on the seed and the content only.
        if key not in self.perms:
            order = list(range(self.scale))
            self.rng.shuffle(order)
            self.perms[key] = order
        return self.perms[key]

    def coverage(self, concept: str, copy: int) -> int:
        return self.perm("coverage", concept)[copy]

    def related(self, a: str, b: str, copy: int) -> int:
        if a < b:
            return self.perm("related", a, b)[copy]
        return self.perm("related", b, a).index(copy)  # the inverse: stays symmetric

    def broader(self, narrower: str, broader: str, copy: int) -> int:
        return self.perm("broader", narrower, broader)[copy]


def _retitle(data: dict[str, Any], copy: int, *fields: str) -> None:
    if copy:
        for name in fields:
            if isinstance(data.get(name), str):
                data[name] = f"{data[name]} (copy {copy})"


def _concept(data: dict[str, Any], copy: int, wiring: _Wiring) -> dict[str, Any]:
    out = dict(data)
    cid = str(data["id"])
    out["id"] = copy_id(cid, copy)
    _retitle(out, copy, "title")
    for name in ("related", "broader"):
        if isinstance(data.get(name), list):
            mapped = []
            for other in data[name]:
                target = (
                    wiring.related(cid, other, copy)
                    if name == "related"
                    else wiring.broader(cid, other, copy)
                )
                mapped.append(copy_id(str(other), target))
            out[name] = mapped
    return out


def _instrument(data: dict[str, Any], copy: int, wiring: _Wiring) -> dict[str, Any]:
    out = dict(data)
    out["id"] = copy_id(str(data["id"]), copy)
    _retitle(out, copy, "title", "short_title")
    if isinstance(data.get("revoked_by"), str):
        out["revoked_by"] = copy_id(data["revoked_by"], copy)
    if isinstance(data.get("coverage"), list):
        links = []
        for link in data["coverage"]:
            link = dict(link)
            concept = str(link["concept"])
            link["concept"] = copy_id(concept, wiring.coverage(concept, copy))
            links.append(link)
        out["coverage"] = links
    return out


class _Dumper(yaml.SafeDumper):
    """Entry-format YAML: no aliases, long text as block scalars, as contributors write it."""

    # Quote what YAML 1.1 would read as a number (ids like "14110" stay visibly strings, as
    # in the real entries) but leave `true` and dates plain: gapkb's loader keeps every
    # scalar a string and the model parses booleans and dates.
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {  # type: ignore[misc]
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _PLAIN_OK]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }

    def ignore_aliases(self, data: Any) -> bool:
        return True


# What YAML 1.2's core schema, which gapkb's loader follows, reads as a number, a boolean or
# null: such text is written in double quotes ("014820" is text, 014820 a number).
_CORE_NON_TEXT = re.compile(
    r"[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|"
)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > FOLD_AT and " " in value else None
    if _CORE_NON_TEXT.fullmatch(value):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _bool(dumper: yaml.SafeDumper, value: bool) -> yaml.ScalarNode:
    """`true`/`false` plain, as contributors write them (the loader reads YAML 1.2 booleans);
    without the bool resolver SafeDumper would tag them `!!bool`."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", "true" if value else "false")


_Dumper.add_representer(str, _str)
_Dumper.add_representer(bool, _bool)


def dump_entry(kind: str, data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return SCHEMA_COMMENT.format(kind=kind) + body


def prepare(out: Path) -> None:
    """Create `out`, replacing a corpus written before; refuse any other non-empty folder."""
    if out.exists() and not out.is_dir():
        raise CorpusError(f"{out} is a file — pass a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise CorpusError(f"{out} is not empty and is not a generated corpus — pass another")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path | str, scale: int, seed: int = 0, source: Path | str = REPO) -> Shape:
    """Write `scale` wired copies of the entries under `source` into `out`; return its shape."""
    out, source = Path(out), Path(source)
    if scale < 1:
        raise CorpusError(f"scale must be at least 1, not {scale}")
    concepts = dict(_entries(source / CONCEPTS_DIR))
    instruments = dict(_entries(source / INSTRUMENTS_DIR))
    if not concepts or not instruments:
        raise CorpusError(f"{source} has no concepts/ or instruments/ entries")
    prepare(out)
    # Marked before the entries are written, so that an interrupted run can be replaced.
    (out / MARKER).write_text(f"scale={scale} seed={seed} source={source.resolve()}\n")
    wiring = _Wiring(scale, seed)
    for folder in (CONCEPTS_DIR, INSTRUMENTS_DIR):
        (out / folder).mkdir()
    for copy in range(scale):
        for data in concepts.values():
            entry = _concept(data, copy, wiring)
            text = dump_entry("concept", entry)
            (out / CONCEPTS_DIR / f"{entry['id']}.yaml").write_text(text, encoding="utf-8")
        for data in instruments.values():
            entry = _instrument(data, copy, wiring)
            text = dump_entry("instrument", entry)
            (out / INSTRUMENTS_DIR / f"{entry['id']}.yaml").write_text(text, encoding="utf-8")
    return shape_of(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=int, required=True, help="number of copies (1 = real)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the wiring (default 0)")
    parser.add_argument("--source", type=Path, default=REPO, help="knowledge base to scale")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    args = parser.parse_args(argv)
    try:
        shape = generate(args.out, args.scale, args.seed, args.source)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: {shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
