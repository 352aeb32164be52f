"""`gapkb check` and `gapkb build`: the pipeline and the site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.cli.options import as_of_option, header, no_reasoner_option, root_option, run_check
from gapkb.findings import GapkbError
from gapkb.report import render_json, render_text


@click.command("check")
@as_of_option
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@no_reasoner_option
@click.option(
    "--changed-files",
    type=click.Path(dir_okay=False, path_type=Path),
    help="In GitHub Actions: a file listing the pull request's changed files (git diff --name-only); annotations go only on those.",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check_command(
    as_of: dt.date | None,
    root: Path,
    fmt: str,
    no_reasoner: bool,
    changed_files: Path | None,
    files: tuple[Path, ...],
) -> None:
    """Validate the knowledge base and print findings and the gap report.

    With FILES (entry files), every entry is still loaded for cross-references, but only
    the findings and gaps of those files are reported: what the pre-commit hook runs.
    In GitHub Actions (GITHUB_ACTIONS=true) findings are also printed as workflow
    annotations (at most 10, violations first, only on --changed-files when given), and a
    Markdown report of every finding is appended to $GITHUB_STEP_SUMMARY.

    Exit status: 0 clean (warnings and infos allowed), 1 violations, 2 usage error.
    """
    from gapkb.contributing.annotations import (
        annotations_to_print,
        append_summary,
        in_github_actions,
        read_file_list,
    )
    from gapkb.contributing.annotations import summary_markdown as summary
    from gapkb.contributing.subset import only_files, select_files

    try:
        selected = select_files(root, files) if files else None
        changed = read_file_list(changed_files) if changed_files else None
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    result = run_check(root, as_of, use_java=not no_reasoner)
    findings, gaps, title = result.findings, result.gaps, header(result, skipped=no_reasoner)
    if selected is not None:
        findings, gaps = only_files(findings, gaps, result.kb, selected)
        title += f"\nreporting {len(selected)} file(s) only: {', '.join(sorted(selected))}"
    result = dataclasses.replace(result, findings=findings, gaps=gaps)
    for note in result.reasoning.notes if result.reasoning else []:
        click.echo(f"note: {note}", err=True)
    if fmt == "json":
        extra = {
            "concepts_total": len(result.kb.concepts),
            "instruments_total": len(result.kb.instruments),
        }
        click.echo(render_json(str(result.as_of), result.findings, result.gaps, extra), nl=False)
    else:
        click.echo(render_text(title, result.findings, result.gaps, str(result.as_of)), nl=False)
    if in_github_actions():
        lines, rest = annotations_to_print(result.findings, root, changed=changed)
        for line in lines:
            click.echo(line, err=fmt == "json")  # stdout stays valid JSON
        append_summary(summary(result.findings, result.gaps, str(result.as_of), unannotated=rest))
    sys.exit(0 if result.ok else 1)


@click.command("build")
@as_of_option
@root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Folder for the built site (the Markdown pages go to build/docs, rendered citations are kept in build/cache).",
)
def build_command(as_of: dt.date | None, root: Path, out: Path) -> None:
    """Build the wiki: check (printing the gap report), write the Markdown pages, then run
    `mkdocs build --strict`.

    Exit status: 0 built, 1 content violations or a failed site build, 2 usage error.
    """
    from gapkb.findings import Severity
    from gapkb.site import (
        DEFAULT_CACHE_DIR,
        DEFAULT_DOCS_DIR,
        SiteError,
        build_site,
        generation_time,
    )

    result = run_check(root, as_of)
    for note in result.reasoning.notes if result.reasoning else []:
        click.echo(f"note: {note}", err=True)
    report = render_text(header(result), result.findings, result.gaps, str(result.as_of))
    click.echo(report)
    violations = [f for f in result.findings if f.severity is Severity.VIOLATION]
    if violations:
        click.echo(f"build stopped: {len(violations)} violation(s) — fix them, then build again")
        sys.exit(1)
    try:
        built = build_site(result, out, docs_dir=DEFAULT_DOCS_DIR, cache_dir=DEFAULT_CACHE_DIR)
    except SiteError as error:
        for message in error.messages:
            click.echo(message, err=True)
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    for note in built.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"built {built.pages} pages as of {result.as_of} into {built.out} "
        f"(pages: {generation_time(built.pages, built.generate_seconds)}; "
        f"mkdocs: {built.mkdocs_seconds:.2f} s)"
    )
