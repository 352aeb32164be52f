"""The loader: YAML pitfalls, line numbers and messages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from gapkb.entry_rules import did_you_mean, explain_errors, field_loc, suggest_id
from gapkb.entry_yaml import ContentError, parse_yaml
from gapkb.model import Concept, Instrument, Source
from gapkb.records import load_records
from tests.conftest import CASES, REPO, SAMPLE


def test_scalars_are_read_as_editors_read_them() -> None:
    # The YAML 1.2 core schema: YAML 1.1 (PyYAML's default) would make `no` False, 013 the
    # octal 11 and the date a datetime.date; `on` a boolean, 1:30 the sexagesimal 90.
    data, _ = parse_yaml("a: no\nb: 1.10\nc: 013\nd: 2024-06-13\ne:\nf: on\ng: 1:30\nh: True\n")
    assert data == {
        "a": "no",
        "b": 1.1,
        "c": 13,
        "d": "2024-06-13",
        "e": None,
        "f": "on",
        "g": "1:30",
        "h": True,
    }


def test_lines_are_recorded() -> None:
    _, lines = parse_yaml("id: x\nlist:\n  - a\n  - b: 1\n")
    assert lines[("id",)] == 1
    assert lines[("list", 1, "b")] == 4


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(ContentError) as error:
        parse_yaml(bomb)
    assert "anchors and aliases" in error.value.message
    assert error.value.line == 1  # refused at the first anchor, never expanded


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


class _Dated(BaseModel):
    when: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | Annotated[int, Field(ge=1800)]


def test_union_alternatives_give_one_message_at_the_field() -> None:
    """pydantic tries each type of a union and tags its errors; the contributor sees one."""
    with pytest.raises(ValidationError) as error:
        _Dated.model_validate({"when": "13.06.2024"})
    raw = [e["loc"] for e in error.value.errors()]
    assert raw == [("when", "constrained-str"), ("when", "constrained-int")]
    assert explain_errors(error.value.errors(), _Dated) == [
        (
            ("when",),
            "'13.06.2024' has the wrong form — compare it with the template of `gapkb new`",
            "GK222",
        )
    ]


def test_a_partial_date_gets_one_message() -> None:
    with pytest.raises(ValidationError) as error:
        Source.model_validate({"type": "report", "title": "T", "issued": "13.06.2024"})
    assert explain_errors(error.value.errors(), Source) == [
        (
            ("issued",),
            "'13.06.2024' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-06-13)",
            "GK208",
        )
    ]


def test_field_loc_drops_tags_but_keeps_positions_and_keys() -> None:
    assert field_loc(_Dated, ("when", "constrained-int")) == (("when",), True)
    assert field_loc(Concept, ("references", 2, "authors", 0, "family")) == (
        ("references", 2, "authors", 0, "family"),
        False,
    )
    assert field_loc(Instrument, ("identifiers", "Celex", "[key]")) == (
        ("identifiers", "Celex"),
        False,
    )


def test_a_pattern_without_its_own_message_is_described_not_shown_as_a_regex() -> None:
    class Code(BaseModel):
        code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
            description="Three capital letters, e.g. ABC"
        )

    with pytest.raises(ValidationError) as error:
        Code.model_validate({"code": "ab"})
    assert explain_errors(error.value.errors(), Code) == [
        (("code",), "'ab' has the wrong form — Three capital letters, e.g. ABC", "GK222")
    ]


def test_a_bad_identifier_scheme_is_named_in_words() -> None:
    with pytest.raises(ValidationError) as error:
        Instrument.model_validate({"identifiers": {"CELEX number": "32024R1689"}})
    messages = {e.loc: e.message for e in explain_errors(error.value.errors(), Instrument)}
    assert messages[("identifiers", "CELEX number")] == (
        "'CELEX number' is not a scheme name — write it in lower case with _ between words,"
        " e.g. 'celex_number'"
    )


def test_only_a_unions_alternatives_are_merged() -> None:
    """Two errors at one field outside a union are both reported."""
    errors: list[Any] = [
        {"type": "string_type", "loc": ("title",), "msg": "", "input": [1]},
        {"type": "value_error", "loc": ("title",), "msg": "Value error, x — y", "input": [1]},
    ]
    assert explain_errors(errors, Concept) == [
        (
            ("title",),
            "expected text — write a plain value (quote it if it starts with [ or {)",
            "GK214",
        ),
        (("title",), "x — y", "GK222"),
    ]


def test_a_number_where_text_is_expected_says_quote_it() -> None:
    with pytest.raises(ValidationError) as error:
        Source.model_validate({"type": "report", "title": "T", "year": 2024, "arxiv": 2402.1174})
    [explained] = explain_errors(error.value.errors(), Source)
    assert explained.code == "GK210"
    assert "the number 2402.1174, not as text — put it in double quotes" in explained.message


def test_the_c_parser_reads_every_entry_as_the_python_parser_does() -> None:
    from gapkb.entry_yaml import _parse_yaml_python

    paths = sorted(REPO.glob("concepts/*.yaml")) + sorted(REPO.glob("instruments/*.yaml"))
    paths += sorted(CASES.glob("*/*/*.yaml"))
    assert len(paths) > 100
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            expected: object = _parse_yaml_python(text)
        except ContentError as error:
            expected = (error.line, error.message)
        try:
            got: object = parse_yaml(text)
        except ContentError as error:
            got = (error.line, error.message)
        assert got == expected, path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: x\ntitle: Alignment: a view\n", 2, "a colon followed by a space inside a value"),
        ("id: x\ntitle [oops\n", 2, "it is not `field: value`"),
        ("id: x\nrelated: [a, b\n", 2, "a list in brackets [ ] is not closed"),
        ("id: x\naliases: {a: b\n", 2, "a group in braces { } is not closed"),
        ('id: x\ntitle: "open\n', 2, "a quoted value is not closed"),
        ("id: x\n  title: y\n", 2, "a colon followed by a space inside a value"),
        ("id: x\nlist:\n  - a\n - b\n", 4, "its indentation does not line up"),
        ("id: x\ntitle: @home\n", 2, "a character YAML reserves"),
        ('id: x\ntitle: "a \\q b"\n', 2, "starts an escape YAML does not know"),
        ("id: x\n---\nid: y\n", 2, "it starts a second document"),
        ("id: x\n\ttitle: y\n", 2, "a tab indents this line"),
    ],
)
def test_yaml_errors_are_said_in_plain_words(text: str, line: int, words: str) -> None:
    with pytest.raises(ContentError) as error:
        parse_yaml(text)
    assert words in error.value.message, error.value.message
    assert error.value.line == line
    assert error.value.code in ("GK105", "GK106")
    assert " — " in error.value.message  # and how to fix it
