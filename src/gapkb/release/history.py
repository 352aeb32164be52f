"""Gap history: per concept, since which release it has been a gap or covered, from snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gapkb.findings import GapkbError
from gapkb.release.snapshot import Snapshot, gap_status, load_snapshot, version_key
from gapkb.report import COVERED, GAP_ORDER

REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    """A concept's status from one release on."""

    version: str
    as_of: str
    status: str  # a gap tier, "covered", or "removed" (no longer in the knowledge base)


@dataclass(frozen=True)
class GapHistoryRow:
    """One concept across the releases: where it stands in the latest and how it got there."""

    concept: str
    title: str
    status: str
    since: str  # first release of the current run of gap (any tier) or of covered
    since_as_of: str
    changed_in: str  # the release that set the current status (tier included)
    changed_as_of: str
    changes: tuple[Change, ...]  # every status change, oldest first

    @property
    def is_gap(self) -> bool:
        return self.status not in (COVERED, REMOVED)


def _side(status: str) -> str:
    return "covered" if status == COVERED else REMOVED if status == REMOVED else "gap"


def gap_history(snapshots: Sequence[Snapshot]) -> list[GapHistoryRow]:
    """Rows for every concept in any of `snapshots` (oldest first): gaps first, by tier."""
    changes: dict[str, list[Change]] = {}
    titles: dict[str, str] = {}
    for snap in snapshots:
        version, as_of = str(snap["version"]), str(snap["as_of"])
        statuses = gap_status(snap)
        titles.update({c["id"]: c["title"] for c in snap["concepts"]})
        for cid in sorted(statuses.keys() | changes.keys()):
            status = statuses.get(cid, REMOVED)
            seen = changes.setdefault(cid, [])
            if not seen or seen[-1].status != status:
                seen.append(Change(version, as_of, status))
    rows = []
    for cid, seen in changes.items():
        last = seen[-1]
        start = last
        for change in reversed(seen):
            if _side(change.status) != _side(last.status):
                break
            start = change
        rows.append(
            GapHistoryRow(
                cid,
                titles[cid],
                last.status,
                start.version,
                start.as_of,
                last.version,
                last.as_of,
                tuple(seen),
            )
        )
    order = {**GAP_ORDER, REMOVED: len(GAP_ORDER)}
    return sorted(rows, key=lambda r: (order[r.status], r.concept))


# --- The gap records kept in the repository ---------------------------------------------------
# A release's full snapshot travels with the release; its gap list is also committed, as
# releases/<version>.json in the knowledge base, so that the site (built without network)
# shows the history, and the release built on the tag is checked against what was committed.

RECORDS_DIR = "releases"
RECORD_KEYS = ("format", "version", "as_of", "concepts", "gaps")


def gap_record(snap: Snapshot) -> Snapshot:
    """The part of a snapshot the gap history reads: version, as-of date, concepts, gaps."""
    return {key: snap[key] for key in RECORD_KEYS}


def record_path(root: Path | str, version: str) -> Path:
    return Path(root) / RECORDS_DIR / f"{version}.json"


def load_gap_records(root: Path | str) -> list[Snapshot]:
    """The committed gap records under `root`/releases/, oldest release first."""
    folder = Path(root) / RECORDS_DIR
    records = []
    for path in folder.glob("*.json") if folder.is_dir() else ():
        record = load_snapshot(path)
        if record.get("version") != path.stem:
            raise GapkbError(
                f"{path}: records version {record.get('version')!r} — the file is named "
                f"{path.name}; name it {record.get('version')}.json"
            )
        records.append(record)
    return sorted(records, key=lambda r: version_key(str(r["version"])))
