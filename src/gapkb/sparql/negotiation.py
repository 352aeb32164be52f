"""Content negotiation: which result or graph format a request asked for."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from gapkb.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, Format


class HttpError(Exception):
    """An error response: status and a message for the client."""

    def __init__(self, status: HTTPStatus, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, dict(headers or {})


FORMAT_PARAMS = ("format", "output", "results")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media range, q)] in the order written; an absent header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *options = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def negotiate(accept: str | None, offered: tuple[Format, ...]) -> Format | None:
    """The offered format the Accept header prefers (RFC 9110 §12.5.1), or None."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, fmt in enumerate(offered):
        names = (fmt.media_type, *fmt.media_aliases)
        top, _, _ = fmt.media_type.partition("/")
        # The most specific range that matches decides this format's q.
        match: tuple[int, float, int] | None = None
        for position, (media, q) in enumerate(ranges):
            specificity = (
                3 if media in names else 2 if media == f"{top}/*" else 1 if media == "*/*" else 0
            )
            if specificity and (match is None or specificity > match[0]):
                match = (specificity, q, position)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], -match[2] if match[0] == 3 else -len(ranges), -rank)
        if best is None or key > best:
            best, chosen = key, fmt
    return chosen


def choose_format(kind: str, params: Mapping[str, list[str]], accept: str | None) -> Format:
    offered = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    for key in FORMAT_PARAMS:
        for value in params.get(key, []):
            fmt = next((f for f in offered if f.named(value)), None)
            if fmt:
                return fmt
    fmt = negotiate(accept, offered)
    if fmt is None:
        names = ", ".join(f.media_type for f in offered)
        what = "results" if kind == "results" else "a graph"
        raise HttpError(
            HTTPStatus.NOT_ACCEPTABLE, f"this query's answer is {what}, available as: {names}"
        )
    return fmt
