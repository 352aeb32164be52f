"""The compare page: two instruments side by side over every concept, or one instrument at
two dates.

The page is a form and a table drawn by site/assets/compare.js from data written here
(data/compare.json): every coverage link with its strength, its provision's place on the
site and the periods in which the provision applies, as gapkb.timeline computes them. The
script only asks whether a chosen date falls in a period, so the as-of rule stays in one
place (the same periods the as-of view and the site's status lines read), and no server is
needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gapkb.model import Instrument, Provision
from gapkb.site.jsonld import _web_page
from gapkb.site.model import SiteModel, concept_doc, instrument_doc
from gapkb.site.provision import provision_href
from gapkb.site.render import Page, render
from gapkb.timeline import applicability

PAGE = "compare.md"
DATA = "data/compare.json"
SCRIPT = "assets/compare.js"


def compare_page(model: SiteModel) -> Page:
    body = render(
        "compare.md.j2",
        PAGE,
        model,
        data=model.settings.href(PAGE, DATA),
        script=model.settings.href(PAGE, SCRIPT),
    )
    meta: dict[str, Any] = {"jsonld": _web_page(model, PAGE, "Compare instruments", "WebPage")}
    return Page(PAGE, body, meta)


def compare_data(model: SiteModel) -> dict[str, Any]:
    """What compare.js draws from: concepts and instruments in page order, and per instrument
    its links as [concept index, strength, pinpoint, provision URL, interpretive, periods],
    each period [first day, day after the last or null]. URLs are relative to the page."""
    settings = model.settings
    order = {cid: n for n, cid in enumerate(model.concepts)}
    links: dict[str, list[list[Any]]] = {}
    for iid, views in model.by_instrument.items():
        instrument = model.instruments[iid]
        periods: dict[str, list[list[str | None]]] = {}
        rows = []
        for v in views:
            pid = v.provision.id
            if pid not in periods:
                periods[pid] = _periods(model, instrument, v.provision)
            rows.append(
                [
                    order[v.link.concept],
                    v.link.strength.value,
                    v.provision.label,
                    provision_href(settings, PAGE, iid, pid),
                    v.interpretive,
                    periods[pid],
                ]
            )
        links[iid] = sorted(rows, key=lambda r: (r[0], r[1] != "explicit"))
    return {
        "as_of": model.as_of.isoformat(),
        "concepts": [
            {"id": c.id, "title": c.title, "href": settings.href(PAGE, concept_doc(c.id))}
            for c in model.concepts.values()
        ],
        "instruments": [
            {
                "id": i.id,
                "title": i.short_title,
                "jurisdiction": i.jurisdiction,
                "binding": i.binding,
                "href": settings.href(PAGE, instrument_doc(i.id)),
            }
            for i in model.instruments.values()
        ],
        "links": links,
    }


def _periods(
    model: SiteModel, instrument: Instrument, provision: Provision
) -> list[list[str | None]]:
    return [
        [p.start.isoformat(), p.end.isoformat() if p.end is not None else None]
        for p in applicability(model.instruments, instrument, provision)
    ]


def write_compare_data(model: SiteModel, docs_dir: Path) -> None:
    path = docs_dir / DATA
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(compare_data(model), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
