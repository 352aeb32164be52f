"""Every contributor mistake, as a case file with its exact expected message beside it.

Each folder in tests/cases/ holds the files to drop into a copy of the sample knowledge
base and `expected.txt`, the violation lines `gapkb check` must print
(`path:line: CODE field: what — fix`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from gapkb.errors import CODES
from gapkb.records import load_records
from tests.conftest import AS_OF, CASE_DIRS, CASES, apply_case

EXPECTED_CASES = 56


def test_all_cases_collected() -> None:
    # A filter left in a loader once made a whole suite run one file; count them.
    assert len(CASE_DIRS) == EXPECTED_CASES


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_bad_input_is_reported(
    case: Path, sample_copy: Path, run_cli: Callable[..., Result]
) -> None:
    apply_case(case, sample_copy)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()

    # --no-reasoner: these mistakes are found by the loader and the shapes; what HermiT
    # reports (an inconsistent knowledge base) is tested in test_reasoning.py.
    text = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF, "--no-reasoner")
    assert text.exit_code == 1
    assert "Traceback" not in text.output
    for line in expected:
        assert f"violation {line}" in text.output

    result = run_cli(
        "check", "--root", str(sample_copy), "--as-of", AS_OF, "--format", "json", "--no-reasoner"
    )
    findings = json.loads(result.output)["findings"]
    violations = [
        f"{f['file']}:{f['line']}: {f['code']}{' ' + f['field'] + ':' if f['field'] else ''} {f['message']}"
        for f in findings
        if f["severity"] == "violation"
    ]
    assert violations == expected
    assert all(f["code"] in CODES for f in findings)  # each one documented on the site


def test_a_repeated_link_or_provision_is_reported_once(sample_copy: Path) -> None:
    """The loader drops the repeat, so it cannot reach the graph as a conflicting node."""
    for case in ("duplicate-coverage-link", "duplicate-provision"):
        apply_case(CASES / case, sample_copy)
    kb = load_records(sample_copy)
    links = kb.instruments["link-twice"]
    assert [link.strength for link in links.entry.coverage] == ["explicit"]
    assert links.line("coverage", 0, "strength") == 20  # the first link's own line
    assert ("coverage", 1) not in links.lines
    provisions = kb.instruments["provision-twice"]
    assert [p.title for p in provisions.entry.provisions] == ["Subject matter"]
    assert ("provisions", 1, "title") not in provisions.lines
