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
    r"(\d+(?:-\d+)*\.\d+|\d+-\d+-\d+)\.(?=[ \t*]|$)",
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
    matches = list(_SECTION.finditer(text))
    units: list[Unit] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        prefix = code_prefix(match.group(1), prefixes or {})
        number = match.group(1).replace(".", "-")
        key = f"{prefix}-{number}" if prefix else number
        body = text[match.start() : end]
        units.append(Unit(key, body, file))
        units.extend(nest(body[match.end() - match.start() :], key, styles, file))
    return units
