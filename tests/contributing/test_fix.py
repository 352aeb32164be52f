"""`gapkb fix`: each repair, comments kept, idempotent, and the check passes afterwards."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from gapkb.contributing.fix import fix_file, fix_text
from gapkb.model import Concept, Instrument
from gapkb.records import read_entry
from tests.contributing.contract_table import BASE, ROW_ID

TODAY = dt.date(2026, 12, 6)
CONCEPT = BASE["concept"].replace(ROW_ID, "fixme")
INSTRUMENT = BASE["instrument"].replace(ROW_ID, "fixme")


def fixed(text: str, model: type[Concept] | type[Instrument] = Concept, **kw: object) -> str:
    after, _changes = fix_text(text, model, "fixme", today=TODAY, **kw)  # type: ignore[arg-type]
    return after


def whats(text: str, model: type[Concept] | type[Instrument] = Concept, **kw: object) -> list[str]:
    _after, changes = fix_text(text, model, "fixme", today=TODAY, **kw)  # type: ignore[arg-type]
    return [c.what for c in changes]


def test_a_clean_entry_is_left_alone() -> None:
    assert fixed(CONCEPT) == CONCEPT
    assert fixed(INSTRUMENT, Instrument) == INSTRUMENT
    assert whats(CONCEPT) == whats(INSTRUMENT, Instrument) == []


def test_trailing_spaces_and_the_final_newline() -> None:
    text = CONCEPT.replace("title: Contract test concept\n", "title: Contract test concept  \t\n")
    assert fixed(text) == CONCEPT
    assert fixed(CONCEPT + "\n\n") == CONCEPT
    assert fixed(CONCEPT.rstrip("\n")) == CONCEPT


def test_trailing_spaces_inside_a_literal_block_are_the_texts_own() -> None:
    # Two trailing spaces in a `|` block are a Markdown line break in the page: kept.
    block = CONCEPT.replace("details: Test details.\n", "details: |\n  First line.  \n  Second.\n")
    assert fixed(block) == block
    assert whats(block) == []
    spaced = block.replace("details: |\n", "details: |  \n")
    assert fixed(spaced) == block
    assert whats(spaced) == ["removed trailing spaces"]


def test_the_id_is_set_from_the_file_name() -> None:
    assert fixed(CONCEPT.replace("id: fixme\n", 'id: "Other_Id"\n')) == CONCEPT
    assert whats(CONCEPT.replace("id: fixme\n", "id: other\n")) == [
        "id: set to 'fixme', the file name"
    ]


def test_values_yaml_would_misread_are_quoted_as_written() -> None:
    text = CONCEPT.replace("  year: 2024\n", "  year: 2024\n  arxiv: 2402.11740\n  version: 2.10\n")
    text = text.replace("aliases: []\n", "aliases: [yes, Off, plain]\n")
    after = fixed(text)
    assert '  arxiv: "2402.11740"\n' in after  # the trailing zero a number would lose
    assert '  version: "2.10"\n' in after
    assert 'aliases: ["yes", "Off", plain]\n' in after


def test_numbers_the_format_accepts_stay_numbers() -> None:
    text = CONCEPT.replace("  year: 2024\n", "  issued: 2024\n  volume: 631\n  pages: 12\n")
    assert fixed(text) == text


def test_yes_and_no_in_a_true_false_field() -> None:
    text = INSTRUMENT.replace("binding: true\n", "binding: yes\n")
    text = text.replace("    quote_lang: en\n", "    quote_lang: en\n    quote_en_official: No\n")
    after = fixed(text, Instrument)
    assert "binding: true\n" in after
    assert "    quote_en_official: false\n" in after


def test_a_quoted_year_loses_its_quotes() -> None:
    assert fixed(CONCEPT.replace("  year: 2024\n", '  year: "2024"\n')) == CONCEPT


def test_updated_becomes_today_when_the_content_changed() -> None:
    edited = CONCEPT.replace("details: Test details.", "details: Better details.")
    after = fixed(edited, committed=CONCEPT)
    assert "updated: 2026-12-06\n" in after
    assert "created: 2026-11-24\n" in after
    # unchanged content, or a change of `updated` alone, is no reason
    assert fixed(CONCEPT, committed=CONCEPT) == CONCEPT
    assert fixed(CONCEPT, committed=CONCEPT.replace("updated: 2026-11-24", "updated: 2026-11-25"))
    assert "updated: 2026-11-24" in fixed(CONCEPT, committed=None)  # a new file: as written


def test_updated_before_created_becomes_today() -> None:
    text = CONCEPT.replace("updated: 2026-11-24\n", "updated: 2026-01-01\n")
    assert "updated: 2026-12-06\n" in fixed(text)


def test_fields_move_to_the_templates_order_with_their_comments() -> None:
    text = (
        "# yaml-language-server: $schema=../schema/concept.schema.json\n"
        "created: 2026-11-24  # kept\n"
        "# about the title\n"
        "title: T\n"
        "id: fixme\n"
    )
    assert fixed(text) == (
        "# yaml-language-server: $schema=../schema/concept.schema.json\n"
        "id: fixme\n"
        "# about the title\n"
        "title: T\n"
        "created: 2026-11-24  # kept\n"
    )


def test_a_file_yaml_cannot_read_gets_only_its_whitespace_fixed() -> None:
    text = "id: fixme   \ntitle: [unclosed\n"
    assert fixed(text) == "id: fixme\ntitle: [unclosed\n"


MESSY = (
    "# yaml-language-server: $schema=../schema/concept.schema.json\n"
    "id: other-name   \n"
    "title: Messy\n"
    "created: 2026-11-24\n"
    "updated: 2026-01-01\n"
    "category: safety\n"
    "summary: A concept that needs fixing.\n"
    "details: |\n  Some details.  \n"
    "# why this source\n"
    "primary_source:\n"
    "  type: standard\n"
    "  title: A standard\n"
    "  version: 2.10\n"
    '  year: "2024"\n'
    "  arxiv: 2402.11740\n"
)


def test_fixing_is_idempotent_and_the_check_then_passes(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    path = tmp_path / "concepts" / "fixme.yaml"
    path.write_text(MESSY, encoding="utf-8")
    assert isinstance(read_entry(tmp_path, "concepts", path), list)  # five problems before
    once = fix_file(path, root=tmp_path, today=TODAY)
    assert once.changed
    path.write_text(once.after, encoding="utf-8")
    twice = fix_file(path, root=tmp_path, today=TODAY)
    assert not twice.changed and twice.changes == []
    record = read_entry(tmp_path, "concepts", path)
    assert not isinstance(record, list), [str(f) for f in record]
    assert record.entry.primary_source.arxiv == "2402.11740"
    assert record.entry.primary_source.version == "2.10"
    assert "# why this source\nprimary_source:" in once.after  # comments kept


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_the_command(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    path = tmp_path / "concepts" / "fixme.yaml"
    path.write_text(CONCEPT, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "entry")
    path.write_text(CONCEPT.replace("Test details.", "Better details.") + "  \n", "utf-8")
    edited = path.read_text(encoding="utf-8")

    check = run_cli("fix", "--root", str(tmp_path), "--check", str(path))
    assert check.exit_code == 1
    assert f"{path}:17: would fix: updated: set to today" in check.output
    assert path.read_text(encoding="utf-8") == edited  # --check writes nothing

    done = run_cli("fix", "--root", str(tmp_path), str(path))
    assert done.exit_code == 0, done.output
    assert "1 of 1 file(s) changed" in done.output
    assert f"updated: {dt.date.today().isoformat()}\n" in path.read_text(encoding="utf-8")
    assert run_cli("fix", "--root", str(tmp_path), "--check", str(path)).exit_code == 0


def test_only_entries_are_fixed(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    other = tmp_path / "notes.yaml"
    other.write_text("a: 1\n", encoding="utf-8")
    result = run_cli("fix", str(other))
    assert result.exit_code == 2
    assert "is not an entry" in result.output


@pytest.mark.parametrize("kind", ["concept", "instrument"])
def test_the_good_rows_of_the_contract_table_keep_their_data(kind: str) -> None:
    """Nothing to repair in an accepted entry but the order of its fields and the quotes
    around yes/no (for YAML 1.1 readers): its data stay the same."""
    from gapkb.entry_yaml import parse_yaml
    from tests.contributing.contract_table import ROWS

    model = Concept if kind == "concept" else Instrument
    for row in ROWS:
        if row.kind == kind and row.ok:
            text = row.text()
            after, changes = fix_text(text, model, row.name, today=TODAY)
            assert parse_yaml(after)[0] == parse_yaml(text)[0], row.name
            allowed = ("put the fields in the template's order", "aliases[")
            assert all(c.what.startswith(allowed) for c in changes), (row.name, changes)


@pytest.mark.parametrize("model", [Concept, Instrument])
def test_a_new_entrys_template_needs_no_repair(model: type[Concept] | type[Instrument]) -> None:
    from gapkb.contributing.scaffold import render_template

    kind = "concept" if model is Concept else "instrument"
    text = render_template(kind, "fixme", {"title": "T"}, today=TODAY)
    assert fix_text(text, model, "fixme", today=TODAY) == (text, [])
