"""The command line: a thin click layer over the library, one module per command group.

- `check`: `gapkb check`, `gapkb build` (the pipeline, the site)
- `contributing`: `gapkb new`, `gapkb diff`, `gapkb schema`
- `comment`: `gapkb comment` (the pull-request comment)
- `sparql`: `gapkb query`, `gapkb export`, `gapkb serve`
- `verify`: `gapkb verify` (the quotes against the official texts)
- `release`: `gapkb release` (a versioned release of the dataset)
- `options`: the options they share and running the check
"""

from __future__ import annotations

import click

from gapkb.cli.check import build_command, check_command
from gapkb.cli.comment import comment_command
from gapkb.cli.contributing import diff_command, new_group, schema_command
from gapkb.cli.fix import fix_command
from gapkb.cli.release import release_command
from gapkb.cli.sparql import export_command, query_command, serve_command
from gapkb.cli.verify import verify_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gapkb")
def cli() -> None:
    """gapkb: AI-governance instruments, the concepts they govern, and the gaps."""


for command in (
    check_command,
    build_command,
    schema_command,
    fix_command,
    new_group,
    diff_command,
    comment_command,
    query_command,
    export_command,
    serve_command,
    verify_command,
    release_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="gapkb")
