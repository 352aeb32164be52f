"""JSON Schemas for editors, generated from the entry models (one source of truth).

Entries start with `# yaml-language-server: $schema=../schema/<kind>.schema.json` so that
editors complete and check fields; `gapkb schema` regenerates the files. The schema and
`gapkb check` give every entry the same verdict (tests/contributing/test_contract.py),
except for the rules the error-codes page marks as beyond an editor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gapkb.entry_types import PATTERN_HELP
from gapkb.model import Concept, Instrument

SCHEMA_DIR = "schema"
MODELS: dict[str, type[BaseModel]] = {"concept": Concept, "instrument": Instrument}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of entry."""
    schema = MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://w3id.org/gapkb/schema/{kind}.schema.json"
    _explain_patterns(schema)
    return schema


def _explain_patterns(node: Any) -> None:
    """Beside each pattern, the words an editor shows when a value does not match it."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str) and node["pattern"] in PATTERN_HELP:
            node["patternErrorMessage"] = PATTERN_HELP[node["pattern"]]
        for value in node.values():
            _explain_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _explain_patterns(value)


def render(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write schema/<kind>.schema.json; return the files that changed."""
    (root / SCHEMA_DIR).mkdir(exist_ok=True)
    changed = []
    for kind in MODELS:
        path = root / SCHEMA_DIR / f"{kind}.schema.json"
        text = render(kind)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(root: Path) -> list[Path]:
    """Schema files that differ from what the models generate."""
    return [
        root / SCHEMA_DIR / f"{kind}.schema.json"
        for kind in MODELS
        if not (root / SCHEMA_DIR / f"{kind}.schema.json").exists()
        or (root / SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8") != render(kind)
    ]
