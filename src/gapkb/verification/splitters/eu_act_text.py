"""An EU act as plain text, one recital, point or paragraph per line (an OJ transcription).

Recitals "(12)" on their own line, text on the next → `rec-12`; "Article 1" → `art-1`;
inside an article, points "(22)" → `art-1-22`, their letters "(a)" → `art-1-22-a`;
paragraphs "1." → `art-4-1`. Text after "Done at …" (signatures, footnotes) is not part of
any article.
"""

from __future__ import annotations

import re

from gapkb.verification.units import ALPHA, DOT, PAREN, ROMAN, Unit, nest

_RECITAL = re.compile(r"^\((\d+)\)[ \t]*\n(.*)$", re.MULTILINE)
_ARTICLE = re.compile(r"^Article (\d+)[ \t]*$", re.MULTILINE)
_END = re.compile(r"^Done at ", re.MULTILINE)
_LINE_STYLES = [
    type(PAREN)(s.name, s.marker, s.key, anchor=r"(?:^|\n)") for s in (DOT, PAREN, ALPHA, ROMAN)
]


def split(text: str, file: str = "") -> list[Unit]:
    """Units for recitals, articles and their points and paragraphs."""
    end = _END.search(text)
    body = text[: end.start()] if end else text
    articles = list(_ARTICLE.finditer(body))
    first_article = articles[0].start() if articles else len(body)
    units = [Unit(f"rec-{m[1]}", m[2], file) for m in _RECITAL.finditer(body[:first_article])]
    for index, match in enumerate(articles):
        stop = articles[index + 1].start() if index + 1 < len(articles) else len(body)
        key = f"art-{match[1]}"
        units.append(Unit(key, body[match.start() : stop], file))
        units.extend(nest(body[match.end() : stop], key, _LINE_STYLES, file))
    return units
