"""The whole check as one library call: load -> graph -> reason | validate -> gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from rdflib import Graph

from gapkb.findings import Finding, GapkbError, Severity
from gapkb.graph import SourceMap, build_graph, load_ontology
from gapkb.reasoning import InconsistentKnowledgeBase, Reasoning, start_reasoning
from gapkb.records import KnowledgeBase, load_records
from gapkb.report import GapRow, gap_rows
from gapkb.validation import as_of_view, load_shapes, mixed_in, validate
from gapkb.verification.manifest import TextEntry, load_manifest
from gapkb.verification.unproved import unproved_quotes
from gapkb.vocab import instrument_iri


@dataclass
class CheckResult:
    """Everything the check produced; later steps (site, queries) start from here."""

    kb: KnowledgeBase
    as_of: dt.date
    data: Graph  # the entries as RDF, with inferences and the as-of view
    ontology: Graph
    sources: SourceMap
    reasoning: Reasoning | None
    findings: list[Finding] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)
    manifest: dict[str, TextEntry] = field(
        default_factory=dict
    )  # the texts quotes are proved against

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        """No violations (warnings and infos are findings, not failures)."""
        return self.count(Severity.VIOLATION) == 0

    @property
    def link_count(self) -> int:
        return sum(len(r.entry.coverage) for r in self.kb.instruments.values())

    def full_graph(self) -> Graph:
        """Ontology + entries + inferences + as-of view: what queries and dumps see."""
        graph = Graph()
        for prefix, namespace in self.data.namespaces():
            graph.bind(prefix, namespace)
        graph += self.ontology
        graph += self.data
        return graph


PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The ontology and shapes for a knowledge base that has none of its own (another
# repository's pre-commit hook): an installed wheel carries copies as gapkb/data/ (setup.py
# puts them there); run from a source checkout (an editable install), the checkout's own.
PACKAGED_MODEL = Path(str(resources.files("gapkb").joinpath("data")))


def model_root(root: Path) -> Path:
    """Where ontology/ and shapes/ are: the content root if it has them, else the package's."""
    for candidate in (root, PACKAGED_MODEL, PROJECT_ROOT):
        if (candidate / "ontology").is_dir() and (candidate / "shapes").is_dir():
            return candidate
    raise GapkbError(
        f"no ontology/ and shapes/ under {root}, and none installed with gapkb "
        f"({PACKAGED_MODEL}) — reinstall gapkb"
    )


# GK406: an instrument marked in force or pending after its revocation date.
STATUS_STALE = "GK406"


def status_ahead(
    findings: list[Finding], kb: KnowledgeBase, as_of: dt.date, today: dt.date
) -> list[Finding]:
    """`status` speaks of today. Checked as of a later date, an entry that says "pending"
    for a repeal still to take effect is right today: the rule then only notes what the
    status must say by that date (info); the gap answers follow the dates either way."""
    if as_of <= today:
        return findings
    revoked = {
        str(instrument_iri(iid)): record.entry.dates.revoked
        for iid, record in kb.instruments.items()
    }

    def ahead(f: Finding) -> bool:
        day = revoked.get(f.subject)
        return f.code == STATUS_STALE and day is not None and day > today

    return [
        replace(
            f,
            severity=Severity.INFO,
            message=f"Its revocation date ({revoked[f.subject]}) is after today: the status is "
            f"right now, and must change on that date. ({f.message})",
        )
        if ahead(f)
        else f
        for f in findings
    ]


def check(
    root: Path | str = ".", as_of: dt.date | None = None, *, use_java: bool = True
) -> CheckResult:
    """Run the whole pipeline over the repository at `root`."""
    root = Path(root)
    if not root.is_dir():
        raise GapkbError(f"{root} is not a folder — pass the repository root")
    schema_root = model_root(root)
    as_of = as_of or dt.date.today()
    kb = load_records(root)
    data, sources = build_graph(kb)
    ontology = load_ontology(schema_root)
    findings = list(kb.problems)
    manifest = load_manifest(root)  # a broken one stops the check (ManifestError: exit 2)
    findings.extend(unproved_quotes(kb, manifest))
    reasoning: Reasoning | None = None
    # HermiT works in its own process while the shapes run here: they read what entries
    # assert and the as-of view, never the inferences (tests/test_validation.py).
    with start_reasoning(data, ontology, use_java=use_java) as pending:
        data += as_of_view(data, as_of)
        with mixed_in(data, ontology):
            shape_findings = validate(data, load_shapes(schema_root), sources)
            findings.extend(status_ahead(shape_findings, kb, as_of, dt.date.today()))
        try:
            reasoning = pending.result()
            data += reasoning.inferred
        except InconsistentKnowledgeBase as error:
            findings.extend(
                Finding(
                    file,
                    1,
                    "",
                    "the knowledge base is logically inconsistent with this entry (HermiT) — check its kind, references and types",
                    code="GK501",
                )
                for file in error.files
            )
    gaps = gap_rows(data, sorted(kb.concepts))
    return CheckResult(kb, as_of, data, ontology, sources, reasoning, findings, gaps, manifest)
