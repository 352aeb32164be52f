"""A release's snapshot: the knowledge base at one version as plain, stable JSON.

The changelog and the gap history are computed from snapshots alone, so that an old
release's gaps are read from what it published, never by rerunning old code on old data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapkb.report import GAP_ORDER

if TYPE_CHECKING:
    from gapkb.pipeline import CheckResult

Snapshot = dict[str, Any]
SNAPSHOT_FORMAT = 1
SNAPSHOT_FILE = "snapshot.json"
DATE_FIELDS = ("adopted", "published", "in_force", "applies_from", "revoked")


def quote_hash(quote: str | None) -> str | None:
    """SHA-256 of a quote's UTF-8 text: says whether a quote changed without repeating it."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest() if quote is not None else None


def git_commit(root: Path) -> str | None:
    """The commit checked out at `root`, or None outside a git work tree."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head if re.fullmatch(r"[0-9a-f]{40}", head) else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def snapshot(result: CheckResult, root: Path | str, *, version: str | None = None) -> Snapshot:
    """The knowledge base checked in `result` (read from `root`) as a snapshot dict.

    Every list is sorted by id, so two snapshots of the same content are equal, and the
    JSON written by `dump_snapshot` is the same bytes.
    """
    kb = result.kb
    instruments: list[dict[str, Any]] = []
    provisions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for iid in sorted(kb.instruments):
        entry = kb.instruments[iid].entry
        instruments.append(
            {
                "id": iid,
                "title": entry.title,
                "short_title": entry.short_title,
                "jurisdiction": entry.jurisdiction,
                "kind": str(entry.kind),
                "binding": entry.binding,
                "status": str(entry.status),
                "dates": {name: _iso(getattr(entry.dates, name)) for name in DATE_FIELDS},
            }
        )
        provisions.extend(
            {"instrument": iid, "id": p.id, "label": p.label}
            for p in sorted(entry.provisions, key=lambda p: p.id)
        )
        links.extend(
            {
                "instrument": iid,
                "provision": link.provision,
                "concept": link.concept,
                "strength": str(link.strength),
                "quote_sha256": quote_hash(link.quote),
            }
            for link in sorted(entry.coverage, key=lambda c: (c.provision, c.concept))
        )
    concepts = [{"id": cid, "title": kb.concepts[cid].entry.title} for cid in sorted(kb.concepts)]
    gaps: dict[str, list[dict[str, Any]]] = {status: [] for status in GAP_ORDER}
    for row in sorted(result.gaps, key=lambda r: r.concept):
        gaps[row.status].append(asdict(row))
    return {
        "format": SNAPSHOT_FORMAT,
        "version": version,
        "as_of": result.as_of.isoformat(),
        "commit": git_commit(Path(root)),
        "instruments": instruments,
        "concepts": concepts,
        "provisions": provisions,
        "links": links,
        "gaps": gaps,
    }


def dump_snapshot(snap: Snapshot) -> str:
    """A snapshot as JSON text: sorted keys, two-space indent, UTF-8 kept, newline at the end."""
    return json.dumps(snap, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file written by `dump_snapshot`."""
    snap: Snapshot = json.loads(path.read_text(encoding="utf-8"))
    if snap.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(
            f"{path}: snapshot format {snap.get('format')!r}, expected {SNAPSHOT_FORMAT}"
        )
    return snap


def gap_status(snap: Snapshot) -> dict[str, str]:
    """concept id -> gap status ("covered" or a gap tier) in a snapshot."""
    return {row["concept"]: status for status, rows in snap["gaps"].items() for row in rows}


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Sort key for version strings: numeric parts as numbers (0.10.0 after 0.9.1)."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"[.\-+]", version.removeprefix("v"))
    )


def load_history(releases_dir: Path) -> list[Snapshot]:
    """Every release snapshot under `releases_dir` (one folder per version), oldest first."""
    snaps = [load_snapshot(path) for path in releases_dir.glob(f"*/{SNAPSHOT_FILE}")]
    return sorted(snaps, key=lambda s: version_key(str(s["version"])))
