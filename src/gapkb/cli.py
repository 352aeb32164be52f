"""The command line: a thin click layer over the library."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.findings import GapkbError
from gapkb.pipeline import CheckResult, check
from gapkb.report import render_json, render_text


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date — write YYYY-MM-DD") from None


as_of_option = click.option(
    "--as-of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Evaluate coverage as of this date (default: today).",
)
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Repository root (holds concepts/, instruments/, ontology/, shapes/).",
)


def run_check(root: Path, as_of: dt.date | None) -> CheckResult:
    try:
        return check(root, as_of)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None


def header(result: CheckResult) -> str:
    engine = {"hermit": "HermiT", "rules": "built-in rules (no Java)"}.get(
        result.reasoning.engine if result.reasoning else "", "none (inconsistent)"
    )
    return (
        f"gapkb check — as of {result.as_of} — {len(result.kb.concepts)} concepts, "
        f"{len(result.kb.instruments)} instruments, {result.link_count} coverage links — reasoner: {engine}"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gapkb")
def cli() -> None:
    """gapkb: AI-governance instruments, the concepts they govern, and the gaps."""


@cli.command("check")
@as_of_option
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check_command(as_of: dt.date | None, root: Path, fmt: str) -> None:
    """Validate the knowledge base and print findings and the gap report.

    Exit status: 0 clean (warnings and infos allowed), 1 violations, 2 usage error.
    """
    result = run_check(root, as_of)
    for note in result.reasoning.notes if result.reasoning else []:
        click.echo(f"note: {note}", err=True)
    if fmt == "json":
        extra = {
            "concepts_total": len(result.kb.concepts),
            "instruments_total": len(result.kb.instruments),
        }
        click.echo(render_json(str(result.as_of), result.findings, result.gaps, extra), nl=False)
    else:
        click.echo(
            render_text(header(result), result.findings, result.gaps, str(result.as_of)), nl=False
        )
    sys.exit(0 if result.ok else 1)


@cli.command("schema")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Only check that the files are current.")
def schema_command(root: Path, check_only: bool) -> None:
    """Write the JSON Schemas of concept and instrument entries to schema/ (for editors)."""
    from gapkb.schema import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(root)
        for path in stale:
            click.echo(f"{path}: out of date — run `gapkb schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        click.echo(f"wrote {path}")


def main() -> None:
    cli(prog_name="gapkb")
