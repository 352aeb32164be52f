"""Just enough SPARQL lexing to find variables and keywords, and the guard built on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from gapkb.sparql.errors import QueryRefused, UpdateRefused

# The token classes of the SPARQL 1.1 grammar that matter here (section 19.8): strings and
# IRIs are skipped whole so that nothing inside them is taken for a keyword or a variable.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_:\u00C0-\uFFFF](?:[\w\-:.%\\\u00B7\u00C0-\uFFFF]*[\w\-:%\\\u00B7\u00C0-\uFFFF])?)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Codepoint escapes (\u0045) may be applied to a whole query before parsing (SPARQL 1.1,
# section 19.2); the guard looks at the query both as written and with them applied.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(text: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield Token(kind, match.group())


def _code(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def variables(text: str) -> set[str]:
    """Names of the variables a query mentions (without ? or $)."""
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword, or '' — after the prologue."""
    code = _code(text)
    i = 0
    while i < len(code):
        word = code[i].text.upper() if code[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return word
    return ""


def guard(text: str) -> None:
    """Refuse what would reach outside the graph or change it: SERVICE, FROM, updates."""
    unescaped = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    for candidate in {text, unescaped}:
        words = {t.text.upper() for t in _code(candidate) if t.kind == "word"}
        if "SERVICE" in words:
            raise QueryRefused(
                "SERVICE is not allowed: queries run over this knowledge base only and never "
                "reach the network — remove the SERVICE clause"
            )
        if "FROM" in words:
            raise QueryRefused(
                "FROM and FROM NAMED are not allowed: there is one default graph (ontology, "
                "entries and inferences) and nothing else is loaded — remove the FROM clause"
            )
        if query_form(candidate) in UPDATE_KEYWORDS:
            raise UpdateRefused(
                "SPARQL Update is not accepted: the graph is read-only (it is built from the "
                "YAML entries — edit those instead)"
            )
