"""Inline errors on a pull request: GitHub Actions workflow annotations and a job summary.

When `GITHUB_ACTIONS=true`, `gapkb check` prints every finding as a workflow command
(`::error file=…,line=…,title=…::message`), which GitHub shows on the pull request's diff,
and appends a Markdown report to the file named by `GITHUB_STEP_SUMMARY`. Escaping follows
the Actions toolkit (`@actions/core`, command.ts): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in a property value `:` and `,` also become `%3A` and `%2C`.
GitHub shows at most 10 error and 10 warning annotations per step on the diff, so at most
`MAX_ANNOTATIONS` are printed, violations first, and in a pull request only on the files it
changes (`gapkb check --changed-files`); the job summary lists every finding.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from gapkb.findings import Finding, GapkbError, Severity
from gapkb.report import GapRow, summary_line

LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_SUMMARY_ROWS = 500  # a job summary may hold 1 MiB per step
MAX_ANNOTATIONS = 10  # what GitHub shows of one step on the diff


def in_github_actions(env: Mapping[str, str] | None = None) -> bool:
    return (os.environ if env is None else env).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """Escape a workflow command's message (`%` first, so nothing is escaped twice)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(root: Path, file: str, workspace: Path) -> str:
    """A finding's file relative to the workspace (what GitHub matches against the diff)."""
    absolute = Path(os.path.abspath(root / file))
    try:
        return absolute.relative_to(os.path.abspath(workspace)).as_posix()
    except ValueError:
        return (root / file).as_posix()


def annotation(finding: Finding, path: str) -> str:
    """One finding as a workflow command: `::error file=…,line=…,title=…::message`."""
    properties = []
    if finding.file:
        properties.append(f"file={escape_property(path)}")
        if finding.line > 0:
            properties.append(f"line={finding.line}")
    # `gapkb violation GK203: field`: the code names the rule, explained on the site
    title = " ".join(filter(None, ("gapkb", str(finding.severity), finding.code)))
    title += f": {finding.field}" if finding.field else ""
    properties.append(f"title={escape_property(title)}")
    return f"::{LEVEL[finding.severity]} {','.join(properties)}::{escape_data(finding.message)}"


def workflow_commands(
    findings: Iterable[Finding], root: Path, env: Mapping[str, str] | None = None
) -> list[str]:
    """Every finding as a workflow command, paths relative to `GITHUB_WORKSPACE` (else cwd)."""
    env = os.environ if env is None else env
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    ordered = sorted(findings, key=lambda f: (f.file, f.line, f.severity, f.field, f.message))
    return [annotation(f, workspace_path(root, f.file, workspace)) for f in ordered]


def read_file_list(path: Path) -> set[str]:
    """The paths in a file, one a line (the output of `git diff --name-only`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GapkbError(f"cannot read the list of changed files {path}: {error}") from None
    return {line.strip() for line in text.splitlines() if line.strip()}


def annotations_to_print(
    findings: Iterable[Finding],
    root: Path,
    env: Mapping[str, str] | None = None,
    changed: Collection[str] | None = None,
    limit: int = MAX_ANNOTATIONS,
) -> tuple[list[str], int]:
    """The workflow commands to print, and how many findings are left to the summary.

    Only findings on `changed` files (workspace paths; None: every file) or on no file,
    violations first, at most `limit`.
    """
    env = os.environ if env is None else env
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    findings = list(findings)
    located = [(f, workspace_path(root, f.file, workspace) if f.file else "") for f in findings]
    eligible = [(f, p) for f, p in located if changed is None or not f.file or p in changed]
    rank = {severity: i for i, severity in enumerate(Severity)}  # violations first
    eligible.sort(key=lambda fp: (rank[fp[0].severity], fp[1], fp[0].line, fp[0].message))
    chosen = eligible[:limit]
    return [annotation(f, p) for f, p in chosen], len(findings) - len(chosen)


# --- the job summary --------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: str) -> str:
    """Text for a Markdown table cell: no HTML, no links, no emphasis, no cell breaks."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(row) + " |" for row in rows[:MAX_SUMMARY_ROWS])
    if len(rows) > MAX_SUMMARY_ROWS:
        out.append(f"\n… and {len(rows) - MAX_SUMMARY_ROWS} more — run `gapkb check` locally.")
    return out


def summary_markdown(
    findings: list[Finding],
    rows: list[GapRow],
    as_of: str,
    title: str = "gapkb check",
    unannotated: int = 0,
) -> str:
    """The check as Markdown: summary line, findings by severity, the gap table."""
    out = [f"## {md(title)} — as of {as_of}", "", f"**{md(summary_line(findings, rows))}**", ""]
    if unannotated:
        out += [
            f"{unannotated} finding(s) are not annotated on the diff (GitHub shows at most "
            f"{MAX_ANNOTATIONS} per step, and a pull request's annotations go only on the files "
            "it changes): every finding is listed here.",
            "",
        ]
    headings = {
        Severity.VIOLATION: "Violations (must be fixed)",
        Severity.WARNING: "Warnings",
        Severity.INFO: "Infos",
    }
    for severity, heading in headings.items():
        group = sorted(f for f in findings if f.severity is severity)
        if not group:
            continue
        out += [f"### {heading}: {len(group)}", ""]
        out += _table(
            ["file", "line", "field", "problem — fix"],
            [[md(f.file), str(f.line), md(f.field), md(_coded(f))] for f in group],
        )
        out.append("")
    gaps = [r for r in rows if r.is_gap]
    out += [f"### Gaps: {len(gaps)} of {len(rows)} concepts", ""]
    if gaps:
        out += _table(
            ["concept", "used by", "implicit", "former", "status"],
            [[f"{md(r.title)} ({md(r.concept)})", *_counts(r), r.status] for r in gaps],
        )
    else:
        out.append("None: every concept is used by an instrument in force.")
    return "\n".join(out) + "\n"


def _coded(finding: Finding) -> str:
    return f"{finding.code} {finding.message}" if finding.code else finding.message


def _counts(row: GapRow) -> list[str]:
    return [str(row.used_by), str(row.implicit), str(row.former)]


def append_summary(markdown: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Append to the file named by `GITHUB_STEP_SUMMARY`; return it, or None if unset."""
    env = os.environ if env is None else env
    name = env.get("GITHUB_STEP_SUMMARY")
    if not name:
        return None
    path = Path(name)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(markdown + "\n")
    return path
