"""The pull-request comment: the check's result and the gap diff of a branch, in Markdown.

The `ci` workflow renders it with the pull request's own code and a read-only token, and
uploads it as an artifact; the `pr-comment` workflow posts it. So the body is untrusted
data when it is posted: the posting workflow puts `MARKER` in front of it itself, finds its
earlier comment by that marker to update it (never a second comment), and cuts a body over
`MAX_COMMENT_CHARS`. Everything taken from an entry goes through `md` here, so a title
cannot add a link, an image or HTML to the comment.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from gapkb.contributing.annotations import md
from gapkb.contributing.diff import KbDiff
from gapkb.contributing.diff_render import gap_text, link_text, provision_text, warning
from gapkb.findings import Finding, GapkbError, Severity
from gapkb.report import GAP_KINDS

MARKER = "<!-- gapkb-pr-comment -->"
MAX_COMMENT_CHARS = 60_000  # GitHub refuses a comment over 65,536 characters
MAX_FINDINGS = 5  # the first few; every finding is in the run's job summary
MAX_ROWS = 50  # per list; the job summary has the whole diff
RUN_URL = re.compile(r"https://[\w.-]+/(?P<repo>[\w.-]+/[\w.-]+)/actions/runs/(?P<run>\d+)")


@dataclass(frozen=True)
class Preview:
    """Where the built site of the pull request is: an artifact of a workflow run."""

    run_url: str  # https://github.com/OWNER/REPO/actions/runs/ID
    artifact: str  # the artifact's name

    def __post_init__(self) -> None:
        if not RUN_URL.fullmatch(self.run_url):
            raise GapkbError(
                f"'{self.run_url}' is not a workflow run's address — "
                "give https://github.com/OWNER/REPO/actions/runs/ID"
            )
        if not re.fullmatch(r"[\w.-]+", self.artifact):
            raise GapkbError(
                f"'{self.artifact}' is not an artifact name — use letters, digits, - _ ."
            )

    @property
    def repo(self) -> str:
        match = RUN_URL.fullmatch(self.run_url)
        return match["repo"] if match else ""

    @property
    def run_id(self) -> str:
        match = RUN_URL.fullmatch(self.run_url)
        return match["run"] if match else ""


def _finding(f: Finding) -> str:
    field = f" {md(f.field)}:" if f.field else ""
    where = f"{md(f.file)}:{f.line}" if f.file else "the knowledge base"
    return f"- **{where}**{field} {md(f.message)}"


def _findings(findings: Sequence[Finding], changed: Collection[str] | None) -> list[str]:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    violations = counts[Severity.VIOLATION]
    head = "passes" if not violations else f"fails: {violations} violation(s) to fix"
    out = [
        f"**`gapkb check` {head}** — {violations} violation(s), "
        f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info(s) "
        "(gaps are warnings, not errors).",
        "",
    ]
    groups = [("Violations", [f for f in findings if f.severity is Severity.VIOLATION])]
    if changed is not None:
        mine = [f for f in findings if f.severity is Severity.WARNING and f.file in changed]
        groups.append(("Warnings in the files this pull request changes", mine))
    for title, group in groups:
        if not group:
            continue
        shown = sorted(group)[:MAX_FINDINGS]
        more = f" (the first {len(shown)} of {len(group)})" if len(group) > len(shown) else ""
        out += [f"{title}{more}:", "", *(_finding(f) for f in shown), ""]
    return out


def _load_errors(d: KbDiff) -> list[str]:
    if not d.load_errors:
        return []
    out = ["### Entries that did not load", "", f"> {warning(d)}", ""]  # our words only
    out += ["| side | file | code | field | error — fix |", "|---|---|---|---|---|"]
    out += [
        f"| {e.side} | {md(e.path)}:{e.line} | {md(e.code)} | {md(e.field)} | {md(e.message)} |"
        for e in d.load_errors
    ]
    if d.withheld:
        names = ", ".join(md(cid) for cid, _path in d.withheld[:MAX_ROWS])
        out += ["", f"Gap status not compared for: {names}."]
    return [*out, ""]


def _gaps(d: KbDiff) -> list[str]:
    opened, closed = d.gaps_opened, d.gaps_closed
    out = [f"### Gaps: {len(opened)} opened, {len(closed)} closed", ""]
    if not d.gaps:
        return [*out, "No gap opened or closed.", ""]
    out += ["| tier | opened | closed |", "|---|---|---|"]
    for tier in GAP_KINDS:
        o = sum(1 for g in opened if g.after == tier)
        c = sum(1 for g in closed if g.before == tier)
        if o or c:
            out.append(f"| {tier} | {o} | {c} |")
    out.append("")
    out += [
        f"- {g.change}: {md(g.title)} ({md(g.concept)}): {md(gap_text(g))}"
        for g in d.gaps[:MAX_ROWS]
    ]
    return [*out, ""]


def _changes(d: KbDiff) -> list[str]:
    out: list[str] = []
    for kind, title in (("concept", "Concepts"), ("instrument", "Instruments")):
        entries = [e for e in d.entries if e.kind == kind]
        if entries:
            out += [f"### {title}", ""]
            for e in entries[:MAX_ROWS]:
                fields = f" ({md(', '.join(e.fields))})" if e.fields else ""
                out.append(f"- {e.change}: {md(e.path)}{fields}")
            out.append("")
    added = [p for p in d.provisions if p.change == "added"]
    removed = [p for p in d.provisions if p.change == "removed"]
    for title, group in (("Provisions added", added), ("Provisions removed", removed)):
        if group:
            out += [f"### {title}", "", *(f"- {md(provision_text(p))}" for p in group[:MAX_ROWS])]
            out.append("")
    if d.links:
        out += [f"### Coverage links: {len(d.links)} changed", ""]
        out += [f"- {c.change}: {md(link_text(c))}" for c in d.links[:MAX_ROWS]]
        out.append("")
    return out


def _preview(preview: Preview | None) -> list[str]:
    out = ["### Site preview", ""]
    if preview is None:
        return [
            *out,
            "No preview: the site was not built (it is not built while the check has "
            "violations). Fix them and push; this comment is updated.",
        ]
    return [
        *out,
        f"The site built from this pull request is the artifact **{preview.artifact}** of "
        f"[this workflow run]({preview.run_url}#artifacts): download it there (the zip file "
        "holds the whole site), or with the GitHub CLI, and serve it:",
        "",
        "```sh",
        f"gh run download {preview.run_id} --repo {preview.repo} --name {preview.artifact} "
        "--dir preview",
        "python3 -m http.server --directory preview 8000",
        "```",
        "",
        "then open http://localhost:8000/ in a browser.",
    ]


def render_comment(
    d: KbDiff,
    findings: Sequence[Finding],
    *,
    changed: Collection[str] | None = None,
    preview: Preview | None = None,
) -> str:
    """The comment's Markdown body, starting with `MARKER` and at most `MAX_COMMENT_CHARS`.

    `findings` are the working tree's (the check of the pull request); `changed` the files
    the pull request changes, whose warnings are listed too.
    """
    out = [
        MARKER,
        f"## gapkb: {md(d.base_ref)} ({d.base_commit[:12]}) → this pull request, as of {d.as_of}",
        "",
        *_findings(findings, changed),
        *_load_errors(d),
        *_gaps(d),
        *_changes(d),
        *_preview(preview),
    ]
    return limit("\n".join(out) + "\n")


def limit(body: str, size: int = MAX_COMMENT_CHARS) -> str:
    """`body` cut at a line so that it holds at most `size` characters, with a note."""
    if len(body) <= size:
        return body
    note = "\n\n… cut here: the comment is too long for GitHub; the run's job summary has it all.\n"
    cut = body[: size - len(note)]
    return cut[: cut.rfind("\n") + 1 or len(cut)].rstrip() + note
