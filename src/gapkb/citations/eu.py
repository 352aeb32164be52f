"""EU acts: regulations, directives and decisions, cited by their Official Journal reference."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from gapkb.citations.base import _clean
from gapkb.citations.forms import _Act, _Forms, _italic, _joined
from gapkb.model import Instrument

_OJ: Final = re.compile(
    r"^OJ\s+(?P<series>[LC])(?:,\s*(?P<number>\d{4}/\d+)|\s*(?P<issue>\d+)(?:/(?P<page>\d+))?)"
    r"(?:,\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4}))?(?:,\s*pp?\.\s*(?P<pages>\d+)\S*)?$"
)
_OJ_NAME: Final = "Official Journal of the European Union"


def _eu_forms(act: _Act) -> _Forms:
    """An EU regulation or directive: official title, then the Official Journal."""
    match = _OJ.match(act.oj) if act.oj else None
    oscola_oj = harvard_oj = act.oj
    # Cite Them Right names the journal "Official Journal" ("Official Journal L66, p. 16").
    journal = _italic("Official Journal")
    if match and match["number"]:
        # The act-by-act Official Journal (from October 2023), which EUR-Lex cites as
        # "OJ L, 2024/1689". OSCOLA 4th ed (2.6.1) predates it and gives only series, issue
        # and page run together ("OJ L192/27"): the act's number takes the place.
        oscola_oj = f"OJ {match['series']}{match['number']}"
        harvard_oj = f"{journal} {match['series']}, {match['number']}"
    elif match and match["issue"]:
        page = match["page"] or match["pages"]
        oscola_oj = f"OJ {match['series']}{match['issue']}" + (f"/{page}" if page else "")
        harvard_oj = f"{journal} {match['series']}{match['issue']}" + (
            f", p. {page}" if page else ""
        )
    year = str(act.year) if act.year else None
    link = act.eli or act.url
    # APA 7 (11.1) defers to a foreign jurisdiction's own form: the EU's citation as EUR-Lex
    # and the Interinstitutional Style Guide give it, OJ reference and ELI in parentheses.
    official = _joined(act.oj, act.eli and f"ELI: {act.eli}")
    apa = f"{act.name} ({official})." if official else _joined(act.name + ".", act.url, sep=" ")
    # Chicago 18 (14.2, author-date): title, year, then the publication as the EU gives it.
    chicago = _joined(act.name, year, act.oj, link, sep=". ") + "."
    # Cite Them Right: title (year) Official Journal series and number. Available at: URL.
    harvard = _joined(f"{act.name} ({year})" if year else act.name, harvard_oj, sep=" ")
    harvard += f". Available at: {act.url}." if act.url else "."
    # OSCOLA 4th ed 2.6.1: title [year] OJ series and number.
    oscola = act.name + (f" [{year}] {oscola_oj}" if oscola_oj and year else "") + "."
    return _Forms(apa, chicago, harvard, oscola)


def _is_eu_act(name: str, container: str | None = None) -> bool:
    return bool(
        re.match(
            r"^(?:Commission |Council )?(?:Implementing |Delegated )?(?:Regulation|Directive|Decision) \(E[UC]\)",
            name,
        )
    ) or bool(container and container.startswith(_OJ_NAME))


def _eu_instrument(instrument: Instrument) -> _Forms:
    ids = instrument.identifiers
    oj = _clean(ids["oj"]) if "oj" in ids else None
    date = instrument.dates.published or instrument.dates.adopted
    match = _OJ.match(oj) if oj else None
    if match and match["date"] and instrument.dates.published is None:
        # The Official Journal's own date is the publication date OSCOLA's [year] wants.
        date = dt.datetime.strptime(match["date"], "%d.%m.%Y").date()
    return _eu_forms(
        _Act(
            _clean(instrument.title),
            date.year if date else None,
            date,
            instrument.url,
            oj=oj,
            eli=_clean(ids["eli"]) if "eli" in ids else None,
        )
    )
