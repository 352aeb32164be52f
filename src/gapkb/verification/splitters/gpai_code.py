"""A chapter of the General-Purpose AI Code of Practice, one heading per line.

With the chapter's prefix (`ss` for Safety and Security): "Objectives" → `ss-objectives`;
recitals "(b) Principle …" → `ss-rec-b`; "Commitment 1 …" → `ss-c1` (with its measures);
"Measure 5.1 …" → `ss-m5-1`, its numbered points `ss-m5-1-1`; glossary terms
"‘deception’" → `ss-glossary-deception`; "Appendix 1.3.1 …" → `ss-app-1-3-1`, numbered
points of an appendix → `ss-app-1-4-1`.
"""

from __future__ import annotations

import re

from gapkb.verification.units import ALPHA, PAREN, ROMAN, Unit, nest, slug

_HEADING = re.compile(
    r"^(?:(?P<commitment>Commitment (?P<c>\d+))|(?P<measure>Measure (?P<m>\d+(?:\.\d+)+))"
    r"|(?P<appendix>Appendix (?P<a>\d+(?:\.\d+)*))|(?P<section>Objectives|Recitals|Glossary|Appendices))\b",
    re.MULTILINE,
)
_TERM = re.compile(r"^[‘'\"“](?P<term>[^’'\"”\n]+)[’'\"”][ \t]*$", re.MULTILINE)


def split(text: str, file: str = "", prefix: str = "ss") -> list[Unit]:
    """Units for the chapter's objectives, recitals, commitments, measures, glossary, appendices."""
    headings = list(_HEADING.finditer(text))
    units: list[Unit] = []
    for index, match in enumerate(headings):
        stop: tuple[str, ...]
        if match["commitment"]:
            key = f"{prefix}-c{match['c']}"
            stop = ("commitment", "section")
        elif match["measure"]:
            key = f"{prefix}-m{match['m'].replace('.', '-')}"
            stop = ("commitment", "measure", "section")
        elif match["appendix"]:
            key = f"{prefix}-app-{match['a'].replace('.', '-')}"
            stop = ("appendix", "section", "commitment")
        else:
            key = f"{prefix}-{match['section'].lower()}"
            stop = ("section", "commitment")
        end = len(text)
        for later in headings[index + 1 :]:
            later_key = f"{prefix}-app-{later['a'].replace('.', '-')}" if later["appendix"] else ""
            if any(later[kind] for kind in stop) and not later_key.startswith(key + "-"):
                end = later.start()
                break
        body = text[match.start() : end]
        units.append(Unit(key, body, file))
        if match["section"] == "Recitals":
            units.extend(nest(body, f"{prefix}-rec", [ALPHA], file))
        elif match["section"] == "Glossary":
            units.extend(_glossary(body, prefix, file))
        elif match["measure"] or match["appendix"]:
            own_end = next((h.start() - match.start() for h in headings[index + 1 :]), len(body))
            units.extend(
                nest(body[: max(own_end, 0) or len(body)], key, [PAREN, ALPHA, ROMAN], file)
            )
    return units


def _glossary(body: str, prefix: str, file: str) -> list[Unit]:
    terms = list(_TERM.finditer(body))
    units = []
    for index, match in enumerate(terms):
        end = terms[index + 1].start() if index + 1 < len(terms) else len(body)
        units.append(
            Unit(f"{prefix}-glossary-{slug(match['term'])}", body[match.start() : end], file)
        )
    return units
