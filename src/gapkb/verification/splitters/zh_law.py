"""Chinese laws and regulations: 第N条 articles, unnumbered paragraphs, （一） items.

An article starts with "第N条" (Chinese or Arabic numerals) → `art-N`. Its paragraphs
(款) are not numbered in the text: each line is one, so the k-th line is `art-N-k`. Items
(项) "（一）" belong to the paragraph before them: `art-N-k-i`; when the article has a
single paragraph, its items are `art-N-i` (the convention of instruments/cn-*.yaml).
The HTML of an official page is first reduced to one line per <p> or <br>.
"""

from __future__ import annotations

import html
import re

from gapkb.verification.units import Unit, parse_number

_ARTICLE = re.compile(
    r"^[ \t\u3000]*第([一二三四五六七八九十百零〇0-9０-９]+)条(?:之([一二三四五六七八九十]+))?"
)
_ITEM = re.compile(r"^[ \t\u3000]*[（(]([一二三四五六七八九十]+)[)）]")
_HEADING = re.compile(r"^[ \t\u3000]*第[一二三四五六七八九十百零]+[章节编]")


def html_to_lines(text: str) -> str:
    """One line per paragraph of an HTML page, tags removed and entities decoded."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", text)
    text = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</h\d\s*>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def split(text: str, file: str = "") -> list[Unit]:
    """Units for every article, paragraph and item."""
    if "<p" in text.lower():
        text = html_to_lines(text)
    units: list[Unit] = []
    article: list[str] = []
    key = ""

    def close() -> None:
        if not key:
            return
        units.append(Unit(key, "\n".join(article), file))
        paragraphs: list[list[str]] = []
        for line in article:
            if _ITEM.match(line) and paragraphs:
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
        single = len(paragraphs) == 1
        for number, lines in enumerate(paragraphs, start=1):
            paragraph_key = key if single else f"{key}-{number}"
            if not single:
                units.append(Unit(paragraph_key, "\n".join(lines), file))
            for line in lines[1:]:
                item = _ITEM.match(line)
                if item:
                    units.append(Unit(f"{paragraph_key}-{parse_number(item.group(1))}", line, file))

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _ARTICLE.match(line)
        if match:
            close()
            key = f"art-{parse_number(match.group(1))}"
            if match.group(2):
                key += f"-{parse_number(match.group(2))}"
            article = [line]
        elif _HEADING.match(line) or (line.startswith("附") and len(line) <= 4):
            close()
            key, article = "", []
        elif key:
            article.append(line)
    close()
    return units
