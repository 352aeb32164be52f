"""`gapkb diff`'s output: the comparison as text for a terminal, or as Markdown for a job
summary. Every value that comes from an entry goes through `md` (no HTML, links or table
breaks from contributed text)."""

from __future__ import annotations

from gapkb.contributing.annotations import md
from gapkb.contributing.diff import GapChange, KbDiff, LinkChange, ProvisionChange

SIGN = {"added": "+", "removed": "-", "changed": "~", "unreadable": "!"}
GAP_SIGN = {"opened": "+", "closed": "-", "changed": "~", "removed": "x"}


def _counts(d: KbDiff) -> tuple[str, str, str, str]:
    gaps = f"{d.count('gaps', 'opened')} gap(s) opened, {d.count('gaps', 'closed')} closed"
    if d.count("gaps", "changed"):
        gaps += f", {d.count('gaps', 'changed')} changed in kind"
    entries = ", ".join(
        f"{d.count('entries', c)} {c}"
        for c in ("added", "changed", "removed", "unreadable")
        if c != "unreadable" or d.count("entries", c)
    )
    links = ", ".join(
        f"{d.count('links', c)} {c}"
        for c in ("added", "removed", "changed")
        if c != "changed" or d.count("links", c)
    )
    provisions = ", ".join(f"{d.count('provisions', c)} {c}" for c in ("added", "removed"))
    return gaps, f"entries: {entries}", f"coverage links: {links}", f"provisions: {provisions}"


def link_text(c: LinkChange) -> str:
    strength = (c.after or c.before) if c.change != "changed" else f"{c.before} → {c.after}"
    return f"{c.instrument} {c.provision} → {c.concept} ({strength})"


def gap_text(c: GapChange) -> str:
    return f"{c.before or 'new concept'} → {c.after or 'concept removed'}"


def provision_text(c: ProvisionChange) -> str:
    return f"{c.instrument} {c.provision} ({c.label})"


def warning(d: KbDiff) -> str:
    """Why the comparison may be incomplete, or '' when it is not."""
    if d.load_errors:
        return (
            f"{len(d.load_errors)} entry file(s) did not load: their links and provisions, and "
            "the gap status of the concepts they touch, are not compared — fix the errors "
            "listed (run `gapkb check`)"
        )
    if d.head_violations:
        return f"the working tree has {d.head_violations} violation(s) — run `gapkb check`"
    return ""


def render_text(d: KbDiff) -> str:
    gaps, entries, links, provisions = _counts(d)
    out = [f"gapkb diff — {d.base_ref} ({d.base_commit[:12]}) → working tree — as of {d.as_of}"]
    if warning(d):
        out.append(f"warning: {warning(d)}")
    out += ["", gaps]
    out += [f"  {GAP_SIGN[c.change]} {c.concept:<30} {gap_text(c)}" for c in d.gaps]
    out += ["", entries]
    for e in d.entries:
        detail = f" ({', '.join(e.fields)})" if e.fields else ""
        out.append(f"  {SIGN[e.change]} {e.path}{detail}")
    out += ["", provisions]
    out += [f"  {SIGN[c.change]} {provision_text(c)}" for c in d.provisions]
    out += ["", links]
    out += [f"  {SIGN[c.change]} {link_text(c)}" for c in d.links]
    if d.load_errors:
        out += ["", "did not load:"]
        out += [f"  ! {e.side}: {e}" for e in d.load_errors]
    if d.withheld:
        out += ["", "gap status not compared (an entry they depend on did not load):"]
        out += [f"  ? {cid:<30} {path}" for cid, path in d.withheld]
    return "\n".join(out) + "\n"


def render_markdown(d: KbDiff) -> str:
    gaps, entries, links, provisions = _counts(d)
    out = [
        f"### Gap diff: {md(d.base_ref)} ({d.base_commit[:12]}) → this branch, as of {d.as_of}",
        "",
        f"**{gaps}** · {entries} · {provisions} · {links}",
        "",
    ]
    if warning(d):
        out += [f"> **Warning:** {md(warning(d))}", ""]
    if d.load_errors:
        out += ["| side | did not load | error |", "|---|---|---|"]
        out += [f"| {e.side} | {md(e.path)}:{e.line} | {md(str(e))} |" for e in d.load_errors]
        out.append("")
    if d.gaps:
        out += ["| gap | concept | before → after |", "|---|---|---|"]
        out += [
            f"| {c.change} | {md(c.title)} ({md(c.concept)}) | {md(gap_text(c))} |" for c in d.gaps
        ]
    else:
        out.append("No gap opened or closed.")
    if d.entries:
        out += ["", f"<details><summary>Entries ({len(d.entries)})</summary>", ""]
        out += ["| change | file | fields |", "|---|---|---|"]
        out += [f"| {e.change} | {md(e.path)} | {md(', '.join(e.fields))} |" for e in d.entries]
        out += ["", "</details>"]
    if d.provisions:
        out += ["", f"<details><summary>Provisions ({len(d.provisions)})</summary>", ""]
        out += ["| change | instrument | provision | label |", "|---|---|---|---|"]
        out += [
            f"| {c.change} | {md(c.instrument)} | {md(c.provision)} | {md(c.label)} |"
            for c in d.provisions
        ]
        out += ["", "</details>"]
    if d.links:
        out += ["", f"<details><summary>Coverage links ({len(d.links)})</summary>", ""]
        out += ["| change | instrument | provision | concept | strength |", "|---|---|---|---|---|"]
        out += [
            f"| {c.change} | {md(c.instrument)} | {md(c.provision)} | {md(c.concept)} | "
            f"{md(c.before or '')}{' → ' if c.before and c.after else ''}{md(c.after or '')} |"
            for c in d.links
        ]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"
