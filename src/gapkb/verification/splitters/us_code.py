"""US state bills and session laws that add code sections.

A section starts with its number: California "22757.12." (`bpc-22757-12`), Colorado
"6-1-1702." (`crs-6-1-1702`), Texas "Sec. 552.051." (`bcc-552-051`); the prefix naming the
code (bpc, crs, bcc, gov, lab) comes from the manifest. Inside a section, subdivisions are
found in order: California and Texas "(a)(1)(A)(i)", Colorado "(1)(a)(I)(A)"; keys are
lower case (`bpc-22757-12-a-1-a`, `crs-6-1-1702-2-b-i`).
"""

from __future__ import annotations

import re

from gapkb.verification.units import ALPHA, PAREN, ROMAN, UPPER, UPPER_ROMAN, Unit, nest

# Section number at the start of a line, possibly after markdown (#### or - ) or "Sec.".
_SECTION = re.compile(
    r"^[ \t]*(?:#+[ \t]*|[-*][ \t]+)?(?:\*\*)?(?:Sec\.|SEC\.|Section|§)?[ \t]*"
    r"(\d{4,}(?:\.\d+)*|\d+(?:-\d+)*\.\d+|\d+-\d+-\d+)\.(?=[ \t*]|$)",
    re.MULTILINE,
)
# A section of the bill itself: "SECTION 1.", "SEC. 5.", "## SECTION 5. General Provisions".
_BILL_SECTION = re.compile(r"^[ \t]*(?:#+[ \t]*)?(?:SECTION|SEC\.)[ \t]+(\d+)\.", re.MULTILINE)
# An amending section that prints only the amended subsection: "SECTION 6. Section
# 2054.068(b), Government Code, is amended to read as follows:".
_AMENDED = re.compile(
    r"^[ \t]*SECTION \d+\.[ \t]+Section[ \t]+(\d+\.\d+)((?:\([a-z0-9-]+\))*),[^\n]*amended",
    re.MULTILINE,
)
STYLES = {
    "california": [ALPHA, PAREN, UPPER, ROMAN],
    "texas": [ALPHA, PAREN, UPPER, ROMAN],
    "colorado": [PAREN, ALPHA, UPPER_ROMAN, UPPER],
}


def code_prefix(number: str, prefixes: dict[str, str]) -> str:
    """The code's prefix for a section number: the longest matching number start wins."""
    starts = [start for start in prefixes if number.startswith(start)]
    return prefixes[max(starts, key=len)] if starts else ""


def split(
    text: str, file: str = "", prefixes: dict[str, str] | None = None, numbering: str = "california"
) -> list[Unit]:
    """Units for every code section and its subdivisions.

    `prefixes` maps the start of a section number to its code's prefix
    (`{"": "bcc", "325.": "gov"}`): a bill may amend several codes.
    """
    styles = STYLES[numbering]
    bill = list(_BILL_SECTION.finditer(text))
    units: list[Unit] = []
    for index, match in enumerate(bill):
        end = bill[index + 1].start() if index + 1 < len(bill) else len(text)
        units.append(Unit(f"sec-{match.group(1)}", text[match.start() : end], file))
    matches = sorted([*_SECTION.finditer(text), *_AMENDED.finditer(text)], key=lambda m: m.start())
    bounds = sorted({m.start() for m in [*matches, *bill]} | {len(text)})
    for match in matches:
        # A code section ends at the next code section or at the bill's next SECTION.
        end = next(b for b in bounds if b > match.start())
        prefix = code_prefix(match.group(1), prefixes or {})
        number = match.group(1).replace(".", "-")
        key = f"{prefix}-{number}" if prefix else number
        body = text[match.start() : end]
        inner, level_styles = body[match.end() - match.start() :], styles
        subsections = (
            re.findall(r"\(([a-z0-9-]+)\)", match.group(2) or "") if match.re is _AMENDED else []
        )
        if subsections:
            # Only that subsection is printed: it is the unit, and numbering goes on below it.
            key = "-".join([key, *subsections])
            level_styles = styles[len(subsections) :]
        units.append(Unit(key, body, file))
        units.extend(nest(inner, key, level_styles, file))
    return units
