"""Step 5c: the wiki — Markdown pages written from a check result, then `mkdocs build --strict`.

Pages are plain Markdown files written into a build folder *before* MkDocs runs, not
generated inside an MkDocs plugin (DESIGN.md: Material for MkDocs is in maintenance mode,
so a later switch of builder must stay small: `run_mkdocs` and `site/overrides/` are the
only MkDocs-specific parts). Every value from a contributor's file passes through
`gapkb.sanitize` before it reaches a page; templates escape anything not marked `Md`.

Library use::

    from gapkb.site import build_site, render_pages, build_model, SiteSettings
    result = gapkb.check("tests/sample", dt.date(2026, 12, 1))
    build_site(result, "public", docs_dir="build/docs")      # pages + data + mkdocs
    pages = render_pages(build_model(result, SiteSettings()))  # just the Markdown, in memory
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import logging
import math
import multiprocessing
import posixpath
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from rdflib import Graph

from gapkb import citations
from gapkb.findings import GapkbError
from gapkb.model import (
    ID_RE,
    Category,
    Concept,
    CoverageLink,
    Instrument,
    Provision,
    Source,
    Strength,
)
from gapkb.pipeline import PROJECT_ROOT, CheckResult
from gapkb.report import COVERED, IMPLICIT_ONLY, NEVER, NO_LONGER, GapRow
from gapkb.sanitize import (
    Md,
    clean_fragment,
    clean_markdown,
    csv_cell,
    html_attr,
    inert,
    plain,
    plain_lines,
    safe_child,
    safe_url,
)
from gapkb.vocab import concept_iri, instrument_iri

TEMPLATES = Path(__file__).parent / "templates"
MARKER = ".gapkb-build"  # marks folders this module may empty and rewrite
DEFAULT_DOCS_DIR = Path("build/docs")
DEFAULT_CACHE_DIR = Path("build/cache")  # `gapkb build` keeps rendered citations here
DATA_FILES = {
    "turtle": ("data/gapkb.ttl", "Turtle", "text/turtle"),
    "json-ld": ("data/gapkb.jsonld", "JSON-LD", "application/ld+json"),
    "nt": ("data/gapkb.nt", "N-Triples", "application/n-triples"),
    "csv": ("data/coverage.csv", "CSV (coverage links)", "text/csv"),
}
CSV_COLUMNS = (
    "as_of",
    "instrument",
    "instrument_title",
    "provision",
    "pinpoint",
    "provision_url",
    "concept",
    "concept_title",
    "strength",
    "applies_as_of",
    "state",
    "note",
    "quote",
    "quote_lang",
    "quote_en",
    "confidence",
    "reviewed",
)

IN_FORCE = "in force"
CITATION_TAG = re.compile(r"^citation_[a-z_]+$")
STATUS_TEXT = {
    COVERED: "covered",
    NEVER: "gap: never covered",
    IMPLICIT_ONLY: "gap: implicit only",
    NO_LONGER: "gap: no longer covered",
}
STATUS_EXPLAINED = {
    COVERED: "At least one provision in force expressly governs this concept.",
    NEVER: "A gap: no provision in force reaches this concept, expressly or by interpretation, and no instrument that is no longer in force governed it.",
    IMPLICIT_ONLY: "A gap: provisions in force reach this concept only by interpretation; none governs it expressly.",
    NO_LONGER: "A gap: only instruments that are no longer in force governed this concept expressly.",
}
STATUS_CLASS = {
    COVERED: "covered",
    NEVER: "never",
    IMPLICIT_ONLY: "implicit",
    NO_LONGER: "former",
}


class SiteError(GapkbError):
    """The site could not be built; `messages` are what the site builder reported."""

    def __init__(self, message: str, messages: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.messages = list(messages)


# --- settings and URLs --------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSettings:
    """What page generation needs from mkdocs.yml."""

    site_name: str = "gapkb"
    site_url: str = ""
    directory_urls: bool = True

    def url_path(self, doc: str) -> str:
        """Site-relative URL of a Markdown page, as the builder will publish it."""
        stem = doc.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"

    def absolute(self, doc: str) -> str:
        """Absolute URL of a page (empty when site_url is not set)."""
        return self.site_url + self.url_path(doc) if self.site_url else ""

    def href(self, src: str, target: str, anchor: str = "") -> Md:
        """Relative URL from page `src` to a page or file `target`, for raw HTML."""
        src_url = self.url_path(src)
        base = src_url if src_url.endswith("/") or not src_url else posixpath.dirname(src_url)
        dst = self.url_path(target) if target.endswith(".md") else target
        rel = posixpath.relpath(dst or ".", base.rstrip("/") or ".")
        if target.endswith(".md") and (dst.endswith("/") or not dst):
            rel = rel.rstrip("/") + "/" if rel != "." else "./"
        return Md(rel + (f"#{anchor}" if anchor else ""))


def md_path(src: str, target: str, anchor: str = "") -> str:
    """Relative link from one Markdown page to another page or file, as MkDocs expects."""
    rel = posixpath.relpath(target, posixpath.dirname(src) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def concept_doc(concept_id: str) -> str:
    return f"concepts/{_checked(concept_id)}.md"


def instrument_doc(instrument_id: str) -> str:
    return f"instruments/{_checked(instrument_id)}.md"


def category_doc(category: Category | str) -> str:
    return f"categories/{_checked(str(category))}.md"


def _checked(identifier: str) -> str:
    """Page paths are built from ids only; refuse anything else (`../x`, `a/b`)."""
    if not ID_RE.match(identifier):
        raise ValueError(f"{identifier!r} is not a kebab-case id — refusing to build a page path")
    return identifier


def label(value: object) -> str:
    """'dangerous-capabilities' -> 'Dangerous capabilities'."""
    return str(value).replace("-", " ").replace("_", " ").capitalize()


# --- the view of the knowledge base the pages show ----------------------------------------


@dataclass(frozen=True)
class LinkView:
    """One coverage link with what it belongs to, and whether it applies at the as-of date."""

    instrument: Instrument
    provision: Provision
    link: CoverageLink
    state: str  # IN_FORCE, or why it does not apply ("revoked 2025-01-20", ...)

    @property
    def applies(self) -> bool:
        return self.state == IN_FORCE

    @property
    def explicit(self) -> bool:
        return self.link.strength is Strength.EXPLICIT

    @property
    def url(self) -> str | None:
        """The provision's own URL, else the instrument's official text."""
        return safe_url(self.provision.url or self.instrument.url)


def instrument_state(instrument: Instrument, as_of: dt.date) -> str:
    """IN_FORCE, or why the instrument is not in force at `as_of` (same rule as the as-of view)."""
    dates = instrument.dates
    if dates.revoked is not None and dates.revoked <= as_of:
        return f"no longer in force (since {dates.revoked.isoformat()})"
    if dates.in_force is None:
        return f"not in force ({instrument.status.value})"
    if dates.in_force > as_of:
        return f"not yet in force (from {dates.in_force.isoformat()})"
    return IN_FORCE


def link_state(instrument: Instrument, provision: Provision, as_of: dt.date) -> str:
    """IN_FORCE when the provision applies at `as_of`; see validation.AS_OF_VIEW."""
    state = instrument_state(instrument, as_of)
    if state != IN_FORCE:
        return state
    dates = instrument.dates
    applies = provision.applies_from or dates.applies_from or dates.in_force
    if applies is not None and applies > as_of:
        return f"applies from {applies.isoformat()}"
    return IN_FORCE


@dataclass
class SiteModel:
    """Everything the pages show, indexed once."""

    as_of: dt.date
    settings: SiteSettings
    concepts: dict[str, Concept]
    instruments: dict[str, Instrument]
    rows: dict[str, GapRow]
    by_concept: dict[str, list[LinkView]] = field(default_factory=dict)
    by_instrument: dict[str, list[LinkView]] = field(default_factory=dict)
    related: dict[str, list[str]] = field(default_factory=dict)
    narrower: dict[str, list[str]] = field(default_factory=dict)
    revokes: dict[str, list[str]] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    cites: citations.CitationCache = field(default_factory=citations.CitationCache)

    @property
    def gap_ids(self) -> set[str]:
        return {cid for cid, row in self.rows.items() if row.is_gap}

    def rows_with(self, status: str) -> list[GapRow]:
        """Gap rows of one status, in page order."""
        return [self.rows[c] for c in self.concepts if self.rows[c].status == status]

    def concepts_in(self, category: Category) -> list[Concept]:
        return [c for c in self.concepts.values() if c.category is category]

    def instruments_with(self, concept_id: str, *, explicit: bool, applies: bool) -> list[str]:
        """Ids of instruments with a link of that kind to the concept, in page order."""
        seen = {
            v.instrument.id
            for v in self.by_concept.get(concept_id, [])
            if v.explicit == explicit and v.applies == applies
        }
        return [i for i in self.instruments if i in seen]


def build_model(result: CheckResult, settings: SiteSettings) -> SiteModel:
    """Index the check result for the pages."""
    concepts = {
        r.entry.id: r.entry
        for r in sorted(result.kb.concepts.values(), key=lambda r: r.entry.title.casefold())
    }
    instruments = {
        r.entry.id: r.entry
        for r in sorted(
            result.kb.instruments.values(), key=lambda r: r.entry.short_title.casefold()
        )
    }
    model = SiteModel(
        result.as_of, settings, concepts, instruments, {r.concept: r for r in result.gaps}
    )
    model.files = {
        **{cid: r.path for cid, r in result.kb.concepts.items()},
        **{iid: r.path for iid, r in result.kb.instruments.items()},
    }
    _index_links(model)
    _index_relations(model)
    return model


def _index_links(model: SiteModel) -> None:
    for instrument in model.instruments.values():
        model.states[instrument.id] = instrument_state(instrument, model.as_of)
        provisions = {p.id: p for p in instrument.provisions}
        views = []
        for link in instrument.coverage:
            provision = provisions.get(link.provision)
            if provision is None or link.concept not in model.concepts:
                continue  # reported by the check; a build only runs without violations
            view = LinkView(
                instrument, provision, link, link_state(instrument, provision, model.as_of)
            )
            views.append(view)
            model.by_concept.setdefault(link.concept, []).append(view)
        model.by_instrument[instrument.id] = views
        if instrument.revoked_by in model.instruments:
            model.revokes.setdefault(instrument.revoked_by, []).append(instrument.id)


def _index_relations(model: SiteModel) -> None:
    related: defaultdict[str, set[str]] = defaultdict(set)
    narrower: defaultdict[str, set[str]] = defaultdict(set)
    for concept in model.concepts.values():
        for other in concept.related:
            if other in model.concepts:
                related[concept.id].add(other)
                related[other].add(concept.id)  # skos:related is symmetric
        for other in concept.broader:
            if other in model.concepts:
                narrower[other].add(concept.id)
    order = list(model.concepts)
    model.related = {k: [c for c in order if c in v] for k, v in related.items()}
    model.narrower = {k: [c for c in order if c in v] for k, v in narrower.items()}


# --- templates ----------------------------------------------------------------------------


def _finalize(value: object) -> str:
    """Every `{{ value }}` in a template: `Md` as it is, anything else made inert."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return inert(value)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # Markdown, not HTML: `_finalize` escapes for both
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        label=label,
        concept_doc=concept_doc,
        instrument_doc=instrument_doc,
        category_doc=category_doc,
        categories=list(Category),
        status_text=STATUS_TEXT,
        status_explained=STATUS_EXPLAINED,
        IN_FORCE=IN_FORCE,
        NEVER=NEVER,
        IMPLICIT_ONLY=IMPLICIT_ONLY,
        NO_LONGER=NO_LONGER,
        COVERED=COVERED,
    )
    env.globals["citation_label"] = lambda style: citations.STYLE_LABELS.get(style, style)
    env.filters.update(plural=plural)
    return env


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class PageHelpers:
    """Template functions bound to the page being written (links are relative to it)."""

    page: str
    model: SiteModel

    def link(self, target: str, text: object, anchor: str = "") -> Md:
        """A Markdown link to another page of the site."""
        return Md(f"[{inert(text)}]({md_path(self.page, target, anchor)})")

    def concept(self, concept_id: str) -> Md:
        return self.link(concept_doc(concept_id), self.model.concepts[concept_id].title)

    def instrument(self, instrument_id: str) -> Md:
        return self.link(
            instrument_doc(instrument_id), self.model.instruments[instrument_id].short_title
        )

    def href(self, target: str, anchor: str = "") -> Md:
        """A relative URL for raw HTML (which MkDocs does not rewrite)."""
        return self.model.settings.href(self.page, target, anchor)

    def file(self, target: str) -> Md:
        return Md(md_path(self.page, target))

    @staticmethod
    def external(url: str | None, text: object) -> Md:
        """A link to an outside http(s) URL, or the bare text when the URL is not one."""
        safe = safe_url(url)
        return Md(f"[{inert(text)}]({safe})") if safe else inert(text)

    @staticmethod
    def md(text: str) -> Md:
        return clean_markdown(text)

    @staticmethod
    def badge(status: str) -> Md:
        return Md(
            f'<span class="gk-status gk-status--{STATUS_CLASS[status]}">{inert(STATUS_TEXT[status])}</span>'
        )

    @staticmethod
    def unverified(entry: Concept | Instrument, field_path: str) -> Md:
        """A marker for a field the entry lists under `unverified`."""
        if field_path not in entry.unverified:
            return Md("")
        return Md(
            ' <span class="gk-unverified" title="Not yet checked against a primary source">unverified</span>'
        )

    @staticmethod
    def binding(instrument: Instrument) -> Md:
        kind = "binding" if instrument.binding else "non-binding"
        return Md(f'<span class="gk-binding gk-binding--{kind}">{kind}</span>')

    @staticmethod
    def status_class(status: str) -> str:
        return STATUS_CLASS[status]

    @staticmethod
    def mark(cell: Cell) -> Md:
        """● explicit, ◐ implicit; hollow when the provisions do not apply on the as-of date."""
        marks = {("explicit", True): "●", ("implicit", True): "◐", ("explicit", False): "○"}
        return Md(marks.get((cell.mark, cell.applies), "◌"))

    @staticmethod
    def state(state: str) -> Md:
        kind = "in-force" if state == IN_FORCE else "not-in-force"
        return Md(f'<span class="gk-state gk-state--{kind}">{inert(state)}</span>')

    @staticmethod
    def strength(strength: Strength) -> Md:
        return Md(
            f'<span class="gk-strength gk-strength--{strength.value}">{strength.value}</span>'
        )

    @staticmethod
    def join(items: Sequence[Md | str], sep: str = ", ") -> Md:
        """Items joined by one of our own separators; plain items are made inert."""
        return Md(sep.join(i if isinstance(i, Md) else inert(i) for i in items))

    def concepts(self, ids: Sequence[str]) -> Md:
        return self.join([self.concept(c) for c in ids]) if ids else Md("—")

    def instruments(self, ids: Sequence[str]) -> Md:
        return self.join([self.instrument(i) for i in ids]) if ids else Md("—")

    def provisions(self, views: Sequence[LinkView]) -> Md:
        """Pinpoints linked to the official text: 'EU AI Act Recital 110'."""
        items = [
            self.external(v.url, f"{v.instrument.short_title} {v.provision.label}") for v in views
        ]
        return self.join(items, "; ") if items else Md("—")

    def former(self, concept_id: str) -> Md:
        """Instruments that expressly covered the concept but do not apply now, and why."""
        states: dict[str, str] = {}
        for v in self.model.by_concept.get(concept_id, []):
            if v.explicit and not v.applies:
                states.setdefault(v.instrument.id, v.state)
        items = [Md(f"{self.instrument(i)} ({inert(state)})") for i, state in states.items()]
        return self.join(items, "; ") if items else Md("—")

    def covered(self, views: Sequence[LinkView]) -> Md:
        """'Concept (explicit), Other (implicit)' for a provision's coverage links."""
        items = [Md(f"{self.concept(v.link.concept)} ({v.link.strength.value})") for v in views]
        return self.join(items) if items else Md("—")

    def matches(self, concept: Concept) -> Md:
        """Links to the same or close concepts in outside vocabularies."""
        items = [Md(f"{self.external(iri, iri)} (exact match)") for iri in concept.exact_match]
        items += [Md(f"{self.external(iri, iri)} (close match)") for iri in concept.close_match]
        return self.join(items)

    @staticmethod
    def link_meta(link: CoverageLink) -> Md:
        """'confidence: medium · reviewed 2026-01-01' under a coverage note, when recorded."""
        parts = [f"confidence: {link.confidence.value}"] if link.confidence else []
        parts += [f"reviewed {link.reviewed.isoformat()}"] if link.reviewed else []
        return Md(
            f'<br><span class="gk-link-meta">{inert(" · ".join(parts))}</span>' if parts else ""
        )

    @staticmethod
    def quote(link: CoverageLink) -> Md:
        """The quote in its language, with the English rendering under it."""
        if not link.quote:
            return Md("—")
        lang = inert(link.quote_lang or "en")
        text = f'<q lang="{lang}">{inert(link.quote)}</q>'
        if link.quote_en:
            text += f'<br><span class="gk-quote-en">English: <q lang="en">{inert(link.quote_en)}</q></span>'
        return Md(text)

    def source(self, source: Source) -> Md:
        return Md(format_source(source))

    @staticmethod
    def fragment(html_fragment: str) -> Md:
        return clean_fragment(html_fragment)

    @staticmethod
    def code(text: str, indent: int = 8) -> Md:
        """An indented code block: Markdown escapes everything in it."""
        pad = " " * indent
        lines = plain_lines(text)
        return Md("\n".join(pad + line if line.strip() else "" for line in lines))

    def cite(self, entries: Sequence[citations.Citation], block_id: str) -> Md:
        return Md(
            render("_citations.md.j2", self.page, self.model, entries=entries, block_id=block_id)
        )


def render(template: str, page: str, model: SiteModel, **context: Any) -> str:
    """Render one template for `page` with the page's helpers and the model."""
    helpers = PageHelpers(page, model)
    return (
        environment()
        .get_template(template)
        .render(page=page, model=model, h=helpers, as_of=model.as_of, **context)
    )


def format_source(source: Source) -> str:
    """A compact reference line (the CSL styles are in the citation tabs)."""
    names = [a.display_name for a in source.authors]
    authors = "; ".join(names[:6]) + (" et al." if len(names) > 6 else "")
    year = source.issued or (str(source.year) if source.year else "")
    parts = [
        f"{inert(authors)} ({inert(year)})." if authors else f"({inert(year)}).",
        f"*{inert(source.title)}*.",
    ]
    where = ", ".join(
        str(inert(p))
        for p in (source.container, source.volume and f"vol. {source.volume}", source.pages)
        if p
    )
    if where:
        parts.append(where + ".")
    if source.publisher:
        parts.append(f"{inert(source.publisher)}.")
    links = []
    if source.doi:
        links.append(PageHelpers.external(f"https://doi.org/{source.doi}", f"doi:{source.doi}"))
    if source.arxiv:
        links.append(
            PageHelpers.external(f"https://arxiv.org/abs/{source.arxiv}", f"arXiv:{source.arxiv}")
        )
    shown = {f"https://doi.org/{source.doi}", f"https://arxiv.org/abs/{source.arxiv}"}
    if source.url and source.url not in shown:
        # The address itself as the text: it reads in print, and "link" says nothing.
        links.append(PageHelpers.external(source.url, source.url))
    if links:
        parts.append(" · ".join(links))
    return " ".join(parts)


# --- pages --------------------------------------------------------------------------------


@dataclass
class Page:
    """One generated Markdown page: its front matter and body."""

    path: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        if not self.meta:
            return self.body
        return "---\n" + _yaml(self.meta) + "---\n\n" + self.body


class _PlainDumper(yaml.SafeDumper):
    """No anchors or aliases in front matter: every value is written out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: dict[str, Any]) -> str:
    text = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000)
    # Values are single lines (plain()), so no line can end the front matter early; check anyway.
    if any(line.rstrip() in ("---", "...") for line in text.splitlines()):
        raise SiteError("a front-matter value would end the front matter early")
    return text


def render_pages(model: SiteModel) -> list[Page]:
    """Every generated page of the site (without touching the disk)."""
    pages = [concept_page(model, c) for c in model.concepts.values()]
    pages += [instrument_page(model, i) for i in model.instruments.values()]
    pages += [category_page(model, cat) for cat in Category if model.concepts_in(cat)]
    pages += [
        index_page(model, "concepts/index.md", "concepts_index.md.j2", "Concepts"),
        index_page(model, "instruments/index.md", "instruments_index.md.j2", "Instruments"),
        index_page(model, "categories/index.md", "categories_index.md.j2", "Categories"),
        index_page(model, "gaps.md", "gaps.md.j2", "Gaps"),
        index_page(
            model,
            "matrix.md",
            "matrix.md.j2",
            "Coverage matrix",
            wide=True,
            matrix=matrix_view(model),
        ),
        index_page(
            model, "graph.md", "graph.md.j2", "Concept graph", wide=True, graph=graph_view(model)
        ),
        data_page(model),
    ]
    return pages


def _web_page(model: SiteModel, path: str, name: str, kind: str = "WebPage") -> dict[str, Any]:
    settings = model.settings
    node: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "name": plain(name)}
    if settings.site_url:
        node["url"] = settings.absolute(path)
        node["isPartOf"] = {
            "@type": "WebSite",
            "name": settings.site_name,
            "url": settings.site_url,
        }
    node["dateModified"] = model.as_of.isoformat()
    return node


def concept_page(model: SiteModel, concept: Concept) -> Page:
    path = concept_doc(concept.id)
    url = model.settings.absolute(path)
    site = model.settings.site_name
    page_cites = model.cites.concept_page(
        concept, page_url=url, site_title=site, accessed=model.as_of
    )
    source_cites = model.cites.source(concept.primary_source)
    body = render(
        "concept.md.j2",
        path,
        model,
        c=concept,
        row=model.rows[concept.id],
        links=model.by_concept.get(concept.id, []),
        url=url,
        iri=str(concept_iri(concept.id)),
        file=model.files.get(concept.id, ""),
        page_cites=page_cites,
        source_cites=source_cites,
    )
    meta = {
        "description": html_attr(concept.summary),
        "gapkb": {"kind": "concept", "id": concept.id},
        "citation": citation_meta(concept, url, site),
        "jsonld": concept_jsonld(model, concept, url),
    }
    return Page(path, body, meta)


def citation_meta(concept: Concept, url: str, site_title: str) -> dict[str, list[str]]:
    """Zotero's citation_* tags, one line each (the theme escapes them)."""
    tags = citations.citation_meta_tags(concept, page_url=url, site_title=site_title)
    return {
        name: [plain(value) for value in values]
        for name, values in tags.items()
        if CITATION_TAG.match(name)
    }


def concept_jsonld(model: SiteModel, concept: Concept, url: str) -> dict[str, Any]:
    """schema.org DefinedTerm for a concept page."""
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": str(concept_iri(concept.id)),
        "termCode": concept.id,
        "name": plain(concept.title),
        "description": plain(concept.summary),
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": f"{model.settings.site_name} concepts",
        },
        "dateCreated": concept.created.isoformat(),
        "dateModified": concept.updated.isoformat(),
        "citation": [source_jsonld(s) for s in [concept.primary_source, *concept.references]],
    }
    if concept.aliases:
        node["alternateName"] = [plain(a) for a in concept.aliases]
    if concept.exact_match:
        node["sameAs"] = list(concept.exact_match)
    if url:
        node["url"] = url
        node["mainEntityOfPage"] = url
        node["inDefinedTermSet"]["url"] = model.settings.absolute("concepts/index.md")
    return node


SCHEMA_TYPES = {
    "article-journal": "ScholarlyArticle",
    "paper-conference": "ScholarlyArticle",
    "article": "ScholarlyArticle",
    "report": "Report",
    "book": "Book",
    "chapter": "Chapter",
    "legislation": "Legislation",
    "standard": "CreativeWork",
    "webpage": "WebPage",
}


def source_jsonld(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(source.type.value, "CreativeWork"),
        "name": plain(source.title),
        "datePublished": source.issued or str(source.issued_year),
        "author": [
            {"@type": "Organization", "name": plain(a.literal)}
            if a.literal
            else {
                "@type": "Person",
                "familyName": plain(a.family),
                "givenName": plain(a.given or ""),
            }
            for a in source.authors
        ],
    }
    if source.doi:
        node["identifier"] = f"https://doi.org/{source.doi}"
    if source.url:
        node["url"] = source.url
    if source.container:
        node["isPartOf"] = plain(source.container)
    return node


def instrument_page(model: SiteModel, instrument: Instrument) -> Page:
    path = instrument_doc(instrument.id)
    links = model.by_instrument.get(instrument.id, [])
    covered = {v.link.concept for v in links}
    body = render(
        "instrument.md.j2",
        path,
        model,
        i=instrument,
        state=model.states[instrument.id],
        links=links,
        by_provision=_group_by_provision(links),
        uncovered=[c for c in model.concepts if c not in covered],
        timeline=timeline(model, instrument),
        iri=str(instrument_iri(instrument.id)),
        file=model.files.get(instrument.id, ""),
        cites=model.cites.instrument(instrument),
    )
    meta = {
        "description": html_attr(instrument.summary or instrument.title),
        "gapkb": {"kind": "instrument", "id": instrument.id},
        "jsonld": instrument_jsonld(model, instrument, model.settings.absolute(path)),
    }
    return Page(path, body, meta)


def _group_by_provision(links: list[LinkView]) -> dict[str, list[LinkView]]:
    grouped: dict[str, list[LinkView]] = {}
    for view in links:
        grouped.setdefault(view.provision.id, []).append(view)
    return grouped


def instrument_jsonld(model: SiteModel, instrument: Instrument, url: str) -> dict[str, Any]:
    """schema.org Legislation for an instrument page."""
    in_force = model.states[instrument.id] == IN_FORCE
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": str(instrument_iri(instrument.id)),
        "name": plain(instrument.title),
        "alternateName": plain(instrument.short_title),
        "legislationJurisdiction": instrument.jurisdiction,
        "legislationType": label(instrument.kind.value),
        "legislationLegalForce": "https://schema.org/InForce"
        if in_force
        else "https://schema.org/NotInForce",
        "legislationIdentifier": [f"{k}: {plain(v)}" for k, v in instrument.identifiers.items()],
        "inLanguage": list(instrument.languages),
        "url": instrument.url,
        "hasPart": [
            {"@type": "Legislation", "name": plain(f"{p.label}: {p.title}"), "identifier": p.id}
            for p in instrument.provisions
        ],
    }
    if instrument.dates.adopted:
        node["legislationDate"] = instrument.dates.adopted.isoformat()
    if instrument.dates.published:
        node["datePublished"] = instrument.dates.published.isoformat()
    if instrument.issuer:
        node["legislationPassedBy"] = {"@type": "Organization", "name": plain(instrument.issuer)}
    if url:
        node["mainEntityOfPage"] = url
    return node


@dataclass(frozen=True)
class Event:
    """A dated line of an instrument's timeline."""

    date: dt.date
    what: str
    link: str | None = None  # instrument id
    now: bool = False
    field: str = ""  # the entry's field, to mark it when listed under `unverified`


def timeline(model: SiteModel, instrument: Instrument) -> list[Event]:
    """The instrument's dates in order, with the as-of date placed among them."""
    d = instrument.dates
    events = [
        Event(day, what, field=f"dates.{name}")
        for name, day, what in (
            ("adopted", d.adopted, "Adopted"),
            ("published", d.published, "Published"),
            ("in_force", d.in_force, "Entered into force"),
            ("applies_from", d.applies_from, "Applies from"),
        )
        if day is not None
    ]
    events += [
        Event(p.applies_from, f"{p.label} applies from", field=f"provisions.{n}.applies_from")
        for n, p in enumerate(instrument.provisions)
        if p.applies_from
    ]
    if d.revoked is not None:
        by = instrument.revoked_by if instrument.revoked_by in model.instruments else None
        what = "Revoked by" if by else "Revoked"
        events.append(Event(d.revoked, what, by, field="dates.revoked"))
    for other in model.revokes.get(instrument.id, []):
        revoked = model.instruments[other].dates.revoked
        if revoked is not None:
            events.append(Event(revoked, "Revoked", other))
    events.append(Event(model.as_of, f"As of this view: {model.states[instrument.id]}", now=True))
    return sorted(events, key=lambda e: (e.date, e.now))


def category_page(model: SiteModel, category: Category) -> Page:
    path = category_doc(category)
    body = render(
        "category.md.j2", path, model, category=category, concepts=model.concepts_in(category)
    )
    name = f"{label(category.value)} concepts"
    return Page(path, body, {"jsonld": _web_page(model, path, name, "CollectionPage")})


def index_page(
    model: SiteModel, path: str, template: str, name: str, *, wide: bool = False, **context: Any
) -> Page:
    body = render(template, path, model, **context)
    meta: dict[str, Any] = {"jsonld": _web_page(model, path, name, "CollectionPage")}
    if wide:  # the matrix and the graph: no table of contents, the whole width
        meta["hide"] = ["toc"]
    return Page(path, body, meta)


def data_page(model: SiteModel) -> Page:
    path = "data.md"
    body = render("data.md.j2", path, model, files=DATA_FILES)
    node = _web_page(model, path, f"{model.settings.site_name} data", "Dataset")
    node["description"] = (
        "Governance concepts, AI-governance instruments and provision-level coverage links."
    )
    node["temporalCoverage"] = f"../{model.as_of.isoformat()}"
    node["distribution"] = [
        {
            "@type": "DataDownload",
            "encodingFormat": mime,
            "name": title,
            **({"contentUrl": model.settings.site_url + file} if model.settings.site_url else {}),
        }
        for file, title, mime in DATA_FILES.values()
    ]
    return Page(path, body, {"jsonld": node})


# --- matrix and graph views ---------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One matrix cell: the strongest link from an instrument to a concept."""

    mark: str  # "explicit", "implicit" or ""
    applies: bool
    provisions: str


def matrix_view(model: SiteModel) -> dict[str, Any]:
    """Rows grouped by category; one cell per (concept, instrument)."""
    cells: dict[tuple[str, str], Cell] = {}
    for concept_id, views in model.by_concept.items():
        for instrument_id in {v.instrument.id for v in views}:
            mine = [v for v in views if v.instrument.id == instrument_id]
            best = [v for v in mine if v.explicit] or mine
            cells[(concept_id, instrument_id)] = Cell(
                "explicit" if best[0].explicit else "implicit",
                any(v.applies for v in best),
                ", ".join(plain(v.provision.label) for v in best),
            )
    groups = [(cat, model.concepts_in(cat)) for cat in Category if model.concepts_in(cat)]
    return {"cells": cells, "groups": groups, "empty": Cell("", False, "")}


@dataclass(frozen=True)
class GraphNode:
    id: str
    title: str
    x: float
    y: float
    lx: float
    ly: float
    angle: float
    anchor: str
    status: str


@dataclass(frozen=True)
class GraphEdge:
    path: str
    kind: str  # "related" or "broader"
    title: str


def graph_view(model: SiteModel) -> dict[str, Any]:
    """A circular layout: concepts grouped by category around a circle, relations as chords."""
    order = [c.id for cat in Category for c in model.concepts_in(cat)]
    count = len(order)
    radius = max(120.0, count * 22 / (2 * math.pi))  # about 22 px between neighbours
    room = 12 + 6.5 * min(40, max((len(plain(model.concepts[c].title)) for c in order), default=0))
    size = 2 * (radius + room) + 20
    centre = size / 2
    nodes: dict[str, GraphNode] = {}
    for index, cid in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        cos, sin = math.cos(angle), math.sin(angle)
        degrees = math.degrees(angle)
        left = cos < -1e-9
        nodes[cid] = GraphNode(
            cid,
            _short(model.concepts[cid].title),
            round(centre + radius * cos, 1),
            round(centre + radius * sin, 1),
            round(centre + (radius + 10) * cos, 1),
            round(centre + (radius + 10) * sin, 1),
            round(degrees + 180 if left else degrees, 1),
            "end" if left else "start",
            STATUS_CLASS[model.rows[cid].status],
        )
    return {
        "size": round(size),
        "nodes": list(nodes.values()),
        "edges": _edges(model, nodes, centre),
    }


def _short(title: str, limit: int = 40) -> str:
    text = plain(title)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _edges(model: SiteModel, nodes: dict[str, GraphNode], centre: float) -> list[GraphEdge]:
    edges = []
    for a, others in model.related.items():
        for b in others:
            if a < b:
                edges.append(_chord(nodes[a], nodes[b], centre, "related", model))
    for b, others in model.narrower.items():
        for a in others:
            edges.append(_chord(nodes[a], nodes[b], centre, "broader", model))
    return edges


def _chord(a: GraphNode, b: GraphNode, centre: float, kind: str, model: SiteModel) -> GraphEdge:
    verb = "is related to" if kind == "related" else "is narrower than"
    title = f"{model.concepts[a.id].title} {verb} {model.concepts[b.id].title}"
    path = f"M{a.x},{a.y} Q{centre:.1f},{centre:.1f} {b.x},{b.y}"
    return GraphEdge(path, kind, plain(title))


# --- data files ---------------------------------------------------------------------------


RDF_DUMPS = {"turtle": "turtle", "nt": "ntriples", "json-ld": "jsonld"}  # DATA_FILES key: format


def write_rdf_dumps(graph: Graph, docs_dir: Path) -> None:
    """The whole graph as Turtle, N-Triples (the same bytes as `gapkb export`) and JSON-LD."""
    from gapkb.export import export_graph

    for key, fmt in RDF_DUMPS.items():
        path = docs_dir / DATA_FILES[key][0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(export_graph(graph, fmt))


def _dump_in_child(result: CheckResult, docs_dir: Path) -> None:
    try:
        write_rdf_dumps(result.full_graph(), docs_dir)
    except BaseException as error:  # the parent reports it with the exit code
        (docs_dir / DUMP_ERROR).write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        raise SystemExit(1) from None


DUMP_ERROR = ".rdf-dumps-failed"


@contextmanager
def rdf_dumps_written(result: CheckResult, docs_dir: Path) -> Iterator[None]:
    """Write the RDF dumps while the body runs, in a forked process where there is one.

    rdflib's writers take 0.7 s at the real content and about 10 s at ten times it, all
    in pure Python; a child forked with the graph in memory does that on the other core
    while the pages and citations are generated here (bench/RESULTS.md)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        write_rdf_dumps(result.full_graph(), docs_dir)
        yield
        return
    # Forked, the child shares the graph with this process: nothing is copied or pickled.
    child = multiprocessing.get_context("fork").Process(
        target=_dump_in_child, args=(result, docs_dir), name="gapkb-rdf-dumps"
    )
    child.start()
    try:
        yield
    finally:
        child.join()
    failed = docs_dir / DUMP_ERROR
    if child.exitcode != 0:
        detail = failed.read_text(encoding="utf-8") if failed.is_file() else ""
        failed.unlink(missing_ok=True)
        raise SiteError(
            f"writing the RDF dumps failed (exit code {child.exitcode}) {detail}".strip()
        )


def write_coverage_csv(model: SiteModel, docs_dir: Path) -> None:
    path = docs_dir / DATA_FILES["csv"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(coverage_csv(model), encoding="utf-8")


def coverage_csv(model: SiteModel) -> str:
    """One row per coverage link, with whether it applies at the as-of date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for views in model.by_instrument.values():
        for v in views:
            link = v.link
            row = (
                model.as_of.isoformat(),
                v.instrument.id,
                v.instrument.short_title,
                v.provision.id,
                v.provision.label,
                v.provision.url or "",
                link.concept,
                model.concepts[link.concept].title,
                link.strength.value,
                "yes" if v.applies else "no",
                v.state,
                link.note,
                link.quote or "",
                link.quote_lang or "",
                link.quote_en or "",
                link.confidence.value if link.confidence else "",
                link.reviewed.isoformat() if link.reviewed else "",
            )
            writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


# --- the build ----------------------------------------------------------------------------


@dataclass
class SiteBuild:
    """What a build produced, for the command line's summary."""

    out: Path
    docs_dir: Path
    pages: int
    generate_seconds: float
    mkdocs_seconds: float
    notes: list[str] = field(default_factory=list)


def config_root(root: Path) -> Path:
    """Where mkdocs.yml and site/ are: the content root, else this project's own."""
    return root if (root / "mkdocs.yml").is_file() else PROJECT_ROOT


def build_site(
    result: CheckResult,
    out: Path | str = "public",
    *,
    docs_dir: Path | str = DEFAULT_DOCS_DIR,
    config_file: Path | None = None,
    cache_dir: Path | None = None,
) -> SiteBuild:
    """Write the pages and data for `result` into docs_dir, then build the site into out.

    With `cache_dir`, rendered citations are kept there for the next build."""
    if not result.ok:
        raise SiteError("the knowledge base has violations — fix them before building the site")
    out, docs_dir = Path(out), Path(docs_dir)
    config_file = config_file or config_root(result.kb.root) / "mkdocs.yml"
    if not config_file.is_file():
        raise GapkbError(f"{config_file} not found — run from the repository root")
    _check_folders(out, docs_dir)
    prepare_folder(docs_dir, clean=True)
    prepare_folder(out, clean=False)
    start = time.perf_counter()
    config = load_mkdocs_config(config_file, docs_dir, out)
    settings = SiteSettings(
        config["site_name"], _slash(config["site_url"]), bool(config["use_directory_urls"])
    )
    model = build_model(result, settings)
    if cache_dir is not None:
        model.cites = citations.CitationCache(Path(cache_dir) / "citations.json")
    with rdf_dumps_written(result, docs_dir):
        pages = render_pages(model)
        model.cites.save()
        write_pages(pages, docs_dir)
        copy_handwritten(config_file.parent / "site", docs_dir, {p.path for p in pages})
        write_coverage_csv(model, docs_dir)
        notes = write_query_page_assets(result, docs_dir)
    generated = time.perf_counter() - start
    notes += run_mkdocs(config, docs_dir, model)
    return SiteBuild(
        out, docs_dir, len(pages), generated, time.perf_counter() - start - generated, notes
    )


def _slash(url: str | None) -> str:
    return "" if not url else url if url.endswith("/") else url + "/"


def _check_folders(out: Path, docs_dir: Path) -> None:
    a, b = out.resolve(), docs_dir.resolve()
    if a == b or a.is_relative_to(b) or b.is_relative_to(a):
        raise GapkbError(f"the output folder {out} and the docs folder {docs_dir} must be apart")


def prepare_folder(folder: Path, *, clean: bool) -> None:
    """Create `folder`; refuse one that holds files this module did not write."""
    if folder.exists() and not folder.is_dir():
        raise GapkbError(f"{folder} is a file — pass a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise GapkbError(
            f"{folder} is not empty and was not written by `gapkb build` — pass a new or empty folder"
        )
    if clean and folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "Written by `gapkb build`; its contents are replaced on every build.\n"
    )


def write_pages(pages: Sequence[Page], docs_dir: Path) -> None:
    for page in pages:
        *folders, name = page.path.removesuffix(".md").split("/")
        path = safe_child(docs_dir, *folders, name, suffix=".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text(), encoding="utf-8")


def write_query_page_assets(result: CheckResult, docs_dir: Path) -> list[str]:
    """The Query page's saved queries and its vendored engine; a note when npm is missing."""
    from gapkb.query_page import write_query_assets

    try:
        write_query_assets(docs_dir, result.as_of, result.kb.root)
    except GapkbError as error:  # the page itself says it cannot load, and why
        return [f"Query page without its engine: {error}"]
    return []


def copy_handwritten(site_dir: Path, docs_dir: Path, generated: set[str]) -> list[str]:
    """Copy site/ (but its theme overrides) into the docs folder; generated pages win nothing."""
    copied: list[str] = []
    if not site_dir.is_dir():
        return copied
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        skipped = rel.startswith(("overrides/", ".")) or "/." in rel
        if path.is_dir() or skipped or path.is_symlink():
            continue
        if rel in generated:
            raise SiteError(f"site/{rel} has the name of a generated page — rename it")
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel)
    return copied


def load_mkdocs_config(config_file: Path, docs_dir: Path, out: Path) -> Any:
    """mkdocs.yml with the build's folders; errors become SiteError."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with captured_mkdocs_log() as messages:
        try:
            return load_config(
                str(config_file),
                docs_dir=str(docs_dir.resolve()),
                site_dir=str(out.resolve()),
                strict=True,
            )
        except MkDocsException as error:
            raise SiteError(f"{config_file}: {error}", messages) from None


def run_mkdocs(config: Any, docs_dir: Path, model: SiteModel) -> list[str]:
    """`mkdocs build --strict` in-process; a warning fails the build. Returns notes."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    nav, dropped = filter_nav(config["nav"] or [], docs_dir)
    config["nav"] = nav
    config["extra"]["gapkb"] = {
        "as_of": model.as_of.isoformat(),
        "data": dict(DATA_FILES),
        "page": model.settings.url_path("data.md"),
    }
    notes = [f"nav entry {p} skipped: the page does not exist yet" for p in dropped]
    with captured_mkdocs_log() as messages:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as error:
            raise SiteError(f"mkdocs build failed: {error}", messages) from None
    return notes


def filter_nav(nav: list[Any], docs_dir: Path) -> tuple[list[Any], list[str]]:
    """The nav without entries whose page is missing (a hand-written page not yet written)."""
    kept: list[Any] = []
    dropped: list[str] = []
    for item in nav:
        target = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(target, list):
            sub, gone = filter_nav(target, docs_dir)
            if sub:
                kept.append({next(iter(item)): sub})
            dropped += gone
        elif isinstance(target, str) and "://" not in target and not (docs_dir / target).is_file():
            dropped.append(target)
        else:
            kept.append(item)
    return kept, dropped


@contextmanager
def captured_mkdocs_log() -> Iterator[list[str]]:
    """Collect MkDocs' warnings and errors (instead of letting them reach stderr unasked)."""
    messages: list[str] = []
    handler = _ListHandler(messages)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def generation_time(pages: int, seconds: float) -> str:
    return f"{pages} pages in {seconds:.2f} s ({1000 * seconds / max(pages, 1):.1f} ms per page)"


__all__ = [
    "SiteBuild",
    "SiteError",
    "SiteModel",
    "SiteSettings",
    "build_model",
    "build_site",
    "render_pages",
]
