"""Step 5a: the gap report — which concepts no instrument in force governs, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from itertools import groupby

from rdflib import Graph
from rdflib.namespace import SKOS

from gapkb.findings import Finding, Severity
from gapkb.vocab import GK, concept_iri

NEVER, IMPLICIT_ONLY, VOLUNTARY_ONLY, NO_LONGER, COVERED = (
    "never covered",
    "implicit only",
    "voluntary only",
    "no longer covered",
    "covered",
)
GAP_ORDER = {NEVER: 0, IMPLICIT_ONLY: 1, VOLUNTARY_ONLY: 2, NO_LONGER: 3, COVERED: 4}
GAP_KINDS = (NEVER, IMPLICIT_ONLY, VOLUNTARY_ONLY, NO_LONGER)


@dataclass(frozen=True)
class GapRow:
    """One concept's coverage at the as-of date."""

    concept: str
    title: str
    used_by: int  # binding instruments in force with an explicit link that applies
    implicit: int  # binding instruments in force that reach it only implicitly
    former: int  # instruments no longer in force that governed it explicitly
    status: str
    voluntary: int = 0  # non-binding instruments in force with an explicit link that applies

    @property
    def is_gap(self) -> bool:
        return self.status != COVERED


def gap_rows(graph: Graph, concept_ids: list[str]) -> list[GapRow]:
    """Classify every concept from the as-of view in `graph`; gaps first."""
    rows = []
    for cid in concept_ids:
        node = concept_iri(cid)
        governing = set(graph.objects(node, GK.governedInForceBy))
        reaching = set(graph.objects(node, GK.reachedInForceBy)) - governing
        guiding = set(graph.objects(node, GK.guidedInForceBy))
        former = set(graph.objects(node, GK.formerlyGovernedBy))
        if governing:
            status = COVERED
        elif reaching:
            status = IMPLICIT_ONLY
        elif guiding:
            status = VOLUNTARY_ONLY
        elif former:
            status = NO_LONGER
        else:
            status = NEVER
        title = str(graph.value(node, SKOS.prefLabel) or cid)
        rows.append(
            GapRow(cid, title, len(governing), len(reaching), len(former), status, len(guiding))
        )
    return sorted(rows, key=lambda r: (GAP_ORDER[r.status], r.concept))


def summary_line(findings: list[Finding], rows: list[GapRow]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    gaps = [r for r in rows if r.is_gap]
    kinds = ", ".join(f"{k} {sum(1 for r in gaps if r.status == k)}" for k in GAP_KINDS)
    return (
        f"{counts[Severity.VIOLATION]} violation(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info(s) — {len(gaps)} gap(s) of {len(rows)} concepts ({kinds})"
    )


def render_text(header: str, findings: list[Finding], rows: list[GapRow], as_of: str) -> str:
    """Findings grouped by file, then the gap table, then one summary line."""
    out = [header, ""]
    for file, group in groupby(
        sorted(findings, key=lambda f: (f.file, f.line, f.severity)), key=lambda f: f.file
    ):
        out.append(file)
        out.extend(f"  {f.severity:<9} {f}" for f in group)
        out.append("")
    gaps = [r for r in rows if r.is_gap]
    out.append(f"Gaps as of {as_of}: concepts used by 0 binding instruments in force")
    if gaps:
        width = max(len(r.concept) for r in gaps)
        out.append(f"  {'concept':<{width}}  used by  implicit  voluntary  former  status")
        out.extend(
            f"  {r.concept:<{width}}  {r.used_by:>7}  {r.implicit:>8}  {r.voluntary:>9}"
            f"  {r.former:>6}  {r.status}"
            for r in gaps
        )
    else:
        out.append("  none")
    out.extend(["", summary_line(findings, rows)])
    return "\n".join(out) + "\n"


def render_json(
    as_of: str, findings: list[Finding], rows: list[GapRow], extra: Mapping[str, object]
) -> str:
    document = {
        "as_of": as_of,
        **extra,
        "summary": summary_line(findings, rows),
        "findings": [f.as_dict() for f in findings],
        "concepts": [{**asdict(r), "gap": r.is_gap} for r in rows],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
