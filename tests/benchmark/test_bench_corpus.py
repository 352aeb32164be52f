"""The benchmark's synthetic corpus: deterministic, k times the real shape, and valid."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from bench.corpus import REPO, CorpusError, generate, shape_of

from gapkb.findings import Severity
from gapkb.pipeline import CheckResult, check

pytestmark = pytest.mark.slow  # the benchmark: corpora at 2x and 10x the content

AS_OF = dt.date(2026, 6, 1)  # fixed, so the gap statuses do not move with the calendar


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}


def _statuses(result: CheckResult) -> Counter[str]:
    return Counter(row.status for row in result.gaps)


@pytest.fixture(scope="module")
def real() -> CheckResult:
    return check(REPO, AS_OF, use_java=False)


@pytest.fixture(scope="module")
def tripled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "x3"
    generate(out, 3, seed=1)
    return out


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 2, seed=7)
    generate(tmp_path / "b", 2, seed=7)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    entries = len(list((REPO / "concepts").glob("*.yaml"))) + len(
        list((REPO / "instruments").glob("*.yaml"))
    )
    assert len(a) == 2 * entries
    assert a == b


def test_another_seed_rewires(tmp_path: Path) -> None:
    generate(tmp_path / "a", 3, seed=1)
    generate(tmp_path / "b", 3, seed=2)
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_scale_one_keeps_the_real_ids(tmp_path: Path) -> None:
    generate(tmp_path / "one", 1)
    assert _files(tmp_path / "one").keys() == {
        p.relative_to(REPO).as_posix()
        for folder in ("concepts", "instruments")
        for p in (REPO / folder).glob("*.yaml")
    }


def test_counts_scale_by_k(tripled: Path) -> None:
    assert shape_of(tripled) == shape_of(REPO).scaled(3)


def test_scaled_corpus_passes_check_with_the_same_gap_share(
    tripled: Path, real: CheckResult
) -> None:
    result = check(tripled, AS_OF, use_java=False)
    assert [f for f in result.findings if f.severity is Severity.VIOLATION] == []
    assert result.ok
    assert len(result.gaps) == 3 * len(real.gaps)
    # Every copy of a concept receives the real concept's links, so every status count
    # (never covered, implicit only, no longer covered, covered) triples.
    assert _statuses(result) == Counter({s: 3 * n for s, n in _statuses(real).items()})


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CorpusError, match="not a generated corpus"):
        generate(tmp_path, 2)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_refuses_scale_zero(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="at least 1"):
        generate(tmp_path / "x", 0)
