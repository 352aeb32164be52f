"""bench/RESULTS.md: the machine, a table per scale, growth across scales; the hand-written analysis kept."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from bench.harness import AS_OF, CLIENTS
from bench.scale import Row, ScaleResult

LIBRARIES = (
    *("rdflib", "pyshacl", "owlready2", "pyoxigraph", "pydantic", "PyYAML"),
    *("mkdocs", "mkdocs-material"),
)


ANALYSIS = "<!-- analysis: kept when bench.run rewrites this file -->"


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
