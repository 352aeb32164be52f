"""`gapkb release` on the command line: written once, refused with violations or a clash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import AS_OF, CASES, apply_case


def _release(run_cli: Callable[..., Result], root: Path, out: Path) -> Result:
    return run_cli(
        "release",
        "1.0.0",
        "--root",
        str(root),
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "--no-reasoner",
    )


def test_release_writes_once(
    run_cli: Callable[..., Result], sample_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _release(run_cli, sample_copy, out)
    assert first.exit_code == 0, first.output
    folder = out / "releases" / "1.0.0"
    assert f"wrote release 1.0.0 to {folder}" in first.stderr
    assert {"SHA256SUMS", "snapshot.json", "CHANGELOG.md", "dataset.ttl"} <= {
        p.name for p in folder.iterdir()
    }
    again = _release(run_cli, sample_copy, out)
    assert again.exit_code == 2
    assert "a release is written once" in again.output


def test_release_refused_with_violations(
    run_cli: Callable[..., Result], sample_copy: Path, tmp_path: Path
) -> None:
    apply_case(CASES / "unknown-concept", sample_copy)
    result = _release(run_cli, sample_copy, tmp_path / "out")
    assert result.exit_code == 1
    assert "release stopped: 1 violation(s) — fix them first" in result.stderr
    assert not (tmp_path / "out" / "releases" / "1.0.0").exists()
