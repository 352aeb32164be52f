"""Step 5d: the graph as a dump any triple store loads — ontology, entries, inferences, as-of view.

rdflib writes the dumps (the same writer and JSON-LD context as the site's data files), with
N-Triples lines sorted so that two exports of the same knowledge base are byte-identical and
diff well.
"""

from __future__ import annotations

from rdflib import Graph

from gapkb.vocab import PREFIXES

EXPORT_FORMATS = {
    "turtle": ("text/turtle", ".ttl"),
    "jsonld": ("application/ld+json", ".jsonld"),
    "ntriples": ("application/n-triples", ".nt"),
}


def export_graph(graph: Graph, fmt: str) -> bytes:
    """The whole graph in `fmt` (turtle, jsonld or ntriples), UTF-8."""
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
        return graph.serialize(format="turtle", encoding="utf-8")
    raise ValueError(f"unknown export format {fmt!r} — one of {', '.join(EXPORT_FORMATS)}")
