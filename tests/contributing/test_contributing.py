"""CONTRIBUTING.md's worked example, run step by step, so that the document cannot rot.

The example is read from the document: ```sh blocks are run in order in a git copy of
the repository's knowledge base, ```text title="output" blocks must appear in the output
of the commands before them (`<hash>` and `<today>` in them stand for a commit and today's
date), and ```yaml title="…" blocks are written where their title says. The only liberty taken: `gapkb check` and `gapkb diff` run with --no-reasoner
(HermiT has tests of its own, and gives the same gaps: test_check_files.py).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from gapkb.model import Category
from gapkb.records import load_records
from tests.conftest import REPO
from tests.contributing.test_diff import GIT_ENV
from tests.contributing.test_github import assert_command_exists, gapkb_calls

DOC = REPO / "CONTRIBUTING.md"
COPIED = ("concepts", "instruments", "ontology", "shapes", "schema")
BLOCK_RE = re.compile(r"^```(\w+)(?: title=\"([^\"]*)\")?\n(.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED_STEPS = {"sh": 6, "output": 5, "yaml": 3}


@dataclass(frozen=True)
class Block:
    lang: str
    title: str
    text: str


def section(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def blocks(text: str) -> list[Block]:
    return [Block(lang, title or "", body) for lang, title, body in BLOCK_RE.findall(text)]


def shown_lines(block: Block) -> list[str]:
    """The lines an output block promises; '…' stands for lines left out."""
    return [line.rstrip() for line in block.text.splitlines() if line.strip() not in ("", "…")]


# What a shown line may say instead of a value that differs from run to run.
STAND_INS = {"<hash>": r"[0-9a-f]{7,40}", "<today>": r"\d{4}-\d{2}-\d{2}"}


def line_pattern(line: str) -> re.Pattern[str]:
    """A shown line as a pattern: literal text, with each stand-in matching its values."""
    parts = re.split(f"({'|'.join(STAND_INS)})", line)
    return re.compile("".join(STAND_INS.get(part, re.escape(part)) for part in parts))


def assert_in_order(expected: list[str], output: str) -> None:
    """Every expected line is a whole line of `output`, in the same order."""
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for line in expected:
        pattern = line_pattern(line)
        found = next((i for i in range(at, len(lines)) if pattern.fullmatch(lines[i])), None)
        assert found is not None, f"{line!r} not in output (after line {at}):\n{output}"
        at = found + 1


def fast(command: str) -> str:
    """The command with --no-reasoner after `gapkb check` / `gapkb diff`."""
    words = shlex.split(command)
    if len(words) > 1 and Path(words[0]).name == "gapkb" and words[1] in ("check", "diff"):
        words.insert(2, "--no-reasoner")
        return shlex.join(words)
    return command  # as written, so that `a && b` stays two commands


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A git repository on `main` with the repository's knowledge base and its .venv."""
    root = tmp_path / "gapkb"
    root.mkdir()
    for folder in COPIED:
        shutil.copytree(REPO / folder, root / folder)
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (root / ".gitignore").write_text(".venv\n", encoding="utf-8")
    for args in (
        ["init", "--quiet", "--initial-branch=main"],
        ["add", "-A"],
        ["commit", "--quiet", "-m", "base"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env(), check=True, capture_output=True)
    return root


def env() -> dict[str, str]:
    variables = {**os.environ, **GIT_ENV}
    variables.pop("GITHUB_ACTIONS", None)  # no annotations in the output
    return variables


def run(root: Path, command: str) -> str:
    done = subprocess.run(
        ["bash", "-c", fast(command)], cwd=root, env=env(), capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def place(root: Path, block: Block) -> None:
    """Write a YAML block where its title says: a whole file, or the end of a list."""
    path, _sep, where = block.title.partition(", at the end of ")
    target = root / path
    if not where:
        assert target.is_file(), f"{path} should exist (made by `gapkb new`)"
        target.write_text(block.text, encoding="utf-8")
        return
    text = target.read_text(encoding="utf-8")
    if where == "provisions:":
        marker = "\ncoverage:\n"  # the provisions list ends where coverage begins
        assert text.count(marker) == 1
        at = text.index(marker) + 1
        text = text[:at] + block.text + text[at:]
    elif where == "coverage:":
        assert re.search(r"^coverage:\n(?!.*^\w)", text, re.MULTILINE | re.DOTALL)
        text = text.rstrip("\n") + "\n" + block.text  # coverage is the file's last list
    else:
        raise AssertionError(f"unknown place {block.title!r}")
    target.write_text(text, encoding="utf-8")


@pytest.mark.slow  # every command of the walkthrough, in a git clone of the content
def test_worked_example_runs_as_written(clone: Path) -> None:
    example = section('A worked example: adding the concept "Redress and complaints"')
    steps = blocks(example)
    assert len(steps) == len(re.findall(r"^```", example, re.MULTILINE)) // 2
    counts = {
        "sh": sum(b.lang == "sh" for b in steps),
        "output": sum(b.title == "output" for b in steps),
        "yaml": sum(b.lang == "yaml" for b in steps),
    }
    assert counts == EXPECTED_STEPS  # a block the parser misses is a step never tested
    output, scaffold = "", ""
    for block in steps:
        if block.lang == "sh":
            output = ""
            for command in block.text.splitlines():
                if command.strip() and not command.startswith("#"):
                    output += run(clone, command)
            if (clone / "concepts" / "redress.yaml").is_file() and not scaffold:
                scaffold = (clone / "concepts" / "redress.yaml").read_text(encoding="utf-8")
        elif block.title == "output":
            assert_in_order(shown_lines(block), output)
        elif block.lang == "yaml":
            place(clone, block)
    log = run(clone, "git log --format=%s main..HEAD")
    assert log.startswith("Add the concept Redress and complaints")
    assert run(clone, "git status --porcelain") == ""
    assert "<<summary>>" in scaffold

    # The errors shown under "Reading the errors" are the ones gapkb prints, at the lines of
    # the file as step 2 shows it.
    errors = next(b for b in blocks(section("Reading the errors")) if b.title == "errors")
    entry = clone / "concepts" / "redress.yaml"
    filled = entry.read_text(encoding="utf-8")
    assert filled == next(b.text for b in steps if b.title == "concepts/redress.yaml")
    variants = [
        re.sub(r"^summary: >-\n(?:  .*\n)+", "summary: >-\n  <<summary>>\n", filled, flags=re.M),
        filled.replace("category: accountability", "category: acountability"),
        filled.replace("  - automated-decision-making", "  - automated-decision-makng"),
    ]
    expected = shown_lines(errors)
    assert len(variants) == len(expected)
    for text, line in zip(variants, expected, strict=True):
        assert text != filled
        entry.write_text(text, encoding="utf-8")
        # the reading step alone finds these; the CLI prints `violation <finding>` for each
        # (pinned by test_bad_input.py)
        problems = [f"violation {p}" for p in load_records(clone).problems]
        assert line in problems, problems


def test_stand_ins_match_only_their_values() -> None:
    pattern = line_pattern("gapkb diff — main (<hash>) → working tree — as of <today>")
    assert pattern.fullmatch("gapkb diff — main (639a9b868eef) → working tree — as of 2026-11-24")
    assert not pattern.fullmatch("gapkb diff — main (HEAD) → working tree — as of 2026-11-24")
    assert not line_pattern("a.b").fullmatch("axb")  # the rest is literal


def test_categories_are_listed_with_their_definitions() -> None:
    """The table under "Choosing a category" is the model's, value for value."""
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", section("Choosing a category"), re.M)
    assert rows == [(c.value, c.definition) for c in Category]


def test_commands_named_in_the_document_exist(run_cli: Callable[..., Result]) -> None:
    """Every `gapkb …` the document shows takes the options it is shown with."""
    text = DOC.read_text(encoding="utf-8")
    lines = [b.text for b in blocks(text) if b.lang in ("sh", "console")]
    lines += re.findall(r"`((?:\.venv/bin/)?gapkb [^`]+)`", text)
    calls = gapkb_calls([line for chunk in lines for line in chunk.splitlines()])
    assert len(calls) >= 8
    for args in calls:
        assert_command_exists(args, run_cli)


def test_document_links_to_files_that_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (REPO / target).exists(), target
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
        slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
        assert anchor in slugs, anchor
