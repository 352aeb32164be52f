"""The command line: a thin click layer over the library."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import click

from gapkb.findings import GapkbError
from gapkb.model import Category, InstrumentKind, Status
from gapkb.pipeline import CheckResult, check
from gapkb.records import did_you_mean
from gapkb.report import render_json, render_text


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date — write YYYY-MM-DD") from None


as_of_option = click.option(
    "--as-of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Evaluate coverage as of this date (default: today).",
)
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Repository root (holds concepts/, instruments/, ontology/, shapes/).",
)


no_reasoner_option = click.option(
    "--no-reasoner",
    is_flag=True,
    help="Skip HermiT (about 1 s faster): inferences from built-in rules, no consistency check.",
)


def run_check(root: Path, as_of: dt.date | None, *, use_java: bool = True) -> CheckResult:
    try:
        return check(root, as_of, use_java=use_java)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None


def header(result: CheckResult, *, skipped: bool = False) -> str:
    engine = {"hermit": "HermiT", "rules": "built-in rules (no Java)"}.get(
        result.reasoning.engine if result.reasoning else "", "none (inconsistent)"
    )
    if skipped:
        engine = "skipped (--no-reasoner; built-in rules)"
    return (
        f"gapkb check — as of {result.as_of} — {len(result.kb.concepts)} concepts, "
        f"{len(result.kb.instruments)} instruments, {result.link_count} coverage links — reasoner: {engine}"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gapkb")
def cli() -> None:
    """gapkb: AI-governance instruments, the concepts they govern, and the gaps."""


@cli.command("check")
@as_of_option
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@no_reasoner_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check_command(
    as_of: dt.date | None, root: Path, fmt: str, no_reasoner: bool, files: tuple[Path, ...]
) -> None:
    """Validate the knowledge base and print findings and the gap report.

    With FILES (entry files), every entry is still loaded for cross-references, but only
    the findings and gaps of those files are reported: what the pre-commit hook runs.
    In GitHub Actions (GITHUB_ACTIONS=true) every finding is also printed as a workflow
    annotation, and a Markdown report is appended to $GITHUB_STEP_SUMMARY.

    Exit status: 0 clean (warnings and infos allowed), 1 violations, 2 usage error.
    """
    from gapkb.annotations import append_summary, in_github_actions, workflow_commands
    from gapkb.annotations import summary_markdown as summary
    from gapkb.subset import only_files, select_files

    try:
        selected = select_files(root, files) if files else None
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    result = run_check(root, as_of, use_java=not no_reasoner)
    findings, gaps, title = result.findings, result.gaps, header(result, skipped=no_reasoner)
    if selected is not None:
        findings, gaps = only_files(findings, gaps, result.kb, selected)
        title += f"\nreporting {len(selected)} file(s) only: {', '.join(sorted(selected))}"
    result = dataclasses.replace(result, findings=findings, gaps=gaps)
    for note in result.reasoning.notes if result.reasoning else []:
        click.echo(f"note: {note}", err=True)
    if fmt == "json":
        extra = {
            "concepts_total": len(result.kb.concepts),
            "instruments_total": len(result.kb.instruments),
        }
        click.echo(render_json(str(result.as_of), result.findings, result.gaps, extra), nl=False)
    else:
        click.echo(render_text(title, result.findings, result.gaps, str(result.as_of)), nl=False)
    if in_github_actions():
        for line in workflow_commands(result.findings, root):
            click.echo(line, err=fmt == "json")  # stdout stays valid JSON
        append_summary(summary(result.findings, result.gaps, str(result.as_of)))
    sys.exit(0 if result.ok else 1)


@cli.command("schema")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Only check that the files are current.")
def schema_command(root: Path, check_only: bool) -> None:
    """Write the JSON Schemas of concept and instrument entries to schema/ (for editors)."""
    from gapkb.schema import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(root)
        for path in stale:
            click.echo(f"{path}: out of date — run `gapkb schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        click.echo(f"wrote {path}")


@cli.command("build")
@as_of_option
@root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Folder for the built site (the Markdown pages go to build/docs, rendered citations are kept in build/cache).",
)
def build_command(as_of: dt.date | None, root: Path, out: Path) -> None:
    """Build the wiki: check (printing the gap report), write the Markdown pages, then run
    `mkdocs build --strict`.

    Exit status: 0 built, 1 content violations or a failed site build, 2 usage error.
    """
    from gapkb.findings import Severity
    from gapkb.site import (
        DEFAULT_CACHE_DIR,
        DEFAULT_DOCS_DIR,
        SiteError,
        build_site,
        generation_time,
    )

    result = run_check(root, as_of)
    for note in result.reasoning.notes if result.reasoning else []:
        click.echo(f"note: {note}", err=True)
    report = render_text(header(result), result.findings, result.gaps, str(result.as_of))
    click.echo(report)
    violations = [f for f in result.findings if f.severity is Severity.VIOLATION]
    if violations:
        click.echo(f"build stopped: {len(violations)} violation(s) — fix them, then build again")
        sys.exit(1)
    try:
        built = build_site(result, out, docs_dir=DEFAULT_DOCS_DIR, cache_dir=DEFAULT_CACHE_DIR)
    except SiteError as error:
        for message in error.messages:
            click.echo(message, err=True)
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    for note in built.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"built {built.pages} pages as of {result.as_of} into {built.out} "
        f"(pages: {generation_time(built.pages, built.generate_seconds)}; "
        f"mkdocs: {built.mkdocs_seconds:.2f} s)"
    )


# --- contributing: gapkb new, gapkb diff ------------------------------------------------


class HintedChoice(click.Choice[str]):
    """click's Choice, with a did-you-mean for a misspelt value (`--category fairnes`)."""

    def get_invalid_choice_message(self, value: object, ctx: click.Context | None) -> str:
        hint = did_you_mean(str(value), [str(c) for c in self.choices])
        if not hint:
            return super().get_invalid_choice_message(value, ctx)
        return f"'{value}' is not allowed{hint}"


@cli.group("new")
def new_group() -> None:
    """Write a new entry from a template: every field, a comment on each, placeholders to fill."""


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(values: dict[str, object], kind: str, name: str, label: str) -> None:
    """On a terminal, ask for a value left out of the options (Enter keeps the placeholder)."""
    from gapkb.scaffold import check_values

    while values.get(name) is None and _interactive():
        answer = click.prompt(f"{label} (Enter to fill in later)", default="", show_default=False)
        if not answer.strip():
            return
        try:
            check_values(kind, {name: answer})
        except GapkbError as error:
            click.echo(str(error), err=True)
            continue
        values[name] = answer


def _write_new(root: Path, kind: str, entry_id: str, values: dict[str, object]) -> None:
    from gapkb.scaffold import check_id, new_entry

    given = {k: v for k, v in values.items() if v is not None and v != ()}
    try:
        check_id(entry_id)  # before asking anything
        for name, label in {
            "concept": {"title": "Title", "category": "Category"},
            "instrument": {
                "title": "Official title",
                "short_title": "Short title",
                "jurisdiction": "Jurisdiction (ISO 3166 code, EU or INT)",
                "kind": "Kind",
            },
        }[kind].items():
            _ask(given, kind, name, label)
        made = new_entry(root, kind, entry_id, given)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    check = "gapkb check" + ("" if root == Path(".") else f" --root {root}")
    click.echo(f"wrote {made.path}")
    if made.placeholders:
        click.echo(
            f"fill in {len(made.placeholders)} placeholder(s), then run `{check} {made.path}`:"
        )
        click.echo("\n".join(f"  line {line}: {text}" for line, text in made.placeholders))
    else:
        click.echo(f"now run `{check} {made.path}`")


@new_group.command("concept")
@click.argument("entry_id", metavar="ID")
@root_option
@click.option("--title", help="Title of the concept page.")
@click.option("--category", type=HintedChoice([c.value for c in Category]), help="Its category.")
@click.option("--summary", help="1–3 sentences of plain text.")
@click.option("--related", multiple=True, metavar="ID", help="A related concept id (repeatable).")
def new_concept_command(
    entry_id: str,
    root: Path,
    title: str | None,
    category: str | None,
    summary: str | None,
    related: tuple[str, ...],
) -> None:
    """Write concepts/ID.yaml from the template (never overwrites; ID is kebab-case).

    Exit status: 0 written, 2 bad id, existing entry or bad option value.
    """
    values = {"title": title, "category": category, "summary": summary, "related": list(related)}
    _write_new(root, "concept", entry_id, {k: v or None for k, v in values.items()})


@new_group.command("instrument")
@click.argument("entry_id", metavar="ID")
@root_option
@click.option("--title", help="Official title, verbatim.")
@click.option("--short-title", help="Common short name.")
@click.option("--jurisdiction", help="ISO 3166 code (US, CN, US-CA), EU or INT.")
@click.option("--kind", type=HintedChoice([k.value for k in InstrumentKind]), help="Its kind.")
@click.option("--status", type=HintedChoice([s.value for s in Status]), help="Status today.")
@click.option("--binding/--non-binding", default=None, help="Whether it is legally binding.")
@click.option("--url", help="The official text (https).")
@click.option("--language", multiple=True, help="Language of the official text (repeatable).")
def new_instrument_command(
    entry_id: str,
    root: Path,
    title: str | None,
    short_title: str | None,
    jurisdiction: str | None,
    kind: str | None,
    status: str | None,
    binding: bool | None,
    url: str | None,
    language: tuple[str, ...],
) -> None:
    """Write instruments/ID.yaml from the template (never overwrites; ID is kebab-case).

    Exit status: 0 written, 2 bad id, existing entry or bad option value.
    """
    values: dict[str, object] = {
        "title": title,
        "short_title": short_title,
        "jurisdiction": jurisdiction,
        "kind": kind,
        "status": status,
        "binding": binding,
        "url": url,
        "languages": list(language) or None,
    }
    _write_new(root, "instrument", entry_id, values)


@cli.command("diff")
@click.argument("base_ref")
@as_of_option
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: for a pull-request comment or the job summary.",
)
@no_reasoner_option
def diff_command(
    base_ref: str, as_of: dt.date | None, root: Path, fmt: str, no_reasoner: bool
) -> None:
    """Show what the working tree changes against git ref BASE_REF.

    Entries added, changed or removed; coverage links added or removed; gaps opened or
    closed. The base is read with `git archive` into a temporary folder (your checkout is
    not touched) and both trees go through the same check.

    Exit status: 0 compared, 2 usage error (not a git repository, unknown ref).
    """
    from gapkb.diff import diff, render_markdown
    from gapkb.diff import render_text as render_diff

    try:
        result = diff(root, base_ref, as_of, use_java=not no_reasoner)
    except GapkbError as error:
        raise click.UsageError(str(error)) from None
    click.echo((render_markdown if fmt == "markdown" else render_diff)(result), nl=False)


# --- SPARQL: gapkb query, gapkb export, gapkb serve (gapkb.queries, .export, .server) -----


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


@cli.command("query")
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
    from gapkb import queries as q
    from gapkb.results import GRAPH_FORMATS, RESULT_FORMATS, render_table, serialize

    if list_only:
        for name, saved in q.saved_queries(root).items():
            click.echo(f"{name} — {saved.title}")
            for param in saved.params:
                default = f" = {param.default}" if param.default else ""
                click.echo(
                    f"    --param {param.name}=… ({param.type}{default}): {param.description}"
                )
        return
    if spec is None:
        names = ", ".join(q.saved_queries(root))
        raise click.UsageError(
            f"pass a saved query's name, a .rq file or a query — saved queries: {names}"
        )
    try:
        saved = q.resolve(spec, root)
        text = q.bind(saved, _params(param_values), as_of)
        q.parse_check(text, saved.source)
    except q.QueryError as error:
        raise QueryFailed(str(error)) from None
    graph_answer = q.query_form(text) in ("CONSTRUCT", "DESCRIBE")
    if graph_answer and fmt in ("csv", "tsv"):
        raise click.UsageError(
            "a CONSTRUCT or DESCRIBE answer is a graph: use --format table (Turtle) or json (JSON-LD)"
        )
    result = run_check(root, as_of, use_java=not no_reasoner)
    _violations_note(result)
    try:
        answer = q.Engine.from_graph(result.full_graph()).run(text, source=saved.source)
    except q.QueryError as error:
        raise QueryFailed(str(error)) from None
    if isinstance(answer, q.Triples):
        graph_text = serialize(answer, GRAPH_FORMATS[1 if fmt == "json" else 0]).decode("utf-8")
        click.echo(graph_text, nl=False)
    elif fmt == "table":
        click.echo(render_table(answer), nl=False)
    else:
        chosen = next(f for f in RESULT_FORMATS if f.name == fmt)
        text = serialize(answer, chosen).decode("utf-8")
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)


@cli.command("export")
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
    from gapkb.export import export_graph
    from gapkb.findings import Severity

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


@cli.command("serve")
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
    from gapkb.queries import graph_ntriples
    from gapkb.sandbox import Limits, WorkerPool
    from gapkb.server import examples_bytes, make_server

    result = run_check(root, as_of, use_java=not no_reasoner)
    _violations_note(result)
    try:
        pool = WorkerPool(
            graph_ntriples(result.full_graph()), Limits(timeout, max_results), size=workers
        )
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
        )
    except GapkbError as error:
        pool.close()
        raise click.UsageError(str(error)) from None
    for note in pool.notes:
        click.echo(f"note: {note}", err=True)
    if server.app.missing:
        click.echo(f"note: the query page offers a plain form: {server.app.missing}", err=True)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    url = f"http://{bound_host if ':' not in bound_host else f'[{bound_host}]'}:{bound_port}"
    site = (
        f"site from {site_dir} at {url}/"
        if server.app.site_dir
        else f"no site ({site_dir} not built)"
    )
    click.echo(
        f"gapkb serve — as of {result.as_of}, {pool.triples:,} triples — SPARQL endpoint at "
        f"{url}/sparql (query page in a browser); {site} — Ctrl-C to stop",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()


def main() -> None:
    cli(prog_name="gapkb")
