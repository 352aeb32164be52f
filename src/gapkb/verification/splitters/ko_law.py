"""Korean statutes and decrees as converted from law.go.kr records.

"제N조(제목)" → `art-N` ("제N조의M" → `art-N-M`); circled paragraphs "①" → `art-N-1`;
items "1." → `art-N-1-1` (or `art-N-1` in an article without circled paragraphs);
sub-items "가." "나." → `art-N-1-1-a`, `-b` (가나다라마바사아자 → a … i). Splitting
stops at the first line starting with "부칙" (the addenda number their articles again).
"""

from __future__ import annotations

import re

from gapkb.verification.units import CIRCLED, HANGUL, LINE_DOT, Unit, nest

_ARTICLE = re.compile(r"^[ \t]*제(\d+)조(?:의(\d+))?(?=[ \t]*\()", re.MULTILINE)
_STOP = re.compile(r"^[ \t]*부칙", re.MULTILINE)


def split(text: str, file: str = "") -> list[Unit]:
    """Units for every article, paragraph, item and sub-item."""
    stop = _STOP.search(text)
    text = text[: stop.start()] if stop else text
    matches = list(_ARTICLE.finditer(text))
    units: list[Unit] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = f"art-{match.group(1)}" + (f"-{match.group(2)}" if match.group(2) else "")
        body = text[match.start() : end]
        units.append(Unit(key, body, file))
        units.extend(nest(body, key, [CIRCLED, LINE_DOT, HANGUL], file))
    return units
