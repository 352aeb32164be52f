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
import datetime as dt
import sys
from pathlib import Path

from bench.check import profile_check
from bench.corpus import REPO
from bench.harness import WORK, capped
from bench.report import report, write
from bench.scale import ScaleResult, measure_scale


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
