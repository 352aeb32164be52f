"""What every citation writer shares: the Citation, the formatting markers, clean text, dates and issuers."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Final

from gapkb.model import Instrument, Source

STYLES: tuple[str, ...] = ("apa", "chicago", "harvard", "oscola", "bibtex", "ris")
STYLE_LABELS: dict[str, str] = {
    "apa": "APA 7",
    "chicago": "Chicago (author-date)",
    "harvard": "Harvard (Cite Them Right)",
    "oscola": "OSCOLA",
    "bibtex": "BibTeX",
    "ris": "RIS",
}


@dataclass(frozen=True)
class Citation:
    """One citation of one work in one style."""

    style: str  # one of STYLES
    text: str  # plain text: what a copy button copies
    html: str  # safe HTML fragment: escaped text and only <i>, <b>, <span class="gk-...">


# Private-use characters stand for formatting while citeproc-py works (fix 5). Entry text
# never contains them: `_clean` strips the whole block before anything is rendered.
_MARK_BLOCK: Final = re.compile("[\ue000-\ue0ff]")
_TAGS: Final[dict[str, str]] = {
    "\ue000": "<i>",
    "\ue001": "</i>",
    "\ue002": "<b>",
    "\ue003": "</b>",
    "\ue004": '<span class="gk-smallcaps">',
    "\ue005": '<span class="gk-sup">',
    "\ue006": '<span class="gk-sub">',
    "\ue007": '<span class="gk-underline">',
    "\ue008": "</span>",
}
_I, _I_END = "\ue000", "\ue001"


# A title ending in ? or ! takes no period after it (APA 7 6.11; "Is AI Safe?." otherwise).
_STOP_AFTER_STOP: Final = re.compile(r"([?!])((?:[\ue000-\ue0ff])*)\.")


def _citation(style: str, marked: str) -> Citation:
    """Plain text and escaped HTML from one marked-up string."""
    marked = _STOP_AFTER_STOP.sub(r"\1\2", " ".join(marked.split()))
    text = _MARK_BLOCK.sub("", marked)
    escaped = html.escape(marked, quote=True)
    return Citation(style, text, _MARK_BLOCK.sub(lambda m: _TAGS.get(m[0], ""), escaped))


# --- CSL items ------------------------------------------------------------------------------


def _clean(value: object) -> str:
    """Entry text as one line, without the characters reserved for markers."""
    return " ".join(_MARK_BLOCK.sub("", str(value)).split())


def _text_citation(style: str, text: str) -> Citation:
    return Citation(style, text, html.escape(text, quote=True))


def _source_date(source: Source) -> tuple[int, int | None, int | None]:
    if source.issued is None:
        return (source.issued_year, None, None)
    parts = [int(p) for p in str(source.issued).split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def _arxiv_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"


def _issuer_name(instrument: Instrument) -> str | None:
    """The issuer's name without the explanation that often follows it in the entry."""
    if not instrument.issuer:
        return None
    return re.split(r"\s*[(,;]", _clean(instrument.issuer), maxsplit=1)[0] or None


def _instrument_date(instrument: Instrument) -> dt.date | None:
    d = instrument.dates
    return d.published or d.adopted or d.in_force or d.applies_from


def _other_identifiers(instrument: Instrument, *used: str) -> str | None:
    rest = [f"{k}: {_clean(v)}" for k, v in instrument.identifiers.items() if k not in used]
    return "; ".join(rest) or None
