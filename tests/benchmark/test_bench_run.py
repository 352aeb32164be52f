"""The benchmark's report: what a run stopped part-way keeps, and the kept analysis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bench import scale
from bench.report import ANALYSIS, report, write
from bench.scale import Row, ScaleResult


def _partial() -> ScaleResult:
    result = ScaleResult(10, "520 concepts", measured="2026-11-24 by `python -m bench.run`")
    result.rows.append(
        Row("YAML loading (load_records vs CSafeLoader)", 0.9, 0.6, 110.0, "670 files")
    )
    result.facts["partial"] = True
    return result


def test_a_partial_scale_is_reported_with_what_it_measured(tmp_path: Path) -> None:
    text = report([_partial()], "python -m bench.run", dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    assert "| YAML loading (load_records vs CSafeLoader) | 0.900 s | 0.600 s | 1.50× |" in text
    assert "Partial: the run stopped before" in text


def test_saved_scales_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scale, "WORK", tmp_path)
    _partial().save()
    again = ScaleResult.saved(10)
    assert again.rows == _partial().rows and again.facts["partial"] is True


def test_rewriting_keeps_the_analysis(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# old table\n\n{ANALYSIS}\n\nWhat dominates, by hand.\n", encoding="utf-8")
    write(path, "# new table\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# new table") and "old table" not in text
    assert text.endswith("What dominates, by hand.\n")
