"""The as-of picker's data: the milestones and, for each, the gap table and "Used by" counts.

A milestone is a date at which some instrument's or provision's state changes: an entry
into force, a date of application (amendments followed), a revocation, a deletion. Between
two milestones the as-of view cannot change, so the gaps page needs one small JSON file per
milestone, and a reader's date maps to the latest milestone on or before it. Every file
comes from the check's own functions (`gapkb.timeline.applicability`,
`gapkb.validation.as_of_views`, `gapkb.report.gap_rows`), never a second rule.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from gapkb.model import Instrument
from gapkb.report import GapRow, gap_rows
from gapkb.site.model import STATUS_CLASS, STATUS_TEXT_BY_CLASS, SiteModel, concept_doc
from gapkb.site.sanitize import plain
from gapkb.timeline import applicability
from gapkb.validation import as_of_views
from gapkb.vocab import concept_iri

FOLDER = "data/asof"  # under the docs folder: index.json and one <date>.json per milestone


@dataclass
class Milestone:
    """A date at which some state changes, and what changes (one line per instrument)."""

    day: dt.date
    events: list[str] = field(default_factory=list)


def milestones(instruments: Mapping[str, Instrument]) -> list[Milestone]:
    """Every date at which an instrument or provision changes state, oldest first."""
    found: dict[dt.date, dict[str, dict[str, int]]] = {}

    def note(day: dt.date | None, instrument: Instrument, what: str) -> None:
        if day is not None:
            by_instrument = found.setdefault(day, {}).setdefault(instrument.id, {})
            by_instrument[what] = by_instrument.get(what, 0) + 1

    for instrument in instruments.values():
        dates = instrument.dates
        note(dates.in_force, instrument, "in force")
        note(dates.revoked, instrument, "revoked")
        for provision in instrument.provisions:
            for period in applicability(instruments, instrument, provision):
                note(period.start, instrument, "start")
                if period.end is not None and period.end != dates.revoked:
                    note(period.end, instrument, "end")
    result = []
    for day in sorted(found):
        events = [
            _event(instruments[iid].short_title, counts) for iid, counts in found[day].items()
        ]
        result.append(Milestone(day, sorted(events, key=str.casefold)))
    return result


def _event(name: str, counts: dict[str, int]) -> str:
    parts = []
    if counts.get("in force"):
        parts.append("enters into force")
    if counts.get("revoked"):
        parts.append("is revoked")
    if counts.get("start"):
        parts.append(_provisions(counts["start"], "starts to apply", "start to apply"))
    if counts.get("end"):
        parts.append(_provisions(counts["end"], "stops applying", "stop applying"))
    return f"{plain(name)}: " + "; ".join(parts)


def _provisions(count: int, one: str, more: str) -> str:
    return f"1 provision {one}" if count == 1 else f"{count} provisions {more}"


def rows_at(
    graph: Graph, concept_ids: list[str], days: list[dt.date]
) -> dict[dt.date, list[GapRow]]:
    """The gap table at each date: the check's as-of view and gap classification, each
    view read beside the concepts' labels only (the graph's own view is for its as-of date)."""
    labels = Graph()
    for cid in concept_ids:
        for label in graph.objects(concept_iri(cid), SKOS.prefLabel):
            labels.add((concept_iri(cid), SKOS.prefLabel, label))
    views = as_of_views(graph, days)
    for view in views.values():
        view += labels  # in place: a copy per date would cost more than the view itself
    return {day: gap_rows(views[day], concept_ids) for day in days}


def asof_data(model: SiteModel, graph: Graph) -> dict[str, object]:
    """Every file of the picker's data, by path under the docs folder (values: JSON data).

    The milestones, the day before the first (nothing applies yet) and the build's own
    as-of date, which must read exactly as `gapkb check` does."""
    stones = milestones(model.instruments)
    days = {m.day for m in stones} | {model.as_of}
    if stones:
        days.add(stones[0].day - dt.timedelta(days=1))
    ordered = sorted(days)
    concept_ids = sorted(model.concepts)
    tables = rows_at(graph, concept_ids, ordered)
    index = {cid: n for n, cid in enumerate(model.concepts)}
    events = {m.day: m.events for m in stones}
    files: dict[str, object] = {}
    entries = []
    for day in ordered:
        name = f"{FOLDER}/{day.isoformat()}.json"
        files[name] = {
            "date": day.isoformat(),
            # [concept, status, used by, implicit, voluntary, former], gaps first
            "rows": [
                [
                    index[r.concept],
                    STATUS_CLASS[r.status],
                    r.used_by,
                    r.implicit,
                    r.voluntary,
                    r.former,
                ]
                for r in tables[day]
            ],
        }
        what = events.get(day, [])
        if day == model.as_of and not what:
            what = ["the date this site was built for"]
        elif not what:
            what = ["before any instrument in this knowledge base entered into force"]
        entries.append({"date": day.isoformat(), "file": name.rsplit("/", 1)[1], "events": what})
    files[f"{FOLDER}/index.json"] = {
        "as_of": model.as_of.isoformat(),
        "status_text": STATUS_TEXT_BY_CLASS,
        "concepts": [
            {
                "id": c.id,
                "title": plain(c.title),
                "url": model.settings.url_path(concept_doc(c.id)),
            }
            for c in model.concepts.values()
        ],
        "milestones": entries,
    }
    return files


def write_asof_data(model: SiteModel, graph: Graph, docs_dir: Path) -> None:
    for name, data in asof_data(model, graph).items():
        path = docs_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
