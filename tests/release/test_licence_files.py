"""The licence and citation files say what the code says, and the release workflow is pinned."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from gapkb.release.licence import (
    CODE_LICENCE,
    CONTENT_LICENCE,
    COPYRIGHT_HOLDER,
    quote_note_markdown,
)
from tests.conftest import REPO


def test_code_licence() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert f"Copyright (c) 2026 {COPYRIGHT_HOLDER}" in text
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == CODE_LICENCE.spdx


def test_content_licence_lists_every_quote_basis() -> None:
    text = (REPO / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert CONTENT_LICENCE.url in text
    assert quote_note_markdown() in text


def test_citation_file() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert cff["version"] == pyproject["project"]["version"]
    assert cff["license"] == CONTENT_LICENCE.spdx
    assert cff["authors"] == [{"name": COPYRIGHT_HOLDER}]


def test_citation_file_is_valid() -> None:
    # cffconvert 2.0.0 needs jsonschema<4, the project's tests jsonschema>=4: it lives in a
    # virtual environment of its own, .venv-cff (scripts/setup.sh --test), or anywhere on PATH.
    own = REPO / ".venv-cff" / "bin" / "cffconvert"
    cffconvert = str(own) if own.is_file() else shutil.which("cffconvert")
    if cffconvert is None:
        # `make test` (and so CI) installs it: only a bare pytest run may go without.
        assert not os.environ.get("CI"), "cffconvert missing: run scripts/setup.sh --test"
        pytest.skip("cffconvert is not installed (.venv-cff/bin/cffconvert or on PATH)")
    result = subprocess.run(
        [cffconvert, "--validate", "--infile", str(REPO / "CITATION.cff")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zenodo_metadata() -> None:
    zenodo = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["license"] == CONTENT_LICENCE.spdx.lower()
    assert zenodo["upload_type"] == "dataset"
    assert zenodo["creators"] == [{"name": COPYRIGHT_HOLDER}]


def test_release_workflow_is_pinned_and_least_privilege() -> None:
    text = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    uses = re.findall(r"uses:\s*(\S+)", text)
    assert uses
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert workflow["permissions"] == {}
    writers = {
        name for name, job in workflow["jobs"].items() if "write" in job["permissions"].values()
    }
    assert writers == {"publish"}
    # No expression is expanded inside a shell script (GitHub's script-injection advice).
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_the_release_workflow_requires_the_committed_gap_record() -> None:
    """A tag whose commit lacks releases/VERSION.json stops before the release is built: the
    site's gap history is built from those records."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name", "") for step in steps]
    check = names.index("Check that the release's gap record is committed")
    assert check < names.index("Build the release")
    assert "releases/$VERSION.json" in steps[check]["run"] and "exit 1" in steps[check]["run"]
