"""Step 5d: the graph as a dump any triple store loads — ontology, entries, inferences, as-of view.

Oxigraph writes the dumps from the graph's triples in sorted order, with blank nodes given
canonical labels, so that two exports of the same knowledge base are byte-identical and
diff well. rdflib's own writers took 2.7 s for the three formats at the real content and
most of the site's data step; Oxigraph's take 0.15 s after 0.3 s of converting the terms
(bench/RESULTS.md). Turtle groups each subject's triples under its prefixed name; JSON-LD
is written expanded (full IRIs, no context), which every JSON-LD processor reads.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from gapkb.vocab import PREFIXES

EXPORT_FORMATS = {
    "turtle": ("text/turtle", ".ttl"),
    "jsonld": ("application/ld+json", ".jsonld"),
    "ntriples": ("application/n-triples", ".nt"),
}
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
# The Turtle dump's prefixes: the project's own and the W3C vocabularies the ontology uses.
DUMP_PREFIXES = dict(
    sorted(
        {
            **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
            "owl": str(OWL),
            "rdf": str(RDF),
            "rdfs": str(RDFS),
            "xsd": str(XSD),
        }.items()
    )
)


def export_graph(graph: Graph, fmt: str) -> bytes:
    """The whole graph in `fmt` (turtle, jsonld or ntriples), UTF-8."""
    return export_formats(graph, [fmt])[fmt]


def export_formats(graph: Graph, formats: Iterable[str]) -> dict[str, bytes]:
    """The whole graph in each of `formats`, its triples converted and sorted once."""
    formats = list(formats)
    for fmt in formats:
        if fmt not in _OX_FORMATS:
            known = ", ".join(EXPORT_FORMATS)
            raise ValueError(f"unknown export format {fmt!r} — one of {known}")
    triples = dump_triples(graph)
    return {fmt: _write(triples, fmt) for fmt in formats}


def _write(triples: list[ox.Triple], fmt: str) -> bytes:
    prefixes = DUMP_PREFIXES if fmt == "turtle" else None
    data = ox.serialize(triples, format=_OX_FORMATS[fmt], prefixes=prefixes)
    assert data is not None  # without an output file, serialize returns the bytes
    # N-Triples: one line per triple, already sorted (a triple's text is its line without
    # the final " ."), so a dump diffs line by line.
    return data


def dump_triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples as Oxigraph terms, in sorted order, blank nodes labelled from
    their place in the graph.

    rdflib labels the blank nodes it parses (the ontology's OWL lists and restrictions) with
    a random prefix per process, which the dumps would print: two builds of the same content
    would differ. Only the triples with a blank node are canonicalised (RDF graph hashing,
    rdflib.compare): a hundred triples, not the whole graph."""
    blank = Graph()
    triples: list[ox.Triple] = []
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        converted = terms.get(node)
        if converted is None:
            converted = terms[node] = _ox_term(node)
        return converted

    def triple(s: Node, p: Node, o: Node) -> ox.Triple:
        subject, predicate = term(s), term(p)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise TypeError(f"not an RDF triple: {(s, p, o)!r}")
        return ox.Triple(subject, predicate, term(o))

    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            blank.add((s, p, o))
        else:
            triples.append(triple(s, p, o))
    if len(blank):
        triples += (triple(s, p, o) for s, p, o in to_canonical_graph(blank))
    triples.sort(key=str)  # str() of a triple is its N-Triples line
    return triples


def _ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")
