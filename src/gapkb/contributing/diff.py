"""`gapkb diff BASE_REF`: what the working tree changes against a git ref.

The base is exported from git (`git archive` of the ref's concepts/, instruments/,
ontology/ and shapes/ into a temporary folder; the user's tree is never checked out or
touched), both trees go through the same library `check`, and the results are compared:
entries added, changed or removed; provisions and coverage links added, removed or
re-typed; gaps opened, closed or changed in kind.

An entry file that does not load (on either side) is reported with its error, never read
as an absence: its links and provisions are left out, and so is the gap status of every
concept it links to, since comparing without it would show gaps that are not there.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapkb.findings import Finding, GapkbError, Severity
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
class ProvisionChange:
    """A provision added to or removed from an instrument."""

    change: str  # added | removed
    instrument: str
    provision: str
    label: str


@dataclass(frozen=True)
class LoadError:
    """An entry file that did not load on one side, with the first error it has."""

    side: str  # base | head
    path: str
    line: int
    field: str
    message: str
    code: str = ""  # the finding's GK code (gapkb.errors), as `gapkb check` prints it

    def __str__(self) -> str:  # as `gapkb check` prints the finding
        return str(Finding(self.path, self.line, self.field, self.message, code=self.code))


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
    provisions: list[ProvisionChange] = field(default_factory=list)
    load_errors: list[LoadError] = field(default_factory=list)
    # concepts whose gap status was not compared: (concept, the file that did not load)
    withheld: list[tuple[str, str]] = field(default_factory=list)
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


def unloaded_paths(result: CheckResult) -> set[str]:
    """Entry files under the result's root that did not become records."""
    root = result.kb.root
    loaded = {r.path for r in result.kb.concepts.values()} | {
        r.path for r in result.kb.instruments.values()
    }
    return {path.relative_to(root).as_posix() for _f, path in entry_files(root)} - loaded


def load_errors(side: str, result: CheckResult, paths: set[str]) -> list[LoadError]:
    """The first error of each file in `paths` (the reason it did not load)."""
    errors = []
    for path in sorted(paths):
        found = sorted(
            f for f in result.findings if f.file == path and f.severity is Severity.VIOLATION
        )
        first = found[0] if found else None
        errors.append(
            LoadError(side, path, first.line, first.field, first.message, first.code)
            if first
            else LoadError(side, path, 1, "", "did not load — run `gapkb check` on it")
        )
    return errors


def _entries(
    base: CheckResult, head: CheckResult, base_unloaded: set[str], head_unloaded: set[str]
) -> list[EntryChange]:
    changes: list[EntryChange] = []
    unreadable = set(head_unloaded)
    for kind, before, after in (
        ("concept", base.kb.concepts, head.kb.concepts),
        ("instrument", base.kb.instruments, head.kb.instruments),
    ):
        for eid in sorted(set(before) | set(after)):
            if eid not in before:
                # a file that did not load in the base and loads now is a change, not new
                change = "changed" if after[eid].path in base_unloaded else "added"
                changes.append(EntryChange(change, kind, eid, after[eid].path))
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


def _skipped(results: tuple[CheckResult, ...], paths: set[str]) -> dict[str, str]:
    """Entry ids left out of the comparison: id -> the file that did not load."""
    skip = {Path(p).stem: p for p in paths}
    for result in results:
        for records in (result.kb.concepts, result.kb.instruments):
            skip.update({eid: r.path for eid, r in records.items() if r.path in paths})
    return skip


def _withheld(results: tuple[CheckResult, ...], skip: dict[str, str]) -> dict[str, str]:
    """Concepts whose gap status depends on an instrument that did not load on one side
    (the concepts its links name, and those of the instruments it amends): concept -> file."""
    out: dict[str, str] = {}
    for result in results:
        instruments = result.kb.instruments
        for iid, path in skip.items():
            if iid not in instruments:
                continue
            for tid in [iid, *(a.instrument for a in instruments[iid].entry.amends)]:
                for link in instruments[tid].entry.coverage if tid in instruments else []:
                    if link.concept not in skip:
                        out.setdefault(link.concept, path)
    return out


def _links(result: CheckResult) -> dict[LinkKey, str]:
    return {
        (iid, link.provision, link.concept): str(link.strength)
        for iid, record in result.kb.instruments.items()
        for link in record.entry.coverage
    }


def _provision_changes(
    base: CheckResult, head: CheckResult, skip: Iterable[str]
) -> list[ProvisionChange]:
    def provisions(result: CheckResult) -> dict[tuple[str, str], str]:
        return {
            (iid, p.id): p.label
            for iid, record in result.kb.instruments.items()
            for p in record.entry.provisions
        }

    before, after = provisions(base), provisions(head)
    return [
        ProvisionChange("added" if key in after else "removed", *key, after.get(key) or before[key])
        for key in sorted(set(before) ^ set(after))
        if key[0] not in skip
    ]


def _link_changes(base: CheckResult, head: CheckResult, skip: Iterable[str]) -> list[LinkChange]:
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


def _gap_changes(base: CheckResult, head: CheckResult, skip: Iterable[str]) -> list[GapChange]:
    def rows(result: CheckResult) -> dict[str, GapRow]:
        return {r.concept: r for r in result.gaps}

    before, after = rows(base), rows(head)
    changes = []
    for cid in sorted((set(before) | set(after)) - set(skip)):
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


def compare(base: CheckResult, head: CheckResult, ref: str, commit: str) -> KbDiff:
    """What changed from `base` to `head` (two results of `check` at the same as-of date).

    Their roots must still exist: the files that did not load are found there. Such an
    entry is reported with its error; its links and provisions, and the gap status of the
    concepts it touches, are left out rather than reported as changed.
    """
    base_unloaded, head_unloaded = unloaded_paths(base), unloaded_paths(head)
    both = (base, head)
    skip = _skipped(both, base_unloaded | head_unloaded)
    withheld = _withheld(both, skip)
    gaps = _gap_changes(base, head, skip)
    return KbDiff(
        base_ref=ref,
        base_commit=commit,
        as_of=head.as_of,
        entries=_entries(base, head, base_unloaded, head_unloaded),
        links=_link_changes(base, head, skip),
        gaps=[g for g in gaps if g.concept not in withheld],
        provisions=_provision_changes(base, head, skip),
        load_errors=load_errors("base", base, base_unloaded)
        + load_errors("head", head, head_unloaded),
        withheld=sorted(withheld.items()),
        base_violations=base.count(Severity.VIOLATION),
        head_violations=head.count(Severity.VIOLATION),
    )


def diff_with_head(
    root: Path | str, base_ref: str, as_of: dt.date | None = None, *, use_java: bool = True
) -> tuple[KbDiff, CheckResult]:
    """The comparison, and the working tree's own check result (the pull-request comment
    reports both from one run of the check)."""
    root = Path(root)
    as_of = as_of or dt.date.today()
    head = check(root, as_of, use_java=use_java)
    with tempfile.TemporaryDirectory(prefix="gapkb-diff-") as tmp:
        commit = export_tree(root, base_ref, Path(tmp))
        base = check(Path(tmp), as_of, use_java=use_java)
        return compare(base, head, base_ref, commit), head


def diff(
    root: Path | str, base_ref: str, as_of: dt.date | None = None, *, use_java: bool = True
) -> KbDiff:
    """Compare the working tree under `root` with the same folder at git ref `base_ref`."""
    return diff_with_head(root, base_ref, as_of, use_java=use_java)[0]
