"""The coverage matrix: concepts by instruments, grouped by category."""

from __future__ import annotations

from typing import Any

from gapkb.model import Category
from gapkb.site.model import Cell, SiteModel
from gapkb.site.render import Page, index_page
from gapkb.site.sanitize import plain


def matrix_view(model: SiteModel) -> dict[str, Any]:
    """Rows grouped by category; one cell per (concept, instrument)."""
    cells: dict[tuple[str, str], Cell] = {}
    for concept_id, views in model.by_concept.items():
        for instrument_id in {v.instrument.id for v in views}:
            mine = [v for v in views if v.instrument.id == instrument_id]
            best = [v for v in mine if v.explicit] or mine
            cells[(concept_id, instrument_id)] = Cell(
                "explicit" if best[0].explicit else "implicit",
                any(v.applies for v in best),
                ", ".join(plain(v.provision.label) for v in best),
            )
    groups = [(cat, model.concepts_in(cat)) for cat in Category if model.concepts_in(cat)]
    return {"cells": cells, "groups": groups, "empty": Cell("", False, "")}


def matrix_page(model: SiteModel) -> Page:
    """The matrix is wide: no table of contents, the whole width."""
    return index_page(
        model, "matrix.md", "matrix.md.j2", "Coverage matrix", wide=True, matrix=matrix_view(model)
    )
