"""`gapkb diff BASE_REF`: what the working tree changes against a git ref.

The base is exported from git (`git archive` of the ref's concepts/, instruments/,
ontology/ and shapes/ into a temporary folder; the user's tree is never checked out or
touched), both trees go through the same library `check`, and the results are compared:
entries added, changed or removed; coverage links added, removed or re-typed; gaps opened,
closed or changed in kind.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapkb.contributing.annotations import md
from gapkb.findings import GapkbError, Severity
from gapkb.pipeline import CheckResult, check, model_root
from gapkb.records import Record, entry_files
from gapkb.report import GapRow

EXPORTED = ("concepts", "instruments", "ontology", "shapes")
LinkKey = tuple[str, str, str]  # (instrument, provision, concept)


@dataclass(frozen=True)
class EntryChange:
    """An entry added, changed, removed, or present but unreadable in the working tree."""

    change: str  # added | changed | removed | unreadable
    kind: str  # concept | instrument
    id: str
    path: str
    fields: tuple[str, ...] = ()  # the top-level fields that changed


@dataclass(frozen=True)
class LinkChange:
    """A coverage link added, removed, or whose strength changed."""

    change: str  # added | removed | changed
    instrument: str
    provision: str
    concept: str
    before: str | None  # strength in the base
    after: str | None  # strength in the working tree


@dataclass(frozen=True)
class GapChange:
    """A concept whose gap status moved."""

    change: str  # opened | closed | changed | removed (its concept was removed)
    concept: str
    title: str
    before: str | None  # gap status in the base (None: the concept did not exist)
    after: str | None


@dataclass
class KbDiff:
    """The working tree against a base ref, at one as-of date."""

    base_ref: str
    base_commit: str
    as_of: dt.date
    entries: list[EntryChange] = field(default_factory=list)
    links: list[LinkChange] = field(default_factory=list)
    gaps: list[GapChange] = field(default_factory=list)
    base_violations: int = 0
    head_violations: int = 0

    def count(self, items: str, change: str) -> int:
        return sum(1 for c in getattr(self, items) if c.change == change)

    @property
    def gaps_opened(self) -> list[GapChange]:
        return [g for g in self.gaps if g.change == "opened"]

    @property
    def gaps_closed(self) -> list[GapChange]:
        return [g for g in self.gaps if g.change == "closed"]


# --- git ------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError:
        raise GapkbError("git is not installed — install git to compare against a ref") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GapkbError(f"git {args[0]} failed: {detail[-1] if detail else 'no output'}")
    return done.stdout


def resolve_ref(root: Path, ref: str) -> tuple[Path, str, str]:
    """(top level of the repository, root's path inside it, the ref's commit)."""
    if not ref or ref.startswith("-"):
        raise GapkbError(f"'{ref}' is not a git ref — name a branch, tag or commit")
    if not root.is_dir():
        raise GapkbError(f"{root} is not a folder — pass the repository root")
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
        prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    except GapkbError:
        raise GapkbError(
            f"{root} is not inside a git repository — `gapkb diff` compares git refs"
        ) from None
    try:
        commit = _git(
            top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except GapkbError:
        raise GapkbError(
            f"unknown git ref '{ref}' — name a branch, tag or commit (fetch it first, e.g. `git fetch origin main`)"
        ) from None
    return top, prefix, commit.decode().strip()


def export_tree(root: Path, ref: str, dest: Path) -> str:
    """Write the knowledge base as it is at `ref` into `dest`; return the commit."""
    top, prefix, commit = resolve_ref(root, ref)
    names = _git(top, "ls-tree", "--name-only", "-z", f"{commit}:{prefix}").split(b"\0")
    wanted = [n for n in EXPORTED if n.encode() in names]
    if wanted:
        archive = _git(top, "archive", "--format=tar", f"{commit}:{prefix}", "--", *wanted)
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            tar.extractall(dest, filter="data")  # no absolute paths, no links out of dest
    for folder in ("ontology", "shapes"):
        if not (dest / folder).is_dir():  # an old base: judge it by today's model
            shutil.copytree(model_root(root) / folder, dest / folder)
    return commit


# --- comparing -------------------------------------------------------------------------


def _dump(record: Record[Any]) -> dict[str, Any]:
    data: dict[str, Any] = record.entry.model_dump(mode="json")
    return data


def _entries(base: CheckResult, head: CheckResult, root: Path) -> list[EntryChange]:
    changes: list[EntryChange] = []
    loaded = {r.path for r in head.kb.concepts.values()} | {
        r.path for r in head.kb.instruments.values()
    }
    unreadable = {path.relative_to(root).as_posix() for _f, path in entry_files(root)} - loaded
    for kind, before, after in (
        ("concept", base.kb.concepts, head.kb.concepts),
        ("instrument", base.kb.instruments, head.kb.instruments),
    ):
        for eid in sorted(set(before) | set(after)):
            if eid not in before:
                changes.append(EntryChange("added", kind, eid, after[eid].path))
            elif eid not in after:
                path = before[eid].path
                change = "unreadable" if path in unreadable else "removed"
                unreadable.discard(path)
                changes.append(EntryChange(change, kind, eid, path))
            else:
                old, new = _dump(before[eid]), _dump(after[eid])
                fields = tuple(k for k in new if old.get(k) != new[k])
                if fields:
                    changes.append(EntryChange("changed", kind, eid, after[eid].path, fields))
    for path in sorted(unreadable):  # new files that do not load yet
        kind = "concept" if path.startswith("concepts/") else "instrument"
        changes.append(EntryChange("unreadable", kind, Path(path).stem, path))
    return changes


def _links(result: CheckResult) -> dict[LinkKey, str]:
    return {
        (iid, link.provision, link.concept): str(link.strength)
        for iid, record in result.kb.instruments.items()
        for link in record.entry.coverage
    }


def _link_changes(base: CheckResult, head: CheckResult, skip: set[str]) -> list[LinkChange]:
    before, after = _links(base), _links(head)
    changes = []
    for key in sorted(set(before) | set(after)):
        if key[0] in skip:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            change = "added" if old is None else "removed" if new is None else "changed"
            changes.append(LinkChange(change, *key, old, new))
    return changes


def _gap_changes(base: CheckResult, head: CheckResult, skip: set[str]) -> list[GapChange]:
    def rows(result: CheckResult) -> dict[str, GapRow]:
        return {r.concept: r for r in result.gaps}

    before, after = rows(base), rows(head)
    changes = []
    for cid in sorted((set(before) | set(after)) - skip):
        old, new = before.get(cid), after.get(cid)
        was_gap, is_gap = old is not None and old.is_gap, new is not None and new.is_gap
        if new is None:
            change = "removed" if was_gap else ""
        elif is_gap and not was_gap:
            change = "opened"
        elif was_gap and not is_gap:
            change = "closed"
        elif is_gap and old is not None and old.status != new.status:
            change = "changed"
        else:
            change = ""
        if change:
            title = new.title if new else old.title if old else cid
            changes.append(
                GapChange(
                    change, cid, title, old.status if old else None, new.status if new else None
                )
            )
    return changes


def compare(base: CheckResult, head: CheckResult, root: Path, ref: str, commit: str) -> KbDiff:
    """What changed from `base` to `head` (two results of `check` at the same as-of date).

    Entries that do not load in `head` are listed as unreadable; their links and gaps are
    left out rather than reported as removed.
    """
    entries = _entries(base, head, root)
    unreadable = {e.id for e in entries if e.change == "unreadable"}
    return KbDiff(
        base_ref=ref,
        base_commit=commit,
        as_of=head.as_of,
        entries=entries,
        links=_link_changes(base, head, unreadable),
        gaps=_gap_changes(base, head, unreadable),
        base_violations=base.count(Severity.VIOLATION),
        head_violations=head.count(Severity.VIOLATION),
    )


def diff(
    root: Path | str, base_ref: str, as_of: dt.date | None = None, *, use_java: bool = True
) -> KbDiff:
    """Compare the working tree under `root` with the same folder at git ref `base_ref`."""
    root = Path(root)
    as_of = as_of or dt.date.today()
    with tempfile.TemporaryDirectory(prefix="gapkb-diff-") as tmp:
        commit = export_tree(root, base_ref, Path(tmp))
        base = check(Path(tmp), as_of, use_java=use_java)
    head = check(root, as_of, use_java=use_java)
    return compare(base, head, root, base_ref, commit)


# --- output ----------------------------------------------------------------------------

SIGN = {"added": "+", "removed": "-", "changed": "~", "unreadable": "!"}
GAP_SIGN = {"opened": "+", "closed": "-", "changed": "~", "removed": "x"}


def _counts(d: KbDiff) -> tuple[str, str, str]:
    gaps = f"{d.count('gaps', 'opened')} gap(s) opened, {d.count('gaps', 'closed')} closed"
    if d.count("gaps", "changed"):
        gaps += f", {d.count('gaps', 'changed')} changed in kind"
    entries = ", ".join(
        f"{d.count('entries', c)} {c}"
        for c in ("added", "changed", "removed", "unreadable")
        if c != "unreadable" or d.count("entries", c)
    )
    links = ", ".join(
        f"{d.count('links', c)} {c}"
        for c in ("added", "removed", "changed")
        if c != "changed" or d.count("links", c)
    )
    return gaps, f"entries: {entries}", f"coverage links: {links}"


def _link_text(c: LinkChange) -> str:
    strength = (c.after or c.before) if c.change != "changed" else f"{c.before} → {c.after}"
    return f"{c.instrument} {c.provision} → {c.concept} ({strength})"


def _gap_text(c: GapChange) -> str:
    return f"{c.before or 'new concept'} → {c.after or 'concept removed'}"


def _warning(d: KbDiff) -> str:
    if not d.head_violations:
        return ""
    return (
        f"the working tree has {d.head_violations} violation(s): entries that do not load are "
        "listed as unreadable and left out of the comparison — run `gapkb check`"
    )


def render_text(d: KbDiff) -> str:
    gaps, entries, links = _counts(d)
    out = [f"gapkb diff — {d.base_ref} ({d.base_commit[:12]}) → working tree — as of {d.as_of}"]
    if _warning(d):
        out.append(f"warning: {_warning(d)}")
    out += ["", gaps]
    out += [f"  {GAP_SIGN[c.change]} {c.concept:<30} {_gap_text(c)}" for c in d.gaps]
    out += ["", entries]
    for e in d.entries:
        detail = f" ({', '.join(e.fields)})" if e.fields else ""
        out.append(f"  {SIGN[e.change]} {e.path}{detail}")
    out += ["", links]
    out += [f"  {SIGN[c.change]} {_link_text(c)}" for c in d.links]
    return "\n".join(out) + "\n"


def render_markdown(d: KbDiff) -> str:
    gaps, entries, links = _counts(d)
    out = [
        f"### Gap diff: {md(d.base_ref)} ({d.base_commit[:12]}) → this branch, as of {d.as_of}",
        "",
        f"**{gaps}** · {entries} · {links}",
        "",
    ]
    if _warning(d):
        out += [f"> **Warning:** {md(_warning(d))}", ""]
    if d.gaps:
        out += ["| gap | concept | before → after |", "|---|---|---|"]
        out += [
            f"| {c.change} | {md(c.title)} ({md(c.concept)}) | {md(_gap_text(c))} |" for c in d.gaps
        ]
    else:
        out.append("No gap opened or closed.")
    if d.entries:
        out += ["", f"<details><summary>Entries ({len(d.entries)})</summary>", ""]
        out += ["| change | file | fields |", "|---|---|---|"]
        out += [f"| {e.change} | {md(e.path)} | {md(', '.join(e.fields))} |" for e in d.entries]
        out += ["", "</details>"]
    if d.links:
        out += ["", f"<details><summary>Coverage links ({len(d.links)})</summary>", ""]
        out += ["| change | instrument | provision | concept | strength |", "|---|---|---|---|---|"]
        out += [
            f"| {c.change} | {md(c.instrument)} | {md(c.provision)} | {md(c.concept)} | "
            f"{md(c.before or '')}{' → ' if c.before and c.after else ''}{md(c.after or '')} |"
            for c in d.links
        ]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"
