"""Untrusted contributor text -> Markdown and HTML that cannot inject markup into the site.

Content from a pull request is untrusted (DESIGN.md, "Bad input"). The site writes it into
Markdown pages that MkDocs renders later, so every value is made safe *for Markdown*, not
only for HTML: Python-Markdown turns `[x](javascript:...)` into a link and passes raw HTML
through, and its inline patterns run before raw inline tags are set aside, so a `[` inside an
attribute value can still become a link.

- `inert`: plain text (titles, notes, quotes, source fields) -> HTML entities for every
  character Markdown or HTML could act on. Safe in Markdown text, table cells, headings,
  inline HTML and attribute values alike.
- `clean_markdown`: a contributor's Markdown (`details`) -> the same Markdown with raw HTML
  escaped, links and images kept only as plain `[text](http(s)://...)` links, attribute
  lists, reference definitions and autolinks neutralised, code re-emitted as escaped
  `<pre>` blocks, and headings moved below the page's own.
- `clean_fragment`: an HTML fragment (a formatted citation) -> nh3-cleaned, then inert.
- `safe_url`: only http(s) URLs, percent-encoded so they cannot end a Markdown link early.
- `safe_child`: a path under a base folder, built only from kebab-case ids.
"""

from __future__ import annotations

import html
import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from urllib.parse import quote

import nh3

from gapkb.model import ID_RE


class Md(str):
    """Markdown (or HTML) that is already safe to write into a page as it is.

    Any string operation on it returns a plain `str`, which templates escape again: a
    mistake shows up as visible entities, never as live markup.
    """

    __slots__ = ()


# C0/C1 controls (but tab and newline), line/paragraph separators and bidi overrides.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Characters that HTML or (our configuration of) Python-Markdown may act on in running text.
_INERT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()!|#~^=$"},
    }
)


_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def plain(text: object) -> str:
    """One line of text: controls removed, runs of whitespace collapsed (no-break spaces kept)."""
    return _SPACES.sub(" ", _CONTROLS.sub("", str(text))).strip()


_LIST_START = re.compile(r"^(?:[-+]|\d{1,9}\.(?= |$))")


def inert(text: object) -> Md:
    """Plain text as entities that neither Markdown nor HTML will interpret.

    Also safe at the start of a line: a leading `-`, `+` or `1.` cannot start a list or a rule.
    """
    escaped = plain(text).translate(_INERT)
    return Md(_LIST_START.sub(lambda m: m[0][:-1] + f"&#{ord(m[0][-1])};", escaped, count=1))


def plain_lines(text: object) -> list[str]:
    """Lines of text with controls removed (for code blocks, which Markdown escapes)."""
    normalised = str(text).replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    return [_CONTROLS.sub("", line).rstrip() for line in normalised.split("\n")]


def html_attr(text: object) -> str:
    """Plain text for an HTML attribute that Markdown never sees (YAML front matter)."""
    return html.escape(plain(text), quote=True)


# --- URLs ---------------------------------------------------------------------------------

_HTTP = re.compile(r"^https?://[^\s]+$")
# Kept as they are; anything else is percent-encoded. `(`, `)`, `[`, `]`, `<`, `>`, quotes,
# backslash and backtick would let a URL end a Markdown link early or break an attribute.
_URL_SAFE = "-._~:/?#@!$&+,;=%*"


def safe_url(url: object) -> str | None:
    """An http(s) URL, percent-encoded for Markdown links and attributes; None otherwise."""
    text = _CONTROLS.sub("", str(url or "")).strip()
    if not _HTTP.match(text):
        return None
    return quote(text, safe=_URL_SAFE)


# --- paths --------------------------------------------------------------------------------


def safe_child(base: Path, *parts: str, suffix: str = "") -> Path:
    """`base/part/.../last<suffix>`, refusing anything but kebab-case ids that stay inside."""
    for part in parts:
        if not ID_RE.match(part):
            raise ValueError(f"{part!r} is not a kebab-case id — refusing to build a path from it")
    path = base.joinpath(*parts[:-1], parts[-1] + suffix) if parts else base
    if not path.resolve().is_relative_to(base.resolve()):
        raise ValueError(f"{path} is outside {base}")
    return path


# --- contributor Markdown -----------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_LANG = re.compile(r"^[A-Za-z0-9_+-]{1,32}$")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BLOCK_START = re.compile(r"^ {0,3}([-*+>|]|\d+[.)]|#|!!!|===|\[\^)")
_URL_CHARS = r"[^\s()<>\"'\\`\[\]{}|]"
_LINK_URL = rf"https?://{_URL_CHARS}+(?:\({_URL_CHARS}*\){_URL_CHARS}*)*"
_INLINE = re.compile(
    r"(?P<esc>\\.)"
    r"|(?P<code>(?P<ticks>`+)(?P<body>.+?)(?<!`)(?P=ticks)(?!`))"
    rf"|(?P<link>!?\[(?P<text>[^\[\]]{{1,1000}})\]\((?P<url>{_LINK_URL})\))"
    r"|(?P<footnote>\[\^[A-Za-z0-9_-]{1,40}\])"
    r"|(?P<special>[<\[\]{}`])"
)
_PROSE_ENTITIES = {
    "<": "&lt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "`": "&#96;",
}
# Python-Markdown's backslash-escapable characters that we leave to Markdown.
_MD_ESCAPABLE = set("\\*_#+-.!>()|")
_CODE_ENTITIES = str.maketrans({"`": "&#96;", "~": "&#126;"})


def clean_markdown(text: str, *, heading_shift: int = 2) -> Md:
    """A contributor's Markdown, with everything that could inject markup neutralised."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    footnotes = _referenced_footnotes(text)
    out: list[str] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match and not (match[1][0] == "`" and "`" in match[2]):
            index = _fenced_block(lines, index, match, out)
            continue
        _prose_line(lines[index], out, heading_shift, footnotes)
        index += 1
    return Md("\n".join(out).strip("\n") + "\n")


def _referenced_footnotes(text: str) -> set[str]:
    """Labels both defined and referenced: a definition never referenced fails a strict build."""
    defined = set(re.findall(r"^ {0,3}\[\^([A-Za-z0-9_-]{1,40})\]:", text, re.M))
    used = set(re.findall(r"\[\^([A-Za-z0-9_-]{1,40})\](?!:)", text))
    return defined & used


def _fenced_block(lines: list[str], start: int, match: re.Match[str], out: list[str]) -> int:
    """Re-emit a fenced code block as an escaped <pre> block; return the next line index."""
    fence = match[1]
    words = match[2].split()
    lang = words[0] if words and _LANG.match(words[0]) else ""
    end = start + 1
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    while end < len(lines) and not closing.match(lines[end]):
        end += 1
    code = "\n".join(lines[start + 1 : end])
    escaped = html.escape(code, quote=False).translate(_CODE_ENTITIES)
    css = f' class="language-{lang}"' if lang else ""
    # A raw HTML block (blank lines around it): Markdown leaves its inside alone, whether
    # or not it would have agreed that the fence was a fence.
    out.extend(["", f'<pre class="gk-code"><code{css}>{escaped}\n</code></pre>', ""])
    return end + 1


def _prose_line(line: str, out: list[str], shift: int, footnotes: AbstractSet[str]) -> None:
    setext = _SETEXT.match(line)
    if setext and out and out[-1].strip() and not _BLOCK_START.match(out[-1]):
        level = 1 if setext[1][0] == "=" else 2
        out[-1] = "#" * min(6, level + shift) + " " + out[-1].strip()
        return
    prefix = ""
    atx = _ATX.match(line)
    if atx:
        prefix = atx[1] + "#" * min(6, len(atx[2]) + shift)
        line = line[atx.end() :]
    out.append(prefix + clean_inline(line, footnotes))


def clean_inline(text: str, footnotes: AbstractSet[str] = frozenset()) -> str:
    """One line of contributor Markdown with only safe inline syntax left live."""
    out: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        out.append(_inline_token(match, footnotes))
    out.append(text[pos:])
    return "".join(out)


def _inline_token(match: re.Match[str], footnotes: AbstractSet[str]) -> str:
    if match["esc"]:
        char = match["esc"][1]
        if char in _PROSE_ENTITIES:
            return _PROSE_ENTITIES[char]
        return match["esc"] if char in _MD_ESCAPABLE else "\\" + char.translate(_INERT)
    if match["code"]:
        return f"<code>{inert(match['body'].strip() or match['body'])}</code>"
    if match["link"]:
        # The text cannot hold brackets, so no link nests in it. Images become plain links:
        # the site loads no remote image.
        url = safe_url(match["url"])
        inner = clean_inline(match["text"], footnotes)
        return f"[{inner}]({url})" if url else inner
    if match["footnote"]:
        token = match["footnote"]
        return token if token[2:-1] in footnotes else "&#91;" + token[1:-1] + "&#93;"
    return _PROSE_ENTITIES[match["special"]]


# --- HTML fragments -----------------------------------------------------------------------

_FRAGMENT_TAGS = {"i", "b", "em", "strong", "span", "sup", "sub"}
_CLASS = re.compile(r"^[A-Za-z0-9 _-]{1,100}$")
_TAG_OR_TEXT = re.compile(r"(<[^<>]*>)")


def _class_only(tag: str, attribute: str, value: str) -> str | None:
    return value if attribute == "class" and _CLASS.match(value) else None


def clean_fragment(fragment: str) -> Md:
    """An inline HTML fragment (a formatted citation) reduced to a few tags, text made inert."""
    cleaned = nh3.clean(
        fragment,
        tags=_FRAGMENT_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"span": {"class"}},
        attribute_filter=_class_only,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    parts = _TAG_OR_TEXT.split(cleaned)
    return Md(
        "".join(
            part if part.startswith("<") else inert_keep_space(html.unescape(part))
            for part in parts
        )
    )


def inert_keep_space(text: str) -> str:
    """`inert` without collapsing the spaces around tags (for text between tags)."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return lead + inert(text) + trail if text.strip() else lead


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
