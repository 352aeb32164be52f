"""US Executive Orders and presidential memoranda as published text.

"Sec. 4. Title." → `sec-4`; sub-sections "4.2. Title." → `sec-4-2`; then lettered
subsections "(a)" → `sec-4-2-a`, "(i)" → `sec-4-2-a-i`, "(A)" → `sec-4-2-a-i-a`.
"""

from __future__ import annotations

import re

from gapkb.verification.units import ALPHA, ROMAN, UPPER, Unit, nest

_SECTION = re.compile(r"^[ \t]*(?:Sec(?:tion)?\.?|SEC\.|Section)[ \t]+(\d+)\.", re.MULTILINE)
_STYLES = [ALPHA, ROMAN, UPPER]


def _subsections(body: str, key: str, number: str, file: str) -> list[Unit]:
    pattern = re.compile(rf"^[ \t]*{number}\.(\d+)\.[ \t]", re.MULTILINE)
    matches = list(pattern.finditer(body))
    if not matches:
        return nest(body, key, _STYLES, file)
    units = nest(body[: matches[0].start()], key, _STYLES, file)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        sub_key = f"{key}-{match.group(1)}"
        sub_body = body[match.start() : end]
        units.append(Unit(sub_key, sub_body, file))
        units.extend(nest(sub_body[match.end() - match.start() :], sub_key, _STYLES, file))
    return units


def split(text: str, file: str = "") -> list[Unit]:
    """Units for every section, sub-section and lettered or numbered division."""
    matches = list(_SECTION.finditer(text))
    units: list[Unit] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = f"sec-{match.group(1)}"
        body = text[match.start() : end]
        units.append(Unit(key, body, file))
        units.extend(_subsections(body[match.end() - match.start() :], key, match.group(1), file))
    return units
