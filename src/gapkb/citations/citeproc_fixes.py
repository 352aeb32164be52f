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


def _keep_in_without_editors(root: Any, macro: str) -> None:
    """Fix 6: "in" before the container title, also when there are no editors."""
    for group in root.xpath(
        f"cs:macro[@name='{macro}']//cs:group[cs:text[@term='in'] or cs:text[@macro='editor-chapter']]",
        namespaces=_NS,
    ):
        # <choose><if variable="editor ..." match="none"><text term="in"/></if></choose>
        # before the group that prints "in" only with the editors' names.
        choose = root.makeelement(f"{_CSL}choose", {})
        when = root.makeelement(
            f"{_CSL}if", {"variable": "container-author editor translator", "match": "none"}
        )
        when.append(root.makeelement(f"{_CSL}text", {"term": "in"}))
        choose.append(when)
        if group.find(f"{_CSL}text[@term='in']") is None:
            # OSCOLA: the group is "editors, title", with no "in" of its own; both go in a
            # group "in editors, title", printed whenever the title is.
            wrapper = root.makeelement(f"{_CSL}group", {"delimiter": " "})
            group.addprevious(wrapper)
            wrapper.append(choose)
            wrapper.append(group)  # moves the original group inside the wrapper
        else:
            # Cite Them Right: the group is "in editors (eds)", empty without editors.
            group.addprevious(choose)


def _labels_title_case(root: Any) -> None:
    """Fix 13: citeproc-py applies text-case="title" only when it knows the item's language,
    which it never passes for a cs:label, so APA printed "(eds.)"; the labels are single
    terms, for which capitalize-all is the same thing ("(Eds.)", APA 7 10.3)."""
    for label in root.xpath("//cs:label[@text-case='title']", namespaces=_NS):
        label.set("text-case", "capitalize-all")


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


# Fix 16. CSL's `chicago-16` page ranges (CMOS 17 and 18, 9.64): "1496–500", "11564–615".
# citeproc-py treats it as `chicago-15`, which keeps every digit of a four-digit range
# whose first two digits differ ("7093–7115"); that rule was dropped in CMOS 17.
_format_last_page = citeproc_model.FormatNumber._format_last_page


def _chicago_16_last_page(self: Any, first: str, last: str) -> str:
    if self.get_root().get_option("page-range-format") != "chicago-16":
        return str(_format_last_page(self, first, last))
    number = re.search(r"\d+", first)
    if number is None or len(first) != len(last):
        return last
    value = int(number.group())
    if value < 100 or value % 100 == 0:
        return last  # all digits: 71–72, 100–104, 1100–1113
    common = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), len(first)
    )
    if value % 100 < 10:
        return last[common:]  # changed part only: 101–8, 2002–6
    return last[min(common, len(first) - 2) :]  # two digits or more: 321–28, 1496–500


citeproc_model.FormatNumber._format_last_page = _chicago_16_last_page


# Fix 17. Initials of a given name with a part that is not capitalised ("Xinyi (Alexis)",
# a nickname): citeproc-py ends every run of initials with the mark, even an empty run, so
# APA printed "Wu, X. (Alexis) .". Only runs that hold initials get the mark.
def _initialize(self: Any, given: str, mark: str, context: Any) -> str:
    if self.get_option("initialize-with-hyphen", context):
        hyphen_parts = given.split("-")
    else:
        hyphen_parts = [given.replace("-", " ")]
    result_parts = []
    for hyphen_part in hyphen_parts:
        words: list[str] = []
        group: list[str] = []
        for part in hyphen_part.replace(".", " ").split():
            if part[0].isupper():
                group.append(part[0])
                continue
            # particles and nicknames are not capitalised: kept as they are
            if group:
                words.append(mark.join(group) + mark)
            words.append(part)
            group = []
        if group:
            words.append(mark.join(group) + mark)
        result_parts.append(" ".join(" ".join(words).split()))
    return "-".join(result_parts)


citeproc_model.Name.initialize = _initialize


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


# Fix 10: typewriter quotes and apostrophes become typographic ones ("O'Gara", "FAccT '23");
# double quotes are marked so that the quotes of a quoted title can be flipped (fix 11).
_OPEN_DOUBLE, _CLOSE_DOUBLE = "\ue010", "\ue011"


# A word that starts lowercase and has a capital later: arXiv, bioRxiv, iPhone, eBay (fix 4).
_MIXED_CASE: Final = re.compile(r"(?:^|\W)[a-z]+[A-Z]")
# Words title case leaves lowercase (fix 9): articles, coordinating conjunctions, "to", "as",
# and prepositions of any length, as CMOS 18 8.159 asks and citeproc-js's list has it;
# citeproc-py's own list knew only the short prepositions ("Amid", "Through" otherwise).
_STOP_WORDS: Final = frozenset(
    {
        "a", "an", "the", "and", "but", "for", "nor", "or", "so", "yet", "as", "to",
        "aboard", "about", "above", "across", "after", "against", "along", "alongside",
        "amid", "amidst", "among", "amongst", "around", "at", "atop", "before", "behind",
        "below", "beneath", "beside", "besides", "between", "beyond", "by", "circa",
        "despite", "down", "during", "except", "from", "in", "inside", "into", "like",
        "near", "of", "off", "on", "onto", "opposite", "outside", "over", "past", "per",
        "since", "than", "through", "throughout", "till", "toward", "towards", "under",
        "underneath", "unlike", "until", "unto", "up", "upon", "versus", "via", "with",
        "within", "without",
    }
)  # fmt: skip
citeproc_model.TextCased._stop_words = sorted(_STOP_WORDS)


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


class _LeadingCompound(String):  # type: ignore[misc]
    """Fix 7, first word: capitalize-first (APA) changes only its first letter ("Fine-tuning"),
    title case, which takes the text word by word, every element ("Fine-Tuning")."""

    def capitalize_first(self) -> _LeadingCompound:
        return _LeadingCompound(self[:1].upper() + self[1:])

    def words(self) -> Any:
        for word in self.split():
            yield _Compound(word)


class _Quoted(String):  # type: ignore[misc]
    """A word that opens a quotation: capitalising it capitalises its first letter (fix 10)."""

    def capitalize_first(self) -> _Quoted:
        return _Quoted(self[:1] + self[1:2].upper() + self[2:])


def _is_compound(word: str) -> bool:
    later = word.rstrip(",.;:!?’)" + _CLOSE_DOUBLE).split("-")[1:]
    return any(p[:1].islower() and p.isalpha() and p not in _STOP_WORDS for p in later)


def _typographic(text: str) -> str:
    text = re.sub(r"(^|[\s(\[—–-])'(?=[A-Za-z])", "\\1‘", text)  # an opening single quote
    text = text.replace("'", "’")  # an apostrophe, elision ('23) or closing quote
    text = re.sub(r'(^|[\s(\[—–-])"', "\\1“", text)
    text = text.replace('"', "”")
    return text.replace("“", _OPEN_DOUBLE).replace("”", _CLOSE_DOUBLE)


def _csl_text(value: object) -> MixedString:
    """A string for citeproc-py, with words that need it set apart (fixes 4, 7 and 10)."""
    segments: list[Any] = []
    plain: list[str] = []
    for index, word in enumerate(_typographic(_clean(value)).split(" ")):
        if _MIXED_CASE.search(word):
            special: Any = NoCase(word)
        elif word[:1] in (_OPEN_DOUBLE, "‘") and word[1:2].islower() and "-" not in word:
            special = _Quoted(word)
        elif _is_compound(word):
            special = _Compound(word) if index > 0 else _LeadingCompound(word)
        else:
            plain.append(word)
            continue
        if plain:
            segments.append(String((" " if segments else "") + " ".join(plain) + " "))
            plain = []
        elif segments:
            segments.append(String(" "))
        segments.append(special)
    if plain:
        segments.append(String((" " if segments else "") + " ".join(plain)))
    return MixedString(segments)


def _flip_nested_quotes(text: str, outer: tuple[str, str], inner: tuple[str, str]) -> str:
    """Fix 11: the data's double quotes become the style's inner quotes inside a quoted title,
    its outer quotes elsewhere (CMOS 18 13.30; OSCOLA 1.5.1 and Cite Them Right: the reverse)."""
    out: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        if char == _OPEN_DOUBLE:
            out.append(inner[0] if depth else outer[0])
        elif char == _CLOSE_DOUBLE:
            out.append(inner[1] if depth else outer[1])
        else:
            if char == outer[0]:
                depth += 1
            elif char == outer[1] and depth and not _is_apostrophe(text, index):
                depth -= 1
            out.append(char)
    return "".join(out)


def _is_apostrophe(text: str, index: int) -> bool:
    """’ between letters (China’s) or before a digit (’23) is an apostrophe, not a quote."""
    after = text[index + 1 : index + 2]
    before = text[index - 1 : index] if index else ""
    return after.isdigit() or (before.isalpha() and after.isalpha())


# Fix 14. CSL 1.0.2 (cs:substitute): a variable rendered in place of the author is suppressed
# in the rest of the entry. citeproc-py suppresses only a substitute's own variable, not the
# title its macro renders, so a work without an author printed its title twice ("A right to
# warn. (2024). A right to warn."); the title is suppressed as citeproc-js does.
_SUBSTITUTED: Final = frozenset({"title", "title-short"})


def _macro_variables(element: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    found = {t.get("variable") for t in element.xpath(".//cs:text[@variable]", namespaces=_NS)}
    for call in element.xpath(".//cs:text[@macro] | self::cs:text[@macro]", namespaces=_NS):
        name = call.get("macro")
        if name in seen:
            continue
        for macro in element.xpath(f"/cs:style/cs:macro[@name='{name}']", namespaces=_NS):
            found |= _macro_variables(macro, seen | {name})
    return found


def _repress_substituted_title(self: Any, child: Any, context: Any) -> None:
    layout = context.get_layout()
    layout.repressed.setdefault(child.tag, []).append(child.get("variable"))
    for variable in _macro_variables(child) & _SUBSTITUTED:
        layout.repressed.setdefault(f"{_CSL}text", []).append(variable)


citeproc_model.Substitute.add_to_repressed_list = _repress_substituted_title


def _roman_website_names(root: Any) -> None:
    """Fix 15: OSCOLA 4th ed 3.3.3 gives a website's name in roman ("(Naked Law, 1 May 2009)");
    the style file italicises it like a journal's."""
    for text in root.xpath(
        "//cs:else-if[@type='post-weblog webpage']/cs:text[@variable='container-title']",
        namespaces=_NS,
    ):
        text.attrib.pop("font-style", None)
