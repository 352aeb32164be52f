"""The data downloads: the Data page, the coverage CSV and the RDF dumps."""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import Graph

from gapkb.pipeline import CheckResult
from gapkb.release.describe import Distribution, schema_org_dataset
from gapkb.site.jsonld import _web_page
from gapkb.site.model import SiteError, SiteModel
from gapkb.site.proof import verification_kind
from gapkb.site.provision import provision_url
from gapkb.site.render import Page, render
from gapkb.site.sanitize import csv_cell

DATA_FILES = {
    "turtle": ("data/gapkb.ttl", "Turtle", "text/turtle"),
    "json-ld": ("data/gapkb.jsonld", "JSON-LD", "application/ld+json"),
    "nt": ("data/gapkb.nt", "N-Triples", "application/n-triples"),
    "csv": ("data/coverage.csv", "CSV (coverage links)", "text/csv"),
}
CSV_COLUMNS = (
    "as_of",
    "instrument",
    "instrument_title",
    "provision",
    "pinpoint",
    "provision_url",
    "official_url",
    "concept",
    "concept_title",
    "strength",
    "applies_as_of",
    "state",
    "note",
    "quote",
    "quote_lang",
    "quote_en",
    "confidence",
    "reviewed",
    "quote_version",
    "verification",
    "verified_against",
    "text_method",
    "text_sha256",
    "checked",
    "quote_source",
)


def data_page(model: SiteModel) -> Page:
    path = "data.md"
    body = render("data.md.j2", path, model, files=DATA_FILES)
    node = _web_page(model, path, f"{model.settings.site_name} data", "Dataset")
    node["description"] = (
        "Governance concepts, AI-governance instruments and provision-level coverage links."
    )
    node["temporalCoverage"] = f"../{model.as_of.isoformat()}"
    node["distribution"] = [
        {
            "@type": "DataDownload",
            "encodingFormat": mime,
            "name": title,
            **({"contentUrl": model.settings.site_url + file} if model.settings.site_url else {}),
        }
        for file, title, mime in DATA_FILES.values()
    ]
    return Page(path, body, {"jsonld": node})


def dataset_jsonld(model: SiteModel, docs_dir: Path) -> dict[str, Any]:
    """The schema.org Dataset for the home page: this build's data files, their sizes and
    SHA-256, read once they are written; the version is the package's."""
    distributions = []
    for key, (file, title, mime) in DATA_FILES.items():
        data = (docs_dir / file).read_bytes()
        distributions.append(
            Distribution(
                key,
                file.rsplit("/", 1)[-1],
                title,
                mime,
                len(data),
                hashlib.sha256(data).hexdigest(),
                model.settings.site_url + file,
            )
        )
    return schema_org_dataset(
        metadata.version("gapkb"), model.as_of, distributions, site_url=model.settings.site_url
    )


RDF_DUMPS = {"turtle": "turtle", "nt": "ntriples", "json-ld": "jsonld"}  # DATA_FILES key: format


def write_rdf_dumps(graph: Graph, docs_dir: Path) -> None:
    """The whole graph as Turtle, N-Triples (the same bytes as `gapkb export`) and JSON-LD."""
    from gapkb.sparql.export import export_graph

    for key, fmt in RDF_DUMPS.items():
        path = docs_dir / DATA_FILES[key][0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(export_graph(graph, fmt))


def _dump_in_child(result: CheckResult, docs_dir: Path) -> None:
    try:
        write_rdf_dumps(result.full_graph(), docs_dir)
    except BaseException as error:  # the parent reports it with the exit code
        (docs_dir / DUMP_ERROR).write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        raise SystemExit(1) from None


DUMP_ERROR = ".rdf-dumps-failed"


@contextmanager
def rdf_dumps_written(result: CheckResult, docs_dir: Path) -> Iterator[None]:
    """Write the RDF dumps while the body runs, in a forked process where there is one.

    rdflib's writers take 0.7 s at the real content and about 10 s at ten times it, all
    in pure Python; a child forked with the graph in memory does that on the other core
    while the pages and citations are generated here (bench/RESULTS.md)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        write_rdf_dumps(result.full_graph(), docs_dir)
        yield
        return
    # Forked, the child shares the graph with this process: nothing is copied or pickled.
    child = multiprocessing.get_context("fork").Process(
        target=_dump_in_child, args=(result, docs_dir), name="gapkb-rdf-dumps"
    )
    child.start()
    try:
        yield
    finally:
        child.join()
    failed = docs_dir / DUMP_ERROR
    if child.exitcode != 0:
        detail = failed.read_text(encoding="utf-8") if failed.is_file() else ""
        failed.unlink(missing_ok=True)
        raise SiteError(
            f"writing the RDF dumps failed (exit code {child.exitcode}) {detail}".strip()
        )


def write_coverage_csv(model: SiteModel, docs_dir: Path) -> None:
    path = docs_dir / DATA_FILES["csv"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(coverage_csv(model), encoding="utf-8")


def coverage_csv(model: SiteModel) -> str:
    """One row per coverage link, with whether it applies at the as-of date; `provision_url`
    is the provision's place on this site, `official_url` its official text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for views in model.by_instrument.values():
        for v in views:
            link = v.link
            proof = v.proof
            machine = proof is not None and proof.result != "no-text" and proof.text_sha256
            reviewed = link.reviewed or v.instrument.reviewed
            row = (
                model.as_of.isoformat(),
                v.instrument.id,
                v.instrument.short_title,
                v.provision.id,
                v.provision.label,
                provision_url(model.settings, v.instrument.id, v.provision.id),
                v.url or "",
                link.concept,
                model.concepts[link.concept].title,
                link.strength.value,
                "yes" if v.applies else "no",
                v.state,
                link.note,
                link.quote or "",
                link.quote_lang or "",
                link.quote_en or "",
                link.confidence.value if link.confidence else "",
                reviewed.isoformat() if reviewed else "",
                link.quote_version or "",
                verification_kind(proof, link.quote_source),
                proof.version if machine and proof else "",
                proof.text_method if machine and proof else "",
                proof.text_sha256[:12] if machine and proof else "",
                proof.checked if proof else "",
                link.quote_source or "",
            )
            writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()
