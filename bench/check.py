"""Measures the check: its steps (load, graph, rules, as-of view, SHACL, reasoning) beside their baselines, the whole check, and a profile of it."""

from __future__ import annotations

import cProfile
import io
import pstats
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.corpus import REPO
from bench.harness import AS_OF, children_peak_mb, median_time, median_timed, paired, peak_mb, timed

PIPELINE = ("load", "graph", "rules", "as-of", "shacl", "reason")


def step_pipeline(root: Path, repeat: int, send: Callable[[str, dict[str, Any]], None]) -> None:
    """The check's steps in order, each beside its baseline; a step's numbers are sent as
    soon as it ends, so a cap that stops a later step keeps the earlier ones.

    Reasoning runs last: it is the step most likely to reach the cap. The steps before it
    take their inferences from the built-in rules, which derive what HermiT's kept
    inferences are (tests/test_reasoning.py)."""
    import tempfile

    import owlready2
    import pyoxigraph as ox
    import yaml
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    from gapkb.graph import build_graph, load_ontology
    from gapkb.reasoning import apply_rules, reason, write_input
    from gapkb.records import load_records
    from gapkb.sparql.engine import graph_ntriples
    from gapkb.validation import AS_OF_VIEW, as_of_view, load_shapes, validate

    files = sorted(root.glob("concepts/*.yaml")) + sorted(root.glob("instruments/*.yaml"))

    def bare_yaml() -> None:
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    ours, base, peak, kb, _ = paired(lambda: load_records(root), bare_yaml, repeat)
    send("load", {"ours": ours, "base": base, "peak": peak, "files": len(files)})

    plain, sources = build_graph(kb)
    triples = list(plain)

    def bare_graph() -> None:
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in triples)

    ours, base, peak, _, _ = paired(lambda: build_graph(kb), bare_graph, repeat)
    send("graph", {"ours": ours, "base": base, "peak": peak, "triples": len(triples)})

    ontology = load_ontology(REPO)
    seconds, inferred = timed(lambda: apply_rules(plain))
    send("rules", {"ours": seconds, "base": None, "peak": peak_mb(), "triples": len(inferred)})
    data = plain + inferred

    graph = data + ontology
    date = f'"{AS_OF.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
    text = AS_OF_VIEW.replace("?asOf", date)

    def bare_view() -> int:
        # Serialising and loading are counted: that is what a switch of engine would cost.
        store = ox.Store()
        store.bulk_load(graph_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
        return len(list(store.query(text)))  # type: ignore[arg-type]

    ours, base, peak, view, count = paired(lambda: as_of_view(graph, AS_OF), bare_view, repeat)
    same = count == len(view) - 1  # the view adds one gk:asOf triple of its own
    send("as-of", {"ours": ours, "base": base, "peak": peak, "triples": len(view), "same": same})

    data += view
    graph = data + ontology
    # The graph the queries and the endpoint see (ontology, entries, inferences, view).
    (root / "full.nt").write_bytes(graph_ntriples(graph))
    shapes = load_shapes(REPO)

    def bare_shacl() -> None:
        shacl_validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
        )

    ours, base, peak, findings, _ = paired(
        lambda: validate(graph, shapes, sources), bare_shacl, repeat
    )
    violations = sum(1 for f in findings if f.severity.value == "violation")
    send(
        "shacl",
        {
            "ours": ours,
            "base": base,
            "peak": peak,
            "triples": len(graph),
            "findings": len(findings),
            "violations": violations,
        },
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.nt"
        write_input(path, plain, ontology)  # HermiT's input, exactly as gapkb.reasoning writes it

        def bare_hermit() -> None:
            world = owlready2.World()
            onto = world.get_ontology(path.as_uri()).load()
            with onto:
                owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
            world.close()

        ours, base, peak, reasoned, _ = paired(lambda: reason(plain, ontology), bare_hermit, repeat)
    send(
        "reason",
        {
            "ours": ours,
            "base": base,
            "peak": peak,
            "java_peak": children_peak_mb(),
            "engine": reasoned.engine,
            "inferred": len(reasoned.inferred),
        },
    )


def step_reason_alone(root: Path) -> dict[str, Any]:
    """One attempt at reasoning, in a child of its own: for scales where the check's shared
    cap ran out before the reasoning step."""
    from gapkb.graph import build_graph, load_ontology
    from gapkb.reasoning import reason
    from gapkb.records import load_records

    data, _ = build_graph(load_records(root))
    ontology = load_ontology(REPO)
    print(f"reasoning over {len(data):,} triples", file=sys.stderr, flush=True)
    seconds, reasoned = timed(lambda: reason(data, ontology))
    return {
        "ours": seconds,
        "base": None,
        "peak": peak_mb(),
        "java_peak": children_peak_mb(),
        "engine": reasoned.engine,
        "inferred": len(reasoned.inferred),
    }


def step_check(root: Path, repeat: int, with_cli: bool) -> dict[str, Any]:
    """The whole check through the library, and `gapkb check` as a contributor runs it."""
    from gapkb.pipeline import check

    ours, result = median_timed(lambda: check(root, AS_OF), repeat)
    peak = peak_mb()
    cli = None
    if with_cli:
        gapkb = Path(sys.executable).with_name("gapkb")
        command = [str(gapkb), "check", "--root", str(root), "--as-of", AS_OF.isoformat()]
        cli = median_time(
            lambda: subprocess.run(command, capture_output=True, check=False, cwd=REPO), repeat
        )
    gaps = sum(1 for row in result.gaps if row.is_gap)
    return {
        "ours": ours,
        "cli": cli,
        "peak": peak,
        "engine": result.reasoning.engine if result.reasoning else "inconsistent",
        "violations": sum(1 for f in result.findings if f.severity.value == "violation"),
        "gaps": gaps,
        "concepts": len(result.gaps),
        "triples": len(result.full_graph()),
    }


def profile_check(root: Path, top: int) -> dict[str, Any]:
    """cProfile of one library check: where its time goes, by cumulative time."""
    from gapkb.pipeline import check

    profiler = cProfile.Profile()
    profiler.runcall(check, root, AS_OF)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return {"text": out.getvalue()}
