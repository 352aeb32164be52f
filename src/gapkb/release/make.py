"""One release: the dumps, their checksums, the snapshot, the changelog and the dataset description.

Everything is written to `<out>/releases/<version>/`; the snapshots of earlier releases kept
beside it are the gap history (gapkb.release.history).
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from gapkb.release.snapshot import (
    SNAPSHOT_FILE,
    Snapshot,
    dump_snapshot,
    load_snapshot,
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


def coverage_csv(result: CheckResult, site_url: str) -> str:
    """The coverage table the site publishes as data/coverage.csv (gapkb.site.downloads,
    one writer for both), its `provision_url` under `site_url`."""
    # Imported here: gapkb.site imports gapkb.release.describe, whose package imports this.
    from gapkb.site.downloads import coverage_csv as table
    from gapkb.site.model import SiteSettings, build_model

    site = site_url if site_url.endswith("/") else site_url + "/"
    return table(build_model(result, SiteSettings(site_url=site)))


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
    from gapkb.site.downloads import CSV_METADATA_SUFFIX, csv_metadata
    from gapkb.sparql.export import export_formats

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
    dumps = export_formats(graph, [fmt for fmt, *_ in DUMPS.values()])
    for key, (fmt, suffix, title, media_type) in DUMPS.items():
        name = f"gapkb-{version}{suffix}"
        files[name] = dumps[fmt]
        distributions.append(
            Distribution(
                key, name, title, media_type, len(files[name]), sha256(files[name]), download + name
            )
        )
    csv_name = f"gapkb-{version}-coverage.csv"
    files[csv_name] = coverage_csv(result, site_url).encode("utf-8")
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
    files[csv_name + CSV_METADATA_SUFFIX] = (json.dumps(metadata, indent=2) + "\n").encode("utf-8")

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
