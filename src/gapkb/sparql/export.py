"""Step 5d: the graph as a dump any triple store loads — ontology, entries, inferences, as-of view.

rdflib writes the dumps (the same writer and JSON-LD context as the site's data files), with
N-Triples lines sorted and blank nodes given canonical labels, so that two exports of the
same knowledge base are byte-identical and diff well.
"""

from __future__ import annotations

import io

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from gapkb.vocab import PREFIXES

EXPORT_FORMATS = {
    "turtle": ("text/turtle", ".ttl"),
    "jsonld": ("application/ld+json", ".jsonld"),
    "ntriples": ("application/n-triples", ".nt"),
}


class BoundPrefixTurtle(TurtleSerializer):
    """rdflib's Turtle writer, with prefixed names tried only for IRIs under a bound prefix.

    For any other IRI rdflib files its parent path as a namespace and later scans those
    namespaces one by one (NamespaceManager.compute_qname), which grows with the square of
    the content: 0.39 s for the real content, 7.5 s for ten times it. Such IRIs are written
    in full either way, so the output is the same bytes (tests/sparql/test_queries.py)."""

    def __init__(self, store: Graph) -> None:
        super().__init__(store)
        self._bound = tuple(str(namespace) for _, namespace in store.namespaces())

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        if isinstance(uri, URIRef) and not str.startswith(uri, self._bound):
            return None
        return super().get_pname(uri, gen_prefix)


def turtle(graph: Graph) -> bytes:
    out = io.BytesIO()
    BoundPrefixTurtle(graph).serialize(out, encoding="utf-8")
    return out.getvalue()


def with_canonical_blank_nodes(graph: Graph) -> Graph:
    """`graph` with its blank nodes labelled from their place in the graph, not at random.

    rdflib labels the blank nodes it parses (the ontology's OWL lists and restrictions) with
    a random prefix per process, which the N-Triples and JSON-LD dumps print: two builds of
    the same content differed. Only the triples with a blank node are canonicalised (RDF
    graph hashing, rdflib.compare): a hundred triples, not the whole graph."""
    blank = Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            blank.add(triple)
    if not len(blank):
        return graph
    stable = Graph()
    for prefix, namespace in graph.namespaces():
        stable.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            stable.add(triple)
    for triple in to_canonical_graph(blank):
        stable.add(triple)
    return stable


def export_graph(graph: Graph, fmt: str, *, canonical: bool = False) -> bytes:
    """The whole graph in `fmt` (turtle, jsonld or ntriples), UTF-8. `canonical`: the graph
    already went through with_canonical_blank_nodes (a caller writing several formats)."""
    if fmt in ("ntriples", "jsonld") and not canonical:
        graph = with_canonical_blank_nodes(graph)
    if fmt == "ntriples":
        text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(
            format="json-ld", context=context, auto_compact=True, encoding="utf-8"
        )
    if fmt == "turtle":
        return turtle(graph)
    raise ValueError(f"unknown export format {fmt!r} — one of {', '.join(EXPORT_FORMATS)}")
