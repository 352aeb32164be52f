"""Every step at one scale of the synthetic corpus, as rows of the report."""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.check import PIPELINE, step_check, step_pipeline, step_reason_alone
from bench.corpus import generate
from bench.endpoint import step_endpoint
from bench.harness import WORK, capped, capped_steps
from bench.queries import step_queries
from bench.site import step_bare_site, step_site


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
