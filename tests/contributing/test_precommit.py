"""The published pre-commit hook in another repository: gapkb brings its own ontology and
shapes (package data), so a knowledge base outside this project is checked by the same
model, and a commit with a bad entry is refused with the file:line message.

The slow tests build gapkb as pre-commit and pip do, from a snapshot of this project's
files (so uncommitted changes are tested too); pip fetches the dependencies (its cache
keeps later runs short).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gapkb.pipeline import PACKAGED_MODEL, model_root
from tests.conftest import CASES, REPO, SAMPLE
from tests.contributing.test_diff import GIT_ENV

MODEL_FOLDERS = ("ontology", "shapes")
# what building and installing gapkb reads (pyproject.toml's readme and licence files)
PACKAGE_FILES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "LICENSE-CONTENT.md",
    ".pre-commit-hooks.yaml",
)
PACKAGE_FOLDERS = ("src", *MODEL_FOLDERS)


def ttl_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ttl"))}


def test_a_knowledge_base_without_a_model_is_checked_with_gapkbs(tmp_path: Path) -> None:
    """Here gapkb runs from this source checkout, so its own ontology and shapes; an
    installed wheel carries copies (the wheel test below)."""
    assert not PACKAGED_MODEL.exists()  # nothing under src/ to drift from the repository's
    (tmp_path / "concepts").mkdir()
    assert model_root(tmp_path) == REPO
    assert model_root(REPO) == REPO


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(dest: Path) -> Path:
    """This project's package, as files, committed in a repository of its own."""
    dest.mkdir()
    for name in PACKAGE_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    for name in PACKAGE_FOLDERS:
        shutil.copytree(
            REPO / name,
            dest / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
    for args in (("init", "--quiet", "--initial-branch=main"), ("add", "-A")):
        assert git(dest, *args).returncode == 0
    assert git(dest, "commit", "--quiet", "-m", "gapkb").returncode == 0
    return dest


@pytest.mark.slow  # builds a wheel (pip fetches setuptools)
def test_the_wheel_holds_copies_of_the_ontology_and_shapes(tmp_path: Path) -> None:
    source = snapshot(tmp_path / "gapkb")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("gapkb-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in MODEL_FOLDERS:
            inside = {
                Path(n).name: archive.read(n)
                for n in archive.namelist()
                if n.startswith(f"gapkb/data/{name}/") and n.endswith(".ttl")
            }
            assert inside == ttl_files(REPO / name), name


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "VIRTUAL_ENV"):
        env.pop(name, None)
    # the hook runs from git; git finds pre-commit through the hook script's own path
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run([*args], cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.mark.slow  # pre-commit installs gapkb into an environment of its own
def test_the_hook_passes_a_good_commit_and_refuses_a_bad_one(tmp_path: Path) -> None:
    hooks_repo = snapshot(tmp_path / "gapkb")
    rev = git(hooks_repo, "rev-parse", "HEAD").stdout.strip()
    kb = tmp_path / "another-kb"  # outside the project, with entries and nothing else
    kb.mkdir()
    assert not (kb / "ontology").exists() and REPO not in kb.parents
    assert git(kb, "init", "--quiet", "--initial-branch=main").returncode == 0
    (kb / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n      - id: gapkb-check\n",
        encoding="utf-8",
    )
    home = tmp_path / "pre-commit-home"
    pre_commit_bin = str(Path(sys.executable).parent / "pre-commit")
    installed = pre_commit(kb, home, pre_commit_bin, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # green: a few concepts and instruments
    shutil.copytree(SAMPLE / "concepts", kb / "concepts")
    shutil.copytree(SAMPLE / "instruments", kb / "instruments")
    assert git(kb, "add", "-A").returncode == 0
    green = pre_commit(kb, home, "git", "commit", "-m", "A knowledge base of its own")
    assert green.returncode == 0, green.stdout + green.stderr
    assert "gapkb check (changed entries)" in green.stdout + green.stderr
    assert "Passed" in green.stdout + green.stderr
    assert git(kb, "rev-parse", "--verify", "HEAD").returncode == 0

    # red: a concept with a misspelt category is refused, with its file and line
    bad = CASES / "unknown-category" / "concepts" / "unknown-category.yaml"
    shutil.copyfile(bad, kb / "concepts" / "unknown-category.yaml")
    assert git(kb, "add", "concepts/unknown-category.yaml").returncode == 0
    before = git(kb, "rev-parse", "HEAD").stdout
    red = pre_commit(kb, home, "git", "commit", "-m", "A bad entry")
    output = red.stdout + red.stderr
    assert red.returncode != 0, output
    assert "Failed" in output
    expected = (CASES / "unknown-category" / "expected.txt").read_text("utf-8").strip()
    assert f"violation {expected}" in output  # concepts/unknown-category.yaml:3: category: …
    assert "Traceback" not in output
    assert git(kb, "rev-parse", "HEAD").stdout == before  # nothing was committed
