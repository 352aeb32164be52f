"""Step 3: OWL reasoning with owlready2 + HermiT: consistency and materialised inferences.

HermiT sees the ontology and the data's object structure (types and links between
nodes); literals are left out because HermiT rejects datatypes outside the OWL 2
datatype map (xsd:date) and no inference here depends on them. owlready2 keeps global
state, so every run reasons in a fresh World, and owl:imports are stripped because
owlready2 fetches them over HTTP even with only_local=True.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import SKOS

from gapkb.vocab import BASE, GK

# The inferences later steps rely on; anything else the reasoner derives is left out.
KEPT_PREDICATES = {GK.covers, GK.coveredBy, GK.governs, GK.governedBy, SKOS.related}

# The same inferences as plain rules, used when no Java runtime is available so that
# the gap report stays right; the tests check that HermiT derives at least these.
FALLBACK_RULES = """
PREFIX gk: <https://w3id.org/gapkb/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {
    ?instrument gk:covers ?concept . ?concept gk:coveredBy ?instrument .
    ?instrument gk:governs ?explicit . ?explicit gk:governedBy ?instrument .
    ?b skos:related ?a .
} WHERE {
    { ?instrument gk:hasProvision ?provision . ?provision gk:hasCoverageLink ?link .
      ?link gk:concept ?concept .
      OPTIONAL { ?link a gk:ExplicitLink ; gk:concept ?explicit } }
    UNION { ?a skos:related ?b }
}
"""


class InconsistentKnowledgeBase(Exception):
    """HermiT found the knowledge base inconsistent; `files` are the entries to blame."""

    def __init__(self, files: list[str], detail: str) -> None:
        super().__init__(detail)
        self.files = files
        self.detail = detail


@dataclass
class Reasoning:
    """Inferred triples, and how they were obtained."""

    inferred: Graph
    engine: str  # "hermit" or "rules"
    notes: list[str] = field(default_factory=list)


def java_runtime() -> str | None:
    """Path of a working `java`, or None."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        subprocess.run([java, "-version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return java


def reason(data: Graph, ontology: Graph, *, use_java: bool = True) -> Reasoning:
    """Check consistency and materialise the inferences; without Java, apply the rules."""
    if not use_java or java_runtime() is None:
        note = (
            "no Java runtime found: HermiT reasoning skipped (install one, e.g. "
            "`apt-get install default-jre-headless`); inferences taken from the built-in rules"
        )
        return Reasoning(apply_rules(data), "rules", [note] if use_java else [])
    inferred = run_hermit(data, ontology)
    return Reasoning(inferred, "hermit")


def apply_rules(data: Graph) -> Graph:
    """The fallback: the inferences as a SPARQL CONSTRUCT, minus what is already asserted."""
    result = data.query(FALLBACK_RULES).graph
    inferred = Graph()
    if result is not None:
        for triple in result:
            if triple not in data:
                inferred.add(triple)
    return inferred


def _structure(graph: Graph) -> Graph:
    """The object structure of the data: what HermiT needs and can read."""
    out = Graph()
    for s, p, o in graph:
        if not isinstance(o, Literal) and p != OWL.imports:
            out.add((s, p, o))
    return out


def _hermit(structure: Graph, ontology: Graph) -> Graph:
    """Run HermiT over ontology + structure in a fresh World; return its whole graph."""
    import owlready2

    merged = Graph()
    merged += ontology
    merged += structure
    for triple in list(merged.triples((None, OWL.imports, None))):
        merged.remove(triple)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        # owlready2.reasoning reads its own global (owlready2.JAVA_MEMORY is a copy).
        owlready2.reasoning.JAVA_MEMORY = java_heap_mb()
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        with onto:
            owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
        result = Graph()
        for triple in world.as_rdflib_graph():
            result.add(triple)
        world.close()
    return result


def java_heap_mb() -> int:
    """HermiT's heap: half the machine's memory, at least owlready2's default of 2,000 MB
    (at 100 times the content HermiT sat at the default limit; see bench/RESULTS.md)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2000
    return max(2000, total // (2 * 1024 * 1024))


def run_hermit(data: Graph, ontology: Graph) -> Graph:
    """Reason with HermiT; on inconsistency, find the entries to blame."""
    import owlready2

    structure = _structure(data)
    try:
        full = _hermit(structure, ontology)
    except owlready2.OwlReadyInconsistentOntologyError:
        raise InconsistentKnowledgeBase(
            blame(data, ontology), "HermiT found the knowledge base inconsistent"
        ) from None
    # HermiT reports the most specific property only (gk:governs, not also gk:covers):
    # close the kept properties under their declared super-properties and inverses.
    supers = {
        (p, q) for p, q in ontology.subject_objects(RDFS.subPropertyOf) if q in KEPT_PREDICATES
    }
    inverses = {(p, q) for p, q in ontology.subject_objects(OWL.inverseOf) if q in KEPT_PREDICATES}
    inverses |= {(q, p) for p, q in inverses}
    inferred = Graph()
    for s, p, o in full:
        if p in KEPT_PREDICATES and str(s).startswith(BASE):
            inferred.add((s, p, o))
            inferred.addN((s, q, o, inferred) for sub, q in supers if sub == p)
    for s, p, o in list(inferred):
        inferred.addN((o, inv, s, inferred) for sub, inv in inverses if sub == p)
    return inferred - data


def blame(data: Graph, ontology: Graph) -> list[str]:
    """The entry files that are inconsistent on their own (with the types of what they name)."""
    import owlready2

    types = Graph()
    for triple in data.triples((None, RDF.type, None)):
        types.add(triple)
    files: dict[str, Graph] = {}
    for node, _, file in data.triples((None, GK.sourceFile, None)):
        part = files.setdefault(str(file), Graph())
        for triple in data.triples((node, None, None)):
            part.add(triple)
    culprits = []
    for name in sorted(files):
        try:
            _hermit(_structure(files[name] + types), ontology)
        except owlready2.OwlReadyInconsistentOntologyError:
            culprits.append(name)
    return culprits or sorted(files)
