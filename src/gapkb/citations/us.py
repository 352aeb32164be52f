"""US federal and state law: executive orders in the Bluebook form, statutes by their short name."""

from __future__ import annotations

import re
from typing import Final

from gapkb.citations.base import _clean
from gapkb.citations.forms import _bluebook_date, _Forms, _grouped, _italic, _uk_date
from gapkb.model import Instrument, InstrumentKind

_EO_SHORT: Final = re.compile(r"^(?:EO|E\.O\.|Exec(?:utive|\.) Order)\s*(?:No\.?\s*)?(\d+)$")
_FR: Final = re.compile(r"^(\d+)\s*FR\s*(\d+)$")


def _executive_order(instrument: Instrument) -> _Forms | None:
    """A US executive order in the Bluebook form that APA 7 (11.?) and Chicago use for it."""
    ids = instrument.identifiers
    short = _EO_SHORT.match(_clean(instrument.short_title))
    number = _clean(ids["eo_number"]) if "eo_number" in ids else (short[1] if short else None)
    fr = _FR.match(_clean(ids.get("fr_citation", "")))
    # Bluebook 14.2: the date of the Federal Register issue; the signing date if none is known.
    date = instrument.dates.published or instrument.dates.adopted
    if number is None or date is None:
        return None
    title, url = _clean(instrument.title), instrument.url
    reg = f", {fr[1]} Fed. Reg. {_grouped(fr[2])}" if fr else ""
    bluebook = f"Exec. Order No. {_grouped(number)}{reg}"
    apa = f"{bluebook} ({date.year}). {url}"
    chicago = f"{bluebook} ({_bluebook_date(date)}). {url}."
    # Cite Them Right: the order as a titled document in a periodical, the Federal Register.
    register = f" {_italic('Federal Register')}, {fr[1]}, p. {fr[2]}" if fr else ""
    harvard = f"Executive Order {number}: {title} ({date.year}){register}. Available at: {url}."
    # OSCOLA 4th ed 1.6.1: no full stops in abbreviations; dates as 1 November 2023.
    oscola_reg = f", {fr[1]} Fed Reg {_grouped(fr[2])}" if fr else ""
    oscola = f"Exec Order No {_grouped(number)}{oscola_reg} ({_uk_date(date)})."
    return _Forms(apa, chicago, harvard, oscola)


def _us_statute(instrument: Instrument) -> bool:
    """A US federal or state act: its title is a "relating to" clause, so it is cited by its
    short name."""
    return instrument.jurisdiction.startswith("US") and instrument.kind is InstrumentKind.STATUTE
