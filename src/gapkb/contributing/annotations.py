"""Inline errors on a pull request: GitHub Actions workflow annotations and a job summary.

When `GITHUB_ACTIONS=true`, `gapkb check` prints every finding as a workflow command
(`::error file=…,line=…,title=…::message`), which GitHub shows on the pull request's diff,
and appends a Markdown report to the file named by `GITHUB_STEP_SUMMARY`. Escaping follows
the Actions toolkit (`@actions/core`, command.ts): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in a property value `:` and `,` also become `%3A` and `%2C`.
GitHub shows at most 10 error and 10 warning annotations per step on the diff; the job
summary lists every finding.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from gapkb.findings import Finding, Severity
from gapkb.report import GapRow, summary_line

LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_SUMMARY_ROWS = 500  # a job summary may hold 1 MiB per step


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
    title = f"gapkb {finding.severity}" + (f": {finding.field}" if finding.field else "")
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
    findings: list[Finding], rows: list[GapRow], as_of: str, title: str = "gapkb check"
) -> str:
    """The check as Markdown: summary line, findings by severity, the gap table."""
    out = [f"## {md(title)} — as of {as_of}", "", f"**{md(summary_line(findings, rows))}**", ""]
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
            [[md(f.file), str(f.line), md(f.field), md(f.message)] for f in group],
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
