"""Shared fixtures: the repository, the sample knowledge base, and a CLI runner."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import BaseServer

import pytest
from click.testing import CliRunner, Result

from gapkb.cli import cli

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "sample"
CASES = REPO / "tests" / "cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
AS_OF = "2026-12-01"

# What a CI service sets that changes what the command line prints (GitHub Actions'
# workflow annotations and job summary). Removed for every test, so that the suite gives
# the same answers wherever it runs; the tests of those features set them explicitly.
CI_OUTPUT_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")


@pytest.fixture(autouse=True)
def _no_ci_output_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CI_OUTPUT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def apply_case(case: Path, root: Path) -> None:
    """Drop a bad-input case's files (all but its expected.txt) into the knowledge base at root."""
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@contextmanager
def serving_in_thread(server: BaseServer) -> Iterator[int]:
    """Run `server` in a thread; yield its port; shut it down afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample knowledge base, with the project's ontology and shapes."""
    root = tmp_path / "kb"
    shutil.copytree(SAMPLE, root)
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "shapes", root / "shapes")
    return root


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the command line in-process."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run
