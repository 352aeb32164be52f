#!/usr/bin/env python3
"""pyoxigraph against rdflib on the saved queries: load time and query time, printed as a table.

    .venv/bin/python scripts/compare_engines.py                 # the repository's content
    .venv/bin/python scripts/compare_engines.py --root tests/sample --scale 1,10,50

The graph is the check's full graph (ontology + entries + inferences + as-of view). Larger
graphs are made by copying the entries k times under renamed IRIs and ids (jurisdictions
and the ontology are shared), so every query does k times the work on the same shape of
data. Each measurement runs in a child process that is killed at --limit seconds: neither
engine has a timeout of its own (DESIGN.md). Answers are compared across engines, treating
an empty GROUP_CONCAT and an unbound value alike (the engines differ there).

The numbers decide the engine of `gapkb query` and `gapkb serve` (see gapkb.sparql.engine).
The bench/ harness will supersede this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gapkb.pipeline import check
from gapkb.sparql.saved import bind, saved_queries
from gapkb.vocab import BASE

SHARED = (BASE + "ontology", BASE + "jurisdiction/")


def scaled(graph: Graph, copies: int) -> Graph:
    """`copies` disjoint copies of the entries under renamed IRIs; ontology shared."""
    if copies == 1:
        return graph

    def rename(term: object, k: int) -> object:
        if (
            isinstance(term, URIRef)
            and str(term).startswith(BASE)
            and not str(term).startswith(SHARED)
        ):
            rest = term[len(BASE) :]
            kind, _, tail = rest.partition("/")
            first, sep, more = tail.partition("/")
            return URIRef(f"{BASE}{kind}/{first}-c{k}{sep}{more}")
        return term

    out = Graph()
    for s, p, o in graph:
        if isinstance(s, URIRef) and str(s).startswith(BASE) and not str(s).startswith(SHARED):
            for k in range(copies):
                obj = o
                if p == SKOS.notation and isinstance(o, Literal):
                    obj = Literal(f"{o}-c{k}")
                out.add((rename(s, k), p, rename(obj, k)))  # type: ignore[arg-type]
        else:
            out.add((s, p, o))
    return out


def _normal(rows: list[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
    """Rows sorted; an empty GROUP_CONCAT as unbound; its items sorted (order is undefined)."""

    def cell(value: str | None) -> str | None:
        if not value:
            return None
        return "; ".join(sorted(value.split("; ")))

    return sorted((tuple(cell(v) for v in row) for row in rows), key=str)


def _measure(engine: str, nt: bytes, name: str, text: str, repeat: int, conn: Connection) -> None:
    """In a child process: load the graph, run one query `repeat` times, send the numbers."""
    start = time.perf_counter()
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)

        def run(text: str) -> list[tuple[str | None, ...]]:
            result = store.query(text)
            names = [v.value for v in result.variables]  # type: ignore[union-attr]
            return [
                tuple(None if s[n] is None else str(s[n].value) for n in names)  # type: ignore[union-attr]
                for s in result  # type: ignore[union-attr]
            ]
    else:
        graph = Graph()
        graph.parse(data=nt.decode("utf-8"), format="nt")

        def run(text: str) -> list[tuple[str | None, ...]]:
            return [tuple(None if v is None else str(v) for v in row) for row in graph.query(text)]  # type: ignore[union-attr]

    conn.send(("load", time.perf_counter() - start, None))
    times = []
    rows: list[tuple[str | None, ...]] = []
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = run(text)
            times.append(time.perf_counter() - t0)
    except Exception as error:  # an engine bug: report it
        conn.send((name, None, f"error: {type(error).__name__}: {error}"[:120]))
        return
    conn.send((name, statistics.median(times), _normal(rows)))


def measure(
    engine: str, nt: bytes, texts: dict[str, str], repeat: int, limit: float
) -> dict[str, tuple[float | None, object]]:
    """{query name: (median seconds or None if over the limit, rows)}; 'load' is the load.

    One child process per query, killed at `limit` seconds after its load."""
    out: dict[str, tuple[float | None, object]] = {}
    loads = []
    for name, text in texts.items():
        parent, child = mp.Pipe()
        process = mp.get_context("spawn").Process(
            target=_measure, args=(engine, nt, name, text, repeat, child)
        )
        process.start()
        out[name] = (None, None)
        if parent.poll(limit * 4):  # loading is not the query: a longer wait
            _, seconds, _ = parent.recv()
            loads.append(seconds)
            if parent.poll(limit):
                _, seconds, rows = parent.recv()
                out[name] = (seconds, rows)
        process.kill()
        process.join()
    out["load"] = (statistics.median(loads) if loads else None, None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="content root (default: the repository)")
    parser.add_argument("--as-of", default="2026-12-01")
    parser.add_argument("--scale", default="1,10,50", help="copies of the entries, e.g. 1,10,50")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per measurement")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    result = check(args.root, as_of)
    base = result.full_graph()
    queries = saved_queries(args.root)
    print(f"# gapkb engines — {args.root}, as of {as_of}, median of {args.repeat} runs (seconds)")
    print("# python", sys.version.split()[0], "— cores:", mp.cpu_count())
    for copies in (int(c) for c in args.scale.split(",")):
        graph = scaled(base, copies)
        # Ids of copy 0 for the id parameters (eu-ai-act -> eu-ai-act-c0).
        suffix = "-c0" if copies > 1 else ""
        texts = {
            name: bind(
                q,
                {
                    p.name: f"{p.default}{suffix}"
                    for p in q.params
                    if p.type in ("instrument", "concept") and p.default
                },
                as_of,
            )
            for name, q in queries.items()
        }
        nt = graph.serialize(format="nt", encoding="utf-8")
        ox_times = measure("pyoxigraph", nt, texts, args.repeat, args.limit)
        rdf_times = measure("rdflib", nt, texts, args.repeat, args.limit)
        print(f"\n## ×{copies}: {len(graph):,} triples")
        print(f"{'step':<22}{'pyoxigraph':>12}{'rdflib':>12}{'ratio':>9}  answers")
        for name in ["load", *texts]:
            a, rows_a = ox_times.get(name, (None, None))
            b, rows_b = rdf_times.get(name, (None, None))

            def cell(v: float | None) -> str:
                return f"{v:12.4f}" if v is not None else f"{'>' + str(int(args.limit)):>12}"

            ratio = f"{b / a:8.0f}×" if a and b else f"{'—':>9}"
            if name == "load":
                same = ""
            elif isinstance(rows_a, str) or isinstance(rows_b, str):
                same = str(rows_a if isinstance(rows_a, str) else rows_b)
            elif rows_a is None or rows_b is None:
                same = "(no answer within the limit)"
            else:
                same = f"{'same' if rows_a == rows_b else 'DIFFER'} ({len(rows_a)} rows)"  # type: ignore[arg-type]
            print(f"{name:<22}{cell(a)}{cell(b)}{ratio}  {same}")


if __name__ == "__main__":
    main()
