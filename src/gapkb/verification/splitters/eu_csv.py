"""EU acts as CSV (one row per article, recital or annex; paragraphs run together).

`articles.csv` → `art-5`, paragraphs `art-5-1` ("1." inside the content), points
`art-5-1-a`, sub-points `art-5-1-a-i`; Article 3's numbered definitions → `art-3-60`.
`recitals.csv` → `rec-97`. `annexes.csv` → `annex-iii`, its sections `annex-xi-s1`, numbered
points `annex-iv-2-a` (or `annex-xi-s1-2-c` inside a section) and lettered points
`annex-xiii-c`.
"""

from __future__ import annotations

import csv
import io
import re

from gapkb.verification.units import ALPHA, DOT, PAREN, ROMAN, Unit, nest

_SECTION = re.compile(r"(?:^|(?<=\s))Section (\d+)(?=\s+[A-Z])")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def split_articles(text: str, file: str = "") -> list[Unit]:
    """Units of an articles CSV (columns article, content)."""
    units: list[Unit] = []
    for row in _rows(text):
        key = f"art-{row['article'].strip().lower()}"
        content = row["content"]
        units.append(Unit(key, f"{row.get('article_name', '')}\n{content}", file))
        units.extend(nest(content, key, [DOT, PAREN, ALPHA, ROMAN], file))
    return units


def split_recitals(text: str, file: str = "") -> list[Unit]:
    """Units of a recitals CSV (columns recital, content)."""
    return [Unit(f"rec-{row['recital'].strip()}", row["content"], file) for row in _rows(text)]


def split_annexes(text: str, file: str = "") -> list[Unit]:
    """Units of an annexes CSV (columns annex, content), with sections and points."""
    units: list[Unit] = []
    for row in _rows(text):
        key = f"annex-{row['annex'].strip().lower()}"
        content = row["content"]
        units.append(Unit(key, content, file))
        sections = list(_SECTION.finditer(content))
        if not sections:
            units.extend(nest(content, key, [DOT, ALPHA, ROMAN], file))
            continue
        for index, match in enumerate(sections):
            end = sections[index + 1].start() if index + 1 < len(sections) else len(content)
            section_key = f"{key}-s{match.group(1)}"
            body = content[match.start() : end]
            units.append(Unit(section_key, body, file))
            units.extend(
                nest(body[match.end() - match.start() :], section_key, [DOT, ALPHA, ROMAN], file)
            )
    return units
