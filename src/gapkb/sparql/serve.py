"""Running the endpoint: the threading server, the query page's files, the saved examples."""

from __future__ import annotations

import datetime as dt
import json
import sys
from http.server import ThreadingHTTPServer
from pathlib import Path

from rdflib import Graph

from gapkb.findings import GapkbError
from gapkb.sparql.endpoint import MAX_BODY, App, Handler
from gapkb.sparql.errors import QueryError
from gapkb.sparql.sandbox import WorkerPool
from gapkb.sparql.void import void_turtle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets connections when 32 clients arrive

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, Handler)


def page_assets(modules: Path | None = None) -> tuple[dict[str, Path], str | None]:
    """URL path -> file for the query page (its script and style, the vendored files), and
    what is missing when the npm packages are not installed (the page then offers a plain form)."""
    from gapkb.sparql.query_page import NPM_MODULES, PAGE_DIR, PAGE_FILES, vendor_sources

    assets = {f"/_gapkb/query/{name}": PAGE_DIR / name for name in PAGE_FILES}
    assets = {url: path for url, path in assets.items() if path.is_file()}
    try:
        vendored = vendor_sources(modules or NPM_MODULES)
    except GapkbError as error:
        return assets, str(error)
    return assets | {f"/_gapkb/vendor/{target}": path for target, path in vendored.items()}, None


def make_server(
    pool: WorkerPool,
    as_of: dt.date,
    examples: bytes,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    site_dir: Path | None = None,
    max_body: int = MAX_BODY,
    log: bool = True,
    modules: Path | None = None,
    graph: Graph | None = None,
) -> Server:
    """A server bound to host:port (port 0: any free port); call serve_forever() on it.

    `modules`: where the npm packages of the query page are (default: build/npm/query).
    `graph`: the served graph, described at /.well-known/void (not answered without it)."""
    assets, missing = page_assets(modules)
    app = App(
        pool,
        as_of,
        examples,
        assets,
        site_dir if site_dir is not None and site_dir.is_dir() else None,
        max_body,
        log,
        missing,
    )
    try:
        server = Server((host, port), app)
    except OSError as error:
        raise GapkbError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    if graph is not None:
        app.void = void_turtle(graph, as_of, base_url(server), app.site_dir)
    return server


def base_url(server: Server) -> str:
    """http://host:port of a bound server (IPv6 hosts in brackets)."""
    host, port = str(server.server_address[0]), server.server_address[1]
    return f"http://{host if ':' not in host else f'[{host}]'}:{port}"


def examples_bytes(root: Path | str, as_of: dt.date) -> bytes:
    from gapkb.sparql.query_page import examples_json

    try:
        return examples_json(root, as_of)
    except QueryError as error:
        print(f"gapkb serve: saved queries not offered: {error}", file=sys.stderr)
        return json.dumps({"as_of": as_of.isoformat(), "queries": []}).encode("utf-8")
