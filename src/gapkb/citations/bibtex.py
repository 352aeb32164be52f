"""BibTeX entries for sources, concept pages and instruments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from gapkb.citations.base import (
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


def _source_key(source: Source) -> str:
    """A Google Scholar-like key: first author's family name, year, first title word."""
    first = source.authors[0] if source.authors else None
    name = ""
    if first is not None:
        name = _ascii_word(first.family or "") or _ascii_word((first.literal or "").split()[0])
    words = [_ascii_word(w) for w in source.title.split()]
    word = next((w for w in words if w and w not in _KEY_SKIP), "")
    return f"{name or 'anon'}{source.issued_year}{word}"


_BIBTEX_TYPES: Final[dict[SourceType, tuple[str, str | None]]] = {
    # entry type, and the field that takes `container`
    SourceType.ARTICLE_JOURNAL: ("article", "journal"),
    SourceType.PAPER_CONFERENCE: ("inproceedings", "booktitle"),
    SourceType.ARTICLE: ("misc", "howpublished"),
    SourceType.REPORT: ("techreport", "series"),
    SourceType.BOOK: ("book", "series"),
    SourceType.CHAPTER: ("incollection", "booktitle"),
    SourceType.LEGISLATION: ("misc", "howpublished"),
    SourceType.STANDARD: ("misc", "howpublished"),
    SourceType.WEBPAGE: ("misc", "howpublished"),
}


def _source_bibtex(source: Source) -> str:
    entry_type, container_field = _BIBTEX_TYPES[source.type]
    _, month, _ = _source_date(source)
    publisher_field = "institution" if entry_type == "techreport" else "publisher"
    fields: list[tuple[str, str | None]] = [
        ("author", _bib_names(source.authors) if source.authors else None),
        ("title", _bib_title(source.title)),
        (container_field or "note", source.container and _bib_text(source.container)),
        ("year", "{" + str(source.issued_year) + "}"),
        ("month", _MONTHS[month - 1] if month else None),
        ("volume", source.volume and _bib_text(source.volume)),
        ("number", source.issue and _bib_text(source.issue)),
        ("pages", source.pages and _bib_text(re.sub(r"\s*[–—-]+\s*", "--", source.pages))),
        (publisher_field, source.publisher and _bib_text(source.publisher)),
        ("doi", source.doi and _bib_verbatim(source.doi)),
        ("url", source.url and _bib_verbatim(source.url)),
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
    return _bibtex_entry("techreport" if report else "misc", instrument.id, fields)
