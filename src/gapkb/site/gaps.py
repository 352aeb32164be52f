"""The gaps page: every concept's coverage status, gaps first (its template does the work)."""

from __future__ import annotations

from gapkb.site.model import SiteModel
from gapkb.site.render import Page, index_page


def gaps_page(model: SiteModel) -> Page:
    return index_page(model, "gaps.md", "gaps.md.j2", "Gaps")
