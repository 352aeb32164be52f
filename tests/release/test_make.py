"""Two releases from two commits of a small knowledge base: the changelog's exact text."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from gapkb.findings import GapkbError
from gapkb.release import gap_history, load_history, make_release
from gapkb.release.make import CHANGELOG_FILE, CHECKSUMS_FILE, DESCRIPTION_FILE
from gapkb.site.downloads import CSV_COLUMNS, coverage_csv
from gapkb.site.model import SiteSettings, build_model
from tests.conftest import REPO, SAMPLE

AS_OF = dt.date(2026, 12, 1)
RELEASED = dt.date(2026, 12, 2)

NEW_INSTRUMENT = """\
id: uk-alignment-act
title: Artificial Intelligence (Alignment) Act 2026
short_title: UK Alignment Act
jurisdiction: GB
kind: statute
binding: true
status: in-force
dates:
  adopted: 2026-03-01
  in_force: 2026-04-01
url: https://www.legislation.gov.uk/
languages: [en]
provisions:
  - id: sec-1
    label: Sec. 1
    title: Alignment of frontier models
coverage:
  - concept: alignment
    provision: sec-1
    strength: explicit
    note: Requires developers to align frontier models with their specification.
    quote: a developer must align the model
    quote_lang: en
"""

REMOVED_LINK = """\
  - concept: model-merging-risk
    provision: rec-110
    strength: implicit
    note: Names the potential to remove guardrails as a source of systemic risk; merging can do so.
    quote: the potential to remove guardrails
    quote_lang: en
"""

EXPECTED_CHANGELOG = """\
# gapkb 0.2.0

Changes since 0.1.0. Content as of 2026-12-01; 0.1.0 was as of 2026-12-01.

## Summary

| | added | removed | changed |
|---|---:|---:|---:|
| instruments | 1 | 0 | 0 |
| concepts | 0 | 0 | 0 |
| provisions | 1 | 0 | 0 |
| links | 1 | 1 | 0 |

Statuses changed: 0. Gaps opened: 0, closed: 1, moved between tiers: 1.

## Instruments

### Added

- `uk-alignment-act` — UK Alignment Act (in-force)

### Removed

- none

### Changed

- none

## Statuses changed

- none

## Concepts

### Added

- none

### Removed

- none

### Changed

- none

## Provisions

### Added

- `uk-alignment-act` `sec-1` — Sec. 1

### Removed

- none

### Changed

- none

## Links

### Added

- `uk-alignment-act` `sec-1` → `alignment` (explicit)

### Removed

- `eu-ai-act` `rec-110` → `model-merging-risk` (implicit)

### Changed

- none

## Gaps

### Opened

- none

### Closed

#### never covered

- `alignment` — Alignment (now covered)

### Moved between tiers

- `model-merging-risk` — Model merging risk: implicit only → never covered
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Release 0.1.0 of the sample at one commit; 0.2.0 at the next (one instrument added,
    one link removed, one gap closed)."""
    tmp_path = tmp_path_factory.mktemp("release")
    kb, out = tmp_path / "kb", tmp_path / "out"
    shutil.copytree(SAMPLE, kb)
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, kb / folder)
    git(kb, "init", "-q")
    first = commit_all(kb, "sample")
    make_release(kb, out, "0.1.0", None, as_of=AS_OF, released=RELEASED, use_java=False)
    (kb / "instruments" / "uk-alignment-act.yaml").write_text(NEW_INSTRUMENT, encoding="utf-8")
    eu = kb / "instruments" / "eu-ai-act.yaml"
    text = eu.read_text(encoding="utf-8")
    assert REMOVED_LINK in text
    eu.write_text(text.replace(REMOVED_LINK, ""), encoding="utf-8")
    second = commit_all(kb, "one instrument added, one link removed")
    make_release(
        kb,
        out,
        "0.2.0",
        out / "releases" / "0.1.0" / "snapshot.json",
        as_of=AS_OF,
        released=RELEASED,
        use_java=False,
    )
    return out / "releases", first, second


def test_changelog_between_two_commits(two_releases: tuple[Path, str, str]) -> None:
    releases, first, second = two_releases
    text = (releases / "0.2.0" / CHANGELOG_FILE).read_text(encoding="utf-8")
    assert text == EXPECTED_CHANGELOG
    snaps = load_history(releases)
    assert [(s["version"], s["commit"]) for s in snaps] == [("0.1.0", first), ("0.2.0", second)]


def test_checksums_cover_every_file(two_releases: tuple[Path, str, str]) -> None:
    releases, _, _ = two_releases
    for folder in sorted(releases.iterdir()):
        listed = {}
        for line in (folder / CHECKSUMS_FILE).read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ")
            listed[name] = digest
        on_disk = {p.name for p in folder.iterdir() if p.name != CHECKSUMS_FILE}
        assert set(listed) == on_disk
        for name, digest in listed.items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_description_matches_the_files(two_releases: tuple[Path, str, str]) -> None:
    """Every distribution in dataset.ttl has the licence, and the size and SHA-256 of its file."""
    releases, _, _ = two_releases
    folder = releases / "0.2.0"
    graph = Graph().parse(folder / DESCRIPTION_FILE, format="turtle")
    rows = graph.query(
        """
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sum ?licence WHERE {
          ?dataset a dcat:Dataset ; dcterms:hasVersion ?version .
          ?version dcat:distribution ?d .
          ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; dcterms:license ?licence ;
             spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ;
                             spdx:checksumValue ?sum ] .
        }
        """
    )
    found = {str(r.url).rsplit("/", 1)[1]: r for r in rows}
    assert sorted(found) == [
        "gapkb-0.2.0-coverage.csv",
        "gapkb-0.2.0.jsonld",
        "gapkb-0.2.0.nt",
        "gapkb-0.2.0.ttl",
    ]
    for name, row in found.items():
        data = (folder / name).read_bytes()
        assert int(row.size) == len(data)
        assert str(row.sum) == hashlib.sha256(data).hexdigest()
        assert str(row.licence) == "https://creativecommons.org/licenses/by/4.0/"


def test_the_csv_is_the_site_table(two_releases: tuple[Path, str, str]) -> None:
    """The release's CSV is the coverage table the site publishes (one writer), its columns
    those of its CSV on the Web metadata, its provision URLs under the site's address."""
    from gapkb.pipeline import check

    releases, _, _ = two_releases
    folder = releases / "0.2.0"
    data = (folder / "gapkb-0.2.0-coverage.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    meta = json.loads((folder / "gapkb-0.2.0-coverage.csv-metadata.json").read_text())
    assert meta["url"] == "gapkb-0.2.0-coverage.csv"
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == list(CSV_COLUMNS)
    assert all(c["dc:description"] for c in meta["tableSchema"]["columns"])
    uk = next(r for r in rows if r["instrument"] == "uk-alignment-act")
    assert uk["provision_url"] == (
        "https://gapkb.github.io/gapkb/instruments/uk-alignment-act/#provision-sec-1"
    )
    assert uk["official_url"] == "https://www.legislation.gov.uk/"
    assert (uk["binding"], uk["instrument_status"], uk["applies_as_of"]) == (
        "yes",
        "in-force",
        "yes",
    )
    assert uk["quote_sha256"] == hashlib.sha256(b"a developer must align the model").hexdigest()
    assert uk["verification"] == "not checked"
    assert ("eu-ai-act", "rec-110", "model-merging-risk") not in {
        (r["instrument"], r["provision"], r["concept"]) for r in rows
    }
    kb = releases.parent.parent / "kb"
    site = SiteSettings(site_url="https://gapkb.github.io/gapkb/")
    assert data == coverage_csv(build_model(check(kb, AS_OF, use_java=False), site))


def test_dumps_load(two_releases: tuple[Path, str, str]) -> None:
    releases, _, _ = two_releases
    folder = releases / "0.2.0"
    sizes = {
        fmt: len(Graph().parse(folder / f"gapkb-0.2.0{suffix}", format=fmt))
        for fmt, suffix in (("turtle", ".ttl"), ("json-ld", ".jsonld"), ("nt", ".nt"))
    }
    assert len(set(sizes.values())) == 1, sizes


def test_gap_history_from_the_release_snapshots(two_releases: tuple[Path, str, str]) -> None:
    releases, _, _ = two_releases
    rows = {r.concept: r for r in gap_history(load_history(releases))}
    assert (rows["alignment"].status, rows["alignment"].since, rows["alignment"].changed_in) == (
        "covered",
        "0.2.0",
        "0.2.0",
    )
    merging = rows["model-merging-risk"]
    assert (merging.status, merging.since, merging.changed_in) == (
        "never covered",
        "0.1.0",
        "0.2.0",
    )
    assert (rows["red-teaming"].status, rows["red-teaming"].since) == ("covered", "0.1.0")


def test_a_release_is_written_once(two_releases: tuple[Path, str, str]) -> None:
    releases, _, _ = two_releases
    with pytest.raises(GapkbError, match="a release is written once"):
        make_release(Path("."), releases.parent, "0.2.0", None, use_java=False)


def test_a_release_is_reproducible(two_releases: tuple[Path, str, str], tmp_path: Path) -> None:
    """The same commit released again gives the same bytes in every file: blank nodes (the
    ontology's OWL lists) are labelled canonically, not afresh by each parse."""
    releases, _, _ = two_releases
    kb = releases.parent.parent / "kb"
    again = make_release(
        kb,
        tmp_path,
        "0.2.0",
        releases / "0.1.0" / "snapshot.json",
        as_of=AS_OF,
        released=RELEASED,
        use_java=False,
    )
    first = releases / "0.2.0"
    assert again.files == sorted(p.name for p in first.iterdir())
    for name in again.files:
        assert (again.path / name).read_bytes() == (first / name).read_bytes(), name
    dump = (first / "gapkb-0.2.0.nt").read_text(encoding="utf-8")
    assert "_:cb" in dump  # the ontology's blank nodes are there, with canonical labels


def test_the_gap_record_is_committed_and_holds_the_release_to_it(tmp_path: Path) -> None:
    """`--record` writes releases/<version>.json into the knowledge base; a release of that
    version later (as the tag's workflow makes it) takes its as-of date from the record and
    stops if the content's gaps no longer match it."""
    from gapkb.release.history import load_gap_records, record_path
    from gapkb.release.make import ReleaseStopped

    kb = tmp_path / "kb"
    shutil.copytree(SAMPLE, kb)
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, kb / folder)
    make_release(kb, tmp_path / "a", "0.1.0", None, as_of=AS_OF, use_java=False, record=True)
    (record,) = load_gap_records(kb)
    assert (record["version"], record["as_of"]) == ("0.1.0", AS_OF.isoformat())
    assert sorted(record) == ["as_of", "concepts", "format", "gaps", "version"]
    written = record_path(kb, "0.1.0").read_bytes()
    # Released again from the same content (no as-of given): the record's date, same gaps.
    again = make_release(kb, tmp_path / "b", "0.1.0", None, use_java=False)
    assert again.snapshot["as_of"] == AS_OF.isoformat()
    assert record_path(kb, "0.1.0").read_bytes() == written
    # The content moved on (a gap closes): the committed record no longer holds.
    (kb / "instruments" / "uk-alignment-act.yaml").write_text(NEW_INSTRUMENT, encoding="utf-8")
    with pytest.raises(ReleaseStopped, match=r"releases/0\.1\.0\.json differs"):
        make_release(kb, tmp_path / "c", "0.1.0", None, use_java=False)
    assert not (tmp_path / "c" / "releases" / "0.1.0").exists()


def test_a_gap_record_is_named_for_its_version(tmp_path: Path) -> None:
    from gapkb.release.history import load_gap_records
    from tests.release.snapshots import make

    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "0.2.0.json").write_text(
        json.dumps(make("0.1.0", concepts={"a": "A"})), encoding="utf-8"
    )
    with pytest.raises(GapkbError, match=r"0\.2\.0\.json: records version '0\.1\.0'"):
        load_gap_records(tmp_path)
    assert load_gap_records(tmp_path / "nowhere") == []
