"""`gapkb fix`: the safe repairs of entry files, in place (gapkb.contributing.fix)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.cli.options import root_option
from gapkb.findings import GapkbError


@click.command("fix")
@root_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; exit 1 if any file would change (for CI and hooks).",
)
@click.option(
    "--base",
    default="HEAD",
    show_default=True,
    help="Git revision a concept's content is compared with to decide whether `updated` becomes today.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def fix_command(root: Path, check_only: bool, base: str, files: tuple[Path, ...]) -> None:
    """Repair what needs no decision in entry FILES: trailing spaces, `id` from the file
    name, quotes around values YAML would misread (arXiv ids, yes/no, version numbers),
    true/false for yes/no, a concept's `updated` date, and the template's field order.
    Comments stay. Prints each repair.

    Exit status: 0 done (or, with --check, nothing to repair), 1 with --check when a file
    would change, 2 usage error.
    """
    from gapkb.contributing.fix import fix_file

    would_change = 0
    today = dt.date.today()
    for path in files:
        try:
            fixed = fix_file(path, root=root, today=today, base=base)
        except GapkbError as error:
            raise click.UsageError(str(error)) from None
        for change in fixed.changes:
            click.echo(
                f"{path}:{change.line}: {'would fix' if check_only else 'fixed'}: {change.what}"
            )
        if fixed.changed:
            would_change += 1
            if not check_only:
                path.write_text(fixed.after, encoding="utf-8")
    verb = "would change" if check_only else "changed"
    click.echo(f"{would_change} of {len(files)} file(s) {verb}")
    sys.exit(1 if check_only and would_change else 0)
