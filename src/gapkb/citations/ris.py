"""RIS records for sources, concept pages and instruments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

from gapkb.citations.base import (
    _arxiv_url,
    _clean,
    _instrument_date,
    _issuer_name,
    _other_identifiers,
    _source_date,
)
from gapkb.model import Instrument, InstrumentKind, Source, SourceType

_RIS_TYPES: Final[dict[SourceType, str]] = {
    SourceType.ARTICLE_JOURNAL: "JOUR",
    SourceType.PAPER_CONFERENCE: "CPAPER",
    SourceType.ARTICLE: "GEN",  # a preprint or working paper: RIS has no better type
    SourceType.REPORT: "RPRT",
    SourceType.BOOK: "BOOK",
    SourceType.CHAPTER: "CHAP",
    SourceType.LEGISLATION: "LEGAL",
    SourceType.STANDARD: "STAND",
    SourceType.WEBPAGE: "ELEC",
}


def _ris_date(date: dt.date) -> str:
    return date.strftime("%Y/%m/%d/")


def _ris_record(kind: str, tags: Iterable[tuple[str, str | None]]) -> str:
    """One RIS record: TY first, ER last, one `XX  - value` line per tag."""
    lines = [f"TY  - {kind}"]
    lines += [f"{tag}  - {_clean(value)}" for tag, value in tags if value and _clean(value)]
    return "\n".join([*lines, "ER  - "])


def _page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of "14138–14149", or the one page of "7"."""
    if not pages:
        return (None, None)
    first, _, last = _clean(pages).replace("—", "–").replace("–", "-").partition("-")
    return (first.strip() or None, last.strip("- ") or None)


def _source_ris(source: Source) -> str:
    year, month, day = _source_date(source)
    date = f"{year}/{month:02d}/{day:02d}/" if day and month else None
    if month and not day:
        date = f"{year}/{month:02d}//"
    start, end = _page_range(source.pages)
    tags: list[tuple[str, str | None]] = [("AU", a.display_name) for a in source.authors]
    tags += [
        ("TI", source.title),
        ("T2", source.container),
        ("PY", str(year)),
        ("DA", date),
        ("VL", source.volume),
        ("IS", source.issue),
        ("SP", start),
        ("EP", end),
        ("PB", source.publisher or ("arXiv" if source.arxiv and not source.container else None)),
        ("DO", source.doi),
        ("UR", source.url or (source.arxiv and _arxiv_url(source.arxiv))),
        ("AN", source.arxiv and f"arXiv:{source.arxiv}"),
    ]
    return _ris_record(_RIS_TYPES[source.type], tags)


_INSTRUMENT_RIS: Final[dict[InstrumentKind, str]] = {
    InstrumentKind.STATUTE: "STAT",
    InstrumentKind.REGULATION: "LEGAL",
    InstrumentKind.DIRECTIVE: "LEGAL",
    InstrumentKind.EXECUTIVE_ORDER: "LEGAL",
    InstrumentKind.ADMINISTRATIVE_MEASURES: "LEGAL",
    InstrumentKind.TREATY: "LEGAL",
    InstrumentKind.STANDARD: "STAND",
    InstrumentKind.FRAMEWORK: "RPRT",
    InstrumentKind.GUIDANCE: "RPRT",
    InstrumentKind.CODE_OF_CONDUCT: "RPRT",
    # Declarations, resolutions, memoranda and policy papers: RIS "government document".
    InstrumentKind.DECLARATION: "GOVDOC",
    InstrumentKind.RESOLUTION: "GOVDOC",
    InstrumentKind.RECOMMENDATION: "GOVDOC",
    InstrumentKind.MEMORANDUM: "GOVDOC",
    InstrumentKind.POLICY: "GOVDOC",
}


def _instrument_ris(instrument: Instrument) -> str:
    date = _instrument_date(instrument)
    issuer = _issuer_name(instrument)
    tags: list[tuple[str, str | None]] = [
        ("AU" if not instrument.binding else "PB", issuer),
        ("TI", instrument.title),
        ("ST", instrument.short_title),
        ("PY", str(date.year) if date else None),
        ("DA", _ris_date(date) if date else None),
        ("DO", instrument.identifiers.get("doi")),
        ("UR", instrument.url),
        ("LA", instrument.languages[0]),
        ("N1", _other_identifiers(instrument, "doi")),
    ]
    return _ris_record(_INSTRUMENT_RIS[instrument.kind], tags)
