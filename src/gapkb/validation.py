"""Step 4: the as-of view and SHACL validation -> findings located in contributors' files.

pyshacl runs without inference: the reasoning step has already materialised what the
shapes need. Pass or fail is decided by counting results by severity, never by
pyshacl's `conforms` (with allow_warnings it can say True beside a violation).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from gapkb.findings import Finding, Severity
from gapkb.graph import FIELD_OF_PROPERTY, SourceMap
from gapkb.vocab import GK

# A provision applies at ?asOf when its instrument is in force then (entered into force,
# not yet revoked) and its own date of application, else the instrument's, has passed.
AS_OF_VIEW = """
PREFIX gk: <https://w3id.org/gapkb/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
CONSTRUCT {
    ?concept gk:governedInForceBy ?governing .
    ?concept gk:reachedInForceBy ?reaching .
    ?concept gk:formerlyGovernedBy ?former .
} WHERE {
    ?link gk:concept ?concept ; gk:provision ?provision .
    ?provision gk:provisionOf ?instrument .
    ?instrument eli:first_date_entry_in_force ?inForce .
    OPTIONAL { ?instrument eli:date_no_longer_in_force ?revoked }
    OPTIONAL { ?instrument eli:date_applicability ?instrumentApplies }
    OPTIONAL { ?provision eli:date_applicability ?provisionApplies }
    BIND (COALESCE(?provisionApplies, ?instrumentApplies, ?inForce) AS ?applies)
    BIND (?inForce <= ?asOf && (!BOUND(?revoked) || ?revoked > ?asOf) AS ?inForceNow)
    BIND (EXISTS { ?link a gk:ExplicitLink } AS ?explicit)
    BIND (IF(?inForceNow && ?applies <= ?asOf && ?explicit, ?instrument, ?unbound) AS ?governing)
    BIND (IF(?inForceNow && ?applies <= ?asOf && !?explicit, ?instrument, ?unbound) AS ?reaching)
    BIND (IF(BOUND(?revoked) && ?revoked <= ?asOf && ?explicit, ?instrument, ?unbound) AS ?former)
}
"""


def as_of_view(graph: Graph, as_of: dt.date) -> Graph:
    """The date-dependent triples the gap shapes read, for one as-of date."""
    date = Literal(as_of.isoformat(), datatype=XSD.date)
    result = graph.query(AS_OF_VIEW, initBindings={"asOf": date}).graph
    view = Graph()
    if result is not None:
        view += result
    view.add((GK.view, GK.asOf, date))
    return view


def load_shapes(root: Path) -> Graph:
    shapes = Graph()
    for path in sorted((root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


REPORT_ROWS = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?focus ?path ?severity ?message WHERE {
    ?result a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
    OPTIONAL { ?result sh:resultPath ?path }
    OPTIONAL { ?result sh:resultMessage ?message }
}
"""

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
        focus, path, severity, message = row
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
            )
        )
    return sorted(findings)
