"""`gapkb new`, `gapkb diff` and `gapkb schema`: the commands a contributor runs around the check."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.cli.options import as_of_option, no_reasoner_option, root_option
from gapkb.entry_rules import did_you_mean
from gapkb.findings import GapkbError
from gapkb.model import Category, InstrumentKind, Status


class HintedChoice(click.Choice[str]):
    """click's Choice, with a did-you-mean for a misspelt value (`--category fairnes`)."""

    def get_invalid_choice_message(self, value: object, ctx: click.Context | None) -> str:
        hint = did_you_mean(str(value), [str(c) for c in self.choices])
        if not hint:
            return super().get_invalid_choice_message(value, ctx)
        return f"'{value}' is not allowed{hint}"


@click.group("new")
def new_group() -> None:
    """Write a new entry from a template: every field, a comment on each, placeholders to fill."""


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(values: dict[str, object], kind: str, name: str, label: str) -> None:
    """On a terminal, ask for a value left out of the options (Enter keeps the placeholder)."""
    from gapkb.contributing.scaffold import check_values

    while values.get(name) is None and _interactive():
        answer = click.prompt(f"{label} (Enter to fill in later)", default="", show_default=False)
        if not answer.strip():
            return
        try:
            check_values(kind, {name: answer})
        except GapkbError as error:
            click.echo(str(error), err=True)
            continue
        values[name] = answer


def _write_new(root: Path, kind: str, entry_id: str, values: dict[str, object]) -> None:
    from gapkb.contributing.scaffold import check_id, new_entry

    given = {k: v for k, v in values.items() if v is not None and v != ()}
    try:
        check_id(entry_id)  # before asking anything
        for name, label in {
            "concept": {"title": "Title", "category": "Category"},
            "instrument": {
                "title": "Official title",
                "short_title": "Short title",
                "jurisdiction": "Jurisdiction (ISO 3166 code, EU or INT)",
                "kind": "Kind",
            },
        }[kind].items():
            _ask(given, kind, name, label)
        made = new_entry(root, kind, entry_id, given)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    check = "gapkb check" + ("" if root == Path(".") else f" --root {root}")
    click.echo(f"wrote {made.path}")
    if made.placeholders:
        click.echo(
            f"fill in {len(made.placeholders)} placeholder(s), then run `{check} {made.path}`:"
        )
        click.echo("\n".join(f"  line {line}: {text}" for line, text in made.placeholders))
    else:
        click.echo(f"now run `{check} {made.path}`")


@new_group.command("concept")
@click.argument("entry_id", metavar="ID")
@root_option
@click.option("--title", help="Title of the concept page.")
@click.option("--category", type=HintedChoice([c.value for c in Category]), help="Its category.")
@click.option("--summary", help="1–3 sentences of plain text.")
@click.option("--related", multiple=True, metavar="ID", help="A related concept id (repeatable).")
def new_concept_command(
    entry_id: str,
    root: Path,
    title: str | None,
    category: str | None,
    summary: str | None,
    related: tuple[str, ...],
) -> None:
    """Write concepts/ID.yaml from the template (never overwrites; ID is kebab-case).

    Exit status: 0 written, 2 bad id, existing entry or bad option value.
    """
    values = {"title": title, "category": category, "summary": summary, "related": list(related)}
    _write_new(root, "concept", entry_id, {k: v or None for k, v in values.items()})


@new_group.command("instrument")
@click.argument("entry_id", metavar="ID")
@root_option
@click.option("--title", help="Official title, verbatim.")
@click.option("--short-title", help="Common short name.")
@click.option("--jurisdiction", help="ISO 3166 code (US, CN, US-CA), EU or INT.")
@click.option("--kind", type=HintedChoice([k.value for k in InstrumentKind]), help="Its kind.")
@click.option("--status", type=HintedChoice([s.value for s in Status]), help="Status today.")
@click.option("--binding/--non-binding", default=None, help="Whether it is legally binding.")
@click.option("--url", help="The official text (https).")
@click.option("--language", multiple=True, help="Language of the official text (repeatable).")
def new_instrument_command(
    entry_id: str,
    root: Path,
    title: str | None,
    short_title: str | None,
    jurisdiction: str | None,
    kind: str | None,
    status: str | None,
    binding: bool | None,
    url: str | None,
    language: tuple[str, ...],
) -> None:
    """Write instruments/ID.yaml from the template (never overwrites; ID is kebab-case).

    Exit status: 0 written, 2 bad id, existing entry or bad option value.
    """
    values: dict[str, object] = {
        "title": title,
        "short_title": short_title,
        "jurisdiction": jurisdiction,
        "kind": kind,
        "status": status,
        "binding": binding,
        "url": url,
        "languages": list(language) or None,
    }
    _write_new(root, "instrument", entry_id, values)


@click.command("diff")
@click.argument("base_ref")
@as_of_option
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: for a pull-request comment or the job summary.",
)
@no_reasoner_option
def diff_command(
    base_ref: str, as_of: dt.date | None, root: Path, fmt: str, no_reasoner: bool
) -> None:
    """Show what the working tree changes against git ref BASE_REF.

    Entries added, changed or removed; coverage links added or removed; gaps opened or
    closed. The base is read with `git archive` into a temporary folder (your checkout is
    not touched) and both trees go through the same check.

    Exit status: 0 compared, 2 usage error (not a git repository, unknown ref).
    """
    from gapkb.contributing.diff import diff
    from gapkb.contributing.diff_render import render_markdown
    from gapkb.contributing.diff_render import render_text as render_diff

    try:
        result = diff(root, base_ref, as_of, use_java=not no_reasoner)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    click.echo((render_markdown if fmt == "markdown" else render_diff)(result), nl=False)


@click.command("schema")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Only check that the files are current.")
def schema_command(root: Path, check_only: bool) -> None:
    """Write the JSON Schemas of concept and instrument entries to schema/ (for editors)."""
    from gapkb.contributing.schema import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(root)
        for path in stale:
            click.echo(f"{path}: out of date — run `gapkb schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        click.echo(f"wrote {path}")
