"""The benchmark: every pipeline step at 1x, 10x and 100x the real content, beside a baseline.

    .venv/bin/python -m bench.run                        # 1,10,100; writes bench/RESULTS.md
    .venv/bin/python -m bench.run --scales 1,10 --repeat 3 --out build/bench/RESULTS.md
    .venv/bin/python -m bench.run --scales 1 --keep 10,100   # re-measure x1, keep the others

For each scale the synthetic corpus (bench.corpus) is written to build/bench/corpus-<k>.
Every step runs in a fresh child process killed at its cap (neither HermiT, pyshacl nor
the SPARQL engines can be stopped from inside): the check's steps (load, graph, rules,
as-of view, SHACL, then reasoning) in one child that reports each step as it ends, so a
cap keeps the steps before it; then the whole check, the queries, the endpoint and the
site, each in its own. A step and its baseline run in turn in the same child, on the same
input, and the medians are kept, so the machine's load weighs on both; ratios are
ours / baseline. Peak memory is the child's ru_maxrss after our step's first run (its
inputs included), before any baseline ran; Java's is the largest waited-for child's.

Baselines: a bare CSafeLoader parse of the same files (loading); rdflib `addN` of the same
triples (graph building); the as-of CONSTRUCT on pyoxigraph, loading included; bare
`pyshacl.validate` with the same options on the same graph (validation); bare owlready2 +
HermiT on the same triples (reasoning); the sum of those (whole check); rdflib on the same
graph (queries; pyoxigraph is the serving engine); the engine called in-process
(endpoint); `mkdocs build` of as many trivial pages with the same theme (site; built
first with an empty citation cache, then as a rebuild with the cache the first left).
Each scale's numbers are also saved to build/bench/scale-<k>.json (for --keep).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import http.client
import io
import json
import math
import multiprocessing as mp
import os
import platform
import pstats
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bench.corpus import REPO, generate

WORK = REPO / "build" / "bench"
AS_OF = dt.date(2026, 6, 1)  # fixed: the gap share and the answers do not move with the calendar
CLIENTS = (1, 8, 32)
SPAWN = mp.get_context("spawn")  # a fresh interpreter per step: no state or memory carried over
LIBRARIES = (
    *("rdflib", "pyshacl", "owlready2", "pyoxigraph", "pydantic", "PyYAML"),
    *("mkdocs", "mkdocs-material"),
)
T = TypeVar("T")
ANALYSIS = "<!-- analysis: kept when bench.run rewrites this file -->"


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median of `repeat` timed runs, with what that run returned."""
    runs = sorted((timed(fn) for _ in range(repeat)), key=lambda run: run[0])
    return runs[len(runs) // 2]


class Paired(NamedTuple):
    ours: float
    base: float
    peak: float
    value: Any  # what our step returned on its first run
    base_value: Any


def paired(ours: Callable[[], object], base: Callable[[], object], repeat: int) -> Paired:
    """Medians of ours and the baseline, run in turn so that a change in the machine's load
    weighs on both; and the peak memory after our first run, before any baseline ran."""
    first, value = timed(ours)
    ours_times, base_times = [first], []
    peak = peak_mb()
    base_value = None
    for i in range(2 * repeat - 1):
        if i % 2 == 0:
            seconds, base_value = timed(base)
            base_times.append(seconds)
        else:
            ours_times.append(timed(ours)[0])
    return Paired(
        statistics.median(ours_times), statistics.median(base_times), peak, value, base_value
    )


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """Peak resident memory of the largest waited-for child (HermiT's Java, mkdocs)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --- the steps, each run in a child process -------------------------------------------------


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


def _queries() -> dict[str, str]:
    from gapkb.sparql.saved import bind, saved_queries

    # Copy 0 keeps the real ids, so the queries' default parameters name real entries.
    return {name: bind(query, None, AS_OF) for name, query in saved_queries(REPO).items()}


def run_queries(
    engine: str, nt_path: Path, names: list[str], repeat: int, conn: Connection
) -> None:
    """In a child: load the graph into one engine, run the queries one by one, send numbers."""
    texts = _queries()
    data = nt_path.read_bytes()
    start = time.perf_counter()
    run: Callable[[str], int]
    if engine == "pyoxigraph":
        from gapkb.sparql.engine import Engine

        store = Engine(data)  # the serving engine, through the code the endpoint runs

        def run(text: str) -> int:
            answer = store.run(text)
            return len(getattr(answer, "rows", getattr(answer, "triples", [])))
    else:
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=data, format="nt")

        def run(text: str) -> int:
            return len(list(graph.query(text)))

    conn.send(("load", time.perf_counter() - start, peak_mb(), 0))
    for name in names:
        rows = run(texts[name])  # the first run is not timed: caches, lazy indexes
        conn.send((name, median_time(lambda n=name: run(texts[n]), repeat), peak_mb(), rows))  # type: ignore[misc]


def step_queries(nt_path: Path, repeat: int, cap: float) -> dict[str, Any]:
    """{engine: {query or 'load': (seconds or None, peak MB, rows)}}; one query over `cap`
    is recorded as timed out and the rest continue in a fresh child."""
    out: dict[str, Any] = {}
    names = list(_queries())
    for engine in ("pyoxigraph", "rdflib"):
        results: dict[str, Any] = {}
        todo = list(names)
        while todo:
            parent, child = SPAWN.Pipe()
            process = SPAWN.Process(target=run_queries, args=(engine, nt_path, todo, repeat, child))
            process.start()
            child.close()
            waiting = "load"
            try:
                while todo or waiting == "load":
                    wait = 4 * cap if waiting == "load" else cap  # loading is not a query
                    if not parent.poll(wait):
                        raise TimeoutError
                    name, seconds, peak, rows = parent.recv()
                    results[name] = (seconds, peak, rows)
                    if name != "load":
                        todo.remove(name)
                    waiting = todo[0] if todo else ""
            except TimeoutError:
                results[waiting] = (None, None, f"timed out after {wait:.0f} s")
                if waiting == "load":
                    todo = []
                else:
                    todo.remove(waiting)
            except EOFError:
                results[waiting] = (None, None, "the engine process died")
                if waiting in todo:
                    todo.remove(waiting)
            stop(process)
        out[engine] = results
    return out


def serve(nt_path: Path, conn: Connection) -> None:
    """In a child: the endpoint over the graph (gapkb serve's pool and server) on a free port."""
    from gapkb.sparql.sandbox import Limits, WorkerPool
    from gapkb.sparql.serve import examples_bytes, make_server

    pool = WorkerPool(nt_path.read_bytes(), Limits(timeout=60.0), size=2)
    server = make_server(pool, AS_OF, examples_bytes(REPO, AS_OF), port=0, log=False)
    conn.send(server.server_address[1])
    try:
        server.serve_forever()
    finally:
        pool.close()


def load_clients(
    port: int, texts: list[str], clients: int, per_client: int, conn: Connection
) -> None:
    """In a separate load process: `clients` threads, each on its own keep-alive connection."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(per_client):
            text = texts[(index + i) % len(texts)]
            body = urllib.parse.urlencode({"query": text})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            }
            start = time.perf_counter()
            try:
                connection.request("POST", "/sparql", body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = 0
                errors.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != 200 and status:
                    errors.append(str(status))
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conn.send((latencies, errors, time.perf_counter() - start))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def step_endpoint(nt_path: Path, requests: int, cap: float) -> dict[str, Any]:
    texts = list(_queries().values())
    parent, child = SPAWN.Pipe()
    server = SPAWN.Process(target=serve, args=(nt_path, child))  # not daemonic: it has workers
    server.start()
    out: dict[str, Any] = {}
    try:
        if not parent.poll(cap):
            return {"error": f"the server did not start within {cap:.0f} s"}
        port = parent.recv()
        for clients in CLIENTS:
            per_client = max(2, math.ceil(requests / clients))
            p_conn, c_conn = SPAWN.Pipe()
            load = SPAWN.Process(
                target=load_clients, args=(port, texts, clients, per_client, c_conn)
            )
            load.start()
            if not p_conn.poll(cap):
                load.kill()
                out[str(clients)] = {"error": f"timed out after {cap:.0f} s"}
                load.join()
                continue
            latencies, errors, wall = p_conn.recv()
            load.join()
            out[str(clients)] = {
                "p50": percentile(latencies, 0.5),
                "p99": percentile(latencies, 0.99),
                "requests": len(latencies),
                "errors": errors,
                "throughput": len(latencies) / wall,
            }
    finally:
        stop(server)
    return out


def step_site(root: Path, repeat: int, rebuild: bool) -> dict[str, Any]:
    """The site build as `gapkb build` runs it: first with an empty citation cache (a first
    build, or CI), then, if `rebuild`, again with the cache the first one left (a
    contributor's rebuild)."""
    from gapkb.pipeline import check
    from gapkb.site import build_site

    result = check(root, AS_OF, use_java=False)  # the site reads inferences, not the reasoner
    folder = root.parent / f"{root.name}-site"
    cache = folder / "cache"
    shutil.rmtree(folder, ignore_errors=True)

    def median_build(cold: bool) -> tuple[float, Any]:
        builds = []
        for _ in range(repeat):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            start = time.perf_counter()
            built = build_site(result, folder / "public", docs_dir=folder / "docs", cache_dir=cache)
            builds.append((time.perf_counter() - start, built))
        return sorted(builds, key=lambda b: b[0])[len(builds) // 2]

    total, built = median_build(cold=True)
    again, rebuilt = median_build(cold=False) if rebuild else (None, None)
    pages = sum(1 for _ in (folder / "docs").rglob("*.md"))
    return {
        "total": total,
        "generate": built.generate_seconds,
        "mkdocs": built.mkdocs_seconds,
        "rebuild": again,
        "rebuild_generate": rebuilt.generate_seconds if rebuilt else None,
        "generated_pages": built.pages,
        "pages": pages,
        "peak": peak_mb(),
    }


TRIVIAL_CONFIG = """site_name: baseline
site_url: https://example.org/
docs_dir: docs
site_dir: public
theme:
  name: material
  font: false
plugins:
  - search
"""


def step_bare_site(folder: Path, pages: int, repeat: int) -> dict[str, Any]:
    """`mkdocs build` of `pages` trivial pages, in-process as gapkb builds its site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(TRIVIAL_CONFIG)
    (docs / "index.md").write_text("# Baseline\n\nA trivial site.\n")
    for i in range(pages - 1):
        (docs / "p" / f"page-{i}.md").write_text(f"# Page {i}\n\nA trivial page, number {i}.\n")

    def once() -> None:
        config = load_config(str(folder / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    return {"total": median_time(once, repeat), "pages": pages, "peak": peak_mb()}


# --- running a step under a cap -------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """Ids of the processes below `pid` (Linux /proc), deepest last."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def stop(process: BaseProcess) -> None:
    """Kill a step's process and what it started (Java, engine workers), each by its id."""
    if process.pid is not None:
        for pid in [process.pid, *descendants(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    process.join()


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...], conn: Connection) -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the bare build's notes are not ours
    try:
        conn.send(("ok", fn(*args)))
    except Exception as error:
        conn.send(("error", f"{type(error).__name__}: {error}"[:300]))


def _streaming_child(fn: Callable[..., None], args: tuple[Any, ...], conn: Connection) -> None:
    try:
        fn(*args, lambda name, value: conn.send((name, value)))
        conn.send(("done", {}))
    except Exception as error:
        conn.send(("error", {"error": f"{type(error).__name__}: {error}"[:300]}))


def capped_steps(
    fn: Callable[..., None], names: tuple[str, ...], *args: Any, cap: float
) -> dict[str, dict[str, Any]]:
    """Run `fn(*args, send)` in a fresh child that sends one result per step; the step under
    way when the child fails or runs past `cap` s gets the error, later ones are not run."""
    parent, child = SPAWN.Pipe()
    process = SPAWN.Process(target=_streaming_child, args=(fn, args, child))
    deadline = time.perf_counter() + cap
    process.start()
    child.close()
    out: dict[str, dict[str, Any]] = {}
    try:
        for name in names:
            if not parent.poll(max(0.0, deadline - time.perf_counter())):
                out[name] = {"error": f"timed out: the cap of {cap:.0f} s was reached"}
                break
            got, value = parent.recv()
            if got == "error":
                out[name] = value
                break
            out[got] = value
    except EOFError:
        out[name] = {"error": f"the process died (exit code {process.exitcode})"}
    finally:
        stop(process)
    for name in names:
        out.setdefault(name, {"error": "not run: an earlier step did not finish"})
    return out


def capped(fn: Callable[..., dict[str, Any]], *args: Any, cap: float) -> dict[str, Any]:
    """Run `fn(*args)` in a fresh child; {'error': ...} if it fails or runs past `cap` s."""
    parent, child = SPAWN.Pipe()
    process = SPAWN.Process(target=_child, args=(fn, args, child))
    start = time.perf_counter()
    process.start()
    child.close()
    try:
        if not parent.poll(cap):
            return {"error": f"timed out after {cap:.0f} s"}
        status, value = parent.recv()
    except EOFError:
        return {"error": f"the process died (exit code {process.exitcode})"}
    finally:
        stop(process)
    if status == "error":
        return {"error": value}
    value["wall"] = time.perf_counter() - start
    return dict(value)


# --- the report -----------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    ours: float | None
    base: float | None
    peak: float | None = None
    note: str = ""
    unit: str = "s"


@dataclass
class ScaleResult:
    scale: int
    shape: str
    rows: list[Row] = field(default_factory=list)
    endpoint: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    measured: str = ""  # when, and by which command

    def save(self) -> None:
        (WORK / f"scale-{self.scale}.json").write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def saved(cls, scale: int) -> ScaleResult:
        data = json.loads((WORK / f"scale-{scale}.json").read_text())
        data["rows"] = [Row(**row) for row in data["rows"]]
        return cls(**data)


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:.2f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(row: Row) -> str:
    if row.ours is None or not row.base:
        return "—"
    ratio = row.ours / row.base
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}× (1/{1 / ratio:.0f})"


def measure_scale(
    scale: int,
    repeat: int,
    cap: float,
    query_cap: float,
    requests: int,
    progress: Callable[[ScaleResult], None] = lambda _: None,
) -> ScaleResult:
    """Every step at one scale; `progress` gets the result so far after each group of
    steps, so that a run stopped part-way keeps what it measured."""
    root = WORK / f"corpus-{scale}"
    shape = generate(root, scale, seed=0)
    result = ScaleResult(
        scale,
        f"{shape.concepts:,} concepts, {shape.instruments:,} instruments, "
        f"{shape.provisions:,} provisions, {shape.links:,} coverage links",
    )
    result.facts["partial"] = True  # until the last step is in
    small = max(1, round(repeat / math.sqrt(scale)))  # fewer repeats where one run is long
    heavy = repeat if scale == 1 else 1
    log = result.facts.setdefault("errors", [])

    def note(name: str, value: dict[str, Any]) -> dict[str, Any]:
        print(f"  ×{scale} {name}: {json.dumps(value, default=str)[:300]}", file=sys.stderr)
        if "error" in value:
            log.append(f"{name}: {value['error']}")
        return value

    steps = capped_steps(step_pipeline, PIPELINE, root, small, cap=3 * cap)
    for name in PIPELINE:
        note(name, steps[name])
    load, graph, rules, as_of, shacl, reasoning = (steps[name] for name in PIPELINE)
    if "error" in reasoning:
        # The shared cap ran out: one attempt alone, without the baseline, under its own cap.
        alone = note("reason alone", capped(step_reason_alone, root, cap=2 * cap))
        reasoning = (
            {**alone, "error": f"{reasoning['error']}; alone: {alone['error']}"}
            if ("error" in alone)
            else {
                **alone,
                "note": "one attempt alone, without the baseline (the check's cap ran out)",
            }
        )
    result.rows.append(
        Row(
            "YAML loading (load_records vs CSafeLoader)",
            load.get("ours"),
            load.get("base"),
            load.get("peak"),
            load.get("error", f"{load.get('files', 0):,} files"),
        )
    )
    result.rows.append(
        Row(
            "graph building (build_graph vs rdflib addN)",
            graph.get("ours"),
            graph.get("base"),
            graph.get("peak"),
            graph.get("error", f"{graph.get('triples', 0):,} triples"),
        )
    )
    result.rows.append(
        Row(
            "inference rules (the no-Java fallback; no baseline)",
            rules.get("ours"),
            None,
            rules.get("peak"),
            rules.get("error", f"{rules.get('triples', 0):,} triples inferred"),
        )
    )
    result.rows.append(
        Row(
            "as-of view (as_of_view vs its CONSTRUCT on pyoxigraph, load included)",
            as_of.get("ours"),
            as_of.get("base"),
            as_of.get("peak"),
            as_of.get(
                "error",
                f"{as_of.get('triples', 0):,} triples"
                + ("" if as_of.get("same") else "; counts DIFFER"),
            ),
        )
    )
    result.rows.append(
        Row(
            "SHACL validation (validate vs bare pyshacl)",
            shacl.get("ours"),
            shacl.get("base"),
            shacl.get("peak"),
            shacl.get(
                "error", f"{shacl.get('triples', 0):,} triples, {shacl.get('findings', 0)} findings"
            ),
        )
    )
    result.rows.append(
        Row(
            "reasoning (reason vs bare owlready2+HermiT)",
            reasoning.get("ours"),
            reasoning.get("base"),
            reasoning.get("peak"),
            reasoning.get(
                "error",
                f"{reasoning.get('engine')}; Java peak {reasoning.get('java_peak', 0):.0f} MB"
                + (f"; {reasoning['note']}" if "note" in reasoning else ""),
            ),
        )
    )
    # Reasoning that finished alone counts as finished: the whole check is worth trying.
    unfinished = [
        name
        for name, step in steps.items()
        if "error" in step and not (name == "reason" and "error" not in reasoning)
    ]
    checked: dict[str, Any] = (
        {"error": f"not run: {', '.join(unfinished)} did not finish within the cap"}
        if unfinished
        else note("check", capped(step_check, root, heavy, scale <= 10, cap=2 * cap))
    )
    bases = [step.get("base") for name, step in steps.items() if name != "rules"]
    base_sum = sum(b for b in bases if b is not None) if all(b is not None for b in bases) else None
    result.rows.append(
        Row(
            "whole check, library (vs sum of the five baselines)",
            checked.get("ours"),
            base_sum,
            checked.get("peak"),
            checked.get(
                "error", f"{checked.get('engine')}; {checked.get('violations')} violations"
            ),
        )
    )
    result.rows.append(
        Row(
            "`gapkb check` end to end (process)",
            checked.get("cli"),
            base_sum,
            None,
            "interpreter start and imports included",
        )
    )
    result.facts["check"] = checked
    progress(result)
    nt = root / "full.nt"
    if nt.is_file():
        engines = note("queries", capped(step_queries, nt, small, query_cap, cap=30 * query_cap))
        ox, rd = engines.get("pyoxigraph", {}), engines.get("rdflib", {})
        for name in ["load", *[n for n in ox if n != "load"]]:
            a, b = ox.get(name, (None, None, "")), rd.get(name, (None, None, ""))
            label = "engine load (N-Triples)" if name == "load" else f"query `{name}`"
            rows_note = (
                f"{a[2]} rows"
                if name != "load" and a[2] == b[2]
                else f"pyoxigraph {a[2]} / rdflib {b[2]}"
                if name != "load"
                else ""
            )
            result.rows.append(
                Row(
                    f"{label} (pyoxigraph vs rdflib)",
                    a[0],
                    b[0],
                    a[1],
                    rows_note,
                    "ms" if name != "load" else "s",
                )
            )
        served = [ox[n][0] for n in ox if n != "load" and ox[n][0] is not None]
        result.facts["engine_median"] = statistics.median(served) if served else None
        progress(result)
        result.endpoint = note("endpoint", capped(step_endpoint, nt, requests, cap, cap=4 * cap))
        progress(result)
    # The rebuild is measured up to ×10: at ×100 one build already takes most of the cap.
    site = note("site", capped(step_site, root, heavy, scale <= 10, cap=2 * cap))
    if "error" not in site:
        bare = note(
            "bare site",
            capped(step_bare_site, WORK / f"bare-site-{scale}", site["pages"], heavy, cap=2 * cap),
        )
        per = site["pages"]
        bare_total = bare.get("total")
        result.rows.append(
            Row(
                "page generation, per page (vs bare mkdocs per page)",
                site["generate"] / per,
                bare_total / per if bare_total else None,
                site["peak"],
                f"{site['generated_pages']:,} generated of {per:,} pages",
                "ms",
            )
        )
        result.rows.append(
            Row(
                "full site build, per page (vs bare mkdocs per page)",
                site["total"] / per,
                bare_total / per if bare_total else None,
                site["peak"],
                bare.get("error", f"mkdocs {site['mkdocs']:.1f} s of {site['total']:.1f} s"),
                "ms",
            )
        )
        if site["rebuild"] is not None:
            result.rows.append(
                Row(
                    "site rebuild, citations cached, per page (vs bare mkdocs per page)",
                    site["rebuild"] / per,
                    bare_total / per if bare_total else None,
                    site["peak"],
                    f"pages generated in {site['rebuild_generate']:.1f} s "
                    f"of {site['rebuild']:.1f} s",
                    "ms",
                )
            )
        result.facts["site"] = site
    else:
        result.rows.append(Row("full site build", None, None, None, site["error"]))
    result.facts.pop("partial", None)
    return result


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (missing)")
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {ram:.1f} GiB; {platform.platform()}",
        f"- Python {platform.python_version()}; Java: {(java.stderr.splitlines() or ['none'])[0]}",
        f"- {', '.join(versions)}",
    ]


def growth(results: list[ScaleResult]) -> list[str]:
    """Per step: seconds at each scale and the exponent b of t ~ k^b (1 is linear)."""
    if len(results) < 2:
        return []
    first, last = results[0], results[-1]
    lines = [
        f"| step | {' | '.join(f'×{r.scale}' for r in results)} | growth exponent "
        f"×{first.scale}→×{last.scale} |",
        "|---|" + "---:|" * (len(results) + 1),
    ]
    for row in first.rows:
        cells = [next((x.ours for x in r.rows if x.step == row.step), None) for r in results]
        a, b = cells[0], cells[-1]
        # Per-page rows are already divided by the size; multiply back for the exponent.
        per_page = "per page" in row.step
        exponent = (
            f"{math.log(b / a) / math.log(last.scale / first.scale) + per_page:.2f}"
            if a and b and last.scale > first.scale
            else "—"
        )
        lines.append(
            f"| {row.step} | {' | '.join(_fmt(c, row.unit) for c in cells)} | {exponent} |"
        )
    return lines


def report(results: list[ScaleResult], command: str, started: dt.datetime) -> str:
    out = [
        "# Benchmark results",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} UTC "
        "(each section names the command that measured it; a small step is the median of "
        "`--repeat` runs at ×1, default 5, and of fewer at larger scales).",
        "Every baseline ran in the same child process right after our step, on the same input.",
        "Ratio = ours ÷ baseline. Times in seconds, query and per-page rows in milliseconds.",
        "Peak MB is the peak resident memory of the step's process (ru_maxrss), inputs included.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
    ]
    for r in results:
        checked = r.facts.get("check", {})
        out += [
            f"## ×{r.scale}: {r.shape}",
            "",
            f"Measured {r.measured}.",
            "",
            f"The whole check: {checked['error']}."
            if "error" in checked
            else f"{checked.get('triples', 0):,} triples in the full graph; "
            f"{checked.get('gaps', '?')} gaps of {checked.get('concepts', '?')} concepts "
            f"as of {AS_OF}; {checked.get('violations', '?')} violations.",
            "",
            "| step | ours | baseline | ratio | peak MB | note |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for row in r.rows:
            unit = " ms" if row.unit == "ms" else " s"
            out.append(
                f"| {row.step} | {_fmt(row.ours, row.unit)}{unit if row.ours is not None else ''} "
                f"| {_fmt(row.base, row.unit)}{unit if row.base is not None else ''} "
                f"| {_ratio(row)} | {_fmt(row.peak) if row.peak else '—'} | {row.note} |"
            )
        engine = r.facts.get("engine_median")
        if r.endpoint:
            out += [
                "",
                f"Endpoint (`gapkb serve`'s server and 2 query workers, loopback, a separate "
                f"load process; the saved queries in turn, POST, JSON results). Baseline: the "
                f"median in-process pyoxigraph time of the same queries, "
                f"{_fmt(engine, 'ms')} ms.",
                "",
                "| clients | requests | p50 ms | p99 ms | p50 ratio | req/s | errors |",
                "|---:|---:|---:|---:|---:|---:|---|",
            ]
            if "error" in r.endpoint:
                out.append(f"| — | — | — | — | — | — | {r.endpoint['error']} |")
            for clients in CLIENTS:
                e = r.endpoint.get(str(clients), {})
                if "p50" not in e:
                    out.append(f"| {clients} | — | — | — | — | — | {e.get('error', '')} |")
                    continue
                ratio = f"{e['p50'] / engine:.1f}×" if engine else "—"
                errors = ", ".join(sorted(set(e["errors"]))) or "none"
                out.append(
                    f"| {clients} | {e['requests']} | {e['p50'] * 1000:.1f} | "
                    f"{e['p99'] * 1000:.1f} | {ratio} | {e['throughput']:.1f} | {errors} |"
                )
        if r.facts.get("errors"):
            out += ["", "Steps that did not finish: " + "; ".join(r.facts["errors"])]
        if r.facts.get("partial"):
            out += ["", "Partial: the run stopped before the steps missing above were measured."]
        out.append("")
    lines = growth(results)
    if lines:
        out += [
            "## Growth",
            "",
            "Ours, per scale; the exponent b fits t ∝ k^b (1.00 is linear).",
            "",
            *lines,
            "",
        ]
    return "\n".join(out)


def write(path: Path, text: str) -> None:
    """Write the measured part; keep the hand-written analysis that follows ANALYSIS."""
    kept = ""
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if ANALYSIS in old:
            kept = old[old.index(ANALYSIS) :]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scales", default="1,10,100", help="copies of the content (default 1,10,100)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each small step at ×1")
    parser.add_argument(
        "--cap",
        type=float,
        default=300.0,
        help="seconds a step may run (the check's steps share 3x, the whole check 2x)",
    )
    parser.add_argument("--query-cap", type=float, default=60.0, help="seconds a query may run")
    parser.add_argument("--requests", type=int, default=96, help="endpoint requests per level")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the check")
    parser.add_argument(
        "--keep",
        default="",
        help="scales measured by an earlier run to report again, e.g. 1,10 (from build/bench/)",
    )
    args = parser.parse_args(argv)
    try:
        scales = [int(s) for s in args.scales.split(",") if s]
        keep = [int(s) for s in args.keep.split(",") if s]
    except ValueError:
        parser.error(f"--scales: not a list of whole numbers: {args.scales}")
    if any(s < 1 for s in scales) or args.repeat < 1:
        parser.error("scales and --repeat must be at least 1")
    started = dt.datetime.now(dt.UTC)
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        results = [ScaleResult.saved(k) for k in keep if k not in scales]
    except (OSError, ValueError, TypeError) as error:
        parser.error(f"--keep: no earlier result to keep ({error})")
    measured = f"{started:%Y-%m-%d %H:%M} UTC by `{command.strip()}`"

    def save(result: ScaleResult) -> None:
        result.measured = measured
        result.save()
        shown = sorted([*results, result], key=lambda r: r.scale)
        write(args.out, report(shown, command.strip(), started))

    for scale in scales:
        print(f"×{scale}: generating and measuring", file=sys.stderr)
        result = measure_scale(
            scale, args.repeat, args.cap, args.query_cap, args.requests, progress=save
        )
        save(result)
        results.append(result)
        results.sort(key=lambda r: r.scale)
        if args.profile:
            profile = capped(profile_check, WORK / f"corpus-{scale}", 25, cap=2 * args.cap)
            print(profile.get("text", profile.get("error")), file=sys.stderr)
    write(args.out, report(results, command.strip(), started))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
