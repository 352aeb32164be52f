"""Reasoning with the real HermiT (needs Java; `.ci/run` installs it) and its fallback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import URIRef

from gapkb import reasoning
from gapkb.graph import build_graph, load_ontology
from gapkb.reasoning import (
    HermitRun,
    InconsistentKnowledgeBase,
    ReasonerError,
    apply_rules,
    java_heap_mb,
    java_runtime,
    reason,
    start_reasoning,
)
from gapkb.records import load_records
from gapkb.vocab import GK, concept_iri, instrument_iri
from tests.conftest import REPO, SAMPLE

# In CI (`.ci/run` sets CI=1) the setup script installed Java: a missing runtime fails there.
needs_java = pytest.mark.skipif(
    java_runtime() is None and not os.environ.get("CI"), reason="no Java runtime for HermiT"
)


def _sample_run() -> HermitRun:
    """HermiT started over the sample knowledge base."""
    data, _ = build_graph(load_records(SAMPLE))
    java = java_runtime()
    assert java is not None
    return HermitRun(data, load_ontology(REPO), java)


@pytest.mark.reasoner
@needs_java
def test_hermit_materialises_chains_and_symmetry() -> None:
    data, _ = build_graph(load_records(SAMPLE))
    result = reason(data, load_ontology(REPO))
    assert result.engine == "hermit"
    inferred = result.inferred
    eu, eo = instrument_iri("eu-ai-act"), instrument_iri("us-eo-14110")
    # explicit link -> governs (through the hasSelf chain) and covers (super-property)
    assert (eu, GK.governs, concept_iri("red-teaming")) in inferred
    assert (eu, GK.covers, concept_iri("red-teaming")) in inferred
    assert (eo, GK.governs, concept_iri("compute-threshold")) in inferred
    # implicit link -> covers only
    assert (eu, GK.covers, concept_iri("model-merging-risk")) in inferred
    assert (eu, GK.governs, concept_iri("model-merging-risk")) not in inferred
    assert (concept_iri("red-teaming"), GK.governedBy, eu) in inferred


@pytest.mark.reasoner
@needs_java
def test_hermit_gets_the_heap_sized_from_the_machine() -> None:
    with _sample_run() as run:
        assert f"-Xmx{java_heap_mb()}M" in run.command
        assert java_heap_mb() >= 2000
        assert "file:" not in " ".join(run.command[:-1])  # only the input is a file IRI
        assert "-XX:TieredStopAtLevel=1" in run.command  # small input: the quick compiler


@pytest.mark.reasoner
@needs_java
def test_large_inputs_get_the_optimising_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reasoning, "QUICK_COMPILER_BELOW", 100)
    with _sample_run() as run:
        assert "-XX:TieredStopAtLevel=1" not in run.command


@pytest.mark.reasoner
@needs_java
def test_java_failing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reasoning, "java_heap_mb", lambda: 1)  # too small for Java to start
    data, _ = build_graph(load_records(SAMPLE))
    with pytest.raises(ReasonerError, match=r"(?s)HermiT stopped with exit code 1: .*heap"):
        reason(data, load_ontology(REPO))


def test_a_java_that_cannot_start_is_a_clear_error(tmp_path: Path) -> None:
    data, _ = build_graph(load_records(SAMPLE))
    missing = str(tmp_path / "no-such-java")
    with pytest.raises(ReasonerError, match="could not start Java"):
        HermitRun(data, load_ontology(REPO), missing)


@pytest.mark.reasoner
@needs_java
def test_reasoning_runs_while_the_caller_works() -> None:
    data, _ = build_graph(load_records(SAMPLE))
    pending = start_reasoning(data, load_ontology(REPO))
    # start_reasoning returned with Java still running: the pipeline validates meanwhile.
    assert pending._run is not None and pending._run._process.poll() is None
    assert set(pending.result().inferred) == set(reason(data, load_ontology(REPO)).inferred)


@pytest.mark.reasoner
@needs_java
def test_an_abandoned_run_leaves_no_process_or_files() -> None:
    with _sample_run() as run:
        folder = Path(run.command[-1].removeprefix("file://")).parent
        assert folder.is_dir()
    assert run._process.returncode is not None
    assert not folder.exists()


@pytest.mark.reasoner
@needs_java
def test_fallback_rules_match_hermit() -> None:
    data, _ = build_graph(load_records(SAMPLE))
    assert set(apply_rules(data)) == set(reason(data, load_ontology(REPO)).inferred)


def test_symmetric_related_without_java(tmp_path: Path) -> None:
    data, _ = build_graph(load_records(SAMPLE))
    data.remove((concept_iri("alignment"), None, concept_iri("model-merging-risk")))
    inferred = reason(data, load_ontology(REPO), use_java=False).inferred
    related = URIRef("http://www.w3.org/2004/02/skos/core#related")
    assert (concept_iri("alignment"), related, concept_iri("model-merging-risk")) in inferred


@pytest.mark.reasoner
@needs_java
def test_inconsistency_names_the_entry() -> None:
    data, _ = build_graph(load_records(SAMPLE))
    # A link whose concept is an instrument: Concept and Instrument are disjoint.
    link = URIRef("https://w3id.org/gapkb/link/eu-ai-act/rec-110/model-merging-risk")
    data.add((link, GK.concept, instrument_iri("us-eo-14148")))
    with pytest.raises(InconsistentKnowledgeBase) as error:
        reason(data, load_ontology(REPO))
    assert error.value.files == ["instruments/eu-ai-act.yaml"]
