"""What the pages say about dates: whether a provision applies, an instrument's status line,
amendments both ways. The rule itself is gapkb.timeline's; this module only words it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gapkb.model import Amendment, Instrument, Provision
from gapkb.timeline import Period, applicability, applies_on, date_changes, deletion

IN_FORCE = "in force"

Namer = Callable[[str], str]


def short_title(instruments: Mapping[str, Instrument]) -> Namer:
    """Instrument id -> its short title (the id when the instrument is not in the knowledge base)."""
    return lambda iid: instruments[iid].short_title if iid in instruments else iid


def instrument_state(instrument: Instrument, as_of: dt.date) -> str:
    """IN_FORCE, or why the instrument is not in force at `as_of` (the as-of view's rule)."""
    dates = instrument.dates
    if dates.revoked is not None and dates.revoked <= as_of:
        return f"no longer in force (since {dates.revoked.isoformat()})"
    if dates.in_force is None:
        return f"not in force ({instrument.status.value})"
    if dates.in_force > as_of:
        return f"not yet in force (from {dates.in_force.isoformat()})"
    return IN_FORCE


def moved_by(
    instruments: Mapping[str, Instrument],
    target: str,
    provision_id: str | None,
    day: dt.date,
    as_of: dt.date,
) -> str | None:
    """The amending act in force at `as_of` that set `day` as the date of application."""
    changes = [
        c
        for c in date_changes(instruments, target, provision_id)
        if c.effective <= as_of and c.applies_from == day
    ]
    return changes[-1].amending if changes else None


def provision_state(
    instruments: Mapping[str, Instrument],
    instrument: Instrument,
    provision: Provision,
    as_of: dt.date,
    name: Namer | None = None,
) -> tuple[str, list[Period]]:
    """(IN_FORCE or why the provision does not apply at `as_of`, its applicability periods)."""
    name = name or short_title(instruments)
    periods = applicability(instruments, instrument, provision)
    state = instrument_state(instrument, as_of)
    if state != IN_FORCE or applies_on(periods, as_of):
        return state, periods
    deleted = deletion(instruments, instrument.id, provision.id)
    if deleted is not None and deleted[0] <= as_of:
        return f"no longer applies since {deleted[0]} (deleted by {name(deleted[1])})", periods
    if provision.inserted_by is not None:
        inserting = instruments.get(provision.inserted_by)
        since = inserting.dates.in_force if inserting else None
        if since is None or since > as_of:
            when = f" from {since}" if since else ""
            return f"not yet in force (inserted by {name(provision.inserted_by)}{when})", periods
    upcoming = [p.start for p in periods if p.start > as_of]
    if upcoming:
        mover = moved_by(instruments, instrument.id, provision.id, upcoming[0], as_of)
        if mover is None and provision.applies_from is None:
            mover = moved_by(instruments, instrument.id, None, upcoming[0], as_of)
        why = f" (moved by {name(mover)})" if mover else ""
        return f"applies from {upcoming[0]}{why}", periods
    ended = [p.end for p in periods if p.end is not None and p.end <= as_of]
    if ended:
        return f"no longer applies since {ended[-1]}", periods
    return "does not apply", periods


def general_date(
    instruments: Mapping[str, Instrument], instrument: Instrument, as_of: dt.date
) -> tuple[dt.date | None, str | None]:
    """The instrument's date of application at `as_of`, and the amending act that set it."""
    changes = [c for c in date_changes(instruments, instrument.id, None) if c.effective <= as_of]
    if changes:
        return changes[-1].applies_from, changes[-1].amending
    return instrument.dates.applies_from, None


def status_line(
    instruments: Mapping[str, Instrument], instrument: Instrument, as_of: dt.date, name: Namer
) -> str:
    """'in force; applies from …(moved from … by …); repealed from … by …' at `as_of`."""
    state = instrument_state(instrument, as_of)
    parts = [state]
    dates = instrument.dates
    if state == IN_FORCE:
        applies, mover = general_date(instruments, instrument, as_of)
        if applies is not None and applies != dates.in_force:
            moved = f" (moved from {dates.applies_from} by {name(mover)})" if mover else ""
            parts.append(f"applies from {applies}{moved}")
        if dates.revoked is not None:
            by = f" by {name(instrument.revoked_by)}" if instrument.revoked_by else ""
            parts.append(f"repealed from {dates.revoked}{by}")
    elif dates.revoked is not None and dates.revoked <= as_of and instrument.revoked_by:
        parts[0] = f"{state}, revoked by {name(instrument.revoked_by)}"
    return "; ".join(parts)


@dataclass(frozen=True)
class AmendmentView:
    """One amendment as a page shows it, from either side."""

    amending: Instrument
    amended: str  # id of the amended instrument
    amendment: Amendment
    moved: list[str]  # labels of the provisions it moves
    deleted: list[str]  # labels of the provisions it deletes


def amendments(
    instruments: Mapping[str, Instrument], instrument_id: str, *, made_by: bool
) -> list[AmendmentView]:
    """Amendments made by the instrument (made_by) or made to it (else), in page order."""
    views = []
    for amending in instruments.values():
        for amendment in amending.amends:
            if (amending.id == instrument_id) if made_by else amendment.instrument == instrument_id:
                target = instruments.get(amendment.instrument)
                labels = {p.id: p.label for p in target.provisions} if target else {}
                views.append(
                    AmendmentView(
                        amending,
                        amendment.instrument,
                        amendment,
                        [labels.get(p, p) for p in amendment.provisions],
                        [labels.get(p, p) for p in amendment.deletes],
                    )
                )
    return views


def periods_text(periods: list[Period]) -> str:
    """'from 2026-06-30 until 2027-01-01; from 2028-08-02' — 'at no date' when it never applies."""
    if not periods:
        return "at no date"
    return "; ".join(
        f"from {p.start}" + (f" until {p.end}" if p.end is not None else "") for p in periods
    )


@dataclass(frozen=True)
class ProvisionDates:
    """Provisions that share a date of application: one line of a timeline, not one each."""

    date: dt.date
    provisions: list[tuple[str, int]]  # (label, index in the entry's provisions)
    moved_by: str | None = None  # the amending act that set this date


def provision_dates(
    instruments: Mapping[str, Instrument], instrument: Instrument
) -> list[ProvisionDates]:
    """The instrument's provisions grouped by their own recorded date of application, then by
    the date an amending act moved them to (gapkb.timeline's periods), oldest first."""
    recorded: dict[dt.date, list[tuple[str, int]]] = {}
    moved: dict[tuple[dt.date, str], list[tuple[str, int]]] = {}
    general = instrument.dates.applies_from or instrument.dates.in_force
    for n, provision in enumerate(instrument.provisions):
        item = (provision.label, n)
        if provision.applies_from is not None:
            recorded.setdefault(provision.applies_from, []).append(item)
        original = provision.applies_from or general
        for period in applicability(instruments, instrument, provision):
            if period.start == original:
                continue
            mover = moved_by(instruments, instrument.id, provision.id, period.start, dt.date.max)
            if mover is None and provision.applies_from is None:
                mover = moved_by(instruments, instrument.id, None, period.start, dt.date.max)
            if mover is not None:
                moved.setdefault((period.start, mover), []).append(item)
    groups = [ProvisionDates(day, items) for day, items in recorded.items()]
    groups += [ProvisionDates(day, items, mover) for (day, mover), items in moved.items()]
    return sorted(groups, key=lambda g: (g.date, g.moved_by or ""))
