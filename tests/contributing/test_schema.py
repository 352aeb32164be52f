"""The editor schemas: current, and valid for every entry as an editor reads it.

(That the schema and `gapkb check` agree on bad entries too is test_contract.py's.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gapkb.contributing.schema import MODELS, render, stale_schemas
from gapkb.model import Category
from tests.conftest import REPO, SAMPLE
from tests.contributing.editor_yaml import read_as_editor

ENTRIES = sorted((REPO / "concepts").glob("*.yaml")) + sorted((REPO / "instruments").glob("*.yaml"))
SAMPLES = sorted((SAMPLE / "concepts").glob("*.yaml")) + sorted(
    (SAMPLE / "instruments").glob("*.yaml")
)


def as_json(value: Any) -> Any:
    """A YAML 1.1 reading (PyYAML's safe_load) made JSON: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_tracked_schemas_are_current() -> None:
    assert stale_schemas(REPO) == []


@pytest.mark.parametrize(
    "path", ENTRIES + SAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
)
def test_entry_is_valid_against_its_schema(path: Path) -> None:
    kind = "concept" if path.parent.name == "concepts" else "instrument"
    validator = jsonschema.Draft202012Validator(
        json.loads(render(kind)), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [e.message for e in validator.iter_errors(read_as_editor(path.read_text("utf-8")))]
    assert errors == []


def test_schema_rejects_an_unknown_field() -> None:
    schema = json.loads(render("concept"))
    entry = read_as_editor((SAMPLE / "concepts" / "alignment.yaml").read_text())
    entry["summmary"] = entry.pop("summary")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(entry, schema)


def test_every_field_is_described() -> None:
    for kind in MODELS:
        schema = json.loads(render(kind))
        for definition in [schema, *schema.get("$defs", {}).values()]:
            for name, prop in definition.get("properties", {}).items():
                assert prop.get("description"), f"{kind}: {name}"


def test_collected_entries() -> None:
    assert len(SAMPLES) == 7
    assert len(ENTRIES) >= len(list((REPO / "concepts").glob("*.yaml")))


def test_categories_carry_their_definitions() -> None:
    """Editors show each category's definition beside it in completion, and on hover."""
    category = json.loads(render("concept"))["$defs"]["Category"]
    assert category["enum"] == [c.value for c in Category]
    assert category["enumDescriptions"] == [c.definition for c in Category]
    for c in Category:
        assert f"\n- {c.value}: {c.definition}" in category["description"]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    for kind in MODELS:
        jsonschema.Draft202012Validator.check_schema(json.loads(render(kind)))


def test_every_pattern_says_in_words_what_is_wrong() -> None:
    """Editors show patternErrorMessage instead of a regular expression."""

    def walk(node: object) -> list[dict[str, object]]:
        if isinstance(node, dict):
            found = [node] if "pattern" in node else []
            return found + [n for v in node.values() for n in walk(v)]
        return [n for v in node for n in walk(v)] if isinstance(node, list) else []

    for kind in MODELS:
        patterns = walk(json.loads(render(kind)))
        assert patterns
        assert [p["pattern"] for p in patterns if not p.get("patternErrorMessage")] == []
