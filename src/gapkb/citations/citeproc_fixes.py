"""Workarounds for citeproc-py 0.11, each named for the behaviour it works around (see gapkb.citations)."""

from __future__ import annotations

import re
from typing import Any, Final

from citeproc import model as citeproc_model
from citeproc.string import MixedString, NoCase, String

from gapkb.citations.base import _clean

_CSL: Final = "{http://purl.org/net/xbiblio/csl}"
_NS: Final = {"cs": _CSL[1:-1]}


def _marker(start: str, end: str) -> Any:
    def wrap(text: object) -> str:
        return f"{start}{text}{end}"

    return staticmethod(wrap)


class _MarkerFormat:
    """A citeproc-py output format that marks formatting instead of writing tags."""

    @staticmethod
    def preformat(text: object) -> str:
        return str(text)

    Italic = _marker("\ue000", "\ue001")
    Oblique = _marker("\ue000", "\ue001")
    Bold = _marker("\ue002", "\ue003")
    Light = _marker("", "")
    SmallCaps = _marker("\ue004", "\ue008")
    Superscript = _marker("\ue005", "\ue008")
    Subscript = _marker("\ue006", "\ue008")
    Underline = _marker("\ue007", "\ue008")


def _honour_initialize_false(root: Any) -> None:
    """Fix 1: give `initialize-with` only to the cs:name elements that do not opt out of it."""
    # citeproc-py reads `initialize-with` from the name, then cs:citation/cs:bibliography,
    # then cs:style, and never looks at `initialize="false"`. With the style-wide value moved
    # onto each name that may initialise, the opted-out names inherit nothing: full names.
    for scope in root.xpath("cs:citation | cs:bibliography", namespaces=_NS):
        if scope.get("initialize-with") is not None:
            raise ValueError(f"{scope.tag}: initialize-with here is not supported by the fix")
    inherited = root.attrib.pop("initialize-with", None)
    if inherited is None:
        return
    for name in root.xpath("//cs:name", namespaces=_NS):
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)


def _keep_in_without_editors(root: Any) -> None:
    """Fix 6: OSCOLA's "in" before the container title, also when there are no editors."""
    for group in root.xpath(
        "cs:macro[@name='book-container']//cs:group[cs:text[@macro='editor-chapter']]",
        namespaces=_NS,
    ):
        # <group delimiter=" "><choose><if variable="editor ..." match="none"><text term="in"/>
        # </if></choose> (the original group) </group>
        wrapper = root.makeelement(f"{_CSL}group", {"delimiter": " "})
        choose = root.makeelement(f"{_CSL}choose", {})
        when = root.makeelement(
            f"{_CSL}if", {"variable": "container-author editor translator", "match": "none"}
        )
        when.append(root.makeelement(f"{_CSL}text", {"term": "in"}))
        choose.append(when)
        wrapper.append(choose)
        group.addprevious(wrapper)
        wrapper.append(group)  # moves the original group inside the wrapper


def _labels_need_their_variable(root: Any) -> None:
    """Fix 8: a cs:label with a variable renders only when the variable has a value."""
    # CSL 1.0.2 (cs:label): "must be rendered only if the variable is non-empty"; citeproc-py
    # renders the term anyway, so Chicago printed a stray "Edition." after a paper without
    # proceedings. Each such label goes inside <choose><if variable="..."> in the style.
    for label in root.xpath("//cs:label[@variable and @variable != 'locator']", namespaces=_NS):
        choose = root.makeelement(f"{_CSL}choose", {})
        when = root.makeelement(f"{_CSL}if", {"variable": label.get("variable")})
        label.addprevious(choose)
        choose.append(when)
        when.append(label)


# citeproc-py looks the same style nodes up by XPath thousands of times per citation (about
# 40% of a site build's time); the style and locale trees are not changed once _style()
# has patched them, so each lookup's answer is kept. Same output, about twice as fast.
_XPATH_ANSWERS: dict[tuple[Any, str], tuple[Any, ...]] = {}
_xpath_search = citeproc_model.CitationStylesElement.xpath_search


def _remembered_xpath_search(element: Any, expression: str) -> tuple[Any, ...]:
    key = (element, expression)
    answer = _XPATH_ANSWERS.get(key)
    if answer is None:
        answer = _XPATH_ANSWERS[key] = tuple(_xpath_search(element, expression))
    return answer


citeproc_model.CitationStylesElement.xpath_search = _remembered_xpath_search


# Fix 2. CMOS 18 6.9 and APA 7 6.11: a period or comma goes inside the closing quotation
# mark; after a title that ends in ? or ! it is dropped (CMOS 18 6.133).
_QUOTE_THEN_STOP: Final = re.compile(r"([.?!]?)”([.,])")


def _punctuation_inside_quotes(text: str) -> str:
    """Move a period or comma that follows a closing double quotation mark inside it."""

    def move(match: re.Match[str]) -> str:
        own, following = match[1], match[2]
        if own in ("?", "!"):
            return own + "”"
        if own == ".":
            return "." + ("" if following == "." else following) + "”"
        return following + "”"

    return _QUOTE_THEN_STOP.sub(move, text)


# A word that starts lowercase and has a capital later: arXiv, bioRxiv, iPhone, eBay (fix 4).
_MIXED_CASE: Final = re.compile(r"(?:^|\W)[a-z]+[A-Z]")
# CSL 1.0.2's stop words, which title case leaves lowercase (also inside compounds).
_STOP_WORDS: Final = frozenset(
    {
        "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor",
        "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    }
)  # fmt: skip


# citeproc-py title-cases whole space-separated words, and only those that are lowercase, so
# "Fine-tuned" stayed as it was; citeproc-js and CMOS 18 8.161 capitalise each element of a
# compound except articles, short prepositions and conjunctions.
class _Compound(String):  # type: ignore[misc]
    """Fix 7: a hyphenated word whose later parts title case capitalises ("Fine-Tuned")."""

    def islower(self) -> bool:
        return True  # the only check citeproc-py makes before calling capitalize_first

    def capitalize_first(self) -> _Compound:
        parts = str(self).split("-")
        return _Compound(
            "-".join(
                p[:1].upper() + p[1:] if i == 0 or p not in _STOP_WORDS else p
                for i, p in enumerate(parts)
            )
        )


def _is_compound(word: str) -> bool:
    later = word.split("-")[1:]
    return any(p[:1].islower() and p.isalpha() and p not in _STOP_WORDS for p in later)


def _csl_text(value: object) -> MixedString:
    """A string for citeproc-py, with words that need it set apart (fixes 4 and 7)."""
    segments: list[Any] = []
    plain: list[str] = []
    for index, word in enumerate(_clean(value).split(" ")):
        if _MIXED_CASE.search(word):
            special: Any = NoCase(word)
        elif index > 0 and _is_compound(word):
            # Not the first word: capitalize-first would then capitalise every element.
            special = _Compound(word)
        else:
            plain.append(word)
            continue
        if plain:
            segments.append(String(" ".join(plain) + " "))
            plain = []
        elif segments:
            segments.append(String(" "))
        segments.append(special)
    if plain:
        segments.append(String((" " if segments else "") + " ".join(plain)))
    return MixedString(segments)
