"""The coverage matrix: a small page and its data, concepts × instruments, loaded on demand.

One Markdown table of every concept against every instrument grows with their product
(120 KB of Markdown at the real size, 6 MB at ten times it), so the page holds only the
controls and its script (site/assets/gapkb-matrix.js) loads `data/matrix.json`: concepts,
instruments, and one cell per (concept, instrument) pair with a link, its strength and its
provisions. Without JavaScript the page points to coverage.csv, the same links.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gapkb.model import Category
from gapkb.site.model import (
    STATUS_CLASS,
    STATUS_TEXT_BY_CLASS,
    LinkView,
    SiteModel,
    category_doc,
    concept_doc,
    instrument_doc,
    label,
)
from gapkb.site.provision import provision_href
from gapkb.site.render import Page, index_page
from gapkb.site.sanitize import plain

DATA = "data/matrix.json"


def matrix_data(model: SiteModel) -> dict[str, Any]:
    """The matrix as data; URLs are site-relative (the script resolves them)."""
    url = model.settings.url_path
    categories = [cat for cat in Category if model.concepts_in(cat)]
    category_index = {cat: n for n, cat in enumerate(categories)}
    instrument_index = {iid: n for n, iid in enumerate(model.instruments)}
    concepts = list(model.concepts.values())
    cells = []
    for row, concept in enumerate(concepts):
        by_instrument: dict[str, list[LinkView]] = {}
        for view in model.by_concept.get(concept.id, []):
            by_instrument.setdefault(view.instrument.id, []).append(view)
        for iid in sorted(by_instrument, key=instrument_index.__getitem__):
            views = by_instrument[iid]
            best = [v for v in views if v.explicit] or views
            cells.append(
                [
                    row,
                    instrument_index[iid],
                    "explicit" if best[0].explicit else "implicit",
                    int(any(v.applies for v in best)),
                    [_provision(model, v) for v in views],
                ]
            )
    return {
        "as_of": model.as_of.isoformat(),
        "status_text": STATUS_TEXT_BY_CLASS,
        "categories": [
            {"id": str(cat), "label": label(cat.value), "url": url(category_doc(cat))}
            for cat in categories
        ],
        "instruments": [
            {
                "id": i.id,
                "title": plain(i.short_title),
                "jurisdiction": str(i.jurisdiction),
                "binding": i.binding,
                "state": model.states[i.id],
                "url": url(instrument_doc(i.id)),
            }
            for i in model.instruments.values()
        ],
        "concepts": [
            {
                "id": c.id,
                "title": plain(c.title),
                "category": category_index[c.category],
                "status": _status(model, c.id),
                "used_by": model.rows[c.id].used_by,
                "url": url(concept_doc(c.id)),
            }
            for c in concepts
        ],
        # [concept, instrument, strongest strength, applies on the as-of date, provisions]
        "cells": cells,
    }


def _status(model: SiteModel, concept_id: str) -> str:
    return STATUS_CLASS[model.rows[concept_id].status]


def _provision(model: SiteModel, view: LinkView) -> list[Any]:
    """[label, strength, applies, the provision's place on the site, the official text]; the
    place relative to the site's root (gapkb.site.provision), as the other URLs here."""
    place = provision_href(model.settings, "index.md", view.instrument.id, view.provision.id)
    return [
        plain(view.provision.label),
        view.link.strength.value,
        int(view.applies),
        str(place),
        view.url or "",
    ]


def matrix_page(model: SiteModel) -> Page:
    """The matrix is wide: no table of contents, the whole width."""
    return index_page(
        model,
        "matrix.md",
        "matrix.md.j2",
        "Coverage matrix",
        wide=True,
        data=DATA,
        instrument_count=len(model.instruments),
    )


def write_matrix_data(model: SiteModel, docs_dir: Path) -> None:
    path = docs_dir / DATA
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(matrix_data(model), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
