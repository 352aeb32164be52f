"""Step 5b: SPARQL over the checked graph — saved queries, parameters, a guard, the engine.

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
endpoint adds a kernel-level block in its worker processes (gapkb.sandbox).

Library use::

    result = gapkb.check(".")
    answer = gapkb.query(result, "gaps")                 # a saved query, by name
    answer = gapkb.query(result, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    answer.variables, answer.rows                        # Solutions; or Boolean, Triples
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from gapkb.findings import GapkbError
from gapkb.model import ID_RE, JURISDICTION_PATTERN
from gapkb.vocab import concept_iri, instrument_iri, jurisdiction_iri

if TYPE_CHECKING:
    from rdflib import Graph

    from gapkb.pipeline import CheckResult

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
QUERIES_DIR = "queries"
AS_OF_DEFAULT = "as-of"  # a parameter default meaning "the --as-of date, else today"
PARAM_TYPES = ("date", "instrument", "concept", "jurisdiction", "string", "iri")
HEADER_KEYS = ("title", "description", "param")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


# --- errors -------------------------------------------------------------------------------


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


# --- lexing: just enough SPARQL to find variables and keywords ----------------------------

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


# --- saved queries and their parameters ---------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A declared parameter: `# param: name (type = default) — description`."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """A query with its header; ad hoc queries have an empty title and no parameters."""

    name: str
    text: str
    source: str  # what error messages call it: a path, or "query"
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?P<type>[a-z]+)\s*(?:=\s*(?P<default>[^)]*?)\s*)?\)"
    r"\s*(?:—|--|-)\s*(?P<description>.+)$"
)


def parse_header(text: str, source: str) -> tuple[str, str, tuple[Param, ...]]:
    """(title, description, params) from the leading comment lines of a query."""
    fields: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("  ") and body.strip() and fields:
            key, value, start = fields[-1]  # an indented line continues the field above
            fields[-1] = (key, f"{value} {body.strip()}", start)
            continue
        key, sep, value = body.strip().partition(":")
        if not (sep and key in HEADER_KEYS):
            break  # a blank comment or free text ends the header; notes may follow
        fields.append((key, value.strip(), number))
    title = description = ""
    params: list[Param] = []
    for key, value, number in fields:
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "param":
            match = _PARAM.match(value)
            if not match or match["type"] not in PARAM_TYPES:
                raise QueryError(
                    f"{source}:{number}: param: write `# param: name (type) — description` or "
                    f"`# param: name (type = default) — description`, with a type among "
                    f"{', '.join(PARAM_TYPES)}"
                )
            params.append(
                Param(match["name"], match["type"], match["default"], match["description"])
            )
    return title, description, tuple(params)


def queries_dir(root: Path | str = ".") -> Path:
    """The saved queries: `queries/` under the content root, else this project's own."""
    from gapkb.pipeline import PROJECT_ROOT

    for candidate in (Path(root), PROJECT_ROOT):
        if (candidate / QUERIES_DIR).is_dir():
            return candidate / QUERIES_DIR
    return PROJECT_ROOT / QUERIES_DIR


def load_query_file(path: Path, source: str | None = None) -> SavedQuery:
    """A query file with its header; `source` is what messages call it (default: the path)."""
    source = source or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{source}: cannot read it: {error}") from None
    title, description, params = parse_header(text, source)
    return SavedQuery(path.stem, text, source, title, description, params)


def saved_queries(root: Path | str = ".") -> dict[str, SavedQuery]:
    """Every saved query under `root`'s queries/ folder, by name (the file stem)."""
    folder = queries_dir(root)
    return {
        p.stem: load_query_file(p, f"{QUERIES_DIR}/{p.name}") for p in sorted(folder.glob("*.rq"))
    }


def resolve(spec: str, root: Path | str = ".") -> SavedQuery:
    """A saved query's name, a path to a .rq file, or the text of a query."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", spec):
        known = saved_queries(root)
        if spec in known:
            return known[spec]
        close = difflib.get_close_matches(spec, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise QueryError(
            f"no saved query named '{spec}' — {hint}saved queries: {', '.join(known)} "
            "(or pass a .rq file or the text of a query)"
        )
    path = Path(spec)
    if spec.endswith(".rq") or ("\n" not in spec and len(spec) < 4096 and path.is_file()):
        if not path.is_file():
            raise QueryError(f"{spec}: no such file")
        return load_query_file(path)
    return SavedQuery("query", spec, "query")


def _literal(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _date(name: str, value: str) -> str:
    try:
        return f'"{dt.date.fromisoformat(value).isoformat()}"^^<{XSD_DATE}>'
    except ValueError:
        raise QueryError(f"--param {name}: '{value}' is not a date — write YYYY-MM-DD") from None


def _iri(name: str, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*", value):
        raise QueryError(f"--param {name}: '{value}' is not an absolute IRI")
    return f"<{value}>"


def term_text(name: str, kind: str | None, value: str) -> str:
    """The SPARQL text of a parameter value of a declared type (None: guessed)."""
    if kind == "date":
        return _date(name, value)
    if kind in ("instrument", "concept"):
        if not ID_RE.match(value):
            raise QueryError(f"--param {name}: '{value}' is not a {kind} id (kebab-case)")
        mint = instrument_iri if kind == "instrument" else concept_iri
        return f"<{mint(value)}>"
    if kind == "jurisdiction":
        if not re.match(JURISDICTION_PATTERN, value):
            raise QueryError(
                f"--param {name}: '{value}' is not a jurisdiction (an ISO 3166 code, EU or INT)"
            )
        return f"<{jurisdiction_iri(value)}>"
    if kind == "string":
        return _literal(value)
    if kind == "iri":
        return _iri(name, value.removeprefix("<").removesuffix(">"))
    # Undeclared (an ad hoc query): <iri>, a date, an integer, else a string.
    if value.startswith("<") and value.endswith(">"):
        return _iri(name, value[1:-1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _date(name, value)
    if re.fullmatch(r"[+-]?\d+", value):
        return value
    return _literal(value)


def bind(
    query: SavedQuery, params: Mapping[str, str] | None = None, as_of: dt.date | None = None
) -> str:
    """The query's text with its parameters replaced by terms; defaults fill the rest."""
    params = dict(params or {})
    mentioned = variables(query.text)
    declared = {p.name for p in query.params}
    for name in params:
        if name not in declared and (query.params or name not in mentioned):
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(
                f"--param {name}: {query.source} has no parameter '{name}' (parameters: {known})"
            )
    values: dict[str, str] = {}
    for param in query.params:
        value = params.get(param.name, param.default)
        if value == AS_OF_DEFAULT:
            value = (as_of or dt.date.today()).isoformat()
        if value is None:
            raise QueryError(
                f"{query.source}: parameter '{param.name}' ({param.type}) needs a value — "
                f"pass --param {param.name}=..."
            )
        values[param.name] = term_text(param.name, param.type, value)
    for name, value in params.items():
        if name not in declared:
            values[name] = term_text(name, None, value)
    if not query.params and "asOf" in mentioned and "asOf" not in values and as_of is not None:
        values["asOf"] = term_text("asOf", "date", as_of.isoformat())
    return substitute(query.text, values)


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace the variables named in `values` by their term text, outside strings and IRIs."""
    out = []
    for token in tokens(text):
        if token.kind == "var" and token.text[1:] in values:
            out.append(values[token.text[1:]])
        else:
            out.append(token.text)
    return "".join(out)


def segments(query: SavedQuery) -> list[str | dict[str, str]]:
    """The text split at parameter variables, for the query page to bind in the browser."""
    names = {p.name for p in query.params}
    parts: list[str | dict[str, str]] = [""]
    for token in tokens(query.text):
        if token.kind == "var" and token.text[1:] in names:
            parts.append({"param": token.text[1:]})
            parts.append("")
        else:
            last = parts[-1]
            parts[-1] = (last if isinstance(last, str) else "") + token.text
    return [p for p in parts if p != ""]


# --- answers ------------------------------------------------------------------------------


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
