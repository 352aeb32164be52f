"""What the commands share: the --as-of, --root and --no-reasoner options, running the check, the report's header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gapkb.findings import GapkbError
from gapkb.pipeline import CheckResult, check


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


no_reasoner_option = click.option(
    "--no-reasoner",
    is_flag=True,
    help="Skip HermiT (about 1 s faster): inferences from built-in rules, no consistency check.",
)


def run_check(root: Path, as_of: dt.date | None, *, use_java: bool = True) -> CheckResult:
    try:
        return check(root, as_of, use_java=use_java)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None


def header(result: CheckResult, *, skipped: bool = False) -> str:
    engine = {"hermit": "HermiT", "rules": "built-in rules (no Java)"}.get(
        result.reasoning.engine if result.reasoning else "", "none (inconsistent)"
    )
    if skipped:
        engine = "skipped (--no-reasoner; built-in rules)"
    return (
        f"gapkb check — as of {result.as_of} — {len(result.kb.concepts)} concepts, "
        f"{len(result.kb.instruments)} instruments, {result.link_count} coverage links — reasoner: {engine}"
    )
