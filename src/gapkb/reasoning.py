"""Step 3: OWL reasoning with HermiT (as shipped with owlready2): consistency and
materialised inferences.

HermiT sees the ontology and the data's object structure (types and links between
nodes); literals are left out because HermiT rejects datatypes outside the OWL 2
datatype map (xsd:date) and no inference here depends on them. owl:imports are stripped:
HermiT would fetch them over the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from gapkb.findings import GapkbError
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


def apply_rules(data: Graph) -> Graph:
    """The fallback: the inferences as a SPARQL CONSTRUCT, minus what is already asserted."""
    result = data.query(FALLBACK_RULES).graph
    inferred = Graph()
    if result is not None:
        for triple in result:
            if triple not in data:
                inferred.add(triple)
    return inferred


def write_input(path: Path, data: Graph, ontology: Graph) -> int:
    """HermiT's input as N-Triples: the ontology and the object structure of the data.
    Returns the number of triples written."""
    schema = Graph()
    schema += ontology
    schema.remove((None, OWL.imports, None))
    with path.open("wb") as out:
        schema.serialize(out, format="nt", encoding="utf-8")
        # Written directly: building a graph of the structure first cost 0.15 s a check.
        # Subjects, predicates and objects here are IRIs or blank nodes, whose n3() is
        # their N-Triples form.
        lines = [
            f"{s.n3()} {p.n3()} {o.n3()} .\n".encode()
            for s, p, o in data
            if not isinstance(o, Literal) and p != OWL.imports
        ]
        out.writelines(lines)
    return len(schema) + len(lines)


def hermit_classpath() -> str:
    """The HermiT that ships with owlready2."""
    import owlready2

    here = Path(owlready2.__file__).parent / "hermit"
    return os.pathsep.join([str(here), str(here / "HermiT.jar")])


# The parallel collector: at 10 times the content HermiT ran 12 s with it against 15 s
# with the default G1; at 1 time the difference is within noise (bench/RESULTS.md).
JVM_OPTIONS = ["-XX:+UseParallelGC"]
# Below this many input triples HermiT finishes before Java's optimising compiler pays
# for itself, so only the quick one runs: 1.9 s against 2.5 s for a check of the real
# content (6,300 triples); the two are even at 3 times (18,000) and the optimising
# compiler wins at 10 times.
QUICK_COMPILER_BELOW = 12_000

# "<property> (known instances: (<a>, <b>)(<c>, <d>) | possible instances: ...)"
_VALUES_LINE = re.compile(r"^<([^>]+)> \(known instances: (.*?)\s*\| possible instances:", re.M)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


class ReasonerError(GapkbError):
    """Java or HermiT failed for a reason other than an inconsistent knowledge base."""


class HermitRun:
    """HermiT working over ontology + data structure in a process of its own.

    Starting it returns at once, so the caller can validate while Java reasons (the two
    cores each do one); `result()` waits for it. HermiT is called directly rather than
    through owlready2.sync_reasoner: owlready2 loads everything into a World, asks HermiT
    for class and instance taxonomies this step throws away, and reads the whole answer
    back, which cost 0.5 s of its 2.3 s on the real content (bench/RESULTS.md).
    """

    PROPERTY_VALUES = ("-O", "-Y")  # the fewest of HermiT's actions that print them
    CONSISTENCY = ("-k",)

    def __init__(
        self, data: Graph, ontology: Graph, java: str, actions: tuple[str, ...] = PROPERTY_VALUES
    ) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="gapkb-hermit-")
        folder = Path(self._folder.name)
        triples = write_input(folder / "kb.nt", data, ontology)
        command = [java, f"-Xmx{java_heap_mb()}M", *JVM_OPTIONS]
        if triples < QUICK_COMPILER_BELOW:
            command.append("-XX:TieredStopAtLevel=1")
        command += ["-cp", hermit_classpath()]
        command += ["org.semanticweb.HermiT.cli.CommandLine", *actions]
        command += ["-o", str(folder / "out.txt"), (folder / "kb.nt").as_uri()]
        # Output goes to files: a pipe nobody reads while validation runs would fill and stall Java.
        self._log = (folder / "log.txt").open("wb")
        self.command = command
        try:
            self._process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        except OSError as error:
            self._log.close()
            self._folder.cleanup()
            raise ReasonerError(f"could not start Java ({java}): {error}") from None

    def wait(self) -> str:
        """HermiT's answer; raises InconsistentOntology or ReasonerError."""
        code = self._process.wait()
        self._log.close()
        folder = Path(self._folder.name)
        log = (folder / "log.txt").read_text(encoding="utf-8", errors="replace")
        try:
            if code == 1 and "Inconsistent ontology" in log:
                raise InconsistentOntology
            if code != 0:
                raise ReasonerError(f"HermiT stopped with exit code {code}: {log.strip()[-800:]}")
            return (folder / "out.txt").read_text(encoding="utf-8", errors="replace")
        finally:
            self.close()

    def close(self) -> None:
        """Stop Java if it is still running and remove the files."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()
        self._folder.cleanup()

    def __enter__(self) -> HermitRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InconsistentOntology(Exception):
    """HermiT's own verdict, before the entries to blame are known."""


def property_values(output: str, predicates: set[URIRef]) -> Graph:
    """The known property values HermiT printed, for the given predicates."""
    graph = Graph()
    for prop, known in _VALUES_LINE.findall(output):
        predicate = URIRef(prop)
        if predicate in predicates:
            graph.addN((URIRef(a), predicate, URIRef(b), graph) for a, b in _PAIR.findall(known))
    return graph


def java_heap_mb() -> int:
    """HermiT's heap: half the machine's memory, at least owlready2's default of 2,000 MB
    (at 100 times the content HermiT sat at the default limit; see bench/RESULTS.md)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2000
    return max(2000, total // (2 * 1024 * 1024))


class PendingReasoning:
    """Reasoning under way: HermiT in its own process, or the rules (applied at once)."""

    def __init__(self, data: Graph, ontology: Graph, *, use_java: bool = True) -> None:
        self.data, self.ontology = data, ontology
        self._run: HermitRun | None = None
        self._done: Reasoning | None = None
        java = java_runtime() if use_java else None
        if java is not None:
            self._run = HermitRun(data, ontology, java)
        else:
            note = (
                "no Java runtime found: HermiT reasoning skipped (install one, e.g. "
                "`apt-get install default-jre-headless`); inferences taken from the built-in rules"
            )
            self._done = Reasoning(apply_rules(data), "rules", [note] if use_java else [])

    def result(self) -> Reasoning:
        """Wait for HermiT; on inconsistency, raise with the entries to blame."""
        if self._done is not None:
            return self._done
        assert self._run is not None
        try:
            output = self._run.wait()
        except InconsistentOntology:
            raise InconsistentKnowledgeBase(
                blame(self.data, self.ontology), "HermiT found the knowledge base inconsistent"
            ) from None
        self._done = Reasoning(close_inferences(output, self.data, self.ontology), "hermit")
        return self._done

    def close(self) -> None:
        if self._run is not None:
            self._run.close()

    def __enter__(self) -> PendingReasoning:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def close_inferences(output: str, data: Graph, ontology: Graph) -> Graph:
    """The kept inferences HermiT printed, closed under super-properties and inverses.

    HermiT may report the most specific property only (gk:governs, not also gk:covers)."""
    supers = {
        (p, q) for p, q in ontology.subject_objects(RDFS.subPropertyOf) if q in KEPT_PREDICATES
    }
    inverses = {(p, q) for p, q in ontology.subject_objects(OWL.inverseOf) if q in KEPT_PREDICATES}
    inverses |= {(q, p) for p, q in inverses}
    inferred = Graph()
    for s, p, o in property_values(output, KEPT_PREDICATES):
        if str(s).startswith(BASE):
            inferred.add((s, p, o))
            inferred.addN((s, q, o, inferred) for sub, q in supers if sub == p)
    for s, p, o in list(inferred):
        inferred.addN((o, inv, s, inferred) for sub, inv in inverses if sub == p)
    return inferred - data


def start_reasoning(data: Graph, ontology: Graph, *, use_java: bool = True) -> PendingReasoning:
    """Start reasoning and return at once; `.result()` gives the Reasoning."""
    return PendingReasoning(data, ontology, use_java=use_java)


def reason(data: Graph, ontology: Graph, *, use_java: bool = True) -> Reasoning:
    """Check consistency and materialise the inferences; without Java, apply the rules."""
    with start_reasoning(data, ontology, use_java=use_java) as pending:
        return pending.result()


def consistent(data: Graph, ontology: Graph, java: str) -> bool:
    """HermiT's consistency check alone (no property values): what blame needs."""
    with HermitRun(data, ontology, java, HermitRun.CONSISTENCY) as run:
        try:
            run.wait()
        except InconsistentOntology:
            return False
    return True


def blame(data: Graph, ontology: Graph) -> list[str]:
    """The entry files that are inconsistent on their own (with the types of what they name)."""
    java = java_runtime()
    if java is None:
        return []
    types = Graph()
    for triple in data.triples((None, RDF.type, None)):
        types.add(triple)
    files: dict[str, Graph] = {}
    for node, _, file in data.triples((None, GK.sourceFile, None)):
        part = files.setdefault(str(file), Graph())
        for triple in data.triples((node, None, None)):
            part.add(triple)
    culprits = [
        name for name in sorted(files) if not consistent(files[name] + types, ontology, java)
    ]
    return culprits or sorted(files)
