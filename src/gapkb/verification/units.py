"""Provision units: the pieces a splitter cuts a text into, keyed by provision id.

Keys follow the knowledge base's convention (`art-5-1-a`, `sec-4-2-a-i`, `rec-97`). A
unit's text includes its sub-units, so a quote is found in a paragraph and in the
article that holds it. `nest` finds numbered sub-divisions by expecting them in order:
after `(a)` only `(b)` can start the next point, so a cross-reference such as
"point (c)" or a roman `(i)` inside point (h) cannot be mistaken for a division.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One provision of a stored text: its key, its raw text and the file it is in."""

    key: str
    text: str
    file: str = ""


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
_ZH_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HANGUL_ITEMS = "가나다라마바사아자차카타파하"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def roman(n: int) -> str:
    """Lower-case roman numeral of n (1 → i, 14 → xiv)."""
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def letters(n: int) -> str:
    """Point letter of n as statutes number them: a … z, then aa, bb, … zz."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def chinese_numeral(n: int) -> str:
    """Chinese (and Japanese) numeral of 1 ≤ n < 1000: 三, 十二, 二十, 一百零五."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[units] if units else "")
    hundreds, rest = divmod(n, 100)
    tail = (
        ""
        if rest == 0
        else (
            "零" + _ZH_DIGITS[rest]
            if rest < 10
            else "一" + chinese_numeral(rest)
            if rest < 20
            else chinese_numeral(rest)
        )
    )
    return _ZH_DIGITS[hundreds] + "百" + tail


def parse_number(token: str) -> int:
    """Arabic, full-width or Chinese numeral token to int (第十二条 → 12)."""
    token = token.translate({ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")})
    if token.isdigit():
        return int(token)
    value, current = 0, 0
    for char in token:
        if char in _ZH_DIGITS:
            current = _ZH_DIGITS.index(char)
        elif char == "十":
            value += (current or 1) * 10
            current = 0
        elif char == "百":
            value += (current or 1) * 100
            current = 0
        elif char == "千":
            value += (current or 1) * 1000
            current = 0
    return value + current


# Where a division may start: at the start of a line (after list or bold markup), or
# inline after the end of a sentence or clause (". 2. ", ": (a) ", "; and (d) ") or right
# after another division's marker ("(c) (1) Commencing …").
_LINE = r"(?:^|\n)[ \t]*(?:[-*]+[ \t]+)?(?:\*\*)?"
_INLINE = (
    r"(?:^|\n[ \t]*(?:[-*]+[ \t]+)?(?:\*\*)?|(?:(?<=[.:;])|(?<=\(\w\))|(?<=\(\w\w\))|(?<=\(\w\w\w\)))"
    r"[ \t]+(?:(?:and|or|AND|OR)[ \t]+)?)"
)


@dataclass(frozen=True)
class Style:
    """A numbering style: the marker of the n-th division and its key part."""

    name: str
    marker: Callable[[int], str]
    key: Callable[[int], str]
    anchor: str = _INLINE
    implicit_first: bool = False

    def pattern(self, n: int) -> re.Pattern[str]:
        """Regex of the n-th marker at a place where a division may start."""
        return re.compile(self.anchor + "(" + self.marker(n) + ")")


DOT = Style("dot", lambda n: rf"{n}\.(?=\s)", str)
PAREN = Style("paren", lambda n: rf"\({n}\)", str)
ALPHA = Style("alpha", lambda n: rf"\({letters(n)}\)", letters)
ROMAN = Style("roman", lambda n: rf"\({roman(n)}\)", roman)
UPPER = Style("upper", lambda n: rf"\({letters(n).upper()}\)", letters)
UPPER_ROMAN = Style("upper-roman", lambda n: rf"\({roman(n).upper()}\)", roman)
# Circled numbers mark paragraphs only, so they may start one anywhere (also after a title).
CIRCLED = Style(
    "circled", lambda n: re.escape(_CIRCLED[n - 1]) if n <= 20 else "(?!)", str, anchor=""
)
LINE_DOT = Style("line-dot", lambda n: rf"{n}\.(?=\s)", str, anchor=_LINE)
HANGUL = Style(
    "hangul",
    lambda n: rf"{_HANGUL_ITEMS[n - 1]}\.(?=\s)" if n <= len(_HANGUL_ITEMS) else "(?!)",
    letters,
    anchor=_LINE,
)
ZH_ITEM = Style("zh-item", lambda n: rf"[（(]{chinese_numeral(n)}[)）]", str, anchor=_LINE)
JA_PARAGRAPH = Style(
    "ja-paragraph",
    lambda n: rf"(?:{n}|{str(n).translate(_FULLWIDTH)})(?=[ \u3000])",
    str,
    anchor=_LINE,
    implicit_first=True,
)
JA_ITEM = Style("ja-item", lambda n: rf"{chinese_numeral(n)}(?=[ \u3000])", str, anchor=_LINE)


def _sequence(text: str, style: Style) -> list[tuple[int, int, str]]:
    """(start, end of marker, key) of the style's divisions, found in order."""
    found: list[tuple[int, int, str]] = []
    cursor, n = 0, 1
    if style.implicit_first:
        found.append((0, 0, style.key(1)))
        n = 2
    while True:
        match = style.pattern(n).search(text, cursor)
        if match is None:
            break
        found.append((match.start(1), match.end(1), style.key(n)))
        cursor, n = match.end(1), n + 1
    if style.implicit_first and len(found) == 1:
        return []
    return found


def nest(text: str, key: str, styles: Iterable[Style], file: str = "") -> list[Unit]:
    """Units for the numbered divisions of `text` (key `key-1`, `key-1-a`, …), in order."""
    remaining = list(styles)
    # The style whose first division comes first numbers this level: an article's "1."
    # before its points' "(a)", Article 1's "(1)" before the "1." of amended text it quotes.
    found = [
        (divs[0][0], i, divs)
        for i, style in enumerate(remaining)
        if (divs := _sequence(text, style))
    ]
    if not found:
        return []
    _, index, divisions = min(found, key=lambda item: (item[0], item[1]))
    units: list[Unit] = []
    for position, (start, marker_end, part) in enumerate(divisions):
        end = divisions[position + 1][0] if position + 1 < len(divisions) else len(text)
        sub_key = f"{key}-{part}"
        units.append(Unit(sub_key, text[start:end], file))
        units.extend(nest(text[marker_end:end], sub_key, remaining[index + 1 :], file))
    return units


def slug(text: str) -> str:
    """Lower-case dash-separated slug of a heading or term."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def candidates(provision: str) -> list[str]:
    """The provision id and its ancestors on dash boundaries, longest first."""
    parts = provision.split("-")
    return ["-".join(parts[:end]) for end in range(len(parts), 0, -1)]
