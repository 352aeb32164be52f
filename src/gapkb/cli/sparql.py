"""`gapkb query`, `gapkb export` and `gapkb serve`: SPARQL over the checked graph (gapkb.sparql)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.cli.options import as_of_option, no_reasoner_option, root_option, run_check
from gapkb.findings import GapkbError
from gapkb.pipeline import CheckResult


class QueryFailed(click.ClickException):
    """A query that cannot run (unknown name, bad parameter, refused, malformed): exit 2."""

    exit_code = 2


def _violations_note(result: CheckResult) -> None:
    from gapkb.findings import Severity

    count = result.count(Severity.VIOLATION)
    if count:
        click.echo(
            f"note: the knowledge base has {count} violation(s) (see `gapkb check`); entries "
            "with problems may be missing from the answers",
            err=True,
        )


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{value}' — write NAME=VALUE", param_hint="--param")
        params[name] = text
    return params


@click.command("query")
@click.argument("spec", metavar="NAME|FILE.rq|'SPARQL'", required=False)
@click.option(
    "--param",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter of the query (repeatable), e.g. --param instrument=eu-ai-act.",
)
@as_of_option
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="SELECT: a table, or SPARQL CSV, TSV, JSON. CONSTRUCT/DESCRIBE: table is Turtle, json is JSON-LD.",
)
@click.option(
    "--list", "list_only", is_flag=True, help="List the saved queries and their parameters."
)
@no_reasoner_option
def query_command(
    spec: str | None,
    param_values: tuple[str, ...],
    as_of: dt.date | None,
    root: Path,
    fmt: str,
    list_only: bool,
    no_reasoner: bool,
) -> None:
    """Run a SPARQL query over the checked graph (ontology, entries, inferences, as-of view).

    NAME is a saved query in queries/ (see --list), FILE.rq a query file, or pass the
    query text itself. A parameter with no --param takes its default; a date parameter
    whose default is the as-of date takes --as-of (default: today). SERVICE, FROM and
    updates are refused. Table cells are cut at 60 characters; csv, tsv and json are whole.

    Exit status: 0 answered, 2 usage error (unknown query or parameter, syntax error with
    its line and column, refused query).
    """
    from gapkb.sparql.engine import Engine, Triples, parse_check
    from gapkb.sparql.errors import QueryError
    from gapkb.sparql.lexing import query_form
    from gapkb.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, render_table, serialize
    from gapkb.sparql.saved import bind, resolve, saved_queries

    if list_only:
        for name, saved in saved_queries(root).items():
            click.echo(f"{name} — {saved.title}")
            for param in saved.params:
                default = f" = {param.default}" if param.default else ""
                click.echo(
                    f"    --param {param.name}=… ({param.type}{default}): {param.description}"
                )
        return
    if spec is None:
        names = ", ".join(saved_queries(root))
        raise click.UsageError(
            f"pass a saved query's name, a .rq file or a query — saved queries: {names}"
        )
    try:
        saved = resolve(spec, root)
        text = bind(saved, _params(param_values), as_of)
        parse_check(text, saved.source)
    except QueryError as error:
        raise QueryFailed(str(error)) from None
    graph_answer = query_form(text) in ("CONSTRUCT", "DESCRIBE")
    if graph_answer and fmt in ("csv", "tsv"):
        raise click.UsageError(
            "a CONSTRUCT or DESCRIBE answer is a graph: use --format table (Turtle) or json (JSON-LD)"
        )
    result = run_check(root, as_of, use_java=not no_reasoner)
    _violations_note(result)
    try:
        answer = Engine.from_graph(result.full_graph()).run(text, source=saved.source)
    except QueryError as error:
        raise QueryFailed(str(error)) from None
    if isinstance(answer, Triples):
        graph_text = serialize(answer, GRAPH_FORMATS[1 if fmt == "json" else 0]).decode("utf-8")
        click.echo(graph_text, nl=False)
    elif fmt == "table":
        click.echo(render_table(answer), nl=False)
    else:
        chosen = next(f for f in RESULT_FORMATS if f.name == fmt)
        text = serialize(answer, chosen).decode("utf-8")
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "jsonld", "ntriples"]),
    default="turtle",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
@as_of_option
@root_option
@no_reasoner_option
def export_command(
    fmt: str, output: Path | None, as_of: dt.date | None, root: Path, no_reasoner: bool
) -> None:
    """Dump the graph — ontology, entries, inferences and as-of view — for any triple store.

    Exit status: 0 written, 1 the knowledge base has violations (nothing is written),
    2 usage error.
    """
    from gapkb.findings import Severity
    from gapkb.sparql.export import export_graph

    result = run_check(root, as_of, use_java=not no_reasoner)
    violations = sorted(f for f in result.findings if f.severity is Severity.VIOLATION)
    if violations:
        for finding in violations:
            click.echo(f"{finding.severity:<9} {finding}", err=True)
        click.echo(f"export stopped: {len(violations)} violation(s) — fix them first", err=True)
        sys.exit(1)
    graph = result.full_graph()
    data = export_graph(graph, fmt)
    if output is None:
        click.echo(data, nl=False)
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise click.UsageError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {len(graph):,} triples as of {result.as_of} to {output}", err=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Built site to serve at / when it exists (`gapkb build` writes it).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run.",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Rows or triples an answer may have.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Queries that run at once (one process each).",
)
@as_of_option
@root_option
@no_reasoner_option
def serve_command(
    host: str,
    port: int,
    site_dir: Path,
    timeout: float,
    max_results: int,
    workers: int,
    as_of: dt.date | None,
    root: Path,
    no_reasoner: bool,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql, its query page, and the built site.

    Any SPARQL client can query http://HOST:PORT/sparql by GET or POST; a browser gets a
    query page there. Queries run in worker processes with a time limit, a result-size
    limit and no network; SERVICE, FROM and updates are refused. Stop with Ctrl-C.
    """
    from gapkb.sparql.engine import graph_ntriples
    from gapkb.sparql.sandbox import Limits, WorkerPool
    from gapkb.sparql.serve import base_url, examples_bytes, make_server

    result = run_check(root, as_of, use_java=not no_reasoner)
    _violations_note(result)
    graph = result.full_graph()
    try:
        pool = WorkerPool(graph_ntriples(graph), Limits(timeout, max_results), size=workers)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    try:
        server = make_server(
            pool,
            result.as_of,
            examples_bytes(root, result.as_of),
            host=host,
            port=port,
            site_dir=site_dir,
            graph=graph,
        )
    except GapkbError as error:
        pool.close()
        raise click.UsageError(str(error)) from None
    for note in pool.notes:
        click.echo(f"note: {note}", err=True)
    if server.app.missing:
        click.echo(f"note: the query page offers a plain form: {server.app.missing}", err=True)
    url = base_url(server)
    site = (
        f"site from {site_dir} at {url}/"
        if server.app.site_dir
        else f"no site ({site_dir} not built)"
    )
    click.echo(
        f"gapkb serve — as of {result.as_of}, {pool.triples:,} triples — SPARQL endpoint at "
        f"{url}/sparql (query page in a browser); {site}; VoID at {url}/.well-known/void "
        "— Ctrl-C to stop",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
