"""`gapkb verify`: the command line over `gapkb.verification.verify` (it only parses options and prints)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gapkb.records import load_records
from gapkb.verification.manifest import ManifestError
from gapkb.verification.record import RECORD, record_is_stale, write_record
from gapkb.verification.verify import Result, VerificationReport, default_sources, problems, verify


def _labels(root: Path) -> dict[tuple[str, str], str]:
    kb = load_records(root)
    return {
        (i, p.id): p.label for i, record in kb.instruments.items() for p in record.entry.provisions
    }


def _summary(report: VerificationReport) -> str:
    counts = report.counts()
    parts = ", ".join(f"{counts[str(r)]} {r}" for r in Result)
    share = f"{report.machine_verified:.1%}"
    return f"{len(report.results)} links: {parts}; {share} machine-verified"


def _as_json(report: VerificationReport, root: Path, stale: bool | None) -> str:
    return json.dumps(
        {
            "sources": str(report.sources) if report.sources else None,
            "counts": dict(report.counts()),
            "links": len(report.results),
            "machine_verified": round(report.machine_verified, 4),
            "errors": report.errors,
            "problems": [f.as_dict() for f in problems(report, _labels(root))],
            "record_stale": stale,
            "results": [
                {
                    "instrument": r.instrument,
                    "index": r.index,
                    "provision": r.provision,
                    "concept": r.concept,
                    "result": str(r.result),
                    "found_in": r.found_in,
                    "text_sha256": r.text_sha256,
                    "text_method": r.text_method,
                    "official_translation": r.en_result,
                }
                for r in report.results
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


@click.command("verify")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Repository root (holds instruments/ and verification/manifest.yaml).",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of stored official texts (default: ../shared/sources beside the repository).",
)
@click.option("--record", "write", is_flag=True, help=f"Write {RECORD} from this run.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help=f"Also fail when {RECORD} is stale (for CI).")
@click.option("-v", "--verbose", is_flag=True, help="Also list skipped manifest entries.")
def verify_command(
    root: Path, sources: Path | None, write: bool, fmt: str, strict: bool, verbose: bool
) -> None:
    """Look for every quote inside the provision it cites, in the stored official text."""
    if sources is not None and not sources.is_dir():
        raise click.UsageError(
            f"--sources {sources}: no such directory — give the folder of stored texts"
        )
    sources = sources or default_sources(root)
    if write and sources is None:
        raise click.UsageError("--record needs the stored texts — give --sources DIR")
    try:
        report = verify(root, sources)
    except ManifestError as error:
        raise click.UsageError(str(error)) from error
    stale = record_is_stale(root, report) if sources is not None else None
    if write:
        write_record(root, report)
        stale = False
    if fmt == "json":
        click.echo(_as_json(report, root, stale))
    else:
        for message in report.errors:
            click.echo(f"error: {message}")
        for finding in problems(report, _labels(root)):
            click.echo(str(finding))
        if verbose:
            for line in report.skipped:
                click.echo(line)
        if sources is None:
            click.echo("no stored texts (../shared/sources not found): quotes not machine-checked")
        if stale:
            click.echo(f"{RECORD}: stale — run `gapkb verify --record` and commit it")
        click.echo(_summary(report))
    failed = not report.ok or (strict and bool(stale))
    sys.exit(1 if failed else 0)
