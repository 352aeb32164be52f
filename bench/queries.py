"""Measures the saved queries on pyoxigraph (the serving engine) and on rdflib."""

from __future__ import annotations

import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.corpus import REPO
from bench.harness import AS_OF, SPAWN, median_time, peak_mb, stop


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
