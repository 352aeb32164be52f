"""`gapkb check FILES...`: all entries loaded, only the named files reported (pre-commit)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import AS_OF, CASES, SAMPLE


def _add_case(root: Path, case: str) -> None:
    for path in (CASES / case).rglob("*.yaml"):
        target = root / path.relative_to(CASES / case)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_only_named_files_are_reported(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    _add_case(sample_copy, "unknown-concept")  # a violation in another file
    alignment = str(sample_copy / "concepts" / "alignment.yaml")
    result = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF, alignment)
    assert result.exit_code == 0, result.output
    assert "reporting 1 file(s) only: concepts/alignment.yaml\n" in result.output
    assert "unknown-concept" not in result.output
    assert "warning   concepts/alignment.yaml:2: Used by 0 instruments in force" in result.output
    table = result.output[result.output.index("Gaps as of") :].splitlines()
    assert [row.split()[0] for row in table[2:-2]] == ["alignment"]
    assert result.output.rstrip().endswith(
        "— 1 gap(s) of 1 concepts (never covered 1, implicit only 0, no longer covered 0)"
    )


def test_a_named_file_with_a_violation_fails(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    _add_case(sample_copy, "unknown-concept")
    bad = sample_copy / "instruments" / "unknown-concept.yaml"
    result = run_cli(
        "check", "--root", str(sample_copy), "--as-of", AS_OF, "--format", "json", str(bad)
    )
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert {f["file"] for f in findings} == {"instruments/unknown-concept.yaml"}


def test_cross_references_still_see_every_entry(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    # model-merging-risk names alignment and red-teaming, which are not named here
    path = sample_copy / "concepts" / "model-merging-risk.yaml"
    result = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF, str(path))
    assert result.exit_code == 0, result.output
    assert "unknown concept" not in result.output


def test_no_reasoner_gives_the_same_gaps(run_cli: Callable[..., Result]) -> None:
    def gaps(*args: str) -> list[dict[str, object]]:
        out = run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF, "--format", "json", *args)
        concepts: list[dict[str, object]] = json.loads(out.stdout)["concepts"]
        return concepts

    assert gaps("--no-reasoner") == gaps()
    text = run_cli("check", "--root", str(SAMPLE), "--as-of", AS_OF, "--no-reasoner").output
    assert "reasoner: skipped (--no-reasoner; built-in rules)" in text.splitlines()[0]


def test_files_that_are_not_entries_are_usage_errors(
    run_cli: Callable[..., Result], sample_copy: Path, tmp_path: Path
) -> None:
    (sample_copy / "README.md").write_text("x")
    cases = {
        str(
            sample_copy / "README.md"
        ): "is not an entry — name .yaml files under concepts/ or instruments/",
        str(sample_copy / "concepts" / "nope.yaml"): "does not exist",
        str(tmp_path / "elsewhere.yaml"): f"is not under {sample_copy} — name entry files",
        str(sample_copy / "shapes" / "gaps.ttl"): "is not an entry",
    }
    for name, message in cases.items():
        result = run_cli("check", "--root", str(sample_copy), name)
        assert result.exit_code == 2, name
        assert f"Error: {name} {message}" in result.stderr
