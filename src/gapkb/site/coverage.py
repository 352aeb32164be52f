"""The coverage statement: scope, instruments per jurisdiction and kind, the audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gapkb.site.model import SiteModel
from gapkb.site.render import Page, index_page


@dataclass(frozen=True)
class InstrumentRow:
    """One instrument's line in the coverage statement."""

    id: str
    jurisdiction: str
    kind: str
    binding: bool
    links: int
    verified: int
    reviewed: dt.date | None


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def coverage_rows(model: SiteModel) -> list[InstrumentRow]:
    """Instruments ordered by jurisdiction, then kind, then title."""
    rows = []
    for instrument in model.instruments.values():
        views = model.by_instrument.get(instrument.id, [])
        verified = sum(1 for v in views if v.proof is not None and v.proof.machine_verified)
        rows.append(
            InstrumentRow(
                instrument.id,
                instrument.jurisdiction,
                instrument.kind.value,
                instrument.binding,
                len(views),
                verified,
                instrument.reviewed,
            )
        )
    return sorted(rows, key=lambda r: (r.jurisdiction, r.kind))


def coverage_page(model: SiteModel) -> Page:
    rows = coverage_rows(model)
    return index_page(
        model,
        "coverage.md",
        "coverage.md.j2",
        "Coverage statement",
        rows=rows,
        links_total=sum(r.links for r in rows),
        verified_total=sum(r.verified for r in rows),
        percent=percent,
    )
