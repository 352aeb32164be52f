"""Step 4: the as-of view and SHACL validation -> findings located in contributors' files.

pyshacl runs without inference: the reasoning step has already materialised what the
shapes need. Pass or fail is decided by counting results by severity, never by
pyshacl's `conforms` (with allow_warnings it can say True beside a violation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from gapkb.findings import Finding, Severity
from gapkb.graph import FIELD_OF_PROPERTY, SourceMap
from gapkb.vocab import ELI, GK

# The definition of the view, in SPARQL (as_of_view computes the same directly).
# A link counts at ?asOf when one of its provision's applicability periods (gapkb.timeline:
# instrument in force, provision existing and applying, amendments followed) holds ?asOf.
# Explicit links in binding provisions govern; explicit links in non-binding instruments
# only guide (DESIGN.md: a gap is a concept no *binding* instrument in force governs);
# implicit links of binding instruments (and anything a recital says) reach; implicit
# links of non-binding instruments count for no tier. An instrument revoked by ?asOf
# formerly governed what it explicitly covered.
AS_OF_VIEW = """
PREFIX gk: <https://w3id.org/gapkb/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
CONSTRUCT {
    ?concept gk:governedInForceBy ?governing .
    ?concept gk:guidedInForceBy ?guiding .
    ?concept gk:reachedInForceBy ?reaching .
    ?concept gk:formerlyGovernedBy ?former .
} WHERE {
    ?link gk:concept ?concept ; gk:provision ?provision .
    ?provision gk:provisionOf ?instrument ; gk:bindingProvision ?binding .
    ?instrument gk:binding ?instrumentBinding .
    OPTIONAL { ?instrument eli:date_no_longer_in_force ?revoked }
    OPTIONAL {
        ?provision gk:appliesDuring ?period .
        ?period gk:periodStart ?start .
        OPTIONAL { ?period gk:periodEnd ?end }
        FILTER (?start <= ?asOf && (!BOUND(?end) || ?end > ?asOf))
    }
    BIND (BOUND(?period) AS ?applies)
    BIND (EXISTS { ?link a gk:ExplicitLink } AS ?explicit)
    BIND (IF(?applies && ?explicit && ?binding, ?instrument, ?unbound) AS ?governing)
    BIND (IF(?applies && ?explicit && !?instrumentBinding, ?instrument, ?unbound) AS ?guiding)
    BIND (IF(?applies && ?instrumentBinding && !(?explicit && ?binding), ?instrument, ?unbound)
          AS ?reaching)
    BIND (IF(BOUND(?revoked) && ?revoked <= ?asOf && ?explicit, ?instrument, ?unbound) AS ?former)
}
"""


def as_of_view(graph: Graph, as_of: dt.date) -> Graph:
    """The date-dependent triples the gap shapes read, for one as-of date.

    This is AS_OF_VIEW evaluated directly over the graph (rdflib's SPARQL engine took
    0.5 s on the real content; tests/test_validation.py checks that both agree). Dates
    are the loader's validated xsd:date literals."""
    return as_of_views(graph, [as_of])[as_of]


def as_of_views(graph: Graph, days: Iterable[dt.date]) -> dict[dt.date, Graph]:
    """`as_of_view` for several dates, reading the links out of the graph once (the site's
    as-of picker asks for every date at which some provision's state changes)."""
    explicit_links = set(graph.subjects(RDF.type, GK.ExplicitLink))
    # Per link: concept, instrument, what it does while it applies, its periods, whether
    # it counts as formerly governing once the instrument is revoked, the revocation.
    links: list[
        tuple[Node, Node, URIRef | None, list[tuple[dt.date, dt.date | None]], bool, dt.date | None]
    ] = []
    for link, concept in graph.subject_objects(GK.concept):
        for provision in graph.objects(link, GK.provision):
            binding = _true(graph, provision, GK.bindingProvision)
            periods = _periods(graph, provision)
            for instrument in graph.objects(provision, GK.provisionOf):
                explicit = link in explicit_links
                predicate = None
                if explicit and binding:
                    predicate = GK.governedInForceBy
                elif _true(graph, instrument, GK.binding):
                    predicate = GK.reachedInForceBy
                elif explicit:
                    predicate = GK.guidedInForceBy
                revoked = _date(graph, instrument, ELI.date_no_longer_in_force)
                links.append((concept, instrument, predicate, periods, explicit, revoked))
    views = {}
    for as_of in days:
        view = Graph()
        for concept, instrument, predicate, periods, explicit, revoked in links:
            applies = any(s <= as_of and (e is None or e > as_of) for s, e in periods)
            if applies and predicate is not None:
                view.add((concept, predicate, instrument))
            if revoked is not None and revoked <= as_of and explicit:
                view.add((concept, GK.formerlyGovernedBy, instrument))
        view.add((GK.view, GK.asOf, Literal(as_of.isoformat(), datatype=XSD.date)))
        views[as_of] = view
    return views


def _periods(graph: Graph, provision: Node) -> list[tuple[dt.date, dt.date | None]]:
    """The provision's applicability periods (gapkb.timeline's, as written into the graph)."""
    periods = []
    for period in graph.objects(provision, GK.appliesDuring):
        start, end = _date(graph, period, GK.periodStart), _date(graph, period, GK.periodEnd)
        if start is not None:
            periods.append((start, end))
    return periods


def _true(graph: Graph, node: Node, predicate: URIRef) -> bool:
    value = graph.value(node, predicate)
    return isinstance(value, Literal) and value.toPython() is True


def _date(graph: Graph, node: Node, predicate: URIRef) -> dt.date | None:
    value = graph.value(node, predicate)
    date = value.toPython() if isinstance(value, Literal) else None
    return date if isinstance(date, dt.date) else None


@contextmanager
def mixed_in(graph: Graph, extra: Graph) -> Iterator[Graph]:
    """`graph` with `extra`'s triples added for the duration, then taken out again.

    Cheaper than `graph + extra`, which copies every triple (0.25 s on the real content)."""
    added = [triple for triple in extra if triple not in graph]
    graph.addN((s, p, o, graph) for s, p, o in added)
    try:
        yield graph
    finally:
        for triple in added:
            graph.remove(triple)


def load_shapes(root: Path) -> Graph:
    shapes = Graph()
    for path in sorted((root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


REPORT_ROWS = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?focus ?path ?severity ?message ?shape ?constraint WHERE {
    ?result a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
    OPTIONAL { ?result sh:resultPath ?path }
    OPTIONAL { ?result sh:resultMessage ?message }
    OPTIONAL { ?result sh:sourceShape ?shape }
    OPTIONAL { ?result sh:sourceConstraint ?constraint }
}
"""

GKS = Namespace("https://w3id.org/gapkb/shapes#")
SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


def validate(data: Graph, shapes: Graph, sources: SourceMap) -> list[Finding]:
    """Run SHACL over the prepared data graph; one finding per result, located."""
    _, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
    )
    findings = set()
    for row in report.query(REPORT_ROWS):
        focus, path, severity, message, shape, constraint = row
        # the rule's code (gapkb.errors): on the SPARQL constraint, else on the property shape
        code = shapes.value(constraint, GKS.code) if constraint is not None else None
        code = code or (shapes.value(shape, GKS.code) if shape is not None else None)
        field = FIELD_OF_PROPERTY.get(path, "") if isinstance(path, URIRef) else ""
        file, line = sources.locate(focus, field) if isinstance(focus, URIRef) else ("", 0)
        findings.add(
            Finding(
                file=file or "(graph)",
                line=line,
                field=field,
                message=str(message or "SHACL constraint not met"),
                severity=SEVERITY.get(severity, Severity.VIOLATION),
                subject=str(focus),
                code=str(code or ""),
            )
        )
    return sorted(findings)
