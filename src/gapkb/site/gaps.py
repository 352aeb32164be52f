"""The gaps page: every concept's coverage status, gaps first, and the as-of picker that
switches the gap list between milestones (its data: gapkb.site.asof)."""

from __future__ import annotations

from gapkb.report import GAP_ORDER
from gapkb.site.asof import FOLDER
from gapkb.site.model import SiteModel
from gapkb.site.render import Page, index_page


def gaps_page(model: SiteModel) -> Page:
    # gapkb.report.gap_rows' order (by status, gaps first, then id), which the picker's
    # files keep too.
    ordered = sorted(model.rows.values(), key=lambda r: (GAP_ORDER[r.status], r.concept))
    return index_page(
        model,
        "gaps.md",
        "gaps.md.j2",
        "Gaps",
        ordered=ordered,
        gap_count=len(model.gap_ids),
        asof_index=f"{FOLDER}/index.json",
    )
