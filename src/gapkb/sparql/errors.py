"""Why a query cannot run: the one error type, and its kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapkb.findings import GapkbError

if TYPE_CHECKING:
    pass


class QueryError(GapkbError):
    """A query that cannot be run: unknown name, bad parameter, refused or malformed."""


class QuerySyntaxError(QueryError):
    """The engine could not parse the query; `line` and `column` are 1-based."""

    def __init__(self, source: str, line: int, column: int, detail: str, text: str) -> None:
        self.source, self.line, self.column, self.detail = source, line, column, detail
        lines = text.splitlines()
        excerpt = ""
        if 0 < line <= len(lines):
            code = lines[line - 1]
            excerpt = f"\n  {code}\n  {' ' * (max(column, 1) - 1)}^"
        self.text = text
        super().__init__(f"{source}:{line}:{column}: SPARQL syntax error: {detail}{excerpt}")

    def __reduce__(self) -> tuple[type[QuerySyntaxError], tuple[str, int, int, str, str]]:
        # Sent from a worker process to the server: rebuild from the arguments.
        return (QuerySyntaxError, (self.source, self.line, self.column, self.detail, self.text))


class QueryRefused(QueryError):
    """A well-formed query this project never runs: SERVICE, FROM, or an update."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update: the graph is read-only."""


class ResultTooLarge(QueryError):
    """The answer has more rows or triples than the limit allows."""
