"""Normalisation applied to both a quote and the stored text before matching.

A quote is compared with the official text after the same steps on both sides, so
that layout and typography differences of a copy never hide or fake a match:

1. HTML entities decoded (``&amp;`` → ``&``) and HTML tags removed (``<p>``, ``</strong>``;
   Korean amendment notes such as ``<개정 2026.1.20>`` are not tags and stay).
2. Unicode NFKC: full-width letters, digits and punctuation become their ordinary forms
   (``（一）`` → ``(一)``, ``２`` → ``2``, ideographic space → space).
3. Markdown emphasis markers of a converted copy (``**``) are dropped. Every quotation-mark variant (straight, curly, low, angle, CJK corner brackets) becomes
   ``"``; middle dots (``·``, ``ㆍ``, ``・``) become ``·``; hyphen variants become ``-``.
4. A word hyphenated across a line break is rejoined (``exam-\\nple`` → ``example``).
5. Whitespace runs collapse to one space, and whitespace next to a Chinese or Japanese
   character is removed when the other side is also CJK or punctuation (those scripts do
   not separate words; Korean does, so Hangul keeps its spaces).
6. Case is kept, except for a stored file flagged ``casefold`` in the manifest (a session
   law printed in capitals): then both sides are compared case-insensitively.
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_QUOTES = dict.fromkeys(
    map(ord, "'\"‘’‚‛“”„‟«»‹›「」『』″′＂＇`´"),
    '"',
)
_DOTS = dict.fromkeys(map(ord, "·ㆍ・･•\u119e"), "·")
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u00ad"), "-")
_HYPHENATED = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_PUNCT = r"!-/:-@\[-`{-~\u00b7\u2014\u2013"
_CJK_SPACE = re.compile(
    rf"(?<=[{_CJK}])\s+(?=[{_CJK}{_PUNCT}])|(?<=[{_CJK}{_PUNCT}])\s+(?=[{_CJK}])"
)
_SPACE = re.compile(r"\s+")


def normalize(text: str, *, casefold: bool = False) -> str:
    """The text with the documented normalisation applied (see the module docstring)."""
    text = _TAG.sub(" ", html.unescape(text)).replace("**", "")
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES).translate(_DOTS).translate(_HYPHENS)
    text = _HYPHENATED.sub(r"\1\2", text)
    text = _SPACE.sub(" ", text)
    text = _CJK_SPACE.sub("", text).strip()
    return text.casefold() if casefold else text
