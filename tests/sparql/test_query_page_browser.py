"""The site's Query page in real headless Chromium: SPARQL in the browser over the site's dump.

The sample site is built and served as in tests/site/test_browser.py (its fixtures are reused),
and the same page is opened on `gapkb serve`'s endpoint; tests/browser/query-page.mjs picks
saved queries, edits a parameter, types a query, runs refused and malformed ones, and prints
what it saw as JSON; every assertion is here.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from gapkb.pipeline import check
from gapkb.sparql.engine import graph_ntriples
from gapkb.sparql.sandbox import Limits, WorkerPool
from gapkb.sparql.saved import saved_queries
from tests.conftest import AS_OF, REPO, SAMPLE
from tests.site.test_browser import base_url, run_node, tools  # noqa: F401
from tests.sparql.test_queries import EXPECTED
from tests.sparql.test_server import DAY, serving

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/gapkb/"


def run_script(base: str, page: str) -> dict[str, Any]:
    """One run of the browser script over a served page: what it saw, as JSON."""
    return run_node("query-page.mjs", base, page)


@pytest.fixture(scope="module")
def endpoint_url(tools: None) -> Iterator[str]:  # noqa: F811
    """`gapkb serve`'s endpoint over the sample, on a free port of 127.0.0.1."""
    ntriples = graph_ntriples(check(SAMPLE, DAY).full_graph())
    pool = WorkerPool(ntriples, Limits(timeout=60.0, max_results=10_000), size=1)
    try:
        with serving(pool) as base:
            yield base + "/"
    finally:
        pool.close()


@pytest.fixture(scope="module", params=["site", "endpoint"])
def seen(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The page on the static site (Oxigraph in the browser), and on `gapkb serve`."""
    if request.param == "site":
        data = run_script(request.getfixturevalue("base_url"), "query/")
    else:
        data = run_script(request.getfixturevalue("endpoint_url"), "sparql")
    data["mode"] = request.param
    return data


def part(seen: dict[str, Any], name: str) -> Any:
    """One step's findings; a step that threw fails here with the browser's message."""
    value = seen[name]
    assert not (isinstance(value, dict) and "error" in value), value.get("error")
    return value


def plain(cell: str) -> str:
    """A results-table cell as a value: Yasr writes literals as "text"@en or "1"^^xsd:integer."""
    match = re.fullmatch(r'"(.*)"(?:@[a-z-]+|\^\^\S+)', cell, re.DOTALL)
    return match[1] if match else cell


def rows(table: dict[str, Any]) -> list[tuple[str | None, ...]]:
    """Body rows without Yasr's row-number column; empty cells as None (unbound)."""
    return [tuple(plain(c) or None for c in row[1:]) for row in table["rows"]]


@pytest.mark.parametrize(
    "path", ["query/queries.json", "query/vendor/oxigraph/web_bg.wasm", "data/gapkb.ttl"]
)
def test_the_build_ships_what_the_page_needs(base_url: str, path: str) -> None:  # noqa: F811
    try:
        with urllib.request.urlopen(base_url + path, timeout=60) as response:
            assert response.status == 200 and response.read()
    except urllib.error.HTTPError as error:
        pytest.fail(
            f"the built site has no {path} ({error.code}): the site build writes the Query "
            "page's examples and engine with gapkb.sparql.query_page.write_query_assets"
        )


def test_nothing_leaves_the_machine(seen: dict[str, Any]) -> None:
    assert seen["external_requests"] == []
    origin = seen["base_url"].rstrip("/")
    assert all(url.startswith(origin + "/") for url in seen["requests"]), seen["requests"]
    paths = {urlsplit(url).path for url in seen["requests"]}
    assert seen["page_errors"] == []
    if seen["mode"] == "site":
        # The engine and the dump were fetched from the site itself (by the page's worker).
        assert {
            "/query/vendor/oxigraph/web_bg.wasm",
            "/data/gapkb.ttl",
            "/query/queries.json",
        } <= paths
        assert "/sparql" not in paths  # no endpoint is needed
        assert seen["console_errors"] == []
    else:
        assert {"/_gapkb/vendor/yasgui/yasgui.min.js", "/_gapkb/queries.json", "/sparql"} <= paths
        assert not [p for p in paths if p.endswith((".wasm", ".ttl"))]
        # The browser logs the two queries the endpoint refused (the syntax error, SERVICE).
        assert (
            seen["console_errors"]
            == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
            * 2
        )


def test_the_page_loads_with_the_saved_queries_as_examples(seen: dict[str, Any]) -> None:
    load = part(seen, "load")
    assert load["status"] == 200
    assert load["ready"] == "true", load["message"]
    where = ": 1,034 triples, queried in this browser" if seen["mode"] == "site" else ""
    assert load["message"] == f"Ready as of {AS_OF}{where}. Run with the ▶ button or Ctrl+Enter."
    saved = saved_queries(REPO)
    assert load["examples"] == [
        {"value": "", "text": "— your own query —"},
        *({"value": name, "text": saved[name].title} for name in sorted(saved)),
    ]
    assert load["selected"] == "gaps"


def test_the_gaps_example_runs(seen: dict[str, Any]) -> None:
    gaps = part(seen, "gaps")
    assert gaps["date"] == AS_OF  # the as-of date of the build
    assert gaps["outcome"].startswith("Answered in ")
    assert gaps["table"]["header"] == ["", *EXPECTED["gaps"][1]]
    assert rows(gaps["table"]) == EXPECTED["gaps"][2]
    assert (
        "model-merging-risk",
        "Model merging risk",
        "implicit only",
        "0",
        "1",
        "0",
        "0",
    ) in rows(gaps["table"])


def test_a_parameter_rebinds_the_query(seen: dict[str, Any]) -> None:
    step = part(seen, "parameters")
    assert step["description"] == saved_queries(REPO)["instrument-coverage"].description
    assert step["before"]["value"] == "eu-ai-act"
    eu, eo = f"<{BASE}instrument/eu-ai-act>", f"<{BASE}instrument/us-eo-14110>"
    assert eu in step["before"]["editor"] and eo not in step["before"]["editor"]
    assert eo in step["after"] and eu not in step["after"]
    assert step["outcome"].startswith("Answered in ")
    assert [r[:6] for r in rows(step["table"])] == [
        ("compute-threshold", "Compute threshold", "sec-4-2-b", "Sec. 4.2(b)", "explicit", "false")
    ]


def test_a_typed_query_runs_with_ctrl_enter(seen: dict[str, Any]) -> None:
    step = part(seen, "typed")
    assert step["outcome"].startswith("Answered in ")
    assert step["table"]["header"] == ["", "concept"]
    assert rows(step["table"]) == [
        ("alignment",),
        ("compute-threshold",),
        ("model-merging-risk",),
        ("red-teaming",),
    ]


def test_a_syntax_error_is_shown(seen: dict[str, Any]) -> None:
    step = part(seen, "syntax_error")
    assert step["outcome"] == "The query failed: see below."
    assert step["rows"] == 0
    if seen["mode"] == "site":  # Oxigraph's message, with its line and column
        located = r"Error \(#400\)\nerror at \d+:\d+: expected \S"
    else:  # the endpoint's, with the line quoted and a caret under the column
        located = r"Error \(#400\)\nquery:2:\d+: SPARQL syntax error: .+\n    \?s \?p\n +\^"
    assert re.search(located, step["shown"]), step["shown"]


def test_service_and_updates_are_refused_in_the_browser(seen: dict[str, Any]) -> None:
    service = part(seen, "service")
    assert service["outcome"] == "The query failed: see below." and service["rows"] == 0
    if seen["mode"] == "site":  # the WebAssembly build has no HTTP client
        assert "The service <http://example.org/sparql> is not supported" in service["shown"]
    else:
        assert (
            "SERVICE is not allowed: queries run over this knowledge base only" in service["shown"]
        )
    update = part(seen, "update")
    assert update["outcome"] == "The query failed: see below." and update["rows"] == 0
    assert "Only queries run here: SELECT, ASK, CONSTRUCT or DESCRIBE" in update["shown"]
