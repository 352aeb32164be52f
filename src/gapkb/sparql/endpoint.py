"""Step 6: `gapkb serve` — a read-only SPARQL 1.1 Protocol endpoint, its query page, the site.

- `/sparql`: queries by GET (`?query=`) and POST (form-encoded, or the query itself as
  `application/sparql-query`), answered in the format the client accepts: SPARQL results
  as JSON, XML, CSV or TSV; graphs as Turtle, JSON-LD, N-Triples or RDF/XML (a `format`,
  `output` or `results` parameter naming one wins over Accept, as Virtuoso and Fuseki do).
  CORS lets any web page query it without credentials. In a browser, `/sparql` with no
  query is the query page (YASGUI's editor and results view, served from here).
- `/`: the built site (`public/`) when there is one.

Off-the-shelf endpoints failed on this stack (DESIGN.md, "Pitfalls"), hence this one, on
the standard library's threading HTTP server. Every query is guarded (no SERVICE, FROM or
update) and runs in a killable worker process with a time limit, a result-size limit and
no network (gapkb.sparql.sandbox); request bodies are capped; nothing is ever written.

Status codes: 400 malformed or refused query, 403 update, 404, 405, 406 no acceptable
format, 411/413 request body missing a length or too large, 415 unsupported body type,
422 answer over the size limit, 503 time limit, busy, or a worker out of memory.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
import posixpath
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from gapkb.sparql.dereference import see_other
from gapkb.sparql.errors import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    ResultTooLarge,
    UpdateRefused,
)
from gapkb.sparql.lexing import guard
from gapkb.sparql.negotiation import HttpError, choose_format
from gapkb.sparql.sandbox import Busy, QueryTimeout, WorkerCrashed, WorkerPool, expected_kind
from gapkb.sparql.void import WELL_KNOWN_VOID

MAX_BODY = 1024 * 1024  # bytes: a query is text; a megabyte is far more than any needs


DATASET_PARAMS = (
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
)
CORS = {
    # Any page may read answers; no cookies or credentials are involved (none are used).
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EXTRA_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rq": "application/sparql-query",
    ".csv": "text/csv",
}


@dataclass
class App:
    """What the handler needs: the workers, the page's files, the site folder."""

    pool: WorkerPool
    as_of: dt.date
    examples: bytes  # the saved queries, as the query page reads them
    assets: dict[str, Path] = field(default_factory=dict)  # URL path -> file
    site_dir: Path | None = None
    max_body: int = MAX_BODY
    log: bool = True
    missing: str | None = None  # why the page's editor is not available, if it is not
    void: bytes = b""  # the VoID description at /.well-known/void (Turtle), once bound

    def page(self) -> bytes:
        """The query page: YASGUI's editor and results over /sparql; a plain form without JS."""
        note = (
            ""
            if self.missing is None
            else '<p class="gapkb-note">The editor is not installed (run scripts/setup.sh); '
            "this plain form works without it.</p>"
        )
        site = '<a href="/">the site</a> · ' if self.site_dir else ""
        example = html.escape(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX gk: <https://w3id.org/gapkb/ontology#>\n\n"
            "SELECT ?concept ?title WHERE {\n  ?c a gk:Concept ; skos:notation ?concept ; "
            "skos:prefLabel ?title .\n}\nORDER BY ?concept\nLIMIT 25\n"
        )
        body = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gapkb — SPARQL endpoint</title>
<link rel="stylesheet" href="/_gapkb/query/query.css">
</head>
<body class="gapkb-endpoint">
<header>
<h1>gapkb SPARQL endpoint</h1>
<p>Knowledge base as of <time datetime="{self.as_of}">{self.as_of}</time>,
{self.pool.triples:,} triples (ontology, entries, inferences). {site}
Query <code>/sparql</code> with any SPARQL 1.1 client: GET or POST, read-only,
{self.pool.limits.timeout:g} s and {self.pool.limits.max_results:,} results per query.</p>
</header>
{note}
<main id="gapkb-query" data-mode="endpoint" data-endpoint="/sparql"
      data-queries="/_gapkb/queries.json" data-vendor="/_gapkb/vendor/">
<form class="gapkb-query-form" method="get" action="/sparql">
<label for="gapkb-query-text">Query</label>
<textarea id="gapkb-query-text" name="query" rows="12" cols="80">{example}</textarea>
<label for="gapkb-query-format">Answer as</label>
<select id="gapkb-query-format" name="format">
<option value="csv">CSV</option><option value="json">JSON</option>
<option value="xml">XML</option><option value="tsv">TSV</option>
<option value="turtle">Turtle (CONSTRUCT, DESCRIBE)</option>
</select>
<button type="submit">Run</button>
</form>
</main>
<script type="module" src="/_gapkb/query/query.js"></script>
</body>
</html>
"""
        return body.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "gapkb"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds to send a request: a slow client cannot hold a thread forever
    # Headers and body go out in two writes: with Nagle's algorithm the body would wait for
    # the client's delayed ACK (~40 ms a response, measured in bench/).
    disable_nagle_algorithm = True

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    # -- plumbing --------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        if self.app.log:
            super().log_message(format, *args)

    def send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        *,
        head: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def fail(self, error: HttpError) -> None:
        headers = {**CORS, **error.headers}
        if error.status in (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.LENGTH_REQUIRED):
            headers["Connection"] = "close"  # the unread body must not be taken for a request
            self.close_connection = True
        body = (error.message.rstrip("\n") + "\n").encode("utf-8")
        self.send(error.status, body, "text/plain; charset=utf-8", headers)

    def route(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        try:
            params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
        except ValueError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"malformed query string: {error}") from None
        return unquote(parts.path), params

    # -- methods -----------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        path, _ = self.route()
        if path == "/sparql":
            self.send(HTTPStatus.NO_CONTENT, b"", "text/plain", CORS)
        else:
            self.send(HTTPStatus.NO_CONTENT, b"", "text/plain", {"Allow": "GET, HEAD, OPTIONS"})

    def do_GET(self) -> None:
        self.handle_read(head=False)

    def do_HEAD(self) -> None:
        self.handle_read(head=True)

    def do_POST(self) -> None:
        try:
            path, params = self.route()
            if path != "/sparql":
                raise HttpError(
                    HTTPStatus.METHOD_NOT_ALLOWED, "POST queries to /sparql", {"Allow": "GET, HEAD"}
                )
            for key, values in self.read_body().items():
                params.setdefault(key, []).extend(values)
            self.answer(params)
        except HttpError as error:
            self.fail(error)

    def _refuse_method(self) -> None:
        self.fail(
            HttpError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "read-only: GET or POST queries to /sparql",
                {"Allow": "GET, HEAD, POST, OPTIONS"},
            )
        )

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    # -- reading ---------------------------------------------------------------------------

    def handle_read(self, *, head: bool) -> None:
        try:
            path, params = self.route()
            if path == "/sparql":
                if "query" in params or "update" in params:
                    self.answer(params, head=head)
                elif "text/html" in (self.headers.get("Accept") or ""):
                    self.send(
                        HTTPStatus.OK,
                        self.app.page(),
                        "text/html; charset=utf-8",
                        {"Content-Security-Policy": PAGE_CSP},
                        head=head,
                    )
                else:
                    raise HttpError(
                        HTTPStatus.BAD_REQUEST,
                        "no query: GET /sparql?query=…, or POST the query (form field `query`, "
                        "or the body as application/sparql-query); open /sparql in a browser "
                        "for the query page",
                    )
            elif path == "/_gapkb/queries.json":
                self.send(HTTPStatus.OK, self.app.examples, "application/json", head=head)
            elif path == WELL_KNOWN_VOID and self.app.void:
                self.send(HTTPStatus.OK, self.app.void, "text/turtle; charset=utf-8", head=head)
            elif path in self.app.assets:
                self.send_file(self.app.assets[path], head=head)
            elif (location := see_other(path, self.headers.get("Accept") or "")) is not None:
                self.send(
                    HTTPStatus.SEE_OTHER,
                    b"",
                    "text/plain",
                    {"Location": location, "Vary": "Accept"},
                    head=head,
                )
            else:
                self.send_site(path, head=head)
        except HttpError as error:
            self.fail(error)

    def read_body(self) -> dict[str, list[str]]:
        """The parameters a POST body carries (form fields, or the query), within the limit."""
        if self.headers.get("Transfer-Encoding"):
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            raise HttpError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
        if length < 0:
            raise HttpError(HTTPStatus.BAD_REQUEST, "Content-Length is negative")
        if length > self.app.max_body:
            raise HttpError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body is {length:,} bytes; the limit is {self.app.max_body:,}",
            )
        raw = self.rfile.read(length)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None
        if media == "application/x-www-form-urlencoded":
            return parse_qs(text, keep_blank_values=True)
        if media == "application/sparql-query":
            return {"query": [text]}
        if media == "application/sparql-update":
            raise HttpError(HTTPStatus.FORBIDDEN, _read_only())
        raise HttpError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "send application/sparql-query, or a form (application/x-www-form-urlencoded) "
            "with a `query` field",
        )

    # -- queries ------------------------------------------------------------------------------

    def answer(self, params: dict[str, list[str]], *, head: bool = False) -> None:
        if params.get("update"):
            raise HttpError(HTTPStatus.FORBIDDEN, _read_only())
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(HTTPStatus.BAD_REQUEST, "pass exactly one non-empty `query`")
        text = queries[0]
        if any(v for key in DATASET_PARAMS for v in params.get(key, [])):
            raise HttpError(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri and named-graph-uri are not supported: there is one "
                "default graph (ontology, entries and inferences) and nothing else is loaded",
            )
        try:
            guard(text)
            fmt = choose_format(expected_kind(text), params, self.headers.get("Accept"))
            media_type, body = self.app.pool.run(text, fmt.name)
        except UpdateRefused as error:
            raise HttpError(HTTPStatus.FORBIDDEN, str(error)) from None
        except (QuerySyntaxError, QueryRefused) as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(error)) from None
        except ResultTooLarge as error:
            raise HttpError(HTTPStatus.UNPROCESSABLE_ENTITY, str(error)) from None
        except Busy as error:
            raise HttpError(
                HTTPStatus.SERVICE_UNAVAILABLE, str(error), {"Retry-After": "1"}
            ) from None
        except (QueryTimeout, WorkerCrashed) as error:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, str(error)) from None
        except QueryError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(error)) from None
        self.send(
            HTTPStatus.OK,
            body,
            f"{media_type}; charset=utf-8",
            {**CORS, "Vary": "Accept"},
            head=head,
        )

    # -- files ---------------------------------------------------------------------------

    def send_file(self, path: Path, *, head: bool) -> None:
        suffix = path.suffix.lower()
        content_type = EXTRA_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]
        content_type = content_type or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json",):
            content_type += "; charset=utf-8"
        size = path.stat().st_size
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(size))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            with path.open("rb") as source:
                shutil.copyfileobj(source, self.wfile)

    def send_site(self, path: str, *, head: bool) -> None:
        site = self.app.site_dir
        if site is None:
            if path == "/":
                self.send(HTTPStatus.FOUND, b"", "text/plain", {"Location": "/sparql"}, head=head)
                return
            raise HttpError(HTTPStatus.NOT_FOUND, f"{path}: not found (no built site to serve)")
        target = site_file(site, path)
        if target is None and not path.endswith("/") and site_file(site, path + "/"):
            # A folder named without its slash: redirect, as web servers do.
            self.send(
                HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", {"Location": path + "/"}, head=head
            )
            return
        if target is None:
            missing = site_file(site, "/404.html")  # MkDocs writes one
            if missing is None:
                raise HttpError(HTTPStatus.NOT_FOUND, f"{path}: not found")
            self.send(
                HTTPStatus.NOT_FOUND, missing.read_bytes(), "text/html; charset=utf-8", head=head
            )
            return
        self.send_file(target, head=head)


def site_file(site: Path, url_path: str) -> Path | None:
    """The file a URL path names inside the site folder, or None: never a file outside it."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = [p for p in posixpath.normpath("/" + url_path).split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None  # no dot-files, no ..
    candidate = site.joinpath(*parts)
    if url_path.endswith("/") or not parts:
        candidate = candidate / "index.html"
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(site.resolve()) or not resolved.is_file():
        return None
    return resolved


def _read_only() -> str:
    return (
        "SPARQL Update is not accepted: this endpoint is read-only (the graph is built from "
        "the YAML entries — edit those instead)"
    )
