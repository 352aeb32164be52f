"""Citations of a concept's sources and of a concept page itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from citeproc.source import Name
from citeproc.string import MixedString, NoCase

from gapkb.citations.base import Citation, _clean, _source_date, _text_citation
from gapkb.citations.bibtex import (
    _MONTHS,
    _ascii_word,
    _bib_names,
    _bib_text,
    _bib_title,
    _bib_verbatim,
    _bibtex_entry,
    _source_bibtex,
)
from gapkb.citations.citeproc_fixes import _csl_text
from gapkb.citations.csl import _csl_date, _render_all, _source_fields, _source_title
from gapkb.citations.eu import _OJ_NAME, _eu_forms, _is_eu_act
from gapkb.citations.forms import _Act, _Forms, _joined
from gapkb.citations.other import _act_forms
from gapkb.citations.ris import _ris_date, _ris_record, _source_ris
from gapkb.model import Author, Concept, Source, SourceType


def cite_source(source: Source) -> list[Citation]:
    """A concept's primary source or one of its references, in every style."""
    if source.type is SourceType.LEGISLATION:
        # No CSL style cites legislation acceptably (OSCOLA: "... Act) 2024 (Official Journal").
        written = _source_act(source).citations()
    else:
        written = _render_all(source.type.value, _source_fields(source))
    return [
        *written,
        _text_citation("bibtex", _source_bibtex(source)),
        _text_citation("ris", _source_ris(source)),
    ]


def _source_act(source: Source) -> _Forms:
    """A legislation source: the EU form for Official Journal acts, else the general one."""
    year, month, day = _source_date(source)
    date = dt.date(year, month, day) if month and day else None
    name = _source_title(source)
    url = _clean(source.url) if source.url else None
    eli = url if url and url.startswith("http://data.europa.eu/eli/") else None
    if _is_eu_act(name, source.container):
        oj = None
        if source.volume and source.container and source.container.startswith(_OJ_NAME):
            if source.number:
                # The act-by-act Official Journal (from October 2023): "OJ L, 2024/1689".
                oj = f"OJ {_clean(source.volume)}, {_clean(source.number)}"
            else:
                page = _clean(source.pages) if source.pages else ""
                pages = f", {'pp' if re.search('[–-]', page) else 'p'}. {page}" if page else ""
                oj = f"OJ {_clean(source.volume)}{pages}"
        return _eu_forms(_Act(name, year, date, url, oj=oj, eli=eli))
    identifier = _joined(
        source.container and _clean(source.container),
        source.volume and _clean(source.volume),
        source.number and _clean(source.number),
    )
    return _act_forms(_Act(name, year, date, url, identifier=identifier or None))


def _contributors(site_title: str) -> str:
    return f"{_clean(site_title)} contributors"


def cite_concept_page(
    concept: Concept,
    *,
    page_url: str,
    site_title: str,
    accessed: dt.date,
    version: str | None = None,
) -> list[Citation]:
    """The concept page itself: a web page by the site's contributors, dated by `updated`.

    `version` is the dataset's version the page was built from: a reader who cites the
    page names the release, so that the citation can be checked against it later."""
    updated = concept.updated
    fields: dict[str, Any] = {
        "title": _csl_text(concept.title),
        "author": [Name(literal=_contributors(site_title))],
        # The site's name is a name: no style may recase it ("gapkb", not "Gapkb").
        "container_title": MixedString([NoCase(_clean(site_title))]),
        "issued": _csl_date((updated.year, updated.month, updated.day)),
        "accessed": _csl_date((accessed.year, accessed.month, accessed.day)),
        "URL": _csl_text(page_url),
    }
    if version:
        fields["version"] = _csl_text(version)
    key = f"{_ascii_word(site_title) or 'page'}-{concept.id}"
    bibtex = _bibtex_entry(
        "misc",
        key,
        [
            ("author", _bib_names([Author(literal=_contributors(site_title))])),
            ("title", _bib_title(concept.title)),
            ("howpublished", _bib_text(site_title)),
            ("year", "{" + str(updated.year) + "}"),
            ("month", _MONTHS[updated.month - 1]),
            ("url", _bib_verbatim(page_url)),
            ("urldate", "{" + accessed.isoformat() + "}"),
            *([("version", _bib_text(version))] if version else []),
        ],
    )
    ris = _ris_record(
        "ELEC",
        [
            ("AU", _contributors(site_title)),
            ("TI", concept.title),
            ("T2", site_title),
            ("PY", str(updated.year)),
            ("DA", _ris_date(updated)),
            ("Y2", _ris_date(accessed)),
            *([("ET", version)] if version else []),
            ("UR", page_url),
        ],
    )
    return [
        # A wiki page is designed to change: APA gives the date it was retrieved (APA 7 9.16).
        *_render_all("webpage", fields, changes=True),
        _text_citation("bibtex", bibtex),
        _text_citation("ris", ris),
    ]


def citation_meta_tags(concept: Concept, *, page_url: str, site_title: str) -> dict[str, list[str]]:
    """Highwire Press `citation_*` tags for the concept page, which Zotero reads as a web page."""
    date = concept.updated.strftime("%Y/%m/%d")  # the form Google Scholar's guidelines give
    return {
        "citation_title": [_clean(concept.title)],
        "citation_author": [_contributors(site_title)],
        "citation_publication_date": [date],
        "citation_date": [date],
        "citation_public_url": [_clean(page_url)],
        "citation_publisher": [_clean(site_title)],
        "citation_abstract": [_clean(concept.summary)],
        "citation_keywords": [_clean(k) for k in [concept.category.value, *concept.aliases]],
        "citation_language": ["en"],
    }
