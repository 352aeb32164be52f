"""The workflows against GitHub's "Security hardening for GitHub Actions": actions pinned to
full commit SHAs, least-privilege tokens, no untrusted value pasted into a shell, caching,
path filters that cannot block a merge, superseded runs cancelled, Dependabot; and the
pull-request comment's workflow, which must never run the pull request's code.

Every workflow file is read with PyYAML (the parser GitHub's own tools are closest to):
YAML 1.1 reads the key `on` as True, so `triggers` looks both up.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
IDS = [p.name for p in WORKFLOWS]
SHA_PIN = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\s*$")
# Contexts a pull request's author controls (the hardening guide's list): never in a script.
UNTRUSTED = re.compile(
    r"\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|steps\.[\w-]+\.outputs)"
)
WRITE_SCOPES = {  # the only write access any job may have, and why
    ("ci.yml", "pages"): {"pages", "id-token"},  # deploy the site from main
    ("release.yml", "publish"): {"contents"},  # create the GitHub release
    ("pr-comment.yml", "comment"): {"pull-requests"},  # the one comment
}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def test_every_workflow_is_read() -> None:
    assert IDS == ["ci.yml", "pr-comment.yml", "release.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_actions_are_pinned_to_a_commit_sha_with_the_version_beside_it(path: Path) -> None:
    pinned = [s["uses"] for s in steps(load(path)) if "uses" in s]
    assert pinned
    for action in pinned:
        assert SHA_PIN.fullmatch(action), f"{path.name}: {action} is not pinned to a commit SHA"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    for line in lines:
        assert VERSION_COMMENT.search(line), f"{path.name}: no version comment: {line.strip()}"
    # one version per action across the workflows, so that Dependabot moves them together
    versions: dict[str, set[str]] = {}
    for other in WORKFLOWS:
        for line in other.read_text(encoding="utf-8").splitlines():
            if match := re.search(r"uses: ([\w./-]+)@([0-9a-f]{40})", line):
                versions.setdefault(match[1], set()).add(match[2])
    assert {a: v for a, v in versions.items() if len(v) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_tokens_have_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"}), "default token: read at most"
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{path.name}: job {name} must set its permissions"
        assert set(permissions.values()) <= {"read", "write", "none"}
        written = {scope for scope, access in permissions.items() if access == "write"}
        assert written == WRITE_SCOPES.get((path.name, name), set()), (path.name, name)


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_no_untrusted_value_is_pasted_into_a_script(path: Path) -> None:
    for step in steps(load(path)):
        for script in (step.get("run", ""), step.get("with", {}).get("script", "")):
            assert not UNTRUSTED.search(script), f"{path.name}: {step.get('name')}: {script}"
            # every value a script needs comes through env:, even trusted ones
            assert "${{" not in script, f"{path.name}: {step.get('name')} pastes an expression"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_checkouts_keep_no_credentials_and_jobs_time_out(path: Path) -> None:
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        assert 0 < int(job["timeout-minutes"]) <= 60, f"{path.name}: {name}"
    for step in steps(workflow):
        if uses(step) == "actions/checkout":
            assert step["with"]["persist-credentials"] is False


def test_dependency_downloads_are_cached() -> None:
    """Every ci job that installs the dependencies restores pip's and npm's downloads,
    keyed on the files that pin them (release.yml builds from downloads alone, on purpose)."""
    jobs = load(REPO / ".github" / "workflows" / "ci.yml")["jobs"]
    installing = [
        j for j in jobs.values() if any("setup.sh" in s.get("run", "") for s in j["steps"])
    ]
    assert len(installing) == 2
    for job in installing:
        names = [uses(s) or s.get("run", "") for s in job["steps"]]
        cache = next(s for s in job["steps"] if uses(s) == "actions/cache")
        setup = next(i for i, n in enumerate(names) if "setup.sh" in n)
        assert job["steps"].index(cache) < setup
        assert "~/.cache/pip" in cache["with"]["path"] and "~/.npm" in cache["with"]["path"]
        assert "hashFiles('pyproject.toml', '**/package-lock.json')" in cache["with"]["key"]
    release = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "actions/cache" not in release and "No dependency cache here" in release


def _tracked() -> list[str]:
    done = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_path_filters_cannot_block_a_merge_or_skip_a_needed_deploy() -> None:
    on = triggers(load(REPO / ".github" / "workflows" / "ci.yml"))
    # the required check must run on every pull request, or GitHub waits for it forever
    assert not set(on["pull_request"] or {}) & {"paths", "paths-ignore"}
    ignored = on["push"]["paths-ignore"]
    assert ignored
    read_by_site = ("concepts/", "instruments/", "ontology/", "shapes/", "queries/", "site/",
                    "src/", "scripts/", "mkdocs.yml", "pyproject.toml", ".github/workflows/")  # fmt: skip
    skipped = [f for f in _tracked() if any(fnmatch.fnmatch(f, p) for p in ignored)]
    assert skipped, "the filter matches no file"
    assert [f for f in skipped if f.startswith(read_by_site)] == []


def test_superseded_pull_request_runs_are_cancelled() -> None:
    ci = load(REPO / ".github" / "workflows" / "ci.yml")
    assert "github.event.pull_request.number" in ci["concurrency"]["group"]
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert ci["jobs"]["pages"]["concurrency"]["cancel-in-progress"] is False  # never mid-deploy
    comment = load(REPO / ".github" / "workflows" / "pr-comment.yml")
    assert comment["concurrency"]["cancel-in-progress"] is True
    release = load(REPO / ".github" / "workflows" / "release.yml")
    assert release["concurrency"]["cancel-in-progress"] is False  # a release runs to the end


# --- the comment: written with the pull request's code, posted without it ---------------------


def test_the_ci_workflow_uploads_the_comment_and_the_preview() -> None:
    ci = load(REPO / ".github" / "workflows" / "ci.yml")
    assert set(triggers(ci)) == {"pull_request", "push", "workflow_dispatch"}
    assert "pull_request_target" not in triggers(ci)
    job = ci["jobs"]["pull-request"]
    assert job["permissions"] == {"contents": "read"}
    uploads = {s["with"]["name"]: s for s in job["steps"] if uses(s) == "actions/upload-artifact"}
    assert uploads["site-preview"]["with"]["path"] == "public"
    assert uploads["pr-comment"]["with"]["path"] == "pr-comment"
    write = next(s for s in job["steps"] if "gapkb comment" in s.get("run", ""))
    assert "pr-comment/body.md" in write["run"] and "pr-comment/pr-number" in write["run"]
    assert write["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"
    assert "--preview site-preview" in write["run"]


def test_the_comment_workflow_never_runs_the_pull_requests_code() -> None:
    path = REPO / ".github" / "workflows" / "pr-comment.yml"
    workflow = load(path)
    assert set(triggers(workflow)) == {"workflow_run"}
    assert triggers(workflow)["workflow_run"] == {"workflows": ["ci"], "types": ["completed"]}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    assert [uses(s) for s in job["steps"]] == ["actions/download-artifact", "actions/github-script"]
    assert not any("run" in s for s in job["steps"])  # no shell at all
    text = path.read_text(encoding="utf-8")
    for forbidden in ("actions/checkout", "head_sha }}", "head.sha }}", "pull_request_target"):
        assert forbidden not in text
    download = job["steps"][0]
    assert download["with"]["name"] == "pr-comment"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"


def test_the_comment_workflow_validates_what_it_posts() -> None:
    (job,) = load(REPO / ".github" / "workflows" / "pr-comment.yml")["jobs"].values()
    script = job["steps"][1]["with"]["script"]
    assert job["steps"][1]["env"] == {"COMMENT_DIR": "${{ runner.temp }}/pr-comment"}
    # the number: digits only, one of the run's pull requests, whose head the run built
    assert r"/^[1-9][0-9]{0,9}$/.test(raw)" in script
    assert "pr.head.sha !== run.head_sha" in script
    assert "pr.head.repo.full_name !== run.head_repository.full_name" in script
    # the body: bounded, its marker set here, and one comment updated rather than another added
    assert "stat.size > MAX_FILE" in script and "body.length > MAX_BODY" in script
    assert 'const MARKER = "<!-- gapkb-pr-comment -->"' in script
    assert 'split(MARKER).join("")' in script
    assert "updateComment" in script and "createComment" in script
    assert 'c.user.login === "github-actions[bot]"' in script
    for dangerous in ("eval(", "Function(", "child_process", "exec("):
        assert dangerous not in script
    from gapkb.contributing.comment import MARKER

    assert f'const MARKER = "{MARKER}"' in script


# --- Dependabot ------------------------------------------------------------------------------


def test_dependabot_updates_actions_python_and_every_npm_package() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    npm = {
        "/" + str(Path(f).parent)
        for f in _tracked()
        if f.endswith("package.json") and "node_modules" not in f
    }
    assert npm, "no package.json found"
    assert updates == {("github-actions", "/"), ("pip", "/")} | {("npm", d) for d in npm}
    for update in config["updates"]:
        assert update["schedule"]["interval"] in ("daily", "weekly")
