"""One contract: the JSON Schema (as an editor applies it) and `gapkb check` agree on every
entry of one table of good and bad entries (tests/contributing/contract_table.py).

The schema's side reads each entry as an editor's YAML 1.2 parser does (editor_yaml.py,
written from the YAML 1.2.2 spec, not the project's loader) and validates it with
jsonschema's Draft 2020-12 validator and its format checker. The check's side writes
every entry into a copy of the sample knowledge base and runs the real check over it, so
each entry goes through the loader, the models, the reference checks and the shapes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from gapkb.contributing.schema import render
from gapkb.errors import CODES
from gapkb.findings import Finding, Severity
from gapkb.pipeline import CheckResult, check
from tests.conftest import AS_OF, REPO, SAMPLE
from tests.contributing.contract_table import ROWS, Row
from tests.contributing.contract_table import concept as concept_row
from tests.contributing.contract_table import instrument as instrument_row
from tests.contributing.editor_yaml import read_as_editor


def schema_errors(row: Row) -> list[str]:
    schema = json.loads(render(row.kind))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(read_as_editor(row.text()))
    ]


def _sample_copy(root: Path) -> Path:
    shutil.copytree(SAMPLE, root)
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    """Every row written into one copy of the sample knowledge base, checked once:
    the violations of each row's file."""
    root = _sample_copy(tmp_path_factory.mktemp("contract") / "kb")
    for row in ROWS:
        (root / row.folder / f"{row.name}.yaml").write_text(row.text(), encoding="utf-8")
    result = check(root, dt.date.fromisoformat(AS_OF), use_java=False)
    found: dict[str, list[Finding]] = {f"{row.folder}/{row.name}.yaml": [] for row in ROWS}
    for finding in result.findings:
        if finding.severity is Severity.VIOLATION and finding.file in found:
            found[finding.file].append(finding)
    return found


def violations(checked: dict[str, list[Finding]], row: Row) -> list[Finding]:
    return checked[f"{row.folder}/{row.name}.yaml"]


def test_the_table_is_large_and_varied() -> None:
    assert len(ROWS) >= 60
    assert len({row.name for row in ROWS}) == len(ROWS)
    for kind in ("concept", "instrument"):
        assert any(r.kind == kind and r.ok for r in ROWS)
        assert any(r.kind == kind and not r.ok and not r.check_only for r in ROWS)
        assert any(r.kind == kind and r.check_only for r in ROWS)
    assert all(not row.ok for row in ROWS if row.check_only)
    assert all(row.field or row.check_only for row in ROWS if not row.ok)


def _ids(rows: list[Row]) -> Iterator[str]:
    return iter(row.name for row in rows)


@pytest.mark.parametrize("row", ROWS, ids=list(_ids(ROWS)))
def test_the_schema_gives_the_rows_verdict(row: Row) -> None:
    errors = schema_errors(row)
    if row.ok or row.check_only:
        assert errors == [], f"{row.name}: the schema refuses it"
    else:
        assert errors, f"{row.name}: the schema accepts it"


@pytest.mark.parametrize("row", ROWS, ids=list(_ids(ROWS)))
def test_the_check_gives_the_rows_verdict(row: Row, checked: dict[str, list[Finding]]) -> None:
    found = violations(checked, row)
    if row.ok:
        assert found == [], f"{row.name}: the check refuses it"
        return
    assert found, f"{row.name}: the check accepts it"
    assert all(f.code in CODES for f in found), [str(f) for f in found]
    # The error-codes page says which problems an editor shows: exactly the rows both refuse.
    assert {CODES[f.code].editor for f in found} == {not row.check_only}, [str(f) for f in found]
    if row.field:
        assert row.field in {f.field for f in found}, [str(f) for f in found]


def test_the_editor_reader_reads_every_entry_as_the_loader_does() -> None:
    """The loader is YAML 1.2's core schema: it reads every entry of the repository as an
    editor does (and the schema side of this test does)."""
    from gapkb.entry_yaml import ContentError, parse_yaml

    paths = sorted(REPO.glob("concepts/*.yaml")) + sorted(REPO.glob("instruments/*.yaml"))
    paths += sorted(SAMPLE.glob("*/*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in paths] + [row.text() for row in ROWS]
    assert len(texts) > 200
    for text in texts:
        try:
            ours = parse_yaml(text)[0]
        except ContentError:
            continue  # anchors and duplicate keys, which the loader refuses and editors read
        assert ours == read_as_editor(text), text[:200]


@pytest.fixture(scope="module")
def good_only(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    """The sample knowledge base with every good row of the table: entries at the edges
    of the format (partial dates, lists left empty, CJK text, numbers for volumes)."""
    root = _sample_copy(tmp_path_factory.mktemp("good") / "kb")
    for row in ROWS:
        if row.ok:
            (root / row.folder / f"{row.name}.yaml").write_text(row.text(), encoding="utf-8")
    # One entry of each kind with every optional list left empty.
    empty = "broader:\nreferences:\nexact_match:\nclose_match:\nmappings:\nunverified:\n"
    concept = concept_row("c-all-lists-empty", ("aliases: []\n", "aliases:\n" + empty))
    link = instrument_row(
        "i-all-lists-empty", ("provisions:\n", "amends:\nunverified:\nprovisions:\n")
    )
    bare = link.text().split("provisions:\n")[0] + "provisions:\ncoverage:\n"
    (root / "concepts" / "c-all-lists-empty.yaml").write_text(concept.text(), encoding="utf-8")
    (root / "instruments" / "i-all-lists-empty.yaml").write_text(bare, encoding="utf-8")
    result = check(root, dt.date.fromisoformat(AS_OF), use_java=False)
    assert [str(f) for f in result.findings if f.severity is Severity.VIOLATION] == []
    return result


@pytest.mark.parametrize("mkdocs", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_green_check_builds(
    good_only: CheckResult, mkdocs: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a green check no build step crashes on content: every page, citation, data
    file and dump is written (and, marked slow, MkDocs builds the site)."""
    from gapkb import site
    from gapkb.site import build

    if not mkdocs:
        monkeypatch.setattr(build, "run_mkdocs", lambda *args: [])
    built = site.build_site(
        good_only, tmp_path / "public", docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache"
    )
    assert built.pages > len([r for r in ROWS if r.ok])
    pages = {p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.md")}
    assert any("c-issued-year-month" in p for p in pages)
    assert any("i-quote-in-chinese" in p for p in pages)
