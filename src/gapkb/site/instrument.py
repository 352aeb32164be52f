"""Instrument pages: provisions, the concepts they cover, the timeline, citations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gapkb.model import Instrument
from gapkb.site.dates import amendments, general_date, provision_dates
from gapkb.site.jsonld import instrument_jsonld
from gapkb.site.model import LinkView, SiteModel, instrument_doc
from gapkb.site.provision import provision_anchor
from gapkb.site.render import Page, index_page, render
from gapkb.site.sanitize import html_attr
from gapkb.vocab import instrument_iri


def instrument_page(model: SiteModel, instrument: Instrument) -> Page:
    path = instrument_doc(instrument.id)
    links = model.by_instrument.get(instrument.id, [])
    covered = {v.link.concept for v in links}
    body = render(
        "instrument.md.j2",
        path,
        model,
        i=instrument,
        state=model.states[instrument.id],
        links=links,
        by_provision=_group_by_provision(links),
        anchor=provision_anchor,
        uncovered=[c for c in model.concepts if c not in covered],
        timeline=timeline(model, instrument),
        amended_by=amendments(model.instruments, instrument.id, made_by=False),
        amends=amendments(model.instruments, instrument.id, made_by=True),
        iri=str(instrument_iri(instrument.id)),
        file=model.files.get(instrument.id, ""),
        cites=model.cites.instrument(instrument),
    )
    meta = {
        "description": html_attr(instrument.summary or instrument.title),
        "gapkb": {"kind": "instrument", "id": instrument.id, **edit_source(model, instrument.id)},
        "jsonld": instrument_jsonld(model, instrument, model.settings.absolute(path)),
    }
    return Page(path, body, meta)


def edit_source(model: SiteModel, entry_id: str) -> dict[str, str]:
    """The entry's YAML file for the page's "edit" link (site/overrides/partials/actions.html
    joins it to the repository's address from mkdocs.yml), when the entry has one."""
    file = model.files.get(entry_id, "")
    return {"source": file} if file else {}


def _group_by_provision(links: list[LinkView]) -> dict[str, list[LinkView]]:
    grouped: dict[str, list[LinkView]] = {}
    for view in links:
        grouped.setdefault(view.provision.id, []).append(view)
    return grouped


@dataclass(frozen=True)
class Event:
    """A dated line of an instrument's timeline."""

    date: dt.date
    what: str
    link: str | None = None  # instrument id
    now: bool = False
    field: str = ""  # the entry's field, to mark it when listed under `unverified`
    provisions: tuple[tuple[str, int], ...] = ()  # (label, index): provisions sharing the date


def timeline(model: SiteModel, instrument: Instrument) -> list[Event]:
    """The instrument's dates in order, with the as-of date placed among them."""
    d = instrument.dates
    events = [
        Event(day, what, field=f"dates.{name}")
        for name, day, what in (
            ("adopted", d.adopted, "Adopted"),
            ("published", d.published, "Published"),
            ("in_force", d.in_force, "Entered into force"),
            ("applies_from", d.applies_from, "Applies from"),
        )
        if day is not None
    ]
    moved_to, mover = general_date(model.instruments, instrument, model.as_of)
    if mover is not None and moved_to is not None:
        events = [
            Event(e.date, "Was to apply from", field=e.field) if e.what == "Applies from" else e
            for e in events
        ]
        events.append(Event(moved_to, "Applies from, as moved by", mover))
    # Provisions sharing a date are one line with a count (the EU AI Act's hundreds of
    # provisions are a handful of dates), the list of them folded under it.
    for group in provision_dates(model.instruments, instrument):
        count = len(group.provisions)
        if count == 1:  # a single provision is named, not counted and folded
            (label, n), moved = group.provisions[0], group.moved_by is not None
            what = f"{label} moved to apply from, by" if moved else f"{label} applies from"
            field = "" if moved else f"provisions.{n}.applies_from"
            events.append(Event(group.date, what, group.moved_by, field=field))
            continue
        what = "provisions apply from"
        if group.moved_by is not None:
            what = "provisions moved to apply from, by"
        events.append(
            Event(group.date, f"{count} {what}", group.moved_by, provisions=tuple(group.provisions))
        )
    if d.revoked is not None:
        by = instrument.revoked_by if instrument.revoked_by in model.instruments else None
        what = "Revoked by" if by else "Revoked"
        events.append(Event(d.revoked, what, by, field="dates.revoked"))
    amending = {
        a.amending.id: a.amending
        for a in amendments(model.instruments, instrument.id, made_by=False)
    }
    events += [
        Event(other.dates.in_force, "Amended by", other.id)
        for other in amending.values()
        if other.dates.in_force is not None
    ]
    for other in model.revokes.get(instrument.id, []):
        revoked = model.instruments[other].dates.revoked
        if revoked is not None:
            events.append(Event(revoked, "Revoked", other))
    events.append(Event(model.as_of, f"As of this view: {model.states[instrument.id]}", now=True))
    return sorted(events, key=lambda e: (e.date, e.now))


def instruments_index_page(model: SiteModel) -> Page:
    return index_page(model, "instruments/index.md", "instruments_index.md.j2", "Instruments")
