"""The changelog of the content between two release snapshots, as Markdown.

The text is part of the interface (tests/release/test_make.py pins it): sections come in a
fixed order, every list is sorted by id, and an empty list says "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gapkb.release.snapshot import Snapshot, gap_status
from gapkb.report import COVERED, GAP_KINDS

Item = dict[str, Any]
Key = tuple[str, ...]
INSTRUMENT_FIELDS = ("title", "short_title", "jurisdiction", "kind", "binding")


@dataclass(frozen=True)
class Diff:
    """Items added, removed and changed between two lists keyed alike."""

    added: list[Item]
    removed: list[Item]
    changed: list[tuple[Item, Item]]


def diff(before: Iterable[Item], after: Iterable[Item], key: Callable[[Item], Key]) -> Diff:
    old = {key(i): i for i in before}
    new = {key(i): i for i in after}
    return Diff(
        [new[k] for k in sorted(new.keys() - old.keys())],
        [old[k] for k in sorted(old.keys() - new.keys())],
        [(old[k], new[k]) for k in sorted(old.keys() & new.keys()) if old[k] != new[k]],
    )


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _bullets(lines: list[str]) -> list[str]:
    return [f"- {line}" for line in lines] if lines else ["- none"]


def _section(title: str, lines: list[str], level: int = 3) -> list[str]:
    return ["#" * level + " " + title, "", *_bullets(lines), ""]


def _instrument(i: Item) -> str:
    return f"`{i['id']}` — {i['short_title']} ({i['status']})"


def _instrument_changes(old: Item, new: Item) -> list[str]:
    """What changed in an instrument, status aside (statuses have a section of their own)."""
    changes = [
        f"{name} {_value(old[name])} → {_value(new[name])}"
        for name in INSTRUMENT_FIELDS
        if old[name] != new[name]
    ]
    changes.extend(
        f"{name} {_value(old['dates'].get(name))} → {_value(new['dates'].get(name))}"
        for name in sorted(old["dates"].keys() | new["dates"].keys())
        if old["dates"].get(name) != new["dates"].get(name)
    )
    return changes


def _link(link: Item) -> str:
    return (
        f"`{link['instrument']}` `{link['provision']}` → `{link['concept']}` ({link['strength']})"
    )


def _link_changes(old: Item, new: Item) -> str:
    changes = []
    if old["strength"] != new["strength"]:
        changes.append(f"strength {old['strength']} → {new['strength']}")
    if old["quote_sha256"] != new["quote_sha256"]:
        if old["quote_sha256"] is None:
            changes.append("quote added")
        elif new["quote_sha256"] is None:
            changes.append("quote removed")
        else:
            changes.append("quote changed")
    return f"`{new['instrument']}` `{new['provision']}` → `{new['concept']}`: " + "; ".join(changes)


def _provision(p: Item) -> str:
    return f"`{p['instrument']}` `{p['id']}` — {p['label']}"


def _by_tier(entries: Mapping[str, list[str]], level: int = 4) -> list[str]:
    """Lines grouped under one heading per gap tier, in the report's order."""
    out: list[str] = []
    for tier in GAP_KINDS:
        if entries.get(tier):
            out.extend(["#" * level + f" {tier}", "", *_bullets(sorted(entries[tier])), ""])
    return out or ["- none", ""]


@dataclass(frozen=True)
class GapChanges:
    """Gaps opened (by new tier), closed (by former tier) and moved between tiers."""

    opened: dict[str, list[str]]
    closed: dict[str, list[str]]
    moved: list[str]

    def count(self, which: str) -> int:
        entries: dict[str, list[str]] = getattr(self, which)
        return sum(len(lines) for lines in entries.values())


def gap_changes(previous: Snapshot, current: Snapshot) -> GapChanges:
    """Compare the gap lists of two snapshots.

    A concept new in `current` that is a gap opens one; a concept removed from the
    knowledge base closes none (it is listed under concepts removed)."""
    before, after = gap_status(previous), gap_status(current)
    titles = {c["id"]: c["title"] for c in current["concepts"]}
    opened: dict[str, list[str]] = {}
    closed: dict[str, list[str]] = {}
    moved: list[str] = []
    for cid in sorted(after):
        old, new = before.get(cid), after[cid]
        line = f"`{cid}` — {titles.get(cid, cid)}"
        if new != COVERED and old in (None, COVERED):
            was = "new concept" if old is None else f"was {COVERED}"
            opened.setdefault(new, []).append(f"{line} ({was})")
        elif new == COVERED and old not in (None, COVERED):
            closed.setdefault(str(old), []).append(f"{line} (now {COVERED})")
        elif old is not None and old != new:
            moved.append(f"{line}: {old} → {new}")
    return GapChanges(opened, closed, moved)


def _first_release(current: Snapshot) -> str:
    title = current.get("version") or "unreleased"
    out = [f"# gapkb {title}", "", f"First release. Content as of {current['as_of']}.", ""]
    out.extend(
        [
            "## Summary",
            "",
            f"- instruments: {len(current['instruments'])}",
            f"- concepts: {len(current['concepts'])}",
            f"- provisions: {len(current['provisions'])}",
            f"- links: {len(current['links'])}",
            "",
            "## Gaps",
            "",
        ]
    )
    gaps = {
        tier: [f"`{row['concept']}` — {row['title']}" for row in current["gaps"][tier]]
        for tier in GAP_KINDS
    }
    out.extend(_by_tier(gaps, level=3))
    return "\n".join(out).rstrip("\n") + "\n"


def changelog(previous: Snapshot | None, current: Snapshot) -> str:
    """What changed in the content from `previous` to `current`, as Markdown."""
    if previous is None:
        return _first_release(current)
    instruments = diff(previous["instruments"], current["instruments"], lambda i: (i["id"],))
    concepts = diff(previous["concepts"], current["concepts"], lambda c: (c["id"],))
    provisions = diff(
        previous["provisions"], current["provisions"], lambda p: (p["instrument"], p["id"])
    )
    links = diff(
        previous["links"],
        current["links"],
        lambda k: (k["instrument"], k["provision"], k["concept"]),
    )
    statuses = [
        f"`{new['id']}` — {new['short_title']}: {old['status']} → {new['status']}"
        for old, new in instruments.changed
        if old["status"] != new["status"]
    ]
    changed_instruments = [
        f"`{new['id']}`: " + "; ".join(changes)
        for old, new in instruments.changed
        if (changes := _instrument_changes(old, new))
    ]
    gaps = gap_changes(previous, current)
    before = previous.get("version") or "the previous release"
    title = current.get("version") or "unreleased"
    counts = [
        (name, len(d.added), len(d.removed), len(changed))
        for name, d, changed in (
            ("instruments", instruments, changed_instruments),
            ("concepts", concepts, concepts.changed),
            ("provisions", provisions, provisions.changed),
            ("links", links, links.changed),
        )
    ]
    out = [
        f"# gapkb {title}",
        "",
        f"Changes since {before}. Content as of {current['as_of']}; "
        f"{before} was as of {previous['as_of']}.",
        "",
        "## Summary",
        "",
        "| | added | removed | changed |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {a} | {r} | {c} |" for name, a, r, c in counts),
        "",
        f"Statuses changed: {len(statuses)}. Gaps opened: {gaps.count('opened')}, "
        f"closed: {gaps.count('closed')}, moved between tiers: {len(gaps.moved)}.",
        "",
        "## Instruments",
        "",
        *_section("Added", [_instrument(i) for i in instruments.added]),
        *_section("Removed", [_instrument(i) for i in instruments.removed]),
        *_section("Changed", changed_instruments),
        *_section("Statuses changed", statuses, level=2),
        "## Concepts",
        "",
        *_section("Added", [f"`{c['id']}` — {c['title']}" for c in concepts.added]),
        *_section("Removed", [f"`{c['id']}` — {c['title']}" for c in concepts.removed]),
        *_section(
            "Changed",
            [
                f"`{new['id']}`: title {old['title']} → {new['title']}"
                for old, new in concepts.changed
            ],
        ),
        "## Provisions",
        "",
        *_section("Added", [_provision(p) for p in provisions.added]),
        *_section("Removed", [_provision(p) for p in provisions.removed]),
        *_section(
            "Changed",
            [f"{_provision(new)} (was {old['label']})" for old, new in provisions.changed],
        ),
        "## Links",
        "",
        *_section("Added", [_link(k) for k in links.added]),
        *_section("Removed", [_link(k) for k in links.removed]),
        *_section("Changed", [_link_changes(old, new) for old, new in links.changed]),
        "## Gaps",
        "",
        "### Opened",
        "",
        *_by_tier(gaps.opened),
        "### Closed",
        "",
        *_by_tier(gaps.closed),
        *_section("Moved between tiers", gaps.moved),
    ]
    return "\n".join(out).rstrip("\n") + "\n"
