"""Every contributor mistake, as a case file with its exact expected message beside it.

Each folder in tests/cases/ holds the files to drop into a copy of the sample knowledge
base and `expected.txt`, the violation lines `gapkb check` must print.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import AS_OF, CASES

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
EXPECTED_CASES = 24


def test_all_cases_collected() -> None:
    # A filter left in a loader once made a whole suite run one file; count them.
    assert len(CASE_DIRS) == EXPECTED_CASES


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_bad_input_is_reported(
    case: Path, sample_copy: Path, run_cli: Callable[..., Result]
) -> None:
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = sample_copy / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()

    text = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF)
    assert text.exit_code == 1
    assert "Traceback" not in text.output
    for line in expected:
        assert f"violation {line}" in text.output

    result = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF, "--format", "json")
    violations = [
        f"{f['file']}:{f['line']}:{' ' + f['field'] + ':' if f['field'] else ''} {f['message']}"
        for f in json.loads(result.output)["findings"]
        if f["severity"] == "violation"
    ]
    assert violations == expected
