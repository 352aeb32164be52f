"""`gapkb diff BASE_REF`: a simulated pull request in a temporary git repository."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from gapkb.contributing.diff import EntryChange, GapChange, LinkChange, ProvisionChange, diff
from gapkb.contributing.diff_render import render_markdown, render_text
from gapkb.contributing.scaffold import fill
from tests.conftest import AS_OF, REPO, SAMPLE
from tests.contributing.test_scaffold import CONCEPT_VALUES

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Contributor",
    "GIT_AUTHOR_EMAIL": "contributor@example.org",
    "GIT_COMMITTER_NAME": "Contributor",
    "GIT_COMMITTER_EMAIL": "contributor@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
NEW_LINK = """  - concept: alignment
    provision: art-55-1-a
    strength: explicit
    note: Adversarial testing checks that the model pursues the intended goals.
"""
NEW_PROVISION = """  - id: art-15
    label: Art. 15
    title: Accuracy, robustness and cybersecurity
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_repo(path: Path) -> Path:
    """A git repository holding the sample knowledge base, committed on `main`."""
    shutil.copytree(SAMPLE, path)
    shutil.copytree(REPO / "ontology", path / "ontology")
    shutil.copytree(REPO / "shapes", path / "shapes")
    git(path, "init", "--quiet", "--initial-branch=main")
    git(path, "add", "-A")
    git(path, "commit", "--quiet", "-m", "base")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "kb")


@pytest.mark.slow  # the whole check (HermiT) on three trees
def test_pull_request_adding_a_concept_opens_one_gap(
    repo: Path, run_cli: Callable[..., Result]
) -> None:
    git(repo, "switch", "--quiet", "-c", "add-reward-hacking")
    head = git(repo, "rev-parse", "HEAD")

    made = run_cli(
        "new", "concept", "reward-hacking", "--root", str(repo),
        "--title", "Reward hacking", "--category", "safety",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    path = repo / "concepts" / "reward-hacking.yaml"
    path.write_text(fill(path.read_text(encoding="utf-8"), CONCEPT_VALUES), encoding="utf-8")

    checked = run_cli("check", "--root", str(repo), "--as-of", AS_OF, "--format", "json")
    assert checked.exit_code == 0, checked.output
    rows = {c["concept"]: c["status"] for c in json.loads(checked.stdout)["concepts"]}
    assert rows["reward-hacking"] == "never covered"

    result = run_cli("diff", "main", "--root", str(repo), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("gapkb diff — main (")
    assert lines[0].endswith(") → working tree — as of 2026-12-01")
    assert lines[1:] == [
        "",
        "1 gap(s) opened, 0 closed",
        "  + reward-hacking                 new concept → never covered",
        "",
        "entries: 1 added, 0 changed, 0 removed",
        "  + concepts/reward-hacking.yaml",
        "",
        "provisions: 0 added, 0 removed",
        "",
        "coverage links: 0 added, 0 removed",
    ]
    markdown = run_cli(
        "diff", "main", "--root", str(repo), "--as-of", AS_OF, "--format", "markdown"
    )
    assert "**1 gap(s) opened, 0 closed**" in markdown.output
    assert "| opened | Reward hacking (reward-hacking) | new concept → never covered |" in (
        markdown.output
    )
    # the user's checkout is untouched: same branch, same commit, only the new file
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "branch", "--show-current").strip() == "add-reward-hacking"
    assert git(repo, "status", "--porcelain") == "?? concepts/reward-hacking.yaml\n"


def test_a_new_link_closes_a_gap(repo: Path) -> None:
    path = repo / "instruments" / "eu-ai-act.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_LINK, encoding="utf-8")
    result = diff(repo, "HEAD", dt.date(2026, 12, 1), use_java=False)
    assert result.gaps == [
        GapChange("closed", "alignment", "Alignment", "never covered", "covered")
    ]
    assert result.links == [
        LinkChange("added", "eu-ai-act", "art-55-1-a", "alignment", None, "explicit")
    ]
    assert result.entries == [
        EntryChange(
            "changed", "instrument", "eu-ai-act", "instruments/eu-ai-act.yaml", ("coverage",)
        )
    ]


def test_removals_and_strength_changes(repo: Path) -> None:
    path = repo / "instruments" / "eu-ai-act.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("strength: implicit", "strength: explicit"), encoding="utf-8")
    (repo / "concepts" / "alignment.yaml").unlink()
    result = diff(repo, "main", dt.date(2026, 12, 1), use_java=False)
    assert (
        LinkChange("changed", "eu-ai-act", "rec-110", "model-merging-risk", "implicit", "explicit")
        in result.links
    )
    # A recital never governs, even when marked explicit (the check reports that as a
    # violation), so the gap stays open.
    assert not any(change.concept == "model-merging-risk" for change in result.gaps)
    assert GapChange("removed", "alignment", "Alignment", "never covered", None) in result.gaps
    assert EntryChange("removed", "concept", "alignment", "concepts/alignment.yaml") in (
        result.entries
    )
    # model-merging-risk still names alignment: a violation, which the diff warns about
    assert result.head_violations > 0


def test_an_entry_that_does_not_load_is_unreadable_not_removed(
    repo: Path, run_cli: Callable[..., Result]
) -> None:
    (repo / "concepts" / "alignment.yaml").write_text("id: alignment\ntitle: [\n")
    result = run_cli("diff", "main", "--root", str(repo), "--as-of", AS_OF, "--no-reasoner")
    assert result.exit_code == 0, result.output
    assert "warning: 1 entry file(s) did not load" in result.output
    assert "entries: 0 added, 0 changed, 0 removed, 1 unreadable" in result.output
    assert "  ! concepts/alignment.yaml" in result.output
    assert "0 gap(s) opened, 0 closed" in result.output  # not "alignment: gap removed"
    assert re.search(  # the finding's code, as `gapkb check` prints it
        r"did not load:\n  ! head: concepts/alignment\.yaml:3: GK1\d\d YAML cannot read this line:",
        result.output,
    )


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_instrument_that_does_not_load_opens_no_false_gap(repo: Path) -> None:
    # Without the EU AI Act's links red-teaming would look uncovered: a gap that is not there.
    eu = repo / "instruments" / "eu-ai-act.yaml"
    _break(eu, "binding: true", "binding: perhaps")
    result = diff(repo, "main", dt.date(2026, 12, 1), use_java=False)
    assert result.gaps == []
    assert result.links == [] and result.provisions == []
    (error,) = result.load_errors
    assert (error.side, error.path, error.line, error.field) == (
        "head", "instruments/eu-ai-act.yaml", 9, "binding",
    )  # fmt: skip
    assert "perhaps" in error.message
    assert ("red-teaming", "instruments/eu-ai-act.yaml") in result.withheld
    assert result.entries == [
        EntryChange("unreadable", "instrument", "eu-ai-act", "instruments/eu-ai-act.yaml")
    ]
    text = render_text(result)
    assert "\n0 gap(s) opened, 0 closed\n\nentries:" in text
    assert "  ? red-teaming                    instruments/eu-ai-act.yaml\n" in text


def test_a_base_that_does_not_load_closes_no_false_gap(repo: Path) -> None:
    # The base branch has a broken instrument; the pull request mends it. That closes no
    # gap: red-teaming was covered all along.
    eu = repo / "instruments" / "eu-ai-act.yaml"
    good = eu.read_text(encoding="utf-8")
    _break(eu, "binding: true", "binding: perhaps")
    git(repo, "commit", "--quiet", "-am", "a broken instrument")
    eu.write_text(good, encoding="utf-8")
    result = diff(repo, "main", dt.date(2026, 12, 1), use_java=False)
    assert result.gaps == []
    assert result.links == [] and result.provisions == []
    assert [(e.side, e.path, e.field) for e in result.load_errors] == [
        ("base", "instruments/eu-ai-act.yaml", "binding")
    ]
    assert result.entries == [
        EntryChange("changed", "instrument", "eu-ai-act", "instruments/eu-ai-act.yaml")
    ]
    assert re.search(
        r"did not load:\n  ! base: instruments/eu-ai-act\.yaml:9: GK2\d\d binding:",
        render_text(result),
    )


def test_added_provisions_are_named(repo: Path) -> None:
    eu = repo / "instruments" / "eu-ai-act.yaml"
    _break(eu, "coverage:\n", NEW_PROVISION + "coverage:\n")
    eu.write_text(eu.read_text(encoding="utf-8") + NEW_LINK.replace("art-55-1-a", "art-15"))
    result = diff(repo, "main", dt.date(2026, 12, 1), use_java=False)
    assert result.provisions == [ProvisionChange("added", "eu-ai-act", "art-15", "Art. 15")]
    assert result.links == [
        LinkChange("added", "eu-ai-act", "art-15", "alignment", None, "explicit")
    ]
    text = render_text(result)
    assert "provisions: 1 added, 0 removed\n  + eu-ai-act art-15 (Art. 15)\n" in text
    assert "| added | eu-ai-act | art-15 | Art. 15 |" in render_markdown(result)
    _break(eu, NEW_PROVISION, "")  # the link now names a provision that is not there
    eu.write_text(
        eu.read_text(encoding="utf-8").replace(NEW_LINK.replace("art-55-1-a", "art-15"), "")
    )
    _break(
        eu, "  - id: rec-110\n    label: Recital 110\n", "  - id: rec-110\n    label: Rec. 110\n"
    )
    assert diff(repo, "main", dt.date(2026, 12, 1), use_java=False).provisions == []


def test_knowledge_base_in_a_subfolder(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    make_repo(top / "kb")
    shutil.rmtree(top / "kb" / ".git")
    git(top, "init", "--quiet", "--initial-branch=main")
    git(top, "add", "-A")
    git(top, "commit", "--quiet", "-m", "base")
    (top / "kb" / "concepts" / "alignment.yaml").unlink()
    result = diff(top / "kb", "main", dt.date(2026, 12, 1), use_java=False)
    assert [e.change for e in result.entries] == ["removed"]


def test_bad_refs_are_usage_errors(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    unknown = run_cli("diff", "no-such-branch", "--root", str(repo))
    assert unknown.exit_code == 2
    assert (
        "Error: unknown git ref 'no-such-branch' — name a branch, tag or commit "
        "(fetch it first, e.g. `git fetch origin main`)"
    ) in unknown.stderr
    option = run_cli("diff", "--root", str(repo), "--", "--output=/tmp/x")
    assert option.exit_code == 2
    assert "Error: '--output=/tmp/x' is not a git ref" in option.stderr
    outside = tmp_path / "plain"
    shutil.copytree(SAMPLE, outside)
    not_git = run_cli("diff", "main", "--root", str(outside))
    assert not_git.exit_code == 2
    assert f"Error: {outside} is not inside a git repository" in not_git.stderr
