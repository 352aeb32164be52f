"""The loader: YAML pitfalls, line numbers and messages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gapkb.records import ContentError, did_you_mean, load_records, parse_yaml, suggest_id
from tests.conftest import SAMPLE


def test_scalars_stay_strings() -> None:
    # YAML 1.1 would turn these into False, 1.1 and 11.
    data, _ = parse_yaml("a: no\nb: 1.10\nc: 013\nd: 2024-06-13\ne:\n")
    assert data == {"a": "no", "b": "1.10", "c": "013", "d": "2024-06-13", "e": None}


def test_lines_are_recorded() -> None:
    _, lines = parse_yaml("id: x\nlist:\n  - a\n  - b: 1\n")
    assert lines[("id",)] == 1
    assert lines[("list", 1, "b")] == 4


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    start = time.process_time()
    with pytest.raises(ContentError) as error:
        parse_yaml(bomb)
    assert "anchors and aliases" in error.value.message
    assert error.value.line == 1
    assert time.process_time() - start < 5  # refused at the first anchor, never expanded


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ContentError):
        parse_yaml("a: " + "[" * 5000 + "]" * 5000)


def test_did_you_mean() -> None:
    assert (
        did_you_mean("ai-suply-chain", ["ai-supply-chain", "alignment"])
        == " — did you mean 'ai-supply-chain'?"
    )
    assert did_you_mean("zzz", ["ai-supply-chain"]) == ""


def test_suggest_id() -> None:
    assert suggest_id("Bad_Id") == "bad-id"
    assert suggest_id("../x") == "x"


def test_sample_loads_cleanly() -> None:
    kb = load_records(SAMPLE)
    assert kb.problems == []
    assert sorted(kb.concepts) == [
        "alignment",
        "compute-threshold",
        "model-merging-risk",
        "red-teaming",
    ]
    assert sorted(kb.instruments) == ["eu-ai-act", "us-eo-14110", "us-eo-14148"]
    record = kb.instruments["eu-ai-act"]
    assert record.line("coverage", 1, "concept") == 36


def test_symlinked_entry_is_refused(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text((SAMPLE / "concepts" / "alignment.yaml").read_text())
    (tmp_path / "concepts" / "alignment.yaml").symlink_to(outside)
    kb = load_records(tmp_path)
    assert [p.message for p in kb.problems] == [
        "the entry is a symbolic link — commit a regular file"
    ]
