"""Acts of other jurisdictions and treaties: the general legislation forms."""

from __future__ import annotations

import datetime as dt
from typing import Final

from gapkb.citations.base import _clean, _instrument_date
from gapkb.citations.forms import _Act, _bluebook_date, _Forms, _joined, _uk_date
from gapkb.citations.us import _us_statute
from gapkb.model import Instrument


def _act_forms(act: _Act) -> _Forms:
    """Any other act: its name, the number its jurisdiction cites it by, and its date."""
    identifier = act.identifier if act.identifier and act.identifier not in act.name else None
    named = _joined(act.name, identifier)
    year = f" ({act.year})" if act.year else ""
    # APA 7 11.4 and Chicago 18 14.2 (both after the Bluebook): name, number (year), URL;
    # APA puts no period after a URL, Chicago does.
    apa = _joined(f"{named}{year}.", act.url, sep=" ")
    chicago = _joined(f"{named}{year}.", act.url and f"{act.url}.", sep=" ")
    # Cite Them Right, legislation: Title (Year) number. Available at: URL.
    harvard = _joined(f"{act.name}{year}", identifier, sep=" ")
    harvard += f". Available at: {act.url}." if act.url else "."
    # OSCOLA 4th ed: a foreign act as its jurisdiction cites it, dated as 1 November 2023.
    oscola = named + (f" ({_uk_date(act.date)})" if act.date else year) + "."
    return _Forms(apa, chicago, harvard, oscola)


def _treaty(instrument: Instrument) -> _Forms:
    """A treaty: title, adoption and entry into force, treaty series number."""
    title, url = _clean(instrument.title), instrument.url
    ids = instrument.identifiers
    adopted, in_force = instrument.dates.adopted, instrument.dates.in_force
    # (Bluebook abbreviation, OSCOLA and Cite Them Right abbreviation) of a treaty series.
    series = {
        "cets": ("C.E.T.S. No.", "CETS No", "CETS No."),
        "ets": ("E.T.S. No.", "ETS No", "ETS No."),
    }
    key = next((k for k in series if k in ids), None)
    number = _clean(ids[key]) if key else None
    us, uk, ctr = series[key] if key else ("", "", "")
    # Bluebook 21.4 (APA 7 11.?, Chicago 18 14.2xx): title, date, treaty series.
    bluebook = _joined(
        title,
        f"adopted {_bluebook_date(adopted)}" if adopted else None,
        f"entered into force {_bluebook_date(in_force)}" if in_force else None,
        number and f"{us} {number}",
    )
    year = (adopted or in_force or _instrument_date(instrument) or dt.date.min).year
    apa = f"{bluebook}. {url}"
    chicago = f"{bluebook}. {url}."
    harvard = (
        f"{title} ({year})" + (f" {ctr} {number}" if number else "") + f". Available at: {url}."
    )
    # OSCOLA 4th ed 4.? treaties: title (adopted ..., entered into force ...) series.
    dates = _joined(
        f"adopted {_uk_date(adopted)}" if adopted else None,
        f"entered into force {_uk_date(in_force)}" if in_force else None,
    )
    oscola = title + (f" ({dates})" if dates else "") + (f" {uk} {number}" if number else "") + "."
    return _Forms(apa, chicago, harvard, oscola)


# Identifiers that name an act, most specific first; the first one present is cited.
_ACT_IDENTIFIERS: Final = (
    "chapter",
    "public_law",
    "law_number",
    "order_number",
    "document_number",
    "bill",
)


def _act_name(instrument: Instrument) -> str:
    """The name to cite: an original-language title with its English name in brackets."""
    title, short = _clean(instrument.title), _clean(instrument.short_title)
    if instrument.languages[0] != "en":
        # APA 7 9.38 and OSCOLA: the original title, an English name in square brackets.
        return f"{title} [{short}]"
    if _us_statute(instrument):
        return short
    return title


def _legislation(instrument: Instrument) -> _Forms:
    ids = instrument.identifiers
    date = _instrument_date(instrument)
    return _act_forms(
        _Act(
            _act_name(instrument),
            date.year if date else None,
            date,
            instrument.url,
            identifier=next((_clean(ids[k]) for k in _ACT_IDENTIFIERS if k in ids), None),
        )
    )
