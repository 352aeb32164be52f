"""The command line, in-process: exit codes, formats, the gap table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from gapkb.cli import cli
from tests.conftest import AS_OF, SAMPLE


def test_check_sample_text(run_cli: Callable[..., Result]) -> None:
    result = run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0
    out = result.output
    assert out.startswith(
        "gapkb check — as of 2026-12-01 — 4 concepts, 3 instruments, 3 coverage links"
    )
    assert "Gaps as of 2026-12-01: concepts used by 0 binding instruments in force" in out
    table = out[out.index("Gaps as of") :].splitlines()
    assert table[1].split() == [
        "concept",
        "used",
        "by",
        "implicit",
        "voluntary",
        "former",
        "status",
    ]
    assert table[2].split() == ["alignment", "0", "0", "0", "0", "never", "covered"]
    assert table[3].split() == ["model-merging-risk", "0", "1", "0", "0", "implicit", "only"]
    assert table[4].split() == ["compute-threshold", "0", "0", "0", "1", "no", "longer", "covered"]
    assert out.rstrip().endswith(
        "0 violation(s), 3 warning(s), 2 info(s) — 3 gap(s) of 4 concepts "
        "(never covered 1, implicit only 1, voluntary only 0, no longer covered 1)"
    )


def test_findings_are_grouped_by_file(run_cli: Callable[..., Result]) -> None:
    out = run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF).output
    assert (
        "concepts/model-merging-risk.yaml\n  info      concepts/model-merging-risk.yaml:2: GK452 Covered only implicitly"
        in out
    )
    assert (
        "warning   concepts/alignment.yaml:2: GK451 Used by 0 binding instruments in force" in out
    )


def test_as_of_changes_the_gaps(run_cli: Callable[..., Result]) -> None:
    # EO 14110 governed compute thresholds from 2023-10-30 until its revocation on 2025-01-20.
    before = json.loads(
        run_cli("check", "--root", str(SAMPLE), "--as-of", "2024-06-01", "--format", "json").output
    )
    status = {c["concept"]: c["status"] for c in before["concepts"]}
    assert status["compute-threshold"] == "covered"
    assert status["red-teaming"] == "never covered"  # Art. 55 applies from 2025-08-02
    after = json.loads(
        run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF, "--format", "json").output
    )
    status = {c["concept"]: c["status"] for c in after["concepts"]}
    assert status == {
        "alignment": "never covered",
        "model-merging-risk": "implicit only",
        "compute-threshold": "no longer covered",
        "red-teaming": "covered",
    }


def test_json_format(run_cli: Callable[..., Result]) -> None:
    document = json.loads(
        run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF, "--format", "json").output
    )
    assert document["as_of"] == AS_OF
    assert {f["severity"] for f in document["findings"]} == {"warning", "info"}
    mmr = next(c for c in document["concepts"] if c["concept"] == "model-merging-risk")
    assert mmr == {
        "concept": "model-merging-risk",
        "title": "Model merging risk",
        "used_by": 0,
        "implicit": 1,
        "former": 0,
        "voluntary": 0,
        "status": "implicit only",
        "gap": True,
    }


def test_usage_errors_exit_2(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    bad_date = run_cli("check", "--root", str(SAMPLE), "--as-of", "24/11/2026")
    assert bad_date.exit_code == 2
    assert "'24/11/2026' is not a date — write YYYY-MM-DD" in bad_date.output
    missing = run_cli("check", "--root", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert run_cli("check", "--format", "yaml").exit_code == 2
    assert run_cli("no-such-command").exit_code == 2


def test_a_broken_manifest_stops_the_check(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    """GK312 reads verification/manifest.yaml: one that cannot be read is a usage error."""
    (sample_copy / "verification").mkdir()
    (sample_copy / "verification" / "manifest.yaml").write_text("eu-ai-act: [\n", "utf-8")
    result = run_cli("check", "--root", str(sample_copy), "--no-reasoner")
    assert result.exit_code == 2
    assert "verification/manifest.yaml: not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help(run_cli: Callable[..., Result]) -> None:
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help, name
        assert run_cli(name, "--help").exit_code == 0


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "gapkb", "check", "--root", str(SAMPLE), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "3 gap(s) of 4 concepts" in done.stdout
