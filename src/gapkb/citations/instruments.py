"""Citations of an instrument: legislation by hand, non-binding texts through CSL."""

from __future__ import annotations

from typing import Any

from citeproc.source import Name

from gapkb.citations.base import Citation, _instrument_date, _issuer_name, _text_citation
from gapkb.citations.bibtex import _instrument_bibtex
from gapkb.citations.citeproc_fixes import _csl_text
from gapkb.citations.csl import _csl_date, _render_all
from gapkb.citations.eu import _eu_instrument
from gapkb.citations.forms import _Forms
from gapkb.citations.other import _legislation, _treaty
from gapkb.citations.ris import _instrument_ris
from gapkb.citations.us import _executive_order
from gapkb.model import Instrument, InstrumentKind


def _report_fields(instrument: Instrument) -> dict[str, Any]:
    """A non-binding instrument as the CSL styles see a report or standard."""
    fields: dict[str, Any] = {
        "title": _csl_text(instrument.title),
        "URL": _csl_text(instrument.url),
    }
    issuer = _issuer_name(instrument)
    if issuer:
        fields["author"] = [Name(literal=issuer)]
        fields["publisher"] = _csl_text(issuer)
    date = _instrument_date(instrument)
    if date:
        fields["issued"] = _csl_date((date.year, date.month, date.day))
    ids = instrument.identifiers
    if "doi" in ids:
        fields["DOI"] = _csl_text(ids["doi"])
    if "number" in ids:
        fields["number"] = _csl_text(ids["number"])
    return fields


def cite_instrument(instrument: Instrument) -> list[Citation]:
    """An instrument in every style: legislation by hand, non-binding texts through CSL."""
    forms: _Forms | None = None
    if instrument.jurisdiction == "EU" and instrument.kind in (
        InstrumentKind.REGULATION,
        InstrumentKind.DIRECTIVE,
    ):
        forms = _eu_instrument(instrument)
    elif instrument.kind is InstrumentKind.EXECUTIVE_ORDER and instrument.jurisdiction == "US":
        forms = _executive_order(instrument)
    elif instrument.kind is InstrumentKind.TREATY:
        forms = _treaty(instrument)
    if forms is None and not instrument.binding:
        kind = "standard" if instrument.kind is InstrumentKind.STANDARD else "report"
        written = _render_all(kind, _report_fields(instrument))
    else:
        written = (forms or _legislation(instrument)).citations()
    return [
        *written,
        _text_citation("bibtex", _instrument_bibtex(instrument)),
        _text_citation("ris", _instrument_ris(instrument)),
    ]
