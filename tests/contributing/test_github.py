""".github/: the workflow, the pull-request template and the issue forms.

The files are read with the project's own YAML loader (YAML 1.2, so `on:`
stays a key rather than YAML 1.1's True). Every `gapkb` command the workflow or the
template names must exist with the options it is given, so renaming a command or an
option fails here rather than in the first pull request after it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result

from gapkb.cli import cli
from gapkb.entry_yaml import parse_yaml
from gapkb.model import Category, Strength
from tests.conftest import REPO

GITHUB = REPO / ".github"
WORKFLOW = GITHUB / "workflows" / "ci.yml"
FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))
EXPECTED_FORMS = ["propose-concept.yml", "report-wrong-coverage-link.yml"]
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def load(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"))[0]


def workflow() -> dict[str, Any]:
    data = load(WORKFLOW)
    assert isinstance(data, dict)
    return data


def job(name: str) -> dict[str, Any]:
    jobs: dict[str, Any] = workflow()["jobs"]
    return jobs[name]


def run_lines(job_name: str) -> list[str]:
    """Every shell line the job runs, with GitHub expressions and variables made words."""
    lines = []
    for step in job(job_name)["steps"]:
        for line in step.get("run", "").splitlines():
            line = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", line).split(">>")[0]
            lines.append(re.sub(r"\$\{?(\w+)\}?", r"\1", line).strip())
    return [line for line in lines if line]


def gapkb_calls(lines: list[str]) -> list[list[str]]:
    """The argument lists of every `gapkb` (or `.venv/bin/gapkb`) call in `lines`."""
    calls = []
    for line in lines:
        words = shlex.split(line)
        for i, word in enumerate(words):
            if Path(word).name == "gapkb":
                calls.append(words[i + 1 :])
    return calls


def command_for(args: list[str]) -> tuple[click.Command, list[str]]:
    """The click command `args` names (descending through groups) and the rest of the args."""
    command: click.Command = cli
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"gapkb has no command {args[: len(args) - len(rest) + 1]}"
        command, rest = sub, rest[1:]
    return command, rest


def assert_command_exists(args: list[str], run_cli: Callable[..., Result]) -> None:
    """The command answers --help, and takes every option `args` gives it."""
    command, rest = command_for(args)
    path = args[: len(args) - len(rest)]
    shown = run_cli(*path, "--help")
    assert shown.exit_code == 0, shown.output
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in rest:
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"gapkb {' '.join(path)} has no option {word}"


# --- the workflow ----------------------------------------------------------------------


def test_runs_on_pull_requests_and_on_main() -> None:
    triggers = workflow()["on"]
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert job("pull-request")["if"] == "github.event_name == 'pull_request'"
    assert "refs/heads/main" in job("pages")["if"]


def test_pull_request_job_checks_diffs_tests_and_builds(
    run_cli: Callable[..., Result],
) -> None:
    lines = run_lines("pull-request")
    calls = gapkb_calls(lines)
    # plain check: in Actions it prints the annotations itself, on the changed files only
    assert ["check", "--changed-files", "RUNNER_TEMP/changed-files.txt"] in calls
    assert ["diff", "origin/BASE_REF", "--format", "markdown"] in calls
    assert ["build", "--out", "public"] in calls
    assert ["comment", "origin/BASE_REF", "$@", "--out", "pr-comment/body.md"] in calls
    assert "make test" in lines
    for args in calls:
        assert_command_exists(args, run_cli)
    # the options the comment step passes through "$@"
    assert_command_exists(
        ["comment", "--changed-files", "--run-url", "--preview", "--out"], run_cli
    )
    steps = job("pull-request")["steps"]
    diff = next(s for s in steps if "gapkb diff" in s.get("run", ""))
    assert diff["run"].endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"  # not pasted into the script
    changed = next(s for s in steps if "git diff --name-only" in s.get("run", ""))
    assert '"origin/$BASE_REF...HEAD"' in changed["run"]  # the pull request's own changes
    assert changed["run"].endswith('> "$RUNNER_TEMP/changed-files.txt"')
    checkout = next(s for s in steps if "checkout" in s.get("uses", ""))
    assert str(checkout["with"]["fetch-depth"]) == "0"  # the base branch must be in the clone


def test_make_targets_and_scripts_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, flags=re.MULTILINE))
    for name in ("pull-request", "pages"):
        for line in run_lines(name):
            words = shlex.split(line)
            if words[0] == "make":
                assert set(words[1:]) <= targets, line
            if words[0].startswith("scripts/"):
                script = REPO / words[0]
                assert script.is_file() and script.stat().st_mode & 0o111, words[0]


def test_pages_job_publishes_the_built_site(run_cli: Callable[..., Result]) -> None:
    pages = job("pages")
    assert pages["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
    assert pages["environment"]["name"] == "github-pages"
    builds = [c for c in gapkb_calls(run_lines("pages")) if c[:1] == ["build"]]
    assert len(builds) == 1
    assert_command_exists(builds[0], run_cli)
    out = builds[0][builds[0].index("--out") + 1]
    steps = {s.get("uses", "").split("@")[0]: s for s in pages["steps"]}
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == out
    assert "actions/deploy-pages" in steps
    # the workflow's default token has no access; only the pages job may deploy
    assert workflow()["permissions"] == {}


# --- the pull-request template ------------------------------------------------------------


def test_template_checklist_names_real_commands(run_cli: Callable[..., Result]) -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, flags=re.MULTILINE)) >= 5
    named = re.findall(r"`gapkb ([^`]+)`", text)
    assert {n.split()[0] for n in named} >= {"check", "diff"}
    for args in named:
        assert_command_exists(shlex.split(args), run_cli)
    fields = set(re.findall(r"`([a-z_]+)`", text))
    assert {"quote", "quote_lang", "quote_en", "strength", "unverified"} <= fields


# --- the issue forms ----------------------------------------------------------------------


def test_every_issue_form_is_collected() -> None:
    assert [p.name for p in FORMS] == EXPECTED_FORMS


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_issue_form_is_well_formed(path: Path) -> None:
    form = load(path)
    for key in ("name", "description", "title", "labels", "body"):
        assert form.get(key), f"{path.name}: {key} is missing"
    ids = []
    for item in form["body"]:
        assert item["type"] in FORM_TYPES, item
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        ids.append(item["id"])
        assert re.fullmatch(r"[a-z][a-z0-9-]*", item["id"])
        assert item["attributes"]["label"].strip()
        assert item.get("validations", {}).get("required") in (True, False)
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert options and len(set(options)) == len(options)
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate ids"
    assert any(i.get("validations", {}).get("required") is True for i in form["body"])


def _dropdown(form: str, field: str) -> list[str]:
    body = load(GITHUB / "ISSUE_TEMPLATE" / form)["body"]
    options: list[str] = next(i for i in body if i.get("id") == field)["attributes"]["options"]
    return options


def test_dropdowns_offer_the_models_values() -> None:
    assert _dropdown("propose-concept.yml", "category") == [c.value for c in Category]
    assert _dropdown("report-wrong-coverage-link.yml", "strength") == [s.value for s in Strength]
