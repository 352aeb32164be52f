"""`gapkb release`: a versioned release of the dataset (the library is gapkb.release)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gapkb.cli.options import as_of_option, no_reasoner_option, root_option
from gapkb.findings import GapkbError


@click.command("release")
@click.argument("version")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder under which releases/VERSION/ is written.",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="snapshot.json of the release before, for the changelog (none: a first release).",
)
@click.option("--site-url", help="Where the site is published (default: the GitHub Pages address).")
@click.option("--sparql-endpoint", help="A public SPARQL endpoint to name in the VoID description.")
@click.option(
    "--record",
    is_flag=True,
    help="Also write the gap record releases/VERSION.json into the knowledge base, to commit "
    "before tagging (the site's gap history is built from these records).",
)
@as_of_option
@root_option
@no_reasoner_option
def release_command(
    version: str,
    out: Path,
    previous: Path | None,
    site_url: str | None,
    sparql_endpoint: str | None,
    record: bool,
    as_of: dt.date | None,
    root: Path,
    no_reasoner: bool,
) -> None:
    """Write release VERSION: RDF dumps, coverage CSV, checksums, snapshot, changelog, DCAT/VoID.

    Exit status: 0 written, 1 the knowledge base has violations, 2 usage error (the
    release folder exists, a bad option).
    """
    from gapkb.release.make import ReleaseStopped, make_release
    from gapkb.release.w3id import DEFAULT_SITE_URL

    try:
        release = make_release(
            root,
            out,
            version,
            previous,
            as_of=as_of,
            use_java=not no_reasoner,
            sparql_endpoint=sparql_endpoint,
            site_url=site_url or DEFAULT_SITE_URL,
            record=record,
        )
    except ReleaseStopped as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"wrote release {version} to {release.path}", err=True)
