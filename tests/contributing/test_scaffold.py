"""`gapkb new`: the template, its placeholders, and what it refuses."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import Result
from pydantic import BaseModel

from gapkb.contributing.scaffold import (
    EXAMPLE_ITEM,
    fill,
    new_entry,
    render_template,
    schema_reference,
    unfilled,
)
from gapkb.contributing.schema import render
from gapkb.entry_rules import definitions, field_at
from gapkb.entry_yaml import parse_yaml
from gapkb.model import Category, Concept, Instrument
from tests.conftest import AS_OF, REPO, SAMPLE
from tests.contributing.test_schema import as_json

CONCEPT_VALUES: dict[str, object] = {
    "summary": "An agent exploits flaws in its reward signal: it scores well while failing the task.",
    "details": "**What it is.** An agent optimises the letter of its objective.\n\nSecond paragraph: with a colon.",
    "primary_source.type": "article",
    "primary_source.title": "Concrete Problems in AI Safety",
    "primary_source.authors.family": "Amodei",
    "primary_source.authors.given": "Dario",
    "primary_source.year": 2016,
    "primary_source.url": "https://arxiv.org/abs/1606.06565",
    "primary_source.note": "Names reward hacking as one of five concrete accident risks.",
}
INSTRUMENT_VALUES: dict[str, object] = {
    "summary": "A statute that requires alignment testing.",
    "dates.in_force": dt.date(2025, 1, 1),
    "provisions.id": "sec-1",
    "provisions.label": "Sec. 1",
    "provisions.title": "Alignment testing",
    "coverage.concept": "alignment",
    "coverage.provision": "sec-1",
    "coverage.strength": "explicit",
    "coverage.note": "Expressly requires developers to test whether models pursue intended goals.",
    "coverage.quote": "shall test the alignment of the model",
    "coverage.quote_lang": "en",
}
INSTRUMENT_OPTIONS = [
    "--title",
    "Alignment Testing Act",
    "--short-title",
    "ATA",
    "--jurisdiction",
    "US-CA",
    "--kind",
    "statute",
    "--status",
    "in-force",
    "--binding",
    "--url",
    "https://example.org/ata",
    "--language",
    "en",
]


def _fields(model: type[BaseModel], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every field path of a model, through nested models and the example list items."""
    from gapkb.entry_rules import _list_item, _model

    paths = []
    for name, info in model.model_fields.items():
        here = (*path, name)
        paths.append(here)
        item = _list_item(info.annotation)
        nested = _model(item) if item is not None and here in EXAMPLE_ITEM else None
        nested = nested or _model(info.annotation)
        if nested is not None:
            paths.extend(_fields(nested, here))
    return paths


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data[0] if isinstance(data, list) else data
        assert isinstance(data, dict) and part in data, path
        data = data[part]
    return data


def _violations(run_cli: Callable[..., Result], root: Path, *files: str) -> list[str]:
    result = run_cli("check", "--root", str(root), "--as-of", AS_OF, "--format", "json", *files)
    return [
        f"{f['file']}:{f['line']}: {f['field']}: {f['message']}"
        for f in json.loads(result.stdout)["findings"]
        if f["severity"] == "violation"
    ]


def _status(run_cli: Callable[..., Result], root: Path) -> dict[str, str]:
    result = run_cli("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    return {c["concept"]: c["status"] for c in json.loads(result.stdout)["concepts"]}


# --- the template -----------------------------------------------------------------------


@pytest.mark.parametrize("kind, model", [("concept", Concept), ("instrument", Instrument)])
def test_template_has_every_field_with_its_description(kind: str, model: type[BaseModel]) -> None:
    text = render_template(kind, "some-id")
    data, _lines = parse_yaml(text)
    lines = text.splitlines()
    for path in _fields(model):
        _get(data, path)  # present
        info = field_at(model, path)
        assert info is not None and info.description
        # above the field is its one-line comment, made from the description (then, for a
        # category, one `#   value — definition` line per value)
        number = next(
            i
            for i, line in enumerate(lines)
            if re.match(rf"^\s*(- )?{path[-1]}:", line)
            and lines[i - 1 - len(definitions(info))]
            .lstrip(" -")
            .startswith(f"# {info.description}")
        )
        assert number > 0, path


def test_template_defines_each_category() -> None:
    lines = render_template("concept", "x").splitlines()
    at = lines.index("category: <<category>>")
    shown = lines[at - len(Category) : at]
    assert shown == [f"#   {c.value} — {c.definition}" for c in Category]
    assert lines[at - len(Category) - 1].endswith("(required; one of those below)")


def test_template_starts_with_the_modeline() -> None:
    for kind in ("concept", "instrument"):
        first = render_template(kind, "x").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"


def test_modeline_points_at_the_tracked_schema() -> None:
    for kind in ("concept", "instrument"):
        assert schema_reference(REPO, kind) == f"../schema/{kind}.schema.json"
        sample = schema_reference(SAMPLE, kind)
        assert sample == f"../../../schema/{kind}.schema.json"
        assert (SAMPLE / f"{kind}s" / sample).resolve().is_file()
    # the sample entries use the same modeline
    first = (SAMPLE / "concepts" / "alignment.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schema/concept.schema.json"


def test_template_parses_alike_in_both_loaders() -> None:
    for kind in ("concept", "instrument"):
        text = render_template(kind, "x", {"title": "Yes: no, 1.10 # not a comment"})
        ours, _lines = parse_yaml(text)
        assert ours["title"] == "Yes: no, 1.10 # not a comment"
        assert yaml.safe_load(text)["title"] == ours["title"]


# --- gapkb new ------------------------------------------------------------------------


def test_new_concept_writes_the_template(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    result = run_cli(
        "new", "concept", "reward-hacking", "--root", str(sample_copy), "--title", "Reward hacking"
    )
    assert result.exit_code == 0, result.output
    path = sample_copy / "concepts" / "reward-hacking.yaml"
    assert result.output.startswith(f"wrote {path}\nfill in 10 placeholder(s), then run `gapkb")
    assert "  line 26: <<category>>\n" in result.output
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: Reward hacking\n" in text
    assert f"\ncreated: {dt.date.today().isoformat()}\n" in text
    assert unfilled(text)[0] == "<<category>>"


def test_unfilled_scaffold_fails_naming_each_placeholder(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    run_cli("new", "concept", "reward-hacking", "--root", str(sample_copy))
    violations = _violations(run_cli, sample_copy)
    expected = [
        "concepts/reward-hacking.yaml:9: title: placeholder <<title>> is not filled in — replace it: Title of the concept page",
        "concepts/reward-hacking.yaml:26: category: placeholder <<category>> is not filled in — replace it with one of: safety, evaluation, dangerous-capabilities, scope, security, transparency, content-integrity, accountability, supply-chain, data-governance, intellectual-property, fairness, user-protection, societal-impact, governance",
        "concepts/reward-hacking.yaml:28: summary: placeholder <<summary>> is not filled in — replace it: 1–3 sentences of plain text",
        "concepts/reward-hacking.yaml:31: details: placeholder <<details>> is not filled in — replace it: Markdown: what it is, why it matters, how instruments reach it",
        "concepts/reward-hacking.yaml:42: primary_source.type: placeholder <<primary_source.type>> is not filled in — replace it with one of: article-journal, paper-conference, article, report, book, chapter, legislation, standard, webpage",
        "concepts/reward-hacking.yaml:44: primary_source.title: placeholder <<primary_source.title>> is not filled in — replace it: Title, exactly as published",
        "concepts/reward-hacking.yaml:48: primary_source.authors[0].family: placeholder <<primary_source.authors.family>> is not filled in — replace it or delete the line: Family name",
        "concepts/reward-hacking.yaml:50: primary_source.authors[0].given: placeholder <<primary_source.authors.given>> is not filled in — replace it or delete the line: Given names, in full where known",
        "concepts/reward-hacking.yaml:54: primary_source.year: placeholder <<primary_source.year>> is not filled in — replace it or delete the line: Year of publication",
        "concepts/reward-hacking.yaml:72: primary_source.url: placeholder <<primary_source.url>> is not filled in — replace it or delete the line: Where to read it (http or https)",
        "concepts/reward-hacking.yaml:74: primary_source.note: placeholder <<primary_source.note>> is not filled in — replace it or delete the line: Why this source, and what it actually shows",
    ]
    assert violations == expected


@pytest.mark.slow  # the whole check (HermiT) before and after
def test_filled_concept_passes_and_is_a_gap(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    run_cli(
        "new", "concept", "reward-hacking", "--root", str(sample_copy),
        "--title", "Reward hacking", "--category", "safety", "--related", "alignment",
    )  # fmt: skip
    path = sample_copy / "concepts" / "reward-hacking.yaml"
    path.write_text(fill(path.read_text(encoding="utf-8"), CONCEPT_VALUES), encoding="utf-8")
    assert unfilled(path.read_text(encoding="utf-8")) == []

    result = run_cli("check", "--root", str(sample_copy), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert _violations(run_cli, sample_copy) == []
    assert _status(run_cli, sample_copy)["reward-hacking"] == "never covered"
    # an editor validating against the tracked schema accepts it too
    jsonschema.validate(as_json(yaml.safe_load(path.read_text())), json.loads(render("concept")))


@pytest.mark.slow  # the whole check (HermiT) before and after
def test_filled_instrument_passes_and_closes_a_gap(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    assert _status(run_cli, sample_copy)["alignment"] == "never covered"
    result = run_cli(
        "new",
        "instrument",
        "alignment-testing-act",
        "--root",
        str(sample_copy),
        *INSTRUMENT_OPTIONS,
    )
    assert result.exit_code == 0, result.output
    path = sample_copy / "instruments" / "alignment-testing-act.yaml"
    path.write_text(fill(path.read_text(encoding="utf-8"), INSTRUMENT_VALUES), encoding="utf-8")
    assert unfilled(path.read_text(encoding="utf-8")) == []

    assert _violations(run_cli, sample_copy) == []
    assert _status(run_cli, sample_copy)["alignment"] == "covered"
    jsonschema.validate(as_json(yaml.safe_load(path.read_text())), json.loads(render("instrument")))


def test_options_are_written_as_yaml_that_reads_back(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    title = 'Reward hacking: "specification gaming", #1'
    made = new_entry(tmp_path, "concept", "reward-hacking", {"title": title, "related": ["a-b"]})
    data, _lines = parse_yaml(made.path.read_text(encoding="utf-8"))
    assert data["title"] == title
    assert data["related"] == ["a-b"]
    assert yaml.safe_load(made.path.read_text(encoding="utf-8"))["title"] == title


@pytest.mark.parametrize(
    "entry_id, suggestion",
    [
        ("../x", "x"),
        ("Bad_Id", "bad-id"),
        ("x/../../etc/passwd", "x-etc-passwd"),
        ("/tmp/x", "tmp-x"),
        ("a--b", "a-b"),
        ("x.yaml", "x-yaml"),
        ("", "my-id"),
    ],
)
def test_bad_ids_are_refused(
    run_cli: Callable[..., Result], sample_copy: Path, entry_id: str, suggestion: str
) -> None:
    before = sorted(p for p in sample_copy.parent.rglob("*"))
    result = run_cli("new", "concept", "--root", str(sample_copy), "--", entry_id)
    assert result.exit_code == 2
    assert (
        f"Error: '{entry_id}' is not a kebab-case id — use lower-case letters and digits joined "
        f"by hyphens (at most 80 characters), e.g. '{suggestion}'\n"
    ) in result.stderr
    assert sorted(p for p in sample_copy.parent.rglob("*")) == before


def test_too_long_id_is_refused(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    result = run_cli("new", "concept", "a" * 81, "--root", str(sample_copy))
    assert result.exit_code == 2
    assert "is not a kebab-case id" in result.stderr


def test_refuses_to_overwrite(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    path = sample_copy / "concepts" / "alignment.yaml"
    before = path.read_bytes()
    result = run_cli("new", "concept", "alignment", "--root", str(sample_copy), "--title", "X")
    assert result.exit_code == 2
    assert "Error: concepts/alignment.yaml already exists — edit it, or choose another id\n" in (
        result.stderr
    )
    assert path.read_bytes() == before


def test_refuses_an_id_used_by_the_other_kind_or_spelling(
    run_cli: Callable[..., Result], sample_copy: Path
) -> None:
    result = run_cli("new", "instrument", "alignment", "--root", str(sample_copy))
    assert result.exit_code == 2
    assert (
        "Error: 'alignment' is already used by concepts/alignment.yaml (concepts and instruments "
        "share ids) — choose another id\n"
    ) in result.stderr
    (sample_copy / "concepts" / "other.yml").write_text("id: other\n")
    result = run_cli("new", "concept", "other", "--root", str(sample_copy))
    assert result.exit_code == 2
    assert "Error: concepts/other.yml already exists" in result.stderr
    # a dangling symbolic link is not followed and not replaced
    (sample_copy / "concepts" / "linked.yaml").symlink_to(sample_copy.parent / "outside.yaml")
    result = run_cli("new", "concept", "linked", "--root", str(sample_copy))
    assert result.exit_code == 2
    assert not (sample_copy.parent / "outside.yaml").exists()


def test_bad_option_values_are_refused(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    result = run_cli("new", "instrument", "x", "--root", str(sample_copy), "--jurisdiction", "USA")
    assert result.exit_code == 2
    assert (
        "Error: --jurisdiction: 'USA' is not a jurisdiction — use an ISO 3166 code (US, CN, US-CA), EU or INT\n"
        in result.stderr
    )
    result = run_cli("new", "instrument", "x", "--root", str(sample_copy), "--url", "javascript:x")
    assert result.exit_code == 2
    assert "Error: --url: must be an http:// or https:// URL" in result.stderr
    result = run_cli("new", "concept", "x", "--root", str(sample_copy), "--category", "safe")
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--category': 'safe' is not allowed — did you mean 'safety'?\n"
        in (result.stderr)
    )
    result = run_cli("new", "instrument", "x", "--root", str(sample_copy), "--kind", "zzz")
    assert result.exit_code == 2
    assert "'zzz' is not one of 'regulation', 'directive'," in result.stderr  # no close match
    assert not (sample_copy / "instruments" / "x.yaml").exists()
    assert not (sample_copy / "concepts" / "x.yaml").exists()


def test_needs_a_knowledge_base(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    result = run_cli("new", "concept", "x", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert f"Error: no concepts/ or instruments/ folder under {tmp_path}" in result.stderr


def test_asks_on_a_terminal(
    run_cli: Callable[..., Result], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from gapkb.cli import cli, contributing

    monkeypatch.setattr(contributing, "_interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        ["new", "concept", "reward-hacking", "--root", str(sample_copy)],
        input="Reward hacking\nsafe\nsafety\n",
    )
    assert result.exit_code == 0, result.output
    assert "Title (Enter to fill in later)" in result.output
    assert "--category: 'safe' is not allowed — did you mean 'safety'?" in result.output
    text = (sample_copy / "concepts" / "reward-hacking.yaml").read_text(encoding="utf-8")
    assert "\ntitle: Reward hacking\n" in text
    assert "\ncategory: safety\n" in text
