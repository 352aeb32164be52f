"""The data downloads: the Data page, the coverage CSV and the RDF dumps."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph

from gapkb.pipeline import CheckResult
from gapkb.release.describe import Distribution, schema_org_dataset
from gapkb.release.licence import CONTENT_LICENCE, COPYRIGHT_HOLDER
from gapkb.release.snapshot import quote_hash
from gapkb.site.jsonld import _web_page
from gapkb.site.model import LinkView, SiteError, SiteModel
from gapkb.site.proof import verification_kind
from gapkb.site.provision import provision_url
from gapkb.site.render import Page, render
from gapkb.site.sanitize import Md, csv_cell
from gapkb.vocab import BASE, COMPACT_PREFIX, DATASET_VERSION

DATA_FILES = {
    "turtle": ("data/gapkb.ttl", "Turtle", "text/turtle"),
    "json-ld": ("data/gapkb.jsonld", "JSON-LD", "application/ld+json"),
    "nt": ("data/gapkb.nt", "N-Triples", "application/n-triples"),
    "csv": ("data/coverage.csv", "CSV (coverage links)", "text/csv"),
}
# The coverage table's columns and what each holds: the one list the CSV's header, its CSV on
# the Web metadata and the Data page's table are written from, for the site and the release.
CSV_COLUMNS: dict[str, str] = {
    "as_of": "The date the view was computed for",
    "instrument": "Instrument id",
    "instrument_title": "The instrument's short title",
    "binding": "`yes` for law, `no` for a voluntary instrument (framework, standard, guidance)",
    "instrument_status": "The instrument's recorded status (`in-force`, `pending`, `revoked`, "
    "`superseded`, `expired`, `vetoed`, `lapsed`)",
    "provision": "Provision id",
    "pinpoint": "The provision's pinpoint as lawyers write it",
    "provision_url": "The provision's place on this site: its pinpoint, heading, force, dates "
    "of application and every concept it covers, with quotes",
    "official_url": "The provision's official URL (the instrument's official text when the "
    "provision has none of its own)",
    "concept": "Concept id",
    "concept_title": "The concept's title",
    "strength": "`explicit` (expressly governs) or `implicit` (by interpretation)",
    "applies_as_of": "`yes` when the instrument is in force and the provision applies on the "
    "as-of date",
    "state": "`in force`, or why not (not yet in force, applies from, no longer in force)",
    "note": "Why the provision covers the concept",
    "quote": "The shortest verbatim passage of the provision that shows it",
    "quote_lang": "The quote's language",
    "quote_en": "The quote's English rendering, when it is not in English",
    "quote_sha256": "SHA-256 of the quote's UTF-8 text: a changed quote between two files "
    "shows here",
    "confidence": "How sure the contributor is",
    "reviewed": "When the link was last reviewed (else when its instrument was)",
    "quote_version": "The amending act whose text the quote is from, when it quotes the "
    "provision as amended",
    "verification": "`machine-verified`, `elsewhere` (found in another provision), "
    "`not-found`, `checked by hand` or `not checked`",
    "verified_against": "The version of the stored official text the quote was checked against",
    "text_method": "How that text was obtained (`extraction`, `transcribed`, `pasted copy`, "
    "`stored web page`)",
    "text_sha256": "The first 12 hex digits of that text's SHA-256",
    "checked": "The date of the verification record's row",
    "quote_source": "The official page a quote was checked against by hand",
}
CSV_METADATA_SUFFIX = "-metadata.json"  # CSV on the Web: the metadata beside the file


def data_page(model: SiteModel) -> Page:
    path = "data.md"
    body = render(
        "data.md.j2",
        path,
        model,
        files=DATA_FILES,
        csv_metadata_file=DATA_FILES["csv"][0] + CSV_METADATA_SUFFIX,
        columns={name: Md(text) for name, text in CSV_COLUMNS.items()},
        namespace=BASE,
        prefix=COMPACT_PREFIX,
    )
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
        DATASET_VERSION, model.as_of, distributions, site_url=model.settings.site_url
    )


RDF_DUMPS = {"turtle": "turtle", "nt": "ntriples", "json-ld": "jsonld"}  # DATA_FILES key: format


def write_rdf_dumps(graph: Graph, docs_dir: Path) -> None:
    """The whole graph as Turtle, N-Triples and JSON-LD (the same bytes as `gapkb export`)."""
    from gapkb.sparql.export import export_formats

    dumps = export_formats(graph, RDF_DUMPS.values())
    for key, fmt in RDF_DUMPS.items():
        path = docs_dir / DATA_FILES[key][0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps[fmt])


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

    Merging the graph and converting its terms for the writers takes about 1.2 s at the
    real content, in pure Python; a child forked with the graph in memory does that on the
    other core while the pages and citations are generated here (bench/RESULTS.md)."""
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
    """data/coverage.csv and its CSV on the Web metadata (coverage.csv-metadata.json)."""
    path = docs_dir / DATA_FILES["csv"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(coverage_csv(model).encode("utf-8"))
    meta = csv_metadata(path.name, DATASET_VERSION, model.settings.site_url)
    path.with_name(path.name + CSV_METADATA_SUFFIX).write_text(
        json.dumps(meta, indent=2) + "\n", encoding="utf-8"
    )


def coverage_csv(model: SiteModel) -> str:
    """One row per coverage link (RFC 4180, CSV_COLUMNS), with whether it applies at the
    as-of date; `provision_url` is the provision's place on the site, `official_url` its
    official text. The site's data/coverage.csv and a release's CSV are this table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for views in model.by_instrument.values():
        for v in views:
            writer.writerow([csv_cell(cell) for cell in _row(model, v)])
    return buffer.getvalue()


def _row(model: SiteModel, v: LinkView) -> tuple[str, ...]:
    link, proof, instrument = v.link, v.proof, v.instrument
    machine = proof is not None and proof.result != "no-text" and bool(proof.text_sha256)
    reviewed = link.reviewed or instrument.reviewed
    row = {
        "as_of": model.as_of.isoformat(),
        "instrument": instrument.id,
        "instrument_title": instrument.short_title,
        "binding": "yes" if instrument.binding else "no",
        "instrument_status": str(instrument.status),
        "provision": v.provision.id,
        "pinpoint": v.provision.label,
        "provision_url": provision_url(model.settings, instrument.id, v.provision.id),
        "official_url": v.url or "",
        "concept": link.concept,
        "concept_title": model.concepts[link.concept].title,
        "strength": link.strength.value,
        "applies_as_of": "yes" if v.applies else "no",
        "state": v.state,
        "note": link.note,
        "quote": link.quote or "",
        "quote_lang": link.quote_lang or "",
        "quote_en": link.quote_en or "",
        "quote_sha256": quote_hash(link.quote) or "",
        "confidence": link.confidence.value if link.confidence else "",
        "reviewed": reviewed.isoformat() if reviewed else "",
        "quote_version": link.quote_version or "",
        "verification": verification_kind(proof, link.quote_source),
        "verified_against": proof.version if machine and proof else "",
        "text_method": proof.text_method if machine and proof else "",
        "text_sha256": proof.text_sha256[:12] if machine and proof else "",
        "checked": proof.checked if proof else "",
        "quote_source": link.quote_source or "",
    }
    return tuple(row[name] for name in CSV_COLUMNS)  # a column left out is a KeyError


def csv_metadata(csv_name: str, version: str, site_url: str) -> dict[str, object]:
    """CSV on the Web metadata (W3C Recommendation, 2015-12-17) for the coverage table:
    its licence, and each column of CSV_COLUMNS with what it holds."""
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": f"gapkb {version}: coverage links",
        "dc:license": {"@id": CONTENT_LICENCE.url},
        "dc:publisher": COPYRIGHT_HOLDER,
        **({"dc:source": {"@id": site_url}} if site_url else {}),
        "dc:hasVersion": version,
        "dc:rights": "Quotes of official texts are reproduced under the terms of their "
        "publishers (LICENSE-CONTENT.md).",
        "tableSchema": {
            "columns": [
                {"name": name, "titles": name, "dc:description": text.replace("`", "")}
                for name, text in CSV_COLUMNS.items()
            ]
        },
    }
