"""Templates: the Jinja environment, the helpers a page's template calls, the Page written to disk."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from gapkb import citations
from gapkb.model import (
    Category,
    Concept,
    CoverageLink,
    Instrument,
    Provision,
    Source,
    Strength,
)
from gapkb.report import COVERED, IMPLICIT_ONLY, NEVER, NO_LONGER, VOLUNTARY_ONLY
from gapkb.site.dates import IN_FORCE
from gapkb.site.jsonld import _web_page
from gapkb.site.model import (
    FORMER,
    GOVERNS,
    GUIDES,
    REACHES,
    STATUS_CLASS,
    STATUS_EXPLAINED,
    STATUS_TEXT,
    LinkView,
    SiteError,
    SiteModel,
    category_doc,
    concept_doc,
    instrument_doc,
    label,
    md_path,
)
from gapkb.site.provenance import ProvenanceHelpers
from gapkb.site.provision import provision_href, provision_md
from gapkb.site.sanitize import (
    Md,
    clean_fragment,
    clean_markdown,
    html_attr,
    inert,
    plain_lines,
    safe_url,
)
from gapkb.vocab import compact_iri

TEMPLATES = Path(__file__).parent / "templates"
# Around a block a template writes as final HTML (`PageHelpers.as_html`): the build sets it
# aside from Python-Markdown (gapkb.site.mkdocs_run).
RAW_START, RAW_END = "<!-- gapkb:raw -->", "<!-- /gapkb:raw -->"


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
        VOLUNTARY_ONLY=VOLUNTARY_ONLY,
        COVERED=COVERED,
        GOVERNS=GOVERNS,
        REACHES=REACHES,
        GUIDES=GUIDES,
        FORMER=FORMER,
        RAW_START=Md(RAW_START),  # our own markup: written as it is
        RAW_END=Md(RAW_END),
        compact_iri=compact_iri,  # pages name an IRI this way, never as a link (vocab.BASE)
    )
    env.globals["citation_label"] = lambda style: citations.STYLE_LABELS.get(style, style)
    env.filters.update(plural=plural)
    return env


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class PageHelpers(ProvenanceHelpers):
    """Template functions bound to the page being written (links are relative to it)."""

    page: str
    model: SiteModel
    html: bool = False  # links as <a>, for the raw HTML blocks of `as_html`

    def as_html(self) -> PageHelpers:
        """The same helpers writing HTML links instead of Markdown ones, for the coverage
        tables, which pages write as raw HTML: Python-Markdown passes such a block through
        untouched instead of running its inline patterns over every cell, which was most of
        the site's Markdown time (bench/RESULTS.md). MkDocs does not rewrite or check links
        in raw HTML, so these are final relative URLs (`SiteSettings.href`)."""
        return dataclasses.replace(self, html=True)

    def _a(self, href: str, text: object) -> Md:
        return Md(f'<a href="{html_attr(href)}">{inert(text)}</a>')

    def link(self, target: str, text: object, anchor: str = "") -> Md:
        """A link to another page of the site."""
        if self.html:
            return self._a(self.href(target, anchor), text)
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
        """A Markdown link to an outside http(s) URL, or the bare text when the URL is not one."""
        safe = safe_url(url)
        return Md(f"[{inert(text)}]({safe})") if safe else inert(text)

    def outside(self, url: str | None, text: object) -> Md:
        """`external` in this helper's form: Markdown, or HTML in an `as_html` block."""
        if not self.html:
            return self.external(url, text)
        safe = safe_url(url)
        return self._a(safe, text) if safe else inert(text)

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

    @classmethod
    def force(cls, instrument: Instrument, provision: Provision) -> Md:
        """'binding', 'non-binding', or for a recital or preamble 'interpretive (recital, not binding)'."""
        kind = provision.provision_kind
        if not kind.interpretive:
            return cls.binding(instrument)
        text = f"interpretive ({kind.value}, not binding)"
        return Md(f'<span class="gk-binding gk-binding--interpretive">{inert(text)}</span>')

    @staticmethod
    def status_class(status: str) -> str:
        return STATUS_CLASS[status]

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

    def provision(self, instrument_id: str, provision_id: str, text: object) -> Md:
        """A link to the provision's place on its instrument's page (gapkb.site.provision)."""
        if self.html:
            href = provision_href(self.model.settings, self.page, instrument_id, provision_id)
            return self._a(href, text)
        return Md(f"[{inert(text)}]({provision_md(self.page, instrument_id, provision_id)})")

    def provisions(self, views: Sequence[LinkView]) -> Md:
        """Pinpoints linked to their place on the site: 'EU AI Act Recital 110'."""
        items = [
            self.provision(
                v.instrument.id, v.provision.id, f"{v.instrument.short_title} {v.provision.label}"
            )
            for v in views
        ]
        return self.join(items, "; ") if items else Md("—")

    def former(self, concept_id: str) -> Md:
        """Instruments that expressly covered the concept but do not apply now, and why."""
        states: dict[str, str] = {}
        for v in self.model.views_in(concept_id, FORMER):
            states.setdefault(v.instrument.id, v.state)
        items = [Md(f"{self.instrument(i)} ({inert(state)})") for i, state in states.items()]
        return self.join(items, "; ") if items else Md("—")

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

    def quote(self, v: LinkView) -> Md:
        """The quote in its language, the English rendering, the version quoted, its proof."""
        link = v.link
        if not link.quote:
            return Md("—")
        lang = inert(link.quote_lang or "en")
        text = f'<q lang="{lang}">{inert(link.quote)}</q>'
        if link.quote_en:
            whose = "official translation" if link.quote_en_official else "English"
            text += f'<br><span class="gk-quote-en">{whose}: <q lang="en">{inert(link.quote_en)}</q></span>'
        if link.quote_version:
            text += f'<br><span class="gk-amended">quoted as amended by {self._name(link.quote_version)}</span>'
        return Md(f"{text}<br>{self.proof(v)}")

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


class _PlainDumper(yaml.CSafeDumper):
    """No anchors or aliases in front matter: every value is written out. libyaml's emitter:
    the same text as the pure-Python one, six times faster on the pages' JSON-LD."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: dict[str, Any]) -> str:
    text = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000)
    # Values are single lines (plain()), so no line can end the front matter early; check anyway.
    if any(line.rstrip() in ("---", "...") for line in text.splitlines()):
        raise SiteError("a front-matter value would end the front matter early")
    return text


def index_page(
    model: SiteModel, path: str, template: str, name: str, *, wide: bool = False, **context: Any
) -> Page:
    body = render(template, path, model, **context)
    meta: dict[str, Any] = {"jsonld": _web_page(model, path, name, "CollectionPage")}
    if wide:  # the matrix and the graph: no table of contents, the whole width
        meta["hide"] = ["toc"]
    return Page(path, body, meta)
