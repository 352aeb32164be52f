"""A built site served as GitHub Pages serves it: under a base path (/ or /gapkb/), with
404.html, status 404, for every missing address, whatever its depth."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import serving_in_thread


class PagesHandler(SimpleHTTPRequestHandler):
    """Files of `directory` under `prefix`; anything else answers 404.html."""

    prefix = "/"

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-base-path")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve the built `site` on a free port of 127.0.0.1 under `prefix`; yield its URL."""
    handler = functools.partial(PagesHandler, directory=str(site), prefix=prefix)
    with serving_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}{prefix}"
