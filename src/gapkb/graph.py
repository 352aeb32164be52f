"""Step 2: records -> an rdflib Graph under the ontology, every node traced to file:line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from gapkb.entry_rules import Key
from gapkb.model import Concept, Instrument, MatchKind, Source, Strength
from gapkb.records import KnowledgeBase, Record
from gapkb.timeline import applicability
from gapkb.vocab import (
    ELI,
    GK,
    KIND_CLASS,
    PREFIXES,
    SCHEMA,
    amendment_iri,
    category_iri,
    concept_iri,
    instrument_iri,
    jurisdiction_iri,
    link_iri,
    mapping_iri,
    provision_iri,
    source_iri,
    status_iri,
)

# Property -> YAML field, per kind of node: used to build the graph and to turn a SHACL
# result path back into the field a contributor wrote.
INSTRUMENT_DATES = {
    "adopted": ELI.date_document,
    "published": ELI.date_publication,
    "in_force": ELI.first_date_entry_in_force,
    "applies_from": ELI.date_applicability,
    "revoked": ELI.date_no_longer_in_force,
}
FIELD_OF_PROPERTY: dict[URIRef, str] = {
    **{prop: f"dates.{name}" for name, prop in INSTRUMENT_DATES.items()},
    DCTERMS.title: "title",
    GK.shortTitle: "short_title",
    GK.jurisdiction: "jurisdiction",
    GK.binding: "binding",
    GK.status: "status",
    GK.revokedBy: "revoked_by",
    SCHEMA.url: "url",
    GK.pinpoint: "label",
    GK.provision: "provision",
    GK.concept: "concept",
    GK.strength: "strength",
    GK.note: "note",
    GK.quote: "quote",
    GK.quoteEnglish: "quote_en",
    SKOS.prefLabel: "title",
    SKOS.definition: "summary",
    GK.details: "details",
    GK.category: "category",
    SKOS.related: "related",
    SKOS.broader: "broader",
    GK.primarySource: "primary_source",
    DCTERMS.created: "created",
    DCTERMS.modified: "updated",
    DCTERMS.language: "languages",
    GK.amendedInstrument: "instrument",
    GK.amendedProvision: "provisions",
    GK.insertedBy: "inserted_by",
    GK.quoteVersion: "quote_version",
}

# A concept's `mappings` as SKOS mapping properties (SKOS Reference §10).
MATCH_PROPERTY = {
    MatchKind.EXACT: SKOS.exactMatch,
    MatchKind.CLOSE: SKOS.closeMatch,
    MatchKind.BROAD: SKOS.broadMatch,
    MatchKind.NARROW: SKOS.narrowMatch,
    MatchKind.RELATED: SKOS.relatedMatch,
}


@dataclass
class SourceMap:
    """Where each node of the graph was written: its record and the key of its mapping."""

    nodes: dict[URIRef, tuple[Record[Any], Key]] = field(default_factory=dict)

    def add(self, graph: Graph, node: URIRef, record: Record[Any], key: Key) -> None:
        self.nodes[node] = (record, key)
        graph.add((node, GK.sourceFile, Literal(record.path)))
        graph.add((node, GK.sourceLine, Literal(record.line(*key))))

    def locate(self, node: URIRef, field_name: str = "") -> tuple[str, int]:
        """(file, line) of a node, or of one of its fields when given."""
        if node not in self.nodes:
            return ("", 0)
        record, key = self.nodes[node]
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in field_name.split(".") if p]
        return record.path, record.line(*key, *parts)


# An http(s) URL in an entry may hold characters an IRI may not (RFC 3987: spaces, `[`,
# `|`, `{`, …); they are percent-encoded so that every store and writer reads the graph
# (Oxigraph, which loads the dumps and runs the queries, refuses such IRIs).
_IRI_SAFE = "-._~:/?#@!$&'()*+,;=%"


def url_iri(url: str) -> URIRef:
    return URIRef(quote(url, safe=_IRI_SAFE))


def load_ontology(root: Path) -> Graph:
    """The hand-written ontology in ontology/*.ttl."""
    graph = Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def build_graph(kb: KnowledgeBase) -> tuple[Graph, SourceMap]:
    """All records as RDF, plus where each node came from."""
    graph, sources = new_graph(), SourceMap()
    known = set(kb.concepts)
    for record in kb.concepts.values():
        _add_concept(graph, sources, record, known)
    entries = {iid: irecord.entry for iid, irecord in kb.instruments.items()}
    for irecord in kb.instruments.values():
        _add_instrument(graph, sources, irecord, known_concepts=known, instruments=entries)
    return graph, sources


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _add_concept(
    graph: Graph, sources: SourceMap, record: Record[Concept], known: set[str]
) -> None:
    concept = record.entry
    node = concept_iri(concept.id)
    sources.add(graph, node, record, ())
    graph.add((node, RDF.type, GK.Concept))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, SKOS.inScheme, GK.concepts))
    graph.add((node, SKOS.notation, Literal(concept.id)))
    graph.add((node, SKOS.prefLabel, Literal(concept.title, lang="en")))
    graph.add((node, SKOS.definition, Literal(concept.summary, lang="en")))
    graph.add((node, GK.details, Literal(concept.details)))
    graph.add((node, GK.category, category_iri(concept.category)))
    for alias in concept.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    # Self-relations and unknown ids were reported by the loader; keep them out of the graph.
    for other in concept.related:
        if other != concept.id and other in known:
            graph.add((node, SKOS.related, concept_iri(other)))
    for other in concept.broader:
        if other != concept.id and other in known:
            graph.add((node, SKOS.broader, concept_iri(other)))
    for iri in concept.exact_match:
        graph.add((node, SKOS.exactMatch, url_iri(iri)))
    for iri in concept.close_match:
        graph.add((node, SKOS.closeMatch, url_iri(iri)))
    for mapping in concept.mappings:
        target = mapping_iri(mapping.scheme.value, mapping.id)
        if target is not None:
            graph.add((node, MATCH_PROPERTY[mapping.match], target))
    graph.add((node, DCTERMS.created, _date(concept.created)))
    graph.add((node, DCTERMS.modified, _date(concept.updated)))
    for path in concept.unverified:
        graph.add((node, GK.unverified, Literal(path)))
    primary = source_iri(node, 0)
    _add_source(graph, sources, record, ("primary_source",), primary, concept.primary_source)
    graph.add((node, GK.primarySource, primary))
    for i, reference in enumerate(concept.references, start=1):
        ref_node = source_iri(node, i)
        _add_source(graph, sources, record, ("references", i - 1), ref_node, reference)
        graph.add((node, DCTERMS.references, ref_node))


def _add_source(
    graph: Graph, sources: SourceMap, record: Record[Any], key: Key, node: URIRef, source: Source
) -> None:
    sources.add(graph, node, record, key)
    graph.add((node, RDF.type, GK.Source))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, GK.sourceType, Literal(source.type.value)))
    graph.add((node, DCTERMS.title, Literal(source.title)))
    names = [author.display_name for author in source.authors]
    for name in names:
        graph.add((node, DCTERMS.creator, Literal(name)))
    if names:
        graph.add((node, GK.authors, Literal("; ".join(names))))
    graph.add((node, DCTERMS.issued, Literal(str(source.issued or source.year))))
    optional = {
        GK.container: source.container,
        GK.volume: source.volume,
        GK.pages: source.pages,
        DCTERMS.publisher: source.publisher,
        GK.doi: source.doi,
        GK.arxiv: source.arxiv,
        GK.note: source.note,
    }
    for prop, value in optional.items():
        if value is not None:
            graph.add((node, prop, Literal(value)))
    if source.url:
        graph.add((node, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI)))


def _add_instrument(
    graph: Graph,
    sources: SourceMap,
    record: Record[Instrument],
    known_concepts: set[str],
    instruments: dict[str, Instrument],
) -> None:
    instrument = record.entry
    node = instrument_iri(instrument.id)
    sources.add(graph, node, record, ())
    graph.add((node, RDF.type, KIND_CLASS[instrument.kind.value]))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, SKOS.notation, Literal(instrument.id)))
    graph.add((node, DCTERMS.title, Literal(instrument.title, lang=instrument.languages[0])))
    graph.add((node, GK.shortTitle, Literal(instrument.short_title)))
    graph.add((node, GK.jurisdiction, jurisdiction_iri(instrument.jurisdiction)))
    graph.add((jurisdiction_iri(instrument.jurisdiction), RDF.type, GK.Jurisdiction))
    graph.add(
        (jurisdiction_iri(instrument.jurisdiction), SKOS.notation, Literal(instrument.jurisdiction))
    )
    graph.add((node, GK.binding, Literal(instrument.binding)))
    graph.add((node, GK.status, status_iri(instrument.status.value)))
    graph.add((node, SCHEMA.url, Literal(instrument.url, datatype=XSD.anyURI)))
    if instrument.issuer:
        graph.add((node, GK.issuer, Literal(instrument.issuer)))
    if instrument.summary:
        graph.add((node, DCTERMS.description, Literal(instrument.summary, lang="en")))
    for language in instrument.languages:
        graph.add((node, DCTERMS.language, Literal(language)))
    for name, prop in INSTRUMENT_DATES.items():
        value = getattr(instrument.dates, name)
        if value is not None:
            graph.add((node, prop, _date(value)))
    if instrument.revoked_by:
        graph.add((node, GK.revokedBy, instrument_iri(instrument.revoked_by)))
    for scheme, value in instrument.identifiers.items():
        graph.add((node, DCTERMS.identifier, Literal(f"{scheme}:{value}")))
    for path in instrument.unverified:
        graph.add((node, GK.unverified, Literal(path)))
    if instrument.reviewed:
        graph.add((node, GK.reviewed, _date(instrument.reviewed)))
    provision_ids = set()
    for i, provision in enumerate(instrument.provisions):
        pnode = provision_iri(instrument.id, provision.id)
        provision_ids.add(provision.id)
        sources.add(graph, pnode, record, ("provisions", i))
        graph.add((pnode, RDF.type, GK.Provision))
        graph.add((pnode, RDF.type, OWL.NamedIndividual))
        graph.add((pnode, SKOS.notation, Literal(provision.id)))
        graph.add((pnode, GK.pinpoint, Literal(provision.label)))
        graph.add((pnode, DCTERMS.title, Literal(provision.title)))
        graph.add((pnode, GK.provisionOf, node))
        graph.add((node, GK.hasProvision, pnode))
        if provision.url:
            graph.add((pnode, SCHEMA.url, Literal(provision.url, datatype=XSD.anyURI)))
        if provision.applies_from:
            graph.add((pnode, ELI.date_applicability, _date(provision.applies_from)))
        kind = provision.provision_kind
        graph.add((pnode, GK.provisionKind, Literal(kind.value)))
        if kind.interpretive:
            graph.add((pnode, RDF.type, GK.InterpretiveProvision))
        binding = instrument.binding and not kind.interpretive
        graph.add((pnode, GK.bindingProvision, Literal(binding)))
        if provision.inserted_by:
            graph.add((pnode, GK.insertedBy, instrument_iri(provision.inserted_by)))
        # When it applies, amendments followed (gapkb.timeline): what every as-of view reads.
        for n, period in enumerate(applicability(instruments, instrument, provision), start=1):
            period_node = URIRef(f"{pnode}/applies/{n}")
            graph.add((pnode, GK.appliesDuring, period_node))
            graph.add((period_node, RDF.type, GK.ApplicabilityPeriod))
            graph.add((period_node, GK.periodStart, _date(period.start)))
            if period.end is not None:
                graph.add((period_node, GK.periodEnd, _date(period.end)))
    for i, amendment in enumerate(instrument.amends):
        anode = amendment_iri(instrument.id, i)
        sources.add(graph, anode, record, ("amends", i))
        target = instrument_iri(amendment.instrument)
        graph.add((anode, RDF.type, GK.Amendment))
        graph.add((anode, RDF.type, OWL.NamedIndividual))
        graph.add((node, ELI.amends, target))
        graph.add((anode, GK.amendingInstrument, node))
        graph.add((anode, GK.amendedInstrument, target))
        graph.add((anode, GK.note, Literal(amendment.note, lang="en")))
        if amendment.by and amendment.by in provision_ids:
            graph.add((anode, GK.amendedBy, provision_iri(instrument.id, amendment.by)))
        for provision_id in amendment.provisions:
            graph.add(
                (anode, GK.amendedProvision, provision_iri(amendment.instrument, provision_id))
            )
        for provision_id in amendment.deletes:
            graph.add(
                (anode, GK.deletedProvision, provision_iri(amendment.instrument, provision_id))
            )
        if amendment.applies_from:
            graph.add((anode, ELI.date_applicability, _date(amendment.applies_from)))
    for i, link in enumerate(instrument.coverage):
        # Links with unknown targets were reported by the loader; keep them out of the graph.
        if link.provision not in provision_ids or link.concept not in known_concepts:
            continue
        lnode = link_iri(instrument.id, link.provision, link.concept)
        sources.add(graph, lnode, record, ("coverage", i))
        explicit = link.strength is Strength.EXPLICIT
        graph.add((lnode, RDF.type, GK.ExplicitLink if explicit else GK.ImplicitLink))
        graph.add((lnode, RDF.type, OWL.NamedIndividual))
        graph.add((lnode, GK.provision, provision_iri(instrument.id, link.provision)))
        graph.add((provision_iri(instrument.id, link.provision), GK.hasCoverageLink, lnode))
        graph.add((lnode, GK.concept, concept_iri(link.concept)))
        graph.add((lnode, GK.strength, Literal(link.strength.value)))
        graph.add((lnode, GK.note, Literal(link.note, lang="en")))
        if link.quote:
            graph.add((lnode, GK.quote, Literal(link.quote, lang=link.quote_lang)))
        if link.quote_en:
            graph.add((lnode, GK.quoteEnglish, Literal(link.quote_en, lang="en")))
        if link.quote_en and link.quote_lang != "en":
            graph.add((lnode, GK.quoteEnglishOfficial, Literal(bool(link.quote_en_official))))
        if link.quote_version:
            graph.add((lnode, GK.quoteVersion, instrument_iri(link.quote_version)))
        if link.quote_source:
            graph.add((lnode, GK.quoteSource, Literal(link.quote_source, datatype=XSD.anyURI)))
        if link.confidence:
            graph.add((lnode, GK.confidence, Literal(link.confidence.value)))
        if link.reviewed:
            graph.add((lnode, GK.reviewed, _date(link.reviewed)))


def subject_kind(graph: Graph, node: URIRef) -> str:
    """'concept', 'instrument', 'provision', 'link' or 'source', for messages."""
    for kind, cls in (("concept", GK.Concept), ("provision", GK.Provision), ("source", GK.Source)):
        if (node, RDF.type, cls) in graph:
            return kind
    if any((node, RDF.type, c) in graph for c in (GK.ExplicitLink, GK.ImplicitLink)):
        return "link"
    return "instrument" if any((node, RDF.type, c) in graph for c in KIND_CLASS.values()) else ""
