"""Inline errors in GitHub Actions: workflow annotations, their escaping, the job summary."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gapkb.cli import cli
from gapkb.contributing.annotations import (
    MAX_ANNOTATIONS,
    annotation,
    annotations_to_print,
    escape_data,
    escape_property,
    md,
    summary_markdown,
    workflow_commands,
)
from gapkb.findings import Finding, Severity
from gapkb.report import GapRow
from tests.conftest import AS_OF, CASES

UNKNOWN_CONCEPT = (
    "::error file=instruments/unknown-concept.yaml,line=18,"
    "title=gapkb violation GK302%3A coverage[0].concept::"
    "unknown concept 'red-teeming' — did you mean 'red-teaming'?"
)


def test_escape_data() -> None:
    # % first, so that an escaped character is not escaped again
    assert escape_data("100% sure\r\nnext line %0A") == "100%25 sure%0D%0Anext line %250A"
    assert escape_data("a: b, c") == "a: b, c"


def test_escape_property() -> None:
    assert escape_property("dir,x/a:b.yaml") == "dir%2Cx/a%3Ab.yaml"
    assert escape_property("50%\n") == "50%25%0A"


def test_annotation_levels_and_properties() -> None:
    finding = Finding("concepts/x.yaml", 7, "title", "bad: value,\nreally 100%")
    assert annotation(finding, "kb/concepts/x.yaml") == (
        "::error file=kb/concepts/x.yaml,line=7,title=gapkb violation%3A title::"
        "bad: value,%0Areally 100%25"
    )
    warning = Finding("concepts/x.yaml", 2, "", "a gap", Severity.WARNING)
    assert annotation(warning, "concepts/x.yaml") == (
        "::warning file=concepts/x.yaml,line=2,title=gapkb warning::a gap"
    )
    info = Finding("concepts/x.yaml", 2, "", "implicit only", Severity.INFO)
    assert annotation(info, "concepts/x.yaml").startswith("::notice file=concepts/x.yaml,line=2,")
    # a finding with no file is annotated on the run, not on a line
    assert annotation(Finding("", 0, "", "inconsistent"), "") == (
        "::error title=gapkb violation::inconsistent"
    )


def test_paths_are_relative_to_the_workspace(tmp_path: Path) -> None:
    finding = Finding("concepts/x.yaml", 3, "id", "m")
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    (command,) = workflow_commands([finding], tmp_path / "content", env)
    assert command.startswith("::error file=content/concepts/x.yaml,line=3,")


def _case_copy(sample_copy: Path, case: str) -> None:
    for path in (CASES / case).rglob("*.yaml"):
        target = sample_copy / path.relative_to(CASES / case)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


@pytest.fixture
def actions_env(sample_copy: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(sample_copy),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }


def _check(root: Path, env: dict[str, str], *args: str) -> Result:
    runner = CliRunner(env=env)
    return runner.invoke(cli, ["check", "--root", str(root), "--as-of", AS_OF, *args])


def test_check_prints_annotations_in_actions(
    sample_copy: Path, actions_env: dict[str, str]
) -> None:
    _case_copy(sample_copy, "unknown-concept")
    result = _check(sample_copy, actions_env)
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert UNKNOWN_CONCEPT in commands
    assert (
        "::warning file=concepts/alignment.yaml,line=2,title=gapkb warning GK451::Used by 0 binding instruments"
        in result.stdout
    )
    assert "::notice file=concepts/model-merging-risk.yaml,line=2," in result.stdout
    findings = json.loads(_check(sample_copy, {}, "--format", "json").stdout)["findings"]
    assert len(commands) == min(len(findings), MAX_ANNOTATIONS)
    assert commands[0] == UNKNOWN_CONCEPT  # violations first


def test_json_stays_parseable_in_actions(sample_copy: Path, actions_env: dict[str, str]) -> None:
    _case_copy(sample_copy, "unknown-concept")
    result = _check(sample_copy, actions_env, "--format", "json")
    json.loads(result.stdout)
    assert UNKNOWN_CONCEPT in result.stderr.splitlines()


def test_summary_is_appended(sample_copy: Path, actions_env: dict[str, str]) -> None:
    _case_copy(sample_copy, "unknown-concept")
    summary = Path(actions_env["GITHUB_STEP_SUMMARY"])
    summary.write_text("earlier step\n")
    _check(sample_copy, actions_env)
    _check(sample_copy, actions_env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## gapkb check — as of 2026-12-01\n")
    assert text.count("## gapkb check") == 2
    assert "### Violations (must be fixed): 1\n" in text
    assert (
        "| instruments/unknown-concept.yaml | 18 | coverage\\[0\\].concept | GK302 unknown concept "
        "'red-teeming' — did you mean 'red-teaming'? |"
    ) in text
    assert "| Alignment (alignment) | 0 | 0 | 0 | never covered |" in text


def test_nothing_extra_outside_actions(
    run_cli: Callable[..., Result], sample_copy: Path, tmp_path: Path
) -> None:
    _case_copy(sample_copy, "unknown-concept")
    result = CliRunner(
        env={"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": str(tmp_path / "s")}
    ).invoke(cli, ["check", "--root", str(sample_copy), "--as-of", AS_OF])
    assert "::" not in result.output
    assert not (tmp_path / "s").exists()


def test_summary_escapes_contributed_text() -> None:
    finding = Finding("concepts/x.yaml", 1, "title", "'<script>x</script>' | [a](javascript:b)")
    row = GapRow("x", "*Bold* <img src=x> | [link](http://e)", 0, 0, 0, "never covered")
    text = summary_markdown([finding], [row], AS_OF)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;x&lt;/script&gt;" in text
    assert "\\| \\[a\\](javascript:b)" in text
    assert "\\*Bold\\* &lt;img src=x&gt; \\| \\[link\\](http://e) (x)" in text
    assert md("a\nb") == "a b"


def test_at_most_ten_annotations_violations_first(tmp_path: Path) -> None:
    findings = [
        Finding(f"concepts/c{i:02}.yaml", 2, "", "a gap", Severity.WARNING) for i in range(12)
    ]
    findings += [
        Finding("instruments/z.yaml", 5, "id", "bad id"),
        Finding("", 0, "", "inconsistent"),
    ]
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    commands, rest = annotations_to_print(findings, tmp_path, env)
    assert len(commands) == MAX_ANNOTATIONS and rest == len(findings) - MAX_ANNOTATIONS
    assert commands[:2] == [
        "::error title=gapkb violation::inconsistent",
        "::error file=instruments/z.yaml,line=5,title=gapkb violation%3A id::bad id",
    ]
    assert commands[2].startswith("::warning file=concepts/c00.yaml,line=2,")
    assert commands[-1].startswith("::warning file=concepts/c07.yaml,line=2,")


def test_only_the_changed_files_are_annotated(tmp_path: Path) -> None:
    findings = [
        Finding("concepts/a.yaml", 3, "title", "bad title"),
        Finding("concepts/b.yaml", 4, "title", "bad title"),
        Finding("", 0, "", "inconsistent"),  # about no file: always shown
    ]
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    # the changed list is relative to the repository (the workspace), the findings to root
    commands, rest = annotations_to_print(findings, tmp_path / "kb", env, {"kb/concepts/b.yaml"})
    assert [c.split("::")[1].split(",")[0] for c in commands] == [
        "error title=gapkb violation",
        "error file=kb/concepts/b.yaml",
    ]
    assert rest == 1


def test_check_annotates_only_the_changed_files(
    sample_copy: Path, actions_env: dict[str, str], tmp_path: Path
) -> None:
    _case_copy(sample_copy, "unknown-concept")
    changed = tmp_path / "changed.txt"
    changed.write_text("instruments/unknown-concept.yaml\nREADME.md\n", encoding="utf-8")
    result = _check(sample_copy, actions_env, "--changed-files", str(changed))
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands == [UNKNOWN_CONCEPT]
    summary = Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    findings = json.loads(_check(sample_copy, {}, "--format", "json").stdout)["findings"]
    assert f"{len(findings) - 1} finding(s) are not annotated on the diff" in summary
    assert "| concepts/alignment.yaml | 2 |" in summary  # every finding is in the summary
    missing = _check(sample_copy, actions_env, "--changed-files", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2
    assert "cannot read the list of changed files" in missing.output
