"""When each provision applies, with amendments followed: the one as-of rule.

A provision applies on a day when its instrument is in force (entered into force, not yet
revoked), the provision exists (an inserted provision exists from its amending act's entry
into force) and its date of application has passed. That date is the provision's own,
else the instrument's, else the entry into force — unless an amending instrument in force
on that day moved it (DESIGN.md, "Amendments and versions"). An amendment speaks from
its own entry into force: before it, the original date holds, so an as-of answer for an
earlier day never changes when a later act is added.

The result is a list of periods per provision, written into the graph once, so that the
as-of view, the saved queries and the site all read the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from gapkb.model import Amendment, Instrument, Provision


@dataclass(frozen=True)
class Period:
    """Days from `start` (inclusive) to `end` (exclusive; None: open-ended)."""

    start: dt.date
    end: dt.date | None = None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class DateChange:
    """An amendment moving a date of application, effective from `effective`."""

    effective: dt.date
    applies_from: dt.date
    amending: str


def amending_acts(
    instruments: Mapping[str, Instrument], target: str
) -> list[tuple[Instrument, Amendment]]:
    """The amendments made to `target` by acts that entered into force, with their acts.

    Every provision asks this of the same knowledge base, so the amendments are indexed by
    target once per mapping (the last one asked about), not scanned once per provision."""
    global _index
    if _index is None or _index[0] is not instruments or _index[1] != len(instruments):
        by_target: dict[str, list[tuple[Instrument, Amendment]]] = {}
        for amending in instruments.values():
            if amending.dates.in_force is None:
                continue  # an amending bill that never entered into force changes nothing
            for amendment in amending.amends:
                by_target.setdefault(amendment.instrument, []).append((amending, amendment))
        _index = (instruments, len(instruments), by_target)
    return _index[2].get(target, [])


_index: tuple[Mapping[str, Instrument], int, dict[str, list[tuple[Instrument, Amendment]]]] | None
_index = None


def date_changes(
    instruments: Mapping[str, Instrument], target: str, provision_id: str | None
) -> list[DateChange]:
    """Amendments in force at some time that move `target`'s date for one provision, or
    (provision_id None) the instrument's own date; oldest first."""
    changes = []
    for amending, amendment in amending_acts(instruments, target):
        if amendment.applies_from is None:
            continue
        names_it = (
            provision_id in amendment.provisions
            if provision_id is not None
            else not amendment.provisions
        )
        if names_it and amending.dates.in_force is not None:
            changes.append(DateChange(amending.dates.in_force, amendment.applies_from, amending.id))
    # One act may move one provision to two dates (the EU AI Act's high-risk rules: Annex
    # III systems from 2 December 2027, Annex I systems from 2 August 2028); the provision
    # starts to apply at the earlier, so among changes taking effect together that one wins
    # (sorted last, the position the latest change takes).
    return sorted(changes, key=lambda c: (c.effective, c.amending, -c.applies_from.toordinal()))


def deletion(
    instruments: Mapping[str, Instrument], target: str, provision_id: str
) -> tuple[dt.date, str] | None:
    """(entry into force, id) of the first amending act in force that deletes the provision."""
    found = [
        (amending.dates.in_force, amending.id)
        for amending, amendment in amending_acts(instruments, target)
        if provision_id in amendment.deletes and amending.dates.in_force is not None
    ]
    return min(found) if found else None


def applicability(
    instruments: Mapping[str, Instrument], instrument: Instrument, provision: Provision
) -> list[Period]:
    """The periods in which `provision` of `instrument` applies."""
    dates = instrument.dates
    if dates.in_force is None:
        return []
    exists_from = dates.in_force
    if provision.inserted_by is not None:
        inserting = instruments.get(provision.inserted_by)
        if inserting is None or inserting.dates.in_force is None:
            return []
        exists_from = max(exists_from, inserting.dates.in_force)
    own = date_changes(instruments, instrument.id, provision.id)
    general = [] if provision.applies_from else date_changes(instruments, instrument.id, None)
    original = provision.applies_from or dates.applies_from or dates.in_force
    # Between two successive amendments the date of application is constant: the
    # provision applies in the part of each stretch that lies on or after that date.
    stretches: list[tuple[dt.date | None, dt.date]] = [(None, original)]
    for change in sorted([*general, *own], key=lambda c: c.effective):
        if change in own or not own or change.effective < own[0].effective:
            stretches.append((change.effective, change.applies_from))
    deleted = deletion(instruments, instrument.id, provision.id)
    ends = [dates.revoked, deleted[0] if deleted else None]
    periods: list[Period] = []
    for i, (since, applies) in enumerate(stretches):
        until = stretches[i + 1][0] if i + 1 < len(stretches) else None
        start = max(d for d in (since, applies, exists_from) if d is not None)
        end = min((d for d in (until, *ends) if d is not None), default=None)
        if end is None or start < end:
            _append(periods, Period(start, end))
    return periods


def _append(periods: list[Period], period: Period) -> None:
    """Add `period`, merged with the last one when they touch."""
    if periods and periods[-1].end is not None and periods[-1].end >= period.start:
        last = periods.pop()
        end = None if period.end is None else max(period.end, last.end or period.end)
        periods.append(Period(last.start, end))
    else:
        periods.append(period)


def applies_on(periods: list[Period], day: dt.date) -> bool:
    return any(day in period for period in periods)
