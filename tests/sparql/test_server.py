"""The SPARQL endpoint over a real socket: SPARQLWrapper in every format by GET and POST,
CORS, the query page, the site, and abuse — updates, SERVICE at a loopback listener (no
connection may arrive), the time limit, the size limit, malformed queries, large bodies."""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import multiprocessing as mp
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from gapkb.pipeline import check
from gapkb.sparql.endpoint import MAX_BODY
from gapkb.sparql.engine import graph_ntriples
from gapkb.sparql.sandbox import Limits, WorkerPool, deny_network
from gapkb.sparql.saved import bind, saved_queries
from gapkb.sparql.serve import Server, examples_bytes, make_server
from tests.conftest import AS_OF, REPO, SAMPLE, serving_in_thread
from tests.sparql.test_queries import EXPECTED

pytestmark = pytest.mark.slow

DAY = dt.date.fromisoformat(AS_OF)
MAX_RESULTS = 200  # the sample has 1034 triples: all of them is "a huge result" here
BASE = "https://w3id.org/gapkb/"
GAPS = [row[:3] for row in EXPECTED["gaps"][2]]  # (concept, title, status)
CONCEPTS = "PREFIX gk: <https://w3id.org/gapkb/ontology#>\nASK { ?c a gk:Concept }"
RED_TEAMING = f"{BASE}concept/red-teaming"
DESCRIBE = f"DESCRIBE <{RED_TEAMING}>"
CONSTRUCT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "CONSTRUCT { ?c skos:prefLabel ?t } WHERE { ?c skos:notation ?n ; skos:prefLabel ?t }"
)
# Four copies of every triple joined with nothing in common: 1034^4 rows to count.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SKOS_PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


# --- servers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ntriples() -> bytes:
    return graph_ntriples(check(SAMPLE, DAY).full_graph())


@pytest.fixture(scope="module")
def pool(ntriples: bytes) -> Iterator[WorkerPool]:
    workers = WorkerPool(ntriples, Limits(timeout=60.0, max_results=MAX_RESULTS), size=2)
    yield workers
    workers.close()


@contextmanager
def serving(pool: WorkerPool, **options: Any) -> Iterator[str]:
    """A real server on a free port of 127.0.0.1, in a thread; yields its base URL."""
    server: Server = make_server(
        pool, DAY, examples_bytes(REPO, DAY), host="127.0.0.1", port=0, log=False, **options
    )
    with serving_in_thread(server) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def url(pool: WorkerPool) -> Iterator[str]:
    with serving(pool) as base:
        yield base


@pytest.fixture(scope="module")
def endpoint(url: str) -> str:
    return url + "/sparql"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback socket that a SERVICE or FROM clause is pointed at: nothing may connect."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


def assert_no_connection(sock: socket.socket) -> None:
    """Connections that arrived wait in the backlog: a non-blocking accept finds them."""
    sock.setblocking(False)
    try:
        peer, address = sock.accept()
    except BlockingIOError:
        return
    peer.close()
    pytest.fail(f"a connection arrived at the loopback listener from {address}")


def fetch(
    url: str,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """(status, headers with lower-case names, body text) of one request."""
    host, _, port = url.removeprefix("http://").partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        conn.close()


def get(url: str, query: str, accept: str | None = None, **params: str) -> tuple[int, str]:
    status, _, text = fetch(
        url,
        "/sparql?" + urlencode({"query": query, **params}),
        headers={"Accept": accept} if accept else {},
    )
    return status, text


SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def post_query(url: str, query: str) -> tuple[int, str]:
    status, _, text = fetch(
        url, "/sparql", method="POST", body=query.encode("utf-8"), headers=SPARQL_QUERY
    )
    return status, text


def gaps_query() -> str:
    return bind(saved_queries(REPO)["gaps"], {}, DAY)


# --- results in every format, by GET and both kinds of POST, through SPARQLWrapper ------------

HOW = {
    "get": lambda client: None,
    "post-form": lambda client: (client.setMethod(POST), client.setRequestMethod(URLENCODED)),
    "post-direct": lambda client: (client.setMethod(POST), client.setRequestMethod(POSTDIRECTLY)),
}


def client(endpoint: str, how: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(120)
    HOW[how](sparql)
    return sparql


def rows_of_table(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize("how", sorted(HOW))
def test_select_json(endpoint: str, how: str) -> None:
    data = client(endpoint, how, gaps_query(), JSON).queryAndConvert()
    assert isinstance(data, dict)
    assert data["head"]["vars"] == EXPECTED["gaps"][1]
    rows = [
        tuple(b[v]["value"] for v in ("concept", "title", "status"))
        for b in data["results"]["bindings"]
    ]
    assert rows == GAPS
    assert data["results"]["bindings"][1]["implicit"] == {
        "type": "literal",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
        "value": "1",
    }


@pytest.mark.parametrize("how", sorted(HOW))
def test_select_xml(endpoint: str, how: str) -> None:
    document = client(endpoint, how, gaps_query(), XML).queryAndConvert()
    ns = "http://www.w3.org/2005/sparql-results#"
    names = [v.getAttribute("name") for v in document.getElementsByTagNameNS(ns, "variable")]  # type: ignore[union-attr]
    assert names == EXPECTED["gaps"][1]
    rows = []
    for result in document.getElementsByTagNameNS(ns, "result"):  # type: ignore[union-attr]
        cells = {
            b.getAttribute("name"): b.getElementsByTagNameNS(ns, "literal")[0].firstChild.data
            for b in result.getElementsByTagNameNS(ns, "binding")
        }
        rows.append((cells["concept"], cells["title"], cells["status"]))
    assert rows == GAPS


@pytest.mark.parametrize("how", sorted(HOW))
def test_select_csv(endpoint: str, how: str) -> None:
    body = client(endpoint, how, gaps_query(), CSV).queryAndConvert()
    assert isinstance(body, bytes)
    table = rows_of_table(body.decode("utf-8"), ",")
    assert table[0] == EXPECTED["gaps"][1]
    assert [tuple(row[:3]) for row in table[1:]] == GAPS


@pytest.mark.parametrize("how", sorted(HOW))
def test_select_tsv(endpoint: str, how: str) -> None:
    body = client(endpoint, how, gaps_query(), TSV).queryAndConvert()
    assert isinstance(body, bytes)
    header, *lines = body.decode("utf-8").splitlines()
    assert header.split("\t") == [f"?{v}" for v in EXPECTED["gaps"][1]]
    # TSV writes whole RDF terms: quoted, with language tags and datatypes.
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert [tuple(line.split("\t")[:4]) for line in lines] == [
        (f'"{c}"', f'"{t}"@en', f'"{s}"', f'"0"{integer}') for c, t, s in GAPS
    ]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("how", sorted(HOW))
def test_ask(endpoint: str, how: str, fmt: str) -> None:
    answers = []
    for query in (CONCEPTS, CONCEPTS.replace("gk:Concept", "gk:NoSuchClass")):
        converted = client(endpoint, how, query, fmt).queryAndConvert()
        if fmt == JSON:
            assert isinstance(converted, dict)
            answers.append(converted["boolean"])
        elif fmt == XML:
            ns = "http://www.w3.org/2005/sparql-results#"
            node = converted.getElementsByTagNameNS(ns, "boolean")[0]  # type: ignore[union-attr]
            answers.append(node.firstChild.data == "true")
        else:
            assert isinstance(converted, bytes)
            header, value = converted.decode("utf-8").split()
            assert header == "_askResult"
            answers.append(value == "true")
    assert answers == [True, False]


def parsed(body: bytes | str, rdflib_format: str) -> Graph:
    graph = Graph()
    graph.parse(data=body, format=rdflib_format)
    return graph


@pytest.mark.parametrize("how", sorted(HOW))
def test_describe_turtle(endpoint: str, how: str) -> None:
    body = client(endpoint, how, DESCRIBE, TURTLE).queryAndConvert()
    graph = parsed(body, "turtle")  # type: ignore[arg-type]
    assert len(graph) == 17
    assert {str(s) for s in graph.subjects()} == {RED_TEAMING}
    assert str(graph.value(URIRef(RED_TEAMING), SKOS_PREF_LABEL)) == "Red-teaming"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("how", sorted(HOW))
def test_construct_jsonld(endpoint: str, how: str) -> None:
    sparql = client(endpoint, how, CONSTRUCT, JSONLD)
    response = sparql.query()
    assert response.response.headers["Content-Type"].startswith("application/ld+json")
    graph = parsed(response.response.read(), "json-ld")
    labels = {str(s).removeprefix(BASE): str(o) for s, o in graph.subject_objects(SKOS_PREF_LABEL)}
    assert labels["concept/red-teaming"] == "Red-teaming"
    assert labels["concept/model-merging-risk"] == "Model merging risk"
    # the sample's 4 concepts, the ontology's 15 categories and its 33 declared cross-walk
    # terms (NIST AI 600-1 risks, MIT AI Risk Repository subdomains)
    assert len(graph) == 52


@pytest.mark.parametrize("how", sorted(HOW))
def test_construct_ntriples(endpoint: str, how: str) -> None:
    """SPARQLWrapper has no N-Triples setting: ask for it by Accept alone, as a client may."""
    sparql = client(endpoint, how, CONSTRUCT, TURTLE)
    sparql.setOnlyConneg(True)
    sparql.addCustomHttpHeader("Accept", "application/n-triples")
    response = sparql.query()
    assert response.response.headers["Content-Type"].startswith("application/n-triples")
    body = response.response.read().decode("utf-8")
    lines = body.splitlines()
    assert lines and all(line.endswith(" .") for line in lines)
    graph = parsed(body, "nt")
    turtle = parsed(client(endpoint, how, CONSTRUCT, TURTLE).queryAndConvert(), "turtle")  # type: ignore[arg-type]
    assert set(graph) == set(turtle)
    assert (URIRef(RED_TEAMING), SKOS_PREF_LABEL, None) in graph


def test_format_parameter_wins_over_accept(url: str) -> None:
    status, text = get(url, CONCEPTS, "application/sparql-results+xml", format="json")
    assert status == 200 and json.loads(text) == {"head": {}, "boolean": True}


def test_no_accept_header_gets_json_and_graphs_get_turtle(url: str) -> None:
    status, headers, text = fetch(url, "/sparql?" + urlencode({"query": CONCEPTS}))
    assert status == 200
    assert headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert json.loads(text)["boolean"] is True
    status, headers, text = fetch(url, "/sparql?" + urlencode({"query": DESCRIBE}))
    assert headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(parsed(text, "turtle")) == 17


def test_unacceptable_format_is_406(url: str) -> None:
    status, text = get(url, CONCEPTS, "image/png")
    assert status == 406
    assert text == (
        "this query's answer is results, available as: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values\n"
    )
    status, text = get(url, DESCRIBE, "application/sparql-results+json")
    assert status == 406 and "text/turtle" in text


def test_head_sends_headers_only(url: str) -> None:
    status, headers, text = fetch(url, "/sparql?" + urlencode({"query": CONCEPTS}), method="HEAD")
    assert status == 200 and text == "" and int(headers["content-length"]) > 0


# --- CORS ------------------------------------------------------------------------------------


def test_cors_on_answers_and_errors(url: str) -> None:
    origin = {"Origin": "https://example.org"}
    status, headers, _ = fetch(url, "/sparql?" + urlencode({"query": CONCEPTS}), headers=origin)
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
    status, headers, _ = fetch(url, "/sparql?" + urlencode({"query": "SELECT"}), headers=origin)
    assert status == 400 and headers["access-control-allow-origin"] == "*"


def test_cors_preflight(url: str) -> None:
    status, headers, text = fetch(
        url,
        "/sparql",
        method="OPTIONS",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204 and text == ""
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()


# --- the query page and the site ----------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.links += [values[k] for k in ("src", "href", "action") if k in values]
        if values.get("id") == "gapkb-query":
            self.data = {k: v for k, v in values.items() if k.startswith("data-")}


def page_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_query_page(url: str) -> None:
    status, headers, html = fetch(url, "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert '<form class="gapkb-query-form" method="get" action="/sparql">' in html
    assert "1,034 triples" in html
    page = page_links(html)
    # Everything the page and its script load is served from here.
    wanted = [
        *page.links,
        page.data["data-queries"],
        *(page.data["data-vendor"] + f for f in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")),
        "/_gapkb/query/query-worker.js",
    ]
    for link in wanted:
        if link.startswith("/sparql"):
            continue
        assert link.startswith("/") and not link.startswith("//"), link
        status, headers, body = fetch(url, link)
        assert status == 200 and body, link
    status, headers, body = fetch(url, "/_gapkb/queries.json")
    examples = json.loads(body)
    assert [q["name"] for q in examples["queries"]] == sorted(saved_queries(REPO))
    assert examples["as_of"] == AS_OF


def test_plain_form_answers(url: str) -> None:
    """The page's form without JavaScript: GET /sparql?query=…&format=csv."""
    status, headers, text = fetch(
        url, "/sparql?" + urlencode({"query": gaps_query(), "format": "csv"})
    )
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert [tuple(r[:3]) for r in rows_of_table(text, ",")[1:]] == GAPS


def test_without_the_npm_packages_the_page_says_what_is_missing(
    pool: WorkerPool, tmp_path: Path
) -> None:
    with serving(pool, modules=tmp_path / "node_modules") as base:
        status, _, html = fetch(base, "/sparql", headers={"Accept": "text/html"})
        assert status == 200
        assert "The editor is not installed (run scripts/setup.sh)" in html
        assert fetch(base, "/_gapkb/vendor/yasgui/yasgui.min.js")[0] == 404
        assert fetch(base, "/_gapkb/query/query.js")[0] == 200
        assert get(base, CONCEPTS)[0] == 200  # the endpoint itself needs none of it


def test_no_site_redirects_to_the_page(url: str) -> None:
    status, headers, _ = fetch(url, "/")
    assert status == 302 and headers["location"] == "/sparql"
    status, _, text = fetch(url, "/concepts/")
    assert status == 404 and "no built site" in text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served") / "public"
    (folder / "concepts" / "red-teaming").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    (folder / "404.html").write_text("<h1>Not here</h1>", encoding="utf-8")
    (folder / "concepts" / "red-teaming" / "index.html").write_text("<h1>RT</h1>")
    (folder / "data").mkdir()
    (folder / "data" / "gapkb.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    (folder / ".secret").write_text("no")
    (folder.parent / "outside.txt").write_text("no")
    return folder


def test_serves_the_built_site(pool: WorkerPool, site: Path) -> None:
    with serving(pool, site_dir=site) as base:
        status, _, text = fetch(base, "/")
        assert (status, text) == (200, "<h1>Home</h1>")
        status, headers, text = fetch(base, "/concepts/red-teaming/")
        assert (status, text) == (200, "<h1>RT</h1>")
        assert headers["content-type"] == "text/html; charset=utf-8"
        status, headers, _ = fetch(base, "/concepts/red-teaming")
        assert status == 301 and headers["location"] == "/concepts/red-teaming/"
        status, headers, text = fetch(base, "/data/gapkb.ttl")
        assert status == 200 and headers["content-type"] == "text/turtle; charset=utf-8"
        status, _, text = fetch(base, "/concepts/nothing/")
        assert (status, text) == (404, "<h1>Not here</h1>")
        for path in (
            "/.secret",
            "/../outside.txt",
            "/%2e%2e/outside.txt",
            "/concepts/../../outside.txt",
        ):
            status, _, text = fetch(base, path)
            assert (status, text) == (404, "<h1>Not here</h1>"), path
        assert get(base, CONCEPTS)[0] == 200  # and the endpoint beside it


# --- refused: updates, SERVICE, FROM -------------------------------------------------------------


def test_update_through_sparqlwrapper_is_403(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery(f"INSERT DATA {{ <{RED_TEAMING}> <urn:p> <urn:o> }}")
    assert sparql.isSparqlUpdateRequest()
    with pytest.raises(urllib.error.HTTPError) as raised:
        sparql.query()
    assert raised.value.code == 403
    assert raised.value.read().decode("utf-8") == (
        "SPARQL Update is not accepted: this endpoint is read-only (the graph is built from "
        "the YAML entries — edit those instead)\n"
    )


UPDATE = f"INSERT DATA {{ <{RED_TEAMING}> <urn:p> <urn:o> }}"


@pytest.mark.parametrize(
    "how",
    ["query-param", "update-param-get", "update-form", "sparql-update-body", "query-body"],
)
def test_updates_are_403_and_change_nothing(url: str, how: str) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    if how == "query-param":
        status, _, text = fetch(url, "/sparql?" + urlencode({"query": UPDATE}))
    elif how == "update-param-get":
        status, _, text = fetch(url, "/sparql?" + urlencode({"update": UPDATE}))
    elif how == "update-form":
        body = urlencode({"update": UPDATE}).encode()
        status, _, text = fetch(url, "/sparql", method="POST", body=body, headers=form)
    elif how == "sparql-update-body":
        headers = {"Content-Type": "application/sparql-update"}
        status, _, text = fetch(
            url, "/sparql", method="POST", body=UPDATE.encode(), headers=headers
        )
    else:
        status, text = post_query(url, UPDATE)
    assert status == 403
    assert "SPARQL Update is not accepted" in text and "read-only" in text
    ask = f"ASK {{ <{RED_TEAMING}> <urn:p> <urn:o> }}"
    assert json.loads(get(url, ask)[1])["boolean"] is False


def test_other_methods_are_405(url: str) -> None:
    status, headers, text = fetch(url, "/sparql", method="PUT", body=b"x")
    assert status == 405 and "read-only" in text and "POST" in headers["allow"]
    status, headers, _ = fetch(url, "/", method="POST", body=b"", headers={"Content-Length": "0"})
    assert status == 405


def bypasses(port: int) -> dict[str, str]:
    """SERVICE, FROM and LOAD pointed at the listener, written every way SPARQL allows."""
    at = f"http://127.0.0.1:{port}"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{at}/sparql> {{ ?s ?p ?o }} }}",
        "lower case": f"select * where {{ service <{at}/sparql> {{ ?s ?p ?o }} }}",
        "mixed case, silent": f"SELECT * {{ SeRvIcE SILENT <{at}/sparql> {{ ?s ?p ?o }} }}",
        "comment between": f"SELECT * {{ SERVICE # to\n  <{at}/sparql>\n\t{{ ?s ?p ?o }} }}",
        "subquery": f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{at}/> {{ ?s ?p ?o }} }} }} }}",
        "prefixed IRI": f"PREFIX r: <{at}/>\nSELECT * {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        "relative to BASE": f"BASE <{at}/>\nSELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * {{ VALUES ?e {{ <{at}/> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{at}/> {{ ?s ?p ?o }} }} }}",
        "in OPTIONAL": f"SELECT * {{ ?x ?y ?z OPTIONAL {{ SERVICE <{at}/> {{ ?x ?p ?o }} }} }}",
        "in CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{at}/> {{ ?s ?p ?o }} }}",
        "codepoint escape": f"SELECT * {{ SERV\\u0049CE <{at}/> {{ ?s ?p ?o }} }}",
        "FROM": f"SELECT * FROM <{at}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "FROM NAMED": f"SELECT * FROM NAMED <{at}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "LOAD": f"LOAD <{at}/data.ttl>",
        "LOAD INTO": f"LOAD SILENT <{at}/data.ttl> INTO GRAPH <urn:g>",
    }


def test_outbound_requests_are_refused(url: str, listener: socket.socket) -> None:
    cases = bypasses(listener.getsockname()[1])
    assert len(cases) == 16
    for name, query in cases.items():
        for status, text in (get(url, query), post_query(url, query)):
            if name.startswith("LOAD"):
                assert status == 403 and "read-only" in text, name
            elif name.startswith("FROM"):
                assert status == 400 and text.startswith("FROM and FROM NAMED are not allowed"), (
                    name
                )
            else:
                assert status == 400, (name, text)
                assert text.startswith("SERVICE is not allowed"), (name, text)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = urlencode({"update": cases["LOAD"]}).encode()
    status, _, _ = fetch(url, "/sparql", method="POST", body=body, headers=form)
    assert status == 403
    assert_no_connection(listener)


def _service_in_a_worker(port: int, sandboxed: bool, conn: Connection) -> None:
    """In a child process: pyoxigraph runs a SERVICE query, with or without the sandbox."""
    refused = deny_network() if sandboxed else None
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        rows = list(ox.Store().query(query))  # type: ignore[arg-type]
        conn.send(("ok", refused, len(rows)))
    except Exception as error:
        conn.send(("error", refused, str(error)))


@pytest.mark.skipif(sys.platform != "linux", reason="the network sandbox is a Linux seccomp filter")
def test_the_worker_sandbox_stops_a_service_that_passed_the_guard(listener: socket.socket) -> None:
    """Below the guard: pyoxigraph dials out for SERVICE, and the workers' filter stops it."""
    port = listener.getsockname()[1]
    context = mp.get_context("spawn")
    listener.settimeout(120)

    # Unsandboxed, the engine really connects: the listener sees it (so the check can fail).
    parent, child = context.Pipe()
    process = context.Process(target=_service_in_a_worker, args=(port, False, child))
    process.start()
    peer, _ = listener.accept()
    peer.close()
    assert parent.poll(120)
    outcome, _, _ = parent.recv()
    assert outcome == "error"
    process.join(30)

    parent, child = context.Pipe()
    process = context.Process(target=_service_in_a_worker, args=(port, True, child))
    process.start()
    assert parent.poll(120)
    outcome, refused, message = parent.recv()
    process.join(30)
    assert refused is None, refused
    assert outcome == "error" and "ermission denied" in message, message
    assert_no_connection(listener)


# --- bad requests -------------------------------------------------------------------------------


def test_malformed_query_is_400_with_line_and_column(url: str) -> None:
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?c WHERE {\n  ?c skos:prefLabel ?t ?x\n}\n"
    for status, text in (get(url, query), post_query(url, query)):
        assert status == 400
        first, code, caret, _ = text.split("\n")
        assert re.fullmatch(r"query:3:\d+: SPARQL syntax error: .+", first), first
        assert code == "    ?c skos:prefLabel ?t ?x"
        column = int(first.split(":")[2])
        assert caret == "  " + " " * (column - 1) + "^"


def test_malformed_query_through_sparqlwrapper(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed) as raised:
        client(endpoint, "get", "SELECT ?s WHERE { ?s ?p }", JSON).query()
    assert "query:1:" in str(raised.value) and "SPARQL syntax error" in str(raised.value)


def test_undeclared_prefix_is_named(url: str) -> None:
    status, text = get(url, "SELECT * WHERE { ?s nope:x ?o }")
    assert status == 400
    assert text.startswith("query:1:21: SPARQL syntax error: undeclared prefix 'nope:'")


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "message"),
    [
        ("/sparql", None, {}, 400, "no query: GET /sparql?query=…"),
        ("/sparql?query=", None, {}, 400, "pass exactly one non-empty `query`"),
        ("/sparql?query=%20%0A", None, {}, 400, "pass exactly one non-empty `query`"),
        (
            "/sparql?query=ASK%7B%7D&query=ASK%7B%7D",
            None,
            {},
            400,
            "pass exactly one non-empty `query`",
        ),
        (
            "/sparql?query=ASK%7B%7D&default-graph-uri=urn:g",
            None,
            {},
            400,
            "default-graph-uri and named-graph-uri are not supported",
        ),
        (
            "/sparql",
            b"ASK {}",
            {"Content-Type": "text/plain"},
            415,
            "send application/sparql-query, or a form",
        ),
        (
            "/sparql",
            b"\xff\xfe",
            {"Content-Type": "application/sparql-query"},
            400,
            "the request body is not UTF-8",
        ),
        (
            "/sparql",
            b"",
            {"Content-Type": "application/x-www-form-urlencoded"},
            400,
            "pass exactly one non-empty `query`",
        ),
        ("/nothing", None, {}, 404, "/nothing: not found (no built site to serve)"),
    ],
)
def test_bad_requests(
    url: str, path: str, body: bytes | None, headers: dict[str, str], status: int, message: str
) -> None:
    method = "GET" if body is None else "POST"
    got, _, text = fetch(url, path, method=method, body=body, headers=headers)
    assert (got, text.startswith(message)) == (status, True), text


def test_oversized_body_is_413_before_it_is_read(url: str) -> None:
    """The server answers from the headers alone and closes: nothing of the body is read."""
    host, _, port = url.removeprefix("http://").partition(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        )
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, text = reply.decode("utf-8").partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 413 ")
    assert "Connection: close" in head
    assert text == f"the request body is {MAX_BODY + 1:,} bytes; the limit is {MAX_BODY:,}\n"


def test_body_at_the_limit_is_read(url: str) -> None:
    query = CONCEPTS + "\n#" + "x" * (MAX_BODY - len(CONCEPTS) - 2)
    assert len(query.encode()) == MAX_BODY
    status, text = post_query(url, query)
    assert status == 200 and json.loads(text)["boolean"] is True


def test_chunked_body_is_411(url: str) -> None:
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    host, _, port = url.removeprefix("http://").partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("POST", "/sparql", body=iter([b"ASK {}"]), headers=headers)
    response = conn.getresponse()
    assert response.status == 411
    assert response.read() == b"send the body with a Content-Length\n"
    conn.close()


# --- limits: size, time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "rows"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "triples"),
    ],
)
def test_answer_over_the_size_limit_is_422(url: str, query: str, what: str) -> None:
    for status, text in (get(url, query), post_query(url, query)):
        assert status == 422
        assert text.startswith(f"the answer has more than {MAX_RESULTS:,} {what}, the limit")
    assert get(url, query.replace("}", "} LIMIT 200"))[0] == 200  # at the limit it is fine


@pytest.fixture(scope="module")
def quick(ntriples: bytes) -> Iterator[tuple[str, WorkerPool]]:
    """A server whose queries may run one second, with two workers."""
    workers = WorkerPool(ntriples, Limits(timeout=1.0, max_results=MAX_RESULTS), size=2)
    try:
        with serving(workers) as base:
            yield base, workers
    finally:
        workers.close()


def worker_processes() -> list[Any]:
    return [p for p in mp.active_children() if p.name == "gapkb-query"]


def test_a_query_over_the_time_limit_is_stopped(quick: tuple[str, WorkerPool]) -> None:
    base, _ = quick
    before = {p.pid for p in worker_processes()}  # this server's and the other's
    status, headers, text = fetch(base, "/sparql?" + urlencode({"query": ENDLESS}))
    assert status == 503
    assert text == (
        "the query ran longer than 1 s, the limit, and was stopped — add a LIMIT or narrow "
        "the patterns\n"
    )
    assert headers["access-control-allow-origin"] == "*"
    # The worker that ran it is gone, not left running the query...
    assert len(before - {p.pid for p in worker_processes()}) == 1
    # ...and the next query is answered while a new worker replaces it.
    assert json.loads(get(base, CONCEPTS)[1])["boolean"] is True
    for _ in range(1200):  # a new worker starts in the background: wait for its process
        if {p.pid for p in worker_processes()} - before:
            break
        time.sleep(0.1)
    assert {p.pid for p in worker_processes()} - before, "no worker replaced the killed one"


def test_a_query_over_the_time_limit_by_post(quick: tuple[str, WorkerPool]) -> None:
    base, _ = quick
    status, text = post_query(base, ENDLESS)
    assert status == 503 and text.startswith("the query ran longer than 1 s"), text
    # Both workers have now been replaced; a client that honours Retry-After gets its answer.
    for _ in range(1200):
        status, headers, text = fetch(
            base, "/sparql", method="POST", body=CONCEPTS.encode(), headers=SPARQL_QUERY
        )
        if status != 503:
            break
        assert headers.get("retry-after") == "1" and text.startswith("all query workers"), text
        time.sleep(0.1)
    assert status == 200 and json.loads(text)["boolean"] is True
    # The new workers keep answering (they once died with the thread that started them).
    for _ in range(6):
        assert json.loads(post_query(base, CONCEPTS)[1])["boolean"] is True


# --- `gapkb serve` itself ------------------------------------------------------------------------


def test_gapkb_serve_command(tmp_path: Path) -> None:
    """The command as an analyst runs it: --port 0, the URL on stderr, a SPARQL client."""
    command = [
        sys.executable,
        "-m",
        "gapkb",
        "serve",
        "--root",
        str(SAMPLE),
        "--as-of",
        AS_OF,
        "--port",
        "0",
        "--workers",
        "1",
        "--site",
        str(tmp_path / "none"),
    ]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if "SPARQL endpoint at" in line:
                break
        banner = "".join(lines)
        found = re.search(r"SPARQL endpoint at (http://127\.0\.0\.1:\d+/sparql)", banner)
        assert found, banner
        assert f"as of {AS_OF}, 1,034 triples" in banner
        assert "no site (" in banner
        sparql = SPARQLWrapper(found[1])
        sparql.setQuery(gaps_query())
        sparql.setReturnFormat(JSON)
        data = sparql.queryAndConvert()
        assert isinstance(data, dict)
        rows = [(b["concept"]["value"], b["status"]["value"]) for b in data["results"]["bindings"]]
        assert rows == [(c, s) for c, _, s in GAPS]
    finally:
        process.terminate()
        process.wait(60)


# --- the knowledge base's IRIs, dereferenced ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/concept/model-merging-risk", "/concepts/model-merging-risk/"),
        ("/instrument/eu-ai-act", "/instruments/eu-ai-act/"),
        ("/instrument/eu-ai-act/art-55-1-a", "/instruments/eu-ai-act/#provision-art-55-1-a"),
    ],
)
def test_an_iri_sees_other_to_its_page_or_description(url: str, path: str, page: str) -> None:
    status, headers, _ = fetch(url, path, headers={"Accept": "text/html"})
    assert (status, headers["location"], headers["vary"]) == (303, page, "Accept")
    status, headers, _ = fetch(url, path, headers={"Accept": "text/turtle"})
    assert status == 303
    # Followed with the same Accept header, the description is the resource's RDF.
    status, headers, body = fetch(url, headers["location"], headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = parsed(body.encode("utf-8"), "turtle")
    iri = URIRef(BASE + path.lstrip("/"))
    assert (iri, None, None) in graph


def test_rdf_is_chosen_only_when_asked_before_html(url: str) -> None:
    path = "/concept/red-teaming"
    for accept, rdf in [
        ("application/ld+json", True),
        ("application/n-triples, text/html", True),
        ("text/html, text/turtle", False),
        ("*/*", False),
    ]:
        status, headers, _ = fetch(url, path, headers={"Accept": accept})
        assert status == 303
        assert headers["location"].startswith("/sparql?query=DESCRIBE") is rdf, accept


def test_paths_that_name_no_resource_are_not_redirected(url: str) -> None:
    for path in ("/concept/Not_An_Id", "/concept/a/b", "/instrument/x/y/z"):
        status, _, _ = fetch(url, path, headers={"Accept": "text/turtle"})
        assert status == 404, path


# --- /.well-known/void ----------------------------------------------------------------------


def test_well_known_void_describes_what_is_served(pool: WorkerPool, tmp_path: Path) -> None:
    graph = check(SAMPLE, DAY).full_graph()
    (tmp_path / "data").mkdir()
    dump = graph_ntriples(graph)
    (tmp_path / "data" / "gapkb.nt").write_bytes(dump)
    with serving(pool, graph=graph, site_dir=tmp_path) as base:
        status, headers, body = fetch(base, "/.well-known/void")
        # The advertised dump is there to download.
        dump_status, _, dump_body = fetch(base, "/data/gapkb.nt")
    assert (dump_status, dump_body.encode("utf-8")) == (200, dump)
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    void = parsed(body.encode("utf-8"), "turtle")
    rows = list(
        void.query(
            """PREFIX void: <http://rdfs.org/ns/void#>
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            SELECT ?triples ?endpoint ?dump ?size WHERE {
              ?d void:triples ?triples ; void:sparqlEndpoint ?endpoint ; void:dataDump ?dump ;
                 dcat:distribution [ dcat:downloadURL ?dump ; dcat:byteSize ?size ] }"""
        )
    )
    assert [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows] == [  # type: ignore[index]
        (len(graph), f"{base}/sparql", f"{base}/data/gapkb.nt", len(dump))
    ]


def test_no_void_without_the_graph(url: str) -> None:
    assert fetch(url, "/.well-known/void")[0] == 404
