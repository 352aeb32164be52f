"""One release: the dumps, their checksums, the snapshot, the changelog and the dataset description.

Everything is written to `<out>/releases/<version>/`; the snapshots of earlier releases kept
beside it are the gap history (gapkb.release.history).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gapkb.findings import GapkbError, Severity
from gapkb.release.changelog import changelog
from gapkb.release.describe import (
    Distribution,
    dataset_description,
    graph_stats,
    schema_org_dataset,
)
from gapkb.release.history import gap_record, record_path
from gapkb.release.licence import CONTENT_LICENCE, COPYRIGHT_HOLDER
from gapkb.release.snapshot import (
    SNAPSHOT_FILE,
    Snapshot,
    dump_snapshot,
    load_snapshot,
    quote_hash,
    snapshot,
)
from gapkb.release.w3id import DEFAULT_SITE_URL

if TYPE_CHECKING:
    from gapkb.pipeline import CheckResult

DEFAULT_REPOSITORY = "https://github.com/gapkb/gapkb"
RELEASES_DIR = "releases"
CHECKSUMS_FILE = "SHA256SUMS"
CHANGELOG_FILE = "CHANGELOG.md"
DESCRIPTION_FILE = "dataset.ttl"  # DCAT + VoID; also what /.well-known/void serves
SCHEMA_ORG_FILE = "dataset.schema.jsonld"
# Dump key -> (exporter format, file suffix, title, media type).
DUMPS = {
    "turtle": ("turtle", ".ttl", "RDF dump (Turtle)", "text/turtle"),
    "jsonld": ("jsonld", ".jsonld", "RDF dump (JSON-LD)", "application/ld+json"),
    "ntriples": ("ntriples", ".nt", "RDF dump (N-Triples)", "application/n-triples"),
}
CSV_COLUMNS = (
    "as_of",
    "instrument",
    "instrument_short_title",
    "binding",
    "status",
    "provision",
    "provision_label",
    "concept",
    "concept_title",
    "strength",
    "note",
    "quote",
    "quote_lang",
    "quote_en",
    "quote_sha256",
)


class ReleaseStopped(GapkbError):
    """The knowledge base has violations: it is not released (exit status 1)."""


@dataclass
class Release:
    """What `make_release` wrote."""

    version: str
    path: Path
    snapshot: Snapshot
    changelog: str
    distributions: list[Distribution] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # names under `path`, sorted


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def coverage_csv(result: CheckResult) -> str:
    """One row per coverage link (RFC 4180; cells that a spreadsheet would run are quoted)."""
    from gapkb.site.sanitize import csv_cell

    kb = result.kb
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for iid in sorted(kb.instruments):
        entry = kb.instruments[iid].entry
        labels = {p.id: p.label for p in entry.provisions}
        for link in sorted(entry.coverage, key=lambda c: (c.provision, c.concept)):
            concept = kb.concepts.get(link.concept)
            row = (
                result.as_of.isoformat(),
                iid,
                entry.short_title,
                "yes" if entry.binding else "no",
                str(entry.status),
                link.provision,
                labels.get(link.provision, ""),
                link.concept,
                concept.entry.title if concept else "",
                str(link.strength),
                link.note,
                link.quote or "",
                link.quote_lang or "",
                link.quote_en or "",
                quote_hash(link.quote) or "",
            )
            writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_metadata(csv_name: str, version: str, site_url: str) -> dict[str, object]:
    """CSV on the Web metadata (W3C Recommendation, 2015-12-17) that states the licence."""
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": f"gapkb {version}: coverage links",
        "dc:license": {"@id": CONTENT_LICENCE.url},
        "dc:publisher": COPYRIGHT_HOLDER,
        "dc:source": {"@id": site_url},
        "dc:hasVersion": version,
        "dc:rights": "Quotes of official texts are reproduced under the terms of their "
        "publishers (LICENSE-CONTENT.md).",
        "tableSchema": {"columns": [{"name": name, "titles": name} for name in CSV_COLUMNS]},
    }


def make_release(
    root: Path | str,
    out_dir: Path | str,
    version: str,
    previous: Path | None,
    *,
    as_of: dt.date | None = None,
    released: dt.date | None = None,
    use_java: bool = True,
    site_url: str = DEFAULT_SITE_URL,
    repository: str = DEFAULT_REPOSITORY,
    sparql_endpoint: str | None = None,
    record: bool = False,
) -> Release:
    """Check the knowledge base at `root` and write release `version` under `out_dir`.

    `previous` is the snapshot file of the release before (None for the first release);
    the changelog is the difference between the two snapshots. A knowledge base with
    violations is not released. The gap record `root`/releases/<version>.json, when it is
    committed, fixes the release's as-of date and must equal the release's gaps; `record`
    writes it (to be committed before the release is tagged).
    """
    from gapkb.pipeline import check
    from gapkb.sparql.export import export_graph

    released = released or dt.date.today()
    dest = Path(out_dir) / RELEASES_DIR / version
    if dest.exists():
        raise GapkbError(f"{dest} exists — a release is written once; pick a new version")
    before = load_snapshot(previous) if previous is not None else None
    recorded_at = record_path(root, version)
    recorded = load_snapshot(recorded_at) if recorded_at.is_file() else None
    if recorded is not None and as_of is None:
        as_of = dt.date.fromisoformat(str(recorded["as_of"]))
    result = check(root, as_of, use_java=use_java)
    violations = result.count(Severity.VIOLATION)
    if violations:
        raise ReleaseStopped(f"release stopped: {violations} violation(s) — fix them first")
    dest.mkdir(parents=True)
    download = f"{repository.rstrip('/')}/releases/download/v{version}/"

    files: dict[str, bytes] = {}
    distributions = []
    graph = result.full_graph()
    for key, (fmt, suffix, title, media_type) in DUMPS.items():
        name = f"gapkb-{version}{suffix}"
        files[name] = export_graph(graph, fmt)
        distributions.append(
            Distribution(
                key, name, title, media_type, len(files[name]), sha256(files[name]), download + name
            )
        )
    csv_name = f"gapkb-{version}-coverage.csv"
    files[csv_name] = coverage_csv(result).encode("utf-8")
    distributions.append(
        Distribution(
            "csv",
            csv_name,
            "Coverage links (CSV)",
            "text/csv",
            len(files[csv_name]),
            sha256(files[csv_name]),
            download + csv_name,
        )
    )
    metadata = csv_metadata(csv_name, version, site_url)
    files[csv_name + "-metadata.json"] = (json.dumps(metadata, indent=2) + "\n").encode("utf-8")

    snap = snapshot(result, root, version=version)
    if recorded is not None and recorded != gap_record(snap):
        dest.rmdir()
        raise ReleaseStopped(
            f"{recorded_at} differs from this release's gaps as of {result.as_of} — the "
            "content changed after it was recorded: record it again (gapkb release "
            f"{version} --record, after deleting it) and commit it"
        )
    if record and recorded is None:
        recorded_at.parent.mkdir(parents=True, exist_ok=True)
        recorded_at.write_text(dump_snapshot(gap_record(snap)), encoding="utf-8")
    text = changelog(before, snap)
    files[SNAPSHOT_FILE] = dump_snapshot(snap).encode("utf-8")
    files[CHANGELOG_FILE] = text.encode("utf-8")
    description = dataset_description(
        version,
        result.as_of,
        distributions,
        graph_stats(graph),
        site_url=site_url,
        released=released,
        sparql_endpoint=sparql_endpoint,
        examples=[c for c in ("model-merging-risk",) if c in result.kb.concepts],
    )
    files[DESCRIPTION_FILE] = description.serialize(format="turtle", encoding="utf-8")
    schema_org = schema_org_dataset(
        version, result.as_of, distributions, site_url=site_url, released=released
    )
    files[SCHEMA_ORG_FILE] = (json.dumps(schema_org, indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    # The format `sha256sum --check` reads: digest, two spaces, file name.
    files[CHECKSUMS_FILE] = "".join(
        f"{sha256(data)}  {name}\n" for name, data in sorted(files.items())
    ).encode("utf-8")
    for name, data in files.items():
        (dest / name).write_bytes(data)
    return Release(version, dest, snap, text, distributions, sorted(files))
