"""`gapkb check FILES...`: all entries loaded, only the named files reported (pre-commit)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from gapkb.entry_yaml import parse_yaml
from tests.conftest import AS_OF, CASES, REPO, SAMPLE


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
    assert (
        "warning   concepts/alignment.yaml:2: GK451 Used by 0 binding instruments in force"
        in result.output
    )
    table = result.output[result.output.index("Gaps as of") :].splitlines()
    assert [row.split()[0] for row in table[2:-2]] == ["alignment"]
    assert result.output.rstrip().endswith(
        "— 1 gap(s) of 1 concepts (never covered 1, implicit only 0, voluntary only 0, no longer covered 0)"
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


# --- the pre-commit hooks ----------------------------------------------------------------

HOOK_CONFIGS = {
    # this repository's own hook: the project's virtualenv, run from the repository root
    "local": lambda: parse_yaml((REPO / ".pre-commit-config.yaml").read_text("utf-8"))[0]["repos"][
        0
    ]["hooks"][0],
    # the hook other repositories use: gapkb installed into pre-commit's environment
    "published": lambda: parse_yaml((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))[0][0],
}


def run_hook(
    hook: dict[str, Any], root: Path, files: list[str]
) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry as pre-commit does: from the repository root, files appended."""
    bin_dir = Path(sys.prefix) / "bin"  # the environment running the tests has gapkb
    if not (root / ".venv").exists():
        (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    selected = [f for f in files if re.search(hook["files"], f)]
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [*shlex.split(hook["entry"]), *selected],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(HOOK_CONFIGS))
def test_hook_selects_entries_only(name: str) -> None:
    hook = HOOK_CONFIGS[name]()
    assert hook["id"] == "gapkb-check"
    assert hook["pass_filenames"] is True
    matches = [
        "concepts/alignment.yaml",
        "instruments/eu-ai-act.yaml",
        "concepts/old.yml",
    ]
    others = [
        "schema/concept.schema.json",
        "tests/sample/concepts/alignment.yaml",
        "concepts/sub/x.yaml",
        "site/index.md",
    ]
    assert [f for f in matches + others if re.search(hook["files"], f)] == matches


@pytest.mark.slow  # the pre-commit hook as a process, on a git clone
@pytest.mark.parametrize("name", sorted(HOOK_CONFIGS))
def test_hook_passes_a_good_change_and_fails_a_bad_one(name: str, sample_copy: Path) -> None:
    hook = HOOK_CONFIGS[name]()
    good = sample_copy / "concepts" / "alignment.yaml"
    text = re.sub(r"(?m)^updated: .*$", "updated: 2026-11-30", good.read_text("utf-8"))
    assert "updated: 2026-11-30" in text
    good.write_text(text, "utf-8")
    _add_case(sample_copy, "unknown-category")
    done = run_hook(hook, sample_copy, ["concepts/alignment.yaml", "README.md"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reporting 1 file(s) only: concepts/alignment.yaml" in done.stdout

    bad = "concepts/unknown-category.yaml"
    done = run_hook(hook, sample_copy, ["concepts/alignment.yaml", bad])
    assert done.returncode == 1, done.stdout + done.stderr
    expected = (CASES / "unknown-category" / "expected.txt").read_text("utf-8").strip()
    assert f"violation {expected}" in done.stdout
    assert "Traceback" not in done.stderr
