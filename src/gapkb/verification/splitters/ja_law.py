"""Japanese statutes as converted from e-Gov XML.

"第N条（見出し）" on its own line → `art-N` (Chinese numerals; 第N条のM → `art-N-M`).
Paragraph 1 is unnumbered; "２ …" starts paragraph 2 → `art-N-2`; items "一 …" →
`art-N-1-1` in the paragraph that lists them (or `art-N-1` when the article has one
paragraph). The Government's English translation ("Article N", "(2)", "(i)") splits the
same way with `split_english`.
"""

from __future__ import annotations

import re

from gapkb.verification.units import JA_ITEM, JA_PARAGRAPH, PAREN, ROMAN, Unit, nest, parse_number

_ARTICLE = re.compile(
    r"^[ \t]*第([一二三四五六七八九十百]+)条(?:の([一二三四五六七八九十]+))?", re.MULTILINE
)
_ARTICLE_EN = re.compile(r"^[ \t]*Article[ \t]+(\d+)(?:-(\d+))?\b", re.MULTILINE)
_STOP = re.compile(r"^[ \t]*(?:附[ \t\u3000]*則|Supplementary Provisions)", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]*(?:第[一二三四五六七八九十]+章|Chapter [IVXLC\d]+).*$", re.MULTILINE)


def _articles(text: str, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    stop = _STOP.search(text)
    text = text[: stop.start()] if stop else text
    text = _HEADING.sub("", text)
    matches = list(pattern.finditer(text))
    out: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = f"art-{parse_number(match.group(1))}"
        if match.group(2):
            key += f"-{parse_number(match.group(2))}"
        out.append((key, text[match.start() : end]))
    return out


def split(text: str, file: str = "") -> list[Unit]:
    """Units of the Japanese text: articles, paragraphs and items."""
    units: list[Unit] = []
    for key, body in _articles(text, _ARTICLE):
        units.append(Unit(key, body, file))
        inner = body[body.find("\n") + 1 :]
        # JA_PARAGRAPH yields nothing for a one-paragraph article: its items are art-N-i.
        units.extend(nest(inner, key, [JA_PARAGRAPH, JA_ITEM], file))
    return units


def split_english(text: str, file: str = "") -> list[Unit]:
    """Units of the official English translation: Article N, (2) paragraphs, (i) items."""
    units: list[Unit] = []
    for key, body in _articles(text, _ARTICLE_EN):
        units.append(Unit(key, body, file))
        units.extend(nest(body, key, [PAREN, ROMAN], file))
    return units
