"""The gap history page: per concept, since which release it has been a gap or covered.

Built from the gap records committed under releases/ (one per release, written by
`gapkb release VERSION --record`), never by rerunning old code on old data: each release's
gaps are what it published. The page also shows where this build differs from the latest
release, so a reader sees what the next release will change.
"""

from __future__ import annotations

from dataclasses import dataclass

from gapkb.release.history import REMOVED, GapHistoryRow, gap_history
from gapkb.report import GAP_ORDER
from gapkb.site.model import STATUS_TEXT, SiteModel
from gapkb.site.render import Page, index_page

PATH = "history.md"


@dataclass(frozen=True)
class ReleaseLine:
    """One release in the history: its version, as-of date and gap count by tier."""

    version: str
    as_of: str
    gaps: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.gaps.values())


def status_text(status: str) -> str:
    """How the page words a status from a record (a gap tier, covered, removed)."""
    return "removed from the knowledge base" if status == REMOVED else STATUS_TEXT[status]


def history_page(model: SiteModel) -> Page:
    rows: list[GapHistoryRow] = gap_history(model.history)
    releases = [
        ReleaseLine(
            str(record["version"]),
            str(record["as_of"]),
            {tier: len(record["gaps"].get(tier, [])) for tier in GAP_ORDER if tier in STATUS_TEXT},
        )
        for record in model.history
    ]
    now = {cid: row.status for cid, row in model.rows.items()}
    changed = [r for r in rows if now.get(r.concept, REMOVED) != r.status]
    new = [cid for cid in model.concepts if cid not in {r.concept for r in rows}]
    return index_page(
        model,
        PATH,
        "history.md.j2",
        "Gap history",
        rows=rows,
        releases=releases,
        now=now,
        changed=changed,
        new=new,
        status_text=status_text,
        removed=REMOVED,
    )
