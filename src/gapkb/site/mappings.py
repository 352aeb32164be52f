"""The mappings page: each concept's cross-walks to outside risk taxonomies, by scheme.

A concept's `mappings` relate it to a term of NIST AI 600-1 (the twelve risks of §2), the
MIT AI Risk Repository (subdomains of its domain taxonomy), DPV or AIRO, as a SKOS mapping
(SKOS Reference §10). NIST and MIT terms take their labels from ontology/crosswalks.ttl;
DPV and AIRO terms link to their own IRIs. The page also lists what maps to nothing: the
concepts with no mapping, and each scheme's declared terms that no concept maps to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gapkb.model import Concept, MappingScheme, MatchKind
from gapkb.site.model import SiteModel, md_path
from gapkb.site.render import Page, PageHelpers, index_page
from gapkb.site.sanitize import Md, inert
from gapkb.vocab import mapping_iri

PATH = "mappings.md"


@dataclass(frozen=True)
class SchemeInfo:
    """How the page names a scheme and its terms."""

    name: str  # the heading; its anchor is the heading's slug
    anchor: str
    about: str  # Markdown: what the scheme is, with its source
    term_noun: str  # "risk", "subdomain", "term"
    declared: bool  # all its terms are declared in crosswalks.ttl (NIST, MIT)


SCHEMES = {
    MappingScheme.NIST_AI_600_1: SchemeInfo(
        "NIST AI 600-1",
        "nist-ai-600-1",
        "The twelve risks that section 2 of NIST AI 600-1, *Artificial Intelligence Risk "
        "Management Framework: Generative Artificial Intelligence Profile* (July 2024, "
        "[doi:10.6028/NIST.AI.600-1](https://doi.org/10.6028/NIST.AI.600-1)), describes as "
        "unique to or exacerbated by generative AI.",
        "risk",
        True,
    ),
    MappingScheme.MIT_AI_RISK: SchemeInfo(
        "MIT AI Risk Repository",
        "mit-ai-risk-repository",
        "The subdomains of the domain taxonomy of the MIT AI Risk Repository (Slattery et al., "
        "[arXiv:2408.12622](https://doi.org/10.48550/arXiv.2408.12622)). Only subdomains whose "
        "number and label were checked against published copies of the taxonomy are listed.",
        "subdomain",
        True,
    ),
    MappingScheme.DPV: SchemeInfo(
        "DPV",
        "dpv",
        "Terms of the [Data Privacy Vocabulary](https://w3id.org/dpv) of the W3C Data Privacy "
        "Vocabularies and Controls Community Group, with its AI, risk and technology "
        "extensions. The terms were checked against DPV version 2.3, the Final Community "
        "Group Reports of 25 February 2026. Each term links to its own IRI; only the terms "
        "that concepts map to are listed.",
        "term",
        False,
    ),
    MappingScheme.AIRO: SchemeInfo(
        "AIRO",
        "airo",
        "Terms of the [AI Risk Ontology](https://w3id.org/airo) (AIRO). Each term links to its "
        "own IRI; only the terms that concepts map to are listed.",
        "term",
        False,
    ),
}

MATCH_TEXT = {
    MatchKind.EXACT: "exact match",
    MatchKind.CLOSE: "close match",
    MatchKind.BROAD: "broad match",
    MatchKind.NARROW: "narrow match",
    MatchKind.RELATED: "related match",
}


@dataclass
class TermRow:
    """One outside term and the concepts that map to it."""

    id: str
    label: str
    concepts: list[tuple[str, MatchKind]] = field(default_factory=list)


@dataclass
class SchemeSection:
    """One scheme's part of the page."""

    scheme: MappingScheme
    info: SchemeInfo
    rows: list[TermRow]

    @property
    def mapped(self) -> list[TermRow]:
        return [r for r in self.rows if r.concepts]

    @property
    def unmapped(self) -> list[TermRow]:
        return [r for r in self.rows if not r.concepts]

    @property
    def concept_count(self) -> int:
        return len({c for r in self.rows for c, _ in r.concepts})


def term_text(model: SiteModel, scheme: MappingScheme, term: str) -> Md:
    """An outside term as a reader sees it: '§2.4 Data Privacy', '7.1 AI pursuing…',
    or a DPV or AIRO term linked to its IRI ('risk:Misinformation')."""
    if scheme is MappingScheme.NIST_AI_600_1 or scheme is MappingScheme.MIT_AI_RISK:
        number = f"§{term}" if scheme is MappingScheme.NIST_AI_600_1 else term
        label = model.terms.get(scheme.value, {}).get(term, "")
        return inert(f"{number} {label}" if label else f"{number} (label not recorded)")
    name = term if scheme is MappingScheme.DPV else f"airo:{term}"
    iri = mapping_iri(scheme.value, term)
    return PageHelpers.external(str(iri) if iri is not None else None, name)


def scheme_sections(model: SiteModel) -> list[SchemeSection]:
    """Every scheme with its terms (declared ones first, in number order) and who maps to them."""
    sections = []
    for scheme, info in SCHEMES.items():
        rows = {t: TermRow(t, label) for t, label in model.terms.get(scheme.value, {}).items()}
        used: dict[str, TermRow] = {}
        for concept in model.concepts.values():
            for m in concept.mappings:
                if m.scheme is scheme:
                    row = rows.get(m.id) or used.setdefault(m.id, TermRow(m.id, ""))
                    row.concepts.append((concept.id, m.match))
        ordered = list(rows.values()) + sorted(used.values(), key=lambda r: r.id.casefold())
        sections.append(SchemeSection(scheme, info, ordered))
    return sections


def unmapped_concepts(model: SiteModel) -> list[Concept]:
    return [c for c in model.concepts.values() if not c.mappings]


def mapping_list(model: SiteModel, page: str, concept: Concept) -> Md:
    """A concept's mappings for its "At a glance" (Elsewhere), each term with its label and
    match, the NIST and MIT terms linked to their scheme's section of the mappings page."""
    helpers = PageHelpers(page, model)
    items = []
    for m in concept.mappings:
        info = SCHEMES[m.scheme]
        term = term_text(model, m.scheme, m.id)
        if info.declared:
            term = Md(f"[{term}]({md_path(page, PATH, info.anchor)})")
        items.append(Md(f"{inert(info.name)} {term} ({MATCH_TEXT[m.match]})"))
    return helpers.join(items, "; ")


def concept_links(helpers: PageHelpers, row: TermRow) -> Md:
    """'Concept (close match), Other (related match)', or a dash."""
    items = [Md(f"{helpers.concept(c)} ({MATCH_TEXT[match]})") for c, match in row.concepts]
    return helpers.join(items) if items else Md("—")


def mappings_page(model: SiteModel) -> Page:
    sections = scheme_sections(model)
    return index_page(
        model,
        PATH,
        "mappings.md.j2",
        "Mappings",
        sections=sections,
        unmapped=unmapped_concepts(model),
        mapped_count=sum(1 for c in model.concepts.values() if c.mappings),
        term_text=lambda scheme, term: term_text(model, scheme, term),
        concept_links=lambda row: concept_links(PageHelpers(PATH, model), row),
    )
