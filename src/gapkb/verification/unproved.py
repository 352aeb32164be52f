"""GK312: a quote that nothing can prove must say so.

A link's quote is proved by a machine (the instrument's official text is stored: the
manifest names it and, where the stored text is partial, its `covers` reach the cited
provision) or by a person (`quote_source` names the official page it was read on and
`reviewed` the date). Any other quote has been checked against nothing the project can
name, so the entry must list it under `unverified`, and the site marks it. Decided from the
manifest and the entry alone, so a clone without the stored texts gets the same answer.
"""

from __future__ import annotations

from gapkb.findings import Finding
from gapkb.model import CoverageLink
from gapkb.records import KnowledgeBase
from gapkb.verification.manifest import TextEntry

CODE = "GK312"


def has_stored_text(link: CoverageLink, instrument: str, manifest: dict[str, TextEntry]) -> bool:
    """Whether `gapkb verify` has a stored text to look for this link's quote in."""
    entry = manifest.get(link.quote_version or instrument)
    return entry is not None and entry.reaches(link)


def unproved_quotes(kb: KnowledgeBase, manifest: dict[str, TextEntry]) -> list[Finding]:
    """Quotes with neither a stored text nor a hand check that are not listed as unverified.

    A knowledge base without a manifest verifies nothing against stored texts, so the rule
    would flag every quote: it applies only where a manifest exists."""
    if not manifest:
        return []
    findings: list[Finding] = []
    for instrument_id, record in sorted(kb.instruments.items()):
        listed = set(record.entry.unverified)
        for index, link in enumerate(record.entry.coverage):
            path = f"coverage.{index}.quote"
            if (
                not link.quote
                or path in listed
                or link.hand_checked
                or has_stored_text(link, instrument_id, manifest)
            ):
                continue
            findings.append(
                Finding(
                    record.path,
                    record.line("coverage", index, "quote"),
                    path,
                    "no official text of this provision is stored and no hand check is recorded — "
                    "read the quote on the official page and add quote_source (its URL) and "
                    f"reviewed (the date), or list {path} under unverified",
                    code=CODE,
                )
            )
    return findings
