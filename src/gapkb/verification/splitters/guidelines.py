"""Commission guidelines: numbered headings and numbered paragraphs.

"2.2 The lifecycle of …" opens section `sec-2-2`, which runs to the next heading (so
section 3.2 holds 3.2.1 and 3.2.2, whose headings come after it); "(17) Based on …" is
paragraph `para-17`, which runs to the next numbered paragraph or heading. A footnote
("[footnote] …", printed under the paragraph that calls it) belongs to that section;
other bracketed editorial notes ("[EXCERPTS ONLY …]") belong to no provision.
"""

from __future__ import annotations

import re

from gapkb.verification.units import Unit

_HEADING = re.compile(r"^(\d+(?:\.\d+)*) +\S")
_PARAGRAPH = re.compile(r"^\((\d+)\) +\S")


def split(text: str, file: str = "") -> list[Unit]:
    """One unit per numbered section (with its subsections) and per numbered paragraph."""
    lines = [
        line.removeprefix("[footnote] ")
        for line in text.splitlines()
        if not line.lstrip().startswith("[") or line.startswith("[footnote] ")
    ]
    headings = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _HEADING.match(line))]
    units: list[Unit] = []
    for n, (start, number) in enumerate(headings):
        end = next(
            (i for i, other in headings[n + 1 :] if not other.startswith(number + ".")),
            len(lines),
        )
        units.append(Unit(f"sec-{number.replace('.', '-')}", "\n".join(lines[start:end]), file))
    starts = {i for i, _ in headings}
    for i, line in enumerate(lines):
        if m := _PARAGRAPH.match(line):
            end = next(
                (j for j in range(i + 1, len(lines)) if j in starts or _PARAGRAPH.match(lines[j])),
                len(lines),
            )
            units.append(Unit(f"para-{m.group(1)}", "\n".join(lines[i:end]), file))
    return units
