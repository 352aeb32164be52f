"""`gapkb comment`: the pull-request comment (the check and the gap diff of a branch)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gapkb.cli.options import as_of_option, no_reasoner_option, root_option
from gapkb.findings import GapkbError


@click.command("comment")
@click.argument("base_ref")
@as_of_option
@root_option
@no_reasoner_option
@click.option(
    "--changed-files",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file listing the pull request's changed files, one a line (git diff --name-only): their warnings are listed too.",
)
@click.option(
    "--run-url",
    metavar="URL",
    help="The workflow run whose artifacts hold the site preview (https://github.com/OWNER/REPO/actions/runs/ID).",
)
@click.option(
    "--preview",
    "artifact",
    metavar="NAME",
    help="Name of the run's artifact holding the built site (with --run-url); without it the comment says there is no preview.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the comment to this file instead of printing it.",
)
def comment_command(
    base_ref: str,
    as_of: dt.date | None,
    root: Path,
    no_reasoner: bool,
    changed_files: Path | None,
    run_url: str | None,
    artifact: str | None,
    out: Path | None,
) -> None:
    """Write the pull-request comment for the working tree against git ref BASE_REF.

    Markdown: the check's result (counts and the first findings with file:line), entries
    that did not load, gaps opened and closed by tier, concepts, instruments, provisions and
    coverage links changed, and where to find the site preview. The `ci` workflow writes it
    and the `pr-comment` workflow posts it (CONTRIBUTING: Threat model).

    Exit status: 0 written (whatever the check found), 2 usage error.
    """
    from gapkb.contributing.annotations import read_file_list
    from gapkb.contributing.comment import Preview, render_comment
    from gapkb.contributing.diff import diff_with_head

    try:
        if artifact and not run_url:
            raise GapkbError("--preview needs --run-url: the run the artifact belongs to")
        preview = Preview(run_url, artifact) if run_url and artifact else None
        changed = read_file_list(changed_files) if changed_files else None
        result, head = diff_with_head(root, base_ref, as_of, use_java=not no_reasoner)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    body = render_comment(result, head.findings, changed=changed, preview=preview)
    if out is None:
        click.echo(body, nl=False)
    else:
        out.write_text(body, encoding="utf-8")
        click.echo(f"wrote {out} ({len(body)} characters)")
