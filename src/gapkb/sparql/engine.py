"""Step 5b: SPARQL over the checked graph — the engine, its answers, and the library call.

Saved queries and their parameters are in gapkb.sparql.saved, the guard in gapkb.sparql.lexing.

Saved queries live in `queries/*.rq`; each opens with a header comment::

    # title: Gaps as of a date
    # description: Concepts that no instrument in force on the date governs explicitly,
    #   with why. (Indented lines continue a field.)
    # param: asOf (date = as-of) — the date coverage is evaluated on

A parameter is a variable of the query (`?asOf`). Binding one replaces the variable's
tokens with an RDF term, as Jena's ParameterizedSparqlString and SPARQL-dev SEP-0007 do, so
that the bound query is plain SPARQL any store or the site's in-browser engine can run. Its
type says how a value is written (`date`: YYYY-MM-DD; `instrument`, `concept`: an id,
minted into an IRI; `jurisdiction`: a code; `string`; `iri`); `= as-of` takes the
`--as-of` date, else today.

The engine is pyoxigraph, chosen over rdflib by measurement (scripts/compare_engines.py:
13-290x faster on the saved queries at 17k and 168k triples; loading 10-13x faster). Neither engine can be trusted with the network: both
open a connection for `SERVICE` (DESIGN.md, "Outbound requests"), so `guard` refuses
`SERVICE`, dataset clauses (`FROM`) and updates before a query reaches the engine; the
endpoint adds a kernel-level block in its worker processes (gapkb.sparql.sandbox).

Library use::

    result = gapkb.check(".")
    answer = gapkb.query(result, "gaps")                 # a saved query, by name
    answer = gapkb.query(result, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    answer.variables, answer.rows                        # Solutions; or Boolean, Triples
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

    from gapkb.pipeline import CheckResult
from gapkb.sparql.errors import QueryError, QuerySyntaxError, ResultTooLarge
from gapkb.sparql.lexing import guard
from gapkb.sparql.saved import bind, resolve

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class Solutions:
    """The answer to a SELECT query."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRIs and lexical forms), None where unbound."""
        return [tuple(None if t is None else term_value(t) for t in row) for row in self.rows]

    def as_dicts(self) -> list[dict[str, str]]:
        return [
            {v: term_value(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


@dataclass
class Boolean:
    """The answer to an ASK query."""

    value: bool


@dataclass
class Triples:
    """The answer to a CONSTRUCT or DESCRIBE query."""

    triples: list[ox.Triple]


Answer = Solutions | Boolean | Triples


def term_value(term: Term) -> str:
    if isinstance(term, ox.Triple):
        return f"<< {term} >>"
    return str(term.value)


# --- the engine ---------------------------------------------------------------------------

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_EXPECTED_ITEM = re.compile(r"\"[^\"]*\"|'[^']*'|\[[^\]]*\]|[^,\[]+")


def _syntax_error(error: SyntaxError, source: str, text: str) -> QuerySyntaxError:
    """pyoxigraph's 'error at L:C: expected one of …' -> a located, readable message.

    pyoxigraph reports the furthest point its parser reached, often past the real mistake
    (after the closing brace); rdflib's parser points at the first token it cannot take, so
    its position is used when it fails too.
    """
    message = str(error)
    match = _POSITION.match(message)
    if not match:
        return QuerySyntaxError(source, 1, 1, message, text)
    line, column, detail = int(match[1]), int(match[2]), match[3].strip()
    located = _first_bad_token(text)
    if located is not None:
        return QuerySyntaxError(source, *located, text)
    if detail.startswith("expected one of Prefix not found"):
        return _undeclared_prefix(source, line, column, text)
    if detail.startswith("expected one of "):
        # Drop the character classes of the grammar ([_], ['A' ..= 'Z' | …]): keep words.
        items = [i.strip() for i in _EXPECTED_ITEM.findall(detail[len("expected one of ") :])]
        words = [i for i in items if i and not i.startswith(("[", "'")) and " " not in i]
        detail = f"expected one of {', '.join(words)}" if words else "unexpected text here"
    return QuerySyntaxError(source, line, column, detail, text)


def _undeclared_prefix(source: str, line: int, column: int, text: str) -> QuerySyntaxError:
    """pyoxigraph points past the prefixed name; point at its start and name the prefix."""
    lines = text.splitlines()
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
    if name is None:
        detail = "undeclared prefix — add a PREFIX declaration for it"
        return QuerySyntaxError(source, line, column, detail, text)
    prefix = name[1] or ""
    detail = f"undeclared prefix '{prefix}:' — add PREFIX {prefix}: <…> at the top"
    return QuerySyntaxError(source, line, name.start() + 1, detail, text)


def _first_bad_token(text: str) -> tuple[int, int, str] | None:
    """Line, column and the token where rdflib's SPARQL grammar stops, if it does."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseException as error:
        found = re.search(r"found (.+?)\s+\(at char", str(error))
        token = found[1] if found else "text"
        return error.lineno, error.col, f"unexpected {token}"
    except Exception:
        return None
    return None


def parse_check(text: str, source: str = "query") -> None:
    """Raise QuerySyntaxError if the engine cannot parse `text` (run on an empty store)."""
    guard(text)
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        raise _syntax_error(error, source, text) from None


class Engine:
    """An in-memory pyoxigraph store over one graph; queries are guarded before they run."""

    def __init__(self, ntriples: bytes) -> None:
        self.store = ox.Store()
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    @classmethod
    def from_graph(cls, graph: Graph) -> Engine:
        return cls(graph_ntriples(graph))

    def __len__(self) -> int:
        return len(self.store)

    def run(self, text: str, *, source: str = "query", max_results: int | None = None) -> Answer:
        """Run a (bound) query; raise QueryError subclasses for refused, malformed or too large."""
        guard(text)
        try:
            return collect(self.store.query(text), max_results)
        except SyntaxError as error:
            raise _syntax_error(error, source, text) from None
        except (OSError, RuntimeError) as error:  # evaluation errors, raised while streaming
            raise QueryError(f"{source}: the query failed: {error}") from None


def collect(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, max_results: int | None
) -> Answer:
    """Materialise an answer, stopping one past `max_results` (results stream lazily)."""
    limit = max_results if max_results is not None else -1
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[tuple[Term | None, ...]] = []
        for solution in result:
            if len(rows) == limit:
                raise ResultTooLarge(_too_large(limit, "rows"))
            rows.append(tuple(solution[n] for n in names))
        return Solutions(names, rows)
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) == limit:
            raise ResultTooLarge(_too_large(limit, "triples"))
        triples.append(triple)
    return Triples(triples)


def _too_large(limit: int, what: str) -> str:
    return (
        f"the answer has more than {limit:,} {what}, the limit — add a LIMIT, narrow the "
        "patterns, or download the whole graph from the data page / `gapkb export`"
    )


def graph_ntriples(graph: Graph) -> bytes:
    """An rdflib graph as N-Triples bytes: how graphs reach pyoxigraph (and worker processes)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


# --- the library call ---------------------------------------------------------------------


def query(
    result: CheckResult,
    spec: str,
    params: Mapping[str, str] | None = None,
    *,
    engine: Engine | None = None,
) -> Answer:
    """Run a saved query (by name), a .rq file or query text over a check result's graph."""
    saved = resolve(spec, result.kb.root)
    text = bind(saved, params, result.as_of)
    parse_check(text, saved.source)
    engine = engine or Engine.from_graph(result.full_graph())
    return engine.run(text, source=saved.source)
