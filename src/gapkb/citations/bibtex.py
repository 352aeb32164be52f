"""BibTeX entries for sources, concept pages and instruments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from gapkb.citations.base import (
    _arxiv_url,
    _clean,
    _instrument_date,
    _issuer_name,
    _other_identifiers,
    _source_date,
)
from gapkb.model import Author, Instrument, Source, SourceType

_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_LATEX: Final = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def _bib_text(value: object) -> str:
    """A braced BibTeX value: LaTeX specials escaped, other Unicode kept (biblatex reads UTF-8)."""
    return "{" + _clean(value).translate(_LATEX) + "}"


def _bib_title(value: object) -> str:
    """A title in double braces, so that no BibTeX style recases it ("Homer Simpson")."""
    return "{" + _bib_text(value) + "}"


def _bib_verbatim(value: object) -> str:
    """A url or doi field: biblatex reads them verbatim, so only braces must not appear."""
    return "{" + _clean(value).replace("{", "%7B").replace("}", "%7D") + "}"


def _bib_name_part(part: str | None) -> str:
    """A family or given name; braced if a comma or an "and" in it would split the name."""
    text = _clean(part or "").translate(_LATEX)
    return "{" + text + "}" if re.search(r",|\band\b", text, re.IGNORECASE) else text


def _bib_names(authors: Sequence[Author]) -> str:
    names = []
    for author in authors:
        if author.literal:
            # Braces make an organisation one name: "{National Institute of ...}".
            names.append(_bib_text(author.literal))
            continue
        family, given = (_bib_name_part(p) for p in (author.family, author.given))
        names.append(f"{family}, {given}" if given else family)
    return "{" + " and ".join(names) + "}"


def _bibtex_entry(entry_type: str, key: str, fields: Iterable[tuple[str, str | None]]) -> str:
    lines = [f"  {name} = {value}," for name, value in fields if value]
    return "@" + entry_type + "{" + key + ",\n" + "\n".join(lines) + "\n}"


def _ascii_word(value: str) -> str:
    """Lowercase ASCII letters and digits of a string, for citation keys."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


_KEY_SKIP: Final = frozenset(
    ("a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from")
)
# An EU act by its number: "Regulation (EU) 2024/1689", "Directive (EU) 2019/790", or its ELI.
_EU_NUMBER: Final = re.compile(
    r"^(?:Commission |Council )?(?:Implementing |Delegated )?(?:Regulation|Directive|Decision)"
    r" \(E[UC]\) (?:No )?(\d{4})/(\d+)"
)
_ELI: Final = re.compile(r"data\.europa\.eu/eli/(?:reg|dir|dec)(?:_impl|_del)?/(\d{4})/(\d+)/")
_EXECUTIVE_ORDER: Final = re.compile(r"^Executive Order (\d{5})\b")


def _work_key(title: str, url: str | None = None) -> str | None:
    """The key of a work that has a number of its own, however an entry cites it: an EU act
    (`eu2019-790`) or a US executive order (`us-eo-14110`)."""
    title = _clean(title)
    if match := _EU_NUMBER.match(title) or (_ELI.search(url) if url else None):
        return f"eu{match[1]}-{match[2]}"
    if match := _EXECUTIVE_ORDER.match(title):
        return f"us-eo-{match[1]}"
    return None


def _host_word(url: str | None) -> str:
    """The site's own name in a URL (www.cac.gov.cn: cac), for authors with no Latin name."""
    host = re.sub(r"^https?://(?:www\.)?", "", url or "").split("/")[0]
    return _ascii_word(host.split(".")[0]) if host else ""


def _source_key(source: Source) -> str:
    """One key per work, the same on every page: the number for an EU act or executive order,
    the instrument's id for an instrument of this knowledge base, otherwise a Google
    Scholar-like key (first author's family name, year, first title word)."""
    if numbered := _work_key(source.title, source.url):
        return numbered
    if source.instrument:
        return source.instrument
    first = source.authors[0] if source.authors else None
    name = ""
    if first is not None:
        name = _ascii_word(first.family or "") or _ascii_word((first.literal or "").split()[0])
    name = name or _host_word(source.url) or "work"
    # A title in another script has no letters a key can use: its English title has.
    title = source.title if _ascii_word(source.title) else source.translated_title or ""
    words = [_ascii_word(w) for w in title.split()]
    word = next((w for w in words if w and w not in _KEY_SKIP), "")
    return f"{name}{source.issued_year}{word}"


_BIBTEX_TYPES: Final[dict[SourceType, str]] = {
    SourceType.ARTICLE_JOURNAL: "article",
    SourceType.PAPER_CONFERENCE: "inproceedings",
    SourceType.ARTICLE: "misc",
    SourceType.REPORT: "techreport",
    SourceType.BOOK: "book",
    SourceType.CHAPTER: "incollection",
    SourceType.LEGISLATION: "misc",
    SourceType.STANDARD: "misc",
    SourceType.WEBPAGE: "misc",
}


def _text(value: object) -> str | None:
    return _bib_text(value) if value not in (None, "") else None


def _pages(pages: object) -> str | None:
    return _bib_text(re.sub(r"\s*[–—-]+\s*", "--", str(pages))) if pages else None


def _published_in(source: Source) -> str | None:
    """What @misc says in `howpublished`, the one field BibTeX reads for where a work is:
    the Official Journal reference of an act, the site, a standard's number and version."""
    pages = None
    if source.pages:
        page_text = _clean(source.pages)
        pages = f"pp. {page_text}" if re.search("[–—-]", page_text) else f"p. {page_text}"
    version = f"Version {_clean(source.version)}" if source.version else None
    given = [source.container, source.volume, source.number, source.issue, pages, version]
    parts = [_clean(p) for p in given if p]
    if source.arxiv and not source.container:
        parts.append(f"arXiv preprint arXiv:{source.arxiv}")
    if source.publisher and (not parts or source.type is SourceType.STANDARD):
        parts.append(_clean(source.publisher))
    return ", ".join(parts) or None


def _source_url(source: Source) -> str | None:
    return source.url or (_arxiv_url(source.arxiv) if source.arxiv else None)


def _source_bibtex(source: Source) -> str:
    """One entry, of a type whose fields BibTeX reads: a report's number in `number`, an act's
    Official Journal reference in `howpublished`, an arXiv preprint's id as eprint and url."""
    entry_type = _BIBTEX_TYPES[source.type]
    _, month, _ = _source_date(source)
    title = source.title
    if source.translated_title:
        title = f"{_clean(source.title)} [{_clean(source.translated_title)}]"
    fields: list[tuple[str, str | None]] = [
        ("author", _bib_names(source.authors) if source.authors else None),
        ("title", _bib_title(title)),
        ("editor", _bib_names(source.editors) if source.editors else None),
    ]
    if entry_type == "article":
        fields += [
            ("journal", _text(source.container)),
            ("volume", _text(source.volume)),
            ("number", _text(source.issue)),
            ("pages", _pages(source.pages)),
        ]
    elif entry_type in ("inproceedings", "incollection", "book"):
        fields += [
            ("booktitle" if entry_type != "book" else "series", _text(source.container)),
            ("volume", _text(source.volume)),
            ("pages", _pages(source.pages)),
            ("publisher", _text(source.publisher)),
            ("address", _text(source.publisher_place)),
        ]
    elif entry_type == "techreport":
        fields += [
            ("institution", _text(source.publisher)),
            ("number", _text(source.number or source.issue)),
            ("address", _text(source.publisher_place)),
            # A report's series is no field of @techreport: it goes in the note.
            ("note", _text(source.container)),
        ]
    else:
        fields.append(("howpublished", _text(_published_in(source))))
    fields += [
        ("year", "{" + str(source.issued_year) + "}"),
        ("month", _MONTHS[month - 1] if month else None),
        ("doi", source.doi and _bib_verbatim(source.doi)),
        ("url", _bib_verbatim(url) if (url := _source_url(source)) else None),
        ("urldate", "{" + source.accessed.isoformat() + "}" if source.accessed else None),
    ]
    if source.arxiv:
        # Both spellings: archiveprefix for BibTeX styles, eprinttype for biblatex.
        fields += [
            ("eprint", _bib_text(source.arxiv)),
            ("eprinttype", "{arxiv}"),
            ("archiveprefix", "{arXiv}"),
        ]
    return _bibtex_entry(entry_type, _source_key(source), fields)


def _instrument_bibtex(instrument: Instrument) -> str:
    date = _instrument_date(instrument)
    issuer = _issuer_name(instrument)
    report = not instrument.binding and issuer is not None
    ids = instrument.identifiers
    published_in = ids.get("oj") or ids.get("fr_citation")
    fields: list[tuple[str, str | None]] = [
        ("author", _bib_names([Author(literal=issuer)]) if report and issuer else None),
        ("title", _bib_title(instrument.title)),
        ("shorttitle", _bib_text(instrument.short_title)),
        ("institution", _bib_text(issuer) if report and issuer else None),
        ("organization", _bib_text(issuer) if issuer and not report else None),
        ("howpublished", published_in and _bib_text(published_in)),
        ("year", "{" + str(date.year) + "}" if date else None),
        ("month", _MONTHS[date.month - 1] if date else None),
        ("doi", _bib_verbatim(ids["doi"]) if "doi" in ids else None),
        ("url", _bib_verbatim(instrument.url)),
        (
            "note",
            _bib_text(n)
            if (n := _other_identifiers(instrument, "doi", "oj", "fr_citation"))
            else None,
        ),
        ("language", _bib_text(instrument.languages[0])),
    ]
    key = _work_key(instrument.title, _clean(ids["eli"]) if "eli" in ids else None)
    return _bibtex_entry("techreport" if report else "misc", key or instrument.id, fields)
