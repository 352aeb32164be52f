"""The view of the knowledge base the pages show: settings, page paths, the site model."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from gapkb import citations
from gapkb.findings import GapkbError
from gapkb.model import (
    ID_RE,
    Category,
    Concept,
    CoverageLink,
    Instrument,
    Provision,
    Strength,
)
from gapkb.pipeline import CheckResult
from gapkb.release.history import load_gap_records
from gapkb.report import COVERED, IMPLICIT_ONLY, NEVER, NO_LONGER, VOLUNTARY_ONLY, GapRow
from gapkb.site.dates import IN_FORCE, instrument_state, provision_state
from gapkb.site.proof import Proof, load_proofs
from gapkb.site.sanitize import Md, safe_url
from gapkb.vocab import CROSSWALK

STATUS_TEXT = {
    COVERED: "covered",
    NEVER: "gap: never covered",
    IMPLICIT_ONLY: "gap: implicit only",
    VOLUNTARY_ONLY: "gap: voluntary only",
    NO_LONGER: "gap: no longer covered",
}
STATUS_EXPLAINED = {
    COVERED: "At least one binding provision in force expressly governs this concept.",
    NEVER: "A gap: no provision in force reaches this concept, expressly or by interpretation, and no instrument that is no longer in force governed it.",
    IMPLICIT_ONLY: "A gap: binding provisions in force reach this concept only by interpretation; none governs it expressly.",
    VOLUNTARY_ONLY: "A gap in binding law: only voluntary instruments or guidance in force cover this concept expressly; no binding provision in force governs it.",
    NO_LONGER: "A gap: only instruments that are no longer in force governed this concept expressly.",
}
STATUS_CLASS = {
    COVERED: "covered",
    NEVER: "never",
    IMPLICIT_ONLY: "implicit",
    VOLUNTARY_ONLY: "voluntary",
    NO_LONGER: "former",
}
# The same words keyed by class, for the scripts that draw gap statuses from data files.
STATUS_TEXT_BY_CLASS = {STATUS_CLASS[status]: text for status, text in STATUS_TEXT.items()}

# What a link does for its concept at the as-of date (validation.AS_OF_VIEW's tiers).
GOVERNS, REACHES, GUIDES, FORMER = "governs", "reaches", "guides", "former"


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
    state: str  # IN_FORCE, or why it does not apply ("applies from 2027-12-02", ...)
    applies: bool
    as_of: dt.date
    proof: Proof | None = None

    @property
    def explicit(self) -> bool:
        return self.link.strength is Strength.EXPLICIT

    @property
    def interpretive(self) -> bool:
        """A recital or preamble: it explains, it binds no one."""
        return self.provision.provision_kind.interpretive

    @property
    def binding(self) -> bool:
        """The provision binds: its instrument is binding and it is not interpretive."""
        return self.instrument.binding and not self.interpretive

    @property
    def role(self) -> str:
        """GOVERNS, REACHES or GUIDES when the link applies at the as-of date, else ''."""
        if not self.applies:
            return ""
        if self.explicit and self.binding:
            return GOVERNS
        if self.instrument.binding:
            return REACHES
        return GUIDES if self.explicit else ""

    @property
    def former(self) -> bool:
        """An explicit link of an instrument revoked by the as-of date."""
        revoked = self.instrument.dates.revoked
        return self.explicit and revoked is not None and revoked <= self.as_of

    @property
    def url(self) -> str | None:
        """The provision's own URL, else the instrument's official text."""
        return safe_url(self.provision.url or self.instrument.url)


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
    proofs: dict[tuple[str, str, str], Proof] = field(default_factory=dict)
    # Outside taxonomy terms declared in ontology/crosswalks.ttl: scheme -> notation -> label.
    terms: dict[str, dict[str, str]] = field(default_factory=dict)
    # The gap records of the releases (releases/<version>.json), oldest first.
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def gap_ids(self) -> set[str]:
        return {cid for cid, row in self.rows.items() if row.is_gap}

    def rows_with(self, status: str) -> list[GapRow]:
        """Gap rows of one status, in page order."""
        return [self.rows[c] for c in self.concepts if self.rows[c].status == status]

    def concepts_in(self, category: Category) -> list[Concept]:
        return [c for c in self.concepts.values() if c.category is category]

    def instruments_in(self, concept_id: str, role: str) -> list[str]:
        """Ids of instruments whose links play `role` (GOVERNS, REACHES, GUIDES, FORMER) for
        the concept, counted as the gap report counts them, in page order."""
        views = self.by_concept.get(concept_id, [])
        seen = {v.instrument.id for v in views if (v.former if role == FORMER else v.role == role)}
        if role == REACHES:
            seen -= {v.instrument.id for v in views if v.role == GOVERNS}
        return [i for i in self.instruments if i in seen]

    def views_in(self, concept_id: str, role: str) -> list[LinkView]:
        """The concept's links that play `role` at the as-of date."""
        views = self.by_concept.get(concept_id, [])
        return [v for v in views if (v.former if role == FORMER else v.role == role)]


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
    model.proofs = load_proofs(result.kb.root, result.manifest)
    model.history = load_gap_records(result.kb.root)
    model.terms = crosswalk_terms(result.ontology)
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
            state, _ = provision_state(model.instruments, instrument, provision, model.as_of)
            key = (instrument.id, provision.id, link.concept)
            view = LinkView(
                instrument,
                provision,
                link,
                state,
                state == IN_FORCE,
                model.as_of,
                model.proofs.get(key),
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


def crosswalk_terms(ontology: Graph) -> dict[str, dict[str, str]]:
    """The terms of each crosswalk scheme (skos:inScheme), by skos:notation, with their
    English skos:prefLabel, in the order of their numbers (2.2 before 2.10)."""
    terms: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for term, scheme in ontology.subject_objects(SKOS.inScheme):
        if not (isinstance(scheme, URIRef) and str(scheme).startswith(CROSSWALK)):
            continue
        notation = ontology.value(term, SKOS.notation)
        if notation is None:
            continue
        labels = list(ontology.objects(term, SKOS.prefLabel))
        english = [str(x) for x in labels if getattr(x, "language", None) in ("en", None)]
        terms[str(scheme).removeprefix(CROSSWALK)][str(notation)] = (english or [""])[0]
    return {
        scheme: dict(sorted(found.items(), key=lambda item: (notation_key(item[0]), item[0])))
        for scheme, found in sorted(terms.items())
    }


def notation_key(notation: str) -> tuple[int | float, ...]:
    """'2.10' -> (2, 10): section numbers in their order, anything else after them."""
    parts = notation.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (float("inf"),)
