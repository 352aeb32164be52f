"""Saved queries (queries/*.rq): their header, their parameters, and binding values to them."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gapkb.model import ID_RE, JURISDICTION_PATTERN
from gapkb.vocab import concept_iri, instrument_iri, jurisdiction_iri

if TYPE_CHECKING:
    pass
from gapkb.sparql.errors import QueryError
from gapkb.sparql.lexing import tokens, variables

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
QUERIES_DIR = "queries"
AS_OF_DEFAULT = "as-of"  # a parameter default meaning "the --as-of date, else today"
PARAM_TYPES = ("date", "instrument", "concept", "jurisdiction", "string", "iri")
HEADER_KEYS = ("title", "description", "param")


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
