"""SPARQL: every saved query on the sample with its exact rows, parameters, the guard,
syntax errors, answer formats, `gapkb query`, `gapkb export`, and the Query page's files."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from gapkb.findings import GapkbError
from gapkb.graph import url_iri
from gapkb.pipeline import CheckResult, check
from gapkb.sparql.engine import Boolean, Engine, Solutions, Triples, query
from gapkb.sparql.errors import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    ResultTooLarge,
    UpdateRefused,
)
from gapkb.sparql.export import export_graph
from gapkb.sparql.lexing import guard
from gapkb.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, render_table, serialize
from gapkb.sparql.saved import (
    SavedQuery,
    bind,
    parse_header,
    resolve,
    saved_queries,
    segments,
    term_text,
)
from tests.conftest import AS_OF, REPO, SAMPLE

DAY = dt.date.fromisoformat(AS_OF)
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return check(SAMPLE, DAY)


@pytest.fixture(scope="module")
def engine(result: CheckResult) -> Engine:
    return Engine.from_graph(result.full_graph())


def run(
    engine: Engine, name: str, params: dict[str, str] | None = None, as_of: dt.date = DAY
) -> Solutions:
    saved = saved_queries(REPO)[name]
    answer = engine.run(bind(saved, params, as_of), source=saved.source)
    assert isinstance(answer, Solutions)
    return answer


# --- every saved query, its exact rows on the sample ------------------------------------------

N = None
MMR_NOTE = (
    "Names the potential to remove guardrails as a source of systemic risk; merging can do so."
)
RT_NOTE = "Requires adversarial testing of general-purpose AI models with systemic risk."
RT_QUOTE = "conducting and documenting adversarial testing of the model"
MMR_QUOTE = "the potential to remove guardrails"

# name -> (params, variables, rows), as of 2026-12-01 unless a date parameter says otherwise.
EXPECTED: dict[str, tuple[dict[str, str], list[str], list[tuple[str | None, ...]]]] = {
    "gaps": (
        {},
        ["concept", "title", "status", "usedBy", "implicit", "voluntary", "former"],
        [
            ("alignment", "Alignment", "never covered", "0", "0", "0", "0"),
            ("model-merging-risk", "Model merging risk", "implicit only", "0", "1", "0", "0"),
            ("compute-threshold", "Compute threshold", "no longer covered", "0", "0", "0", "1"),
        ],
    ),
    "coverage-matrix": (
        {},
        ["concept", "instrument", "strength", "provisions", "applies"],
        [
            ("alignment", N, N, N, N),
            ("compute-threshold", "us-eo-14110", "explicit", "Sec. 4.2(b)", "false"),
            ("model-merging-risk", "eu-ai-act", "implicit", "Recital 110", "true"),
            ("red-teaming", "eu-ai-act", "explicit", "Art. 55(1)(a)", "true"),
        ],
    ),
    "instrument-coverage": (
        {"instrument": "eu-ai-act"},
        [
            "concept",
            "title",
            "provision",
            "pinpoint",
            "strength",
            "applies",
            "note",
            "quote",
            "quoteEnglish",
        ],
        [
            (
                "model-merging-risk",
                "Model merging risk",
                "rec-110",
                "Recital 110",
                "implicit",
                "true",
                MMR_NOTE,
                MMR_QUOTE,
                N,
            ),
            (
                "red-teaming",
                "Red-teaming",
                "art-55-1-a",
                "Art. 55(1)(a)",
                "explicit",
                "true",
                RT_NOTE,
                RT_QUOTE,
                N,
            ),
        ],
    ),
    "concept-coverage": (
        {"concept": "red-teaming"},
        [
            "instrument",
            "shortTitle",
            "jurisdiction",
            "binding",
            "pinpoint",
            "strength",
            "applies",
            "note",
            "quote",
            "quoteEnglish",
        ],
        [
            (
                "eu-ai-act",
                "EU AI Act",
                "EU",
                "true",
                "Art. 55(1)(a)",
                "explicit",
                "true",
                RT_NOTE,
                RT_QUOTE,
                N,
            )
        ],
    ),
    "implicit-only": (
        {},
        ["concept", "title", "instrument", "pinpoint", "note", "quote"],
        [
            (
                "model-merging-risk",
                "Model merging risk",
                "eu-ai-act",
                "Recital 110",
                MMR_NOTE,
                MMR_QUOTE,
            )
        ],
    ),
    "non-binding-only": ({}, ["concept", "title", "instruments", "nonBinding"], []),
    "compare-instruments": (
        {"a": "eu-ai-act", "b": "us-eo-14110"},
        ["concept", "title", "coveredBy", "inA", "provisionsA", "inB", "provisionsB"],
        [
            ("compute-threshold", "Compute threshold", "b only", N, N, "explicit", "Sec. 4.2(b)"),
            ("model-merging-risk", "Model merging risk", "a only", "implicit", "Recital 110", N, N),
            ("red-teaming", "Red-teaming", "a only", "explicit", "Art. 55(1)(a)", N, N),
        ],
    ),
    "coverage-changes": (
        {"from": "2024-06-01", "to": "2026-12-01"},
        ["concept", "statusFrom", "statusTo", "instrument", "pinpoint", "strength", "change"],
        [
            (
                "compute-threshold",
                "covered",
                "no longer covered",
                "us-eo-14110",
                "Sec. 4.2(b)",
                "explicit",
                "no longer applies",
            ),
            (
                "model-merging-risk",
                "never covered",
                "implicit only",
                "eu-ai-act",
                "Recital 110",
                "implicit",
                "applies",
            ),
            (
                "red-teaming",
                "never covered",
                "covered",
                "eu-ai-act",
                "Art. 55(1)(a)",
                "explicit",
                "applies",
            ),
        ],
    ),
    "instruments-in-force": (
        {},
        [
            "jurisdiction",
            "instrument",
            "shortTitle",
            "kind",
            "binding",
            "inForce",
            "appliesFrom",
            "governs",
        ],
        [
            ("EU", "eu-ai-act", "EU AI Act", "Regulation", "true", "2024-08-01", "2026-08-02", "1"),
            ("US", "us-eo-14148", "EO 14148", "Executive order", "true", "2025-01-20", N, "0"),
        ],
    ),
}


def test_every_saved_query_is_tested() -> None:
    # A guard for the data-driven test below: a new query must come with its expected rows.
    assert sorted(saved_queries(REPO)) == sorted(EXPECTED)
    assert len(EXPECTED) == 9


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_query_rows(engine: Engine, name: str) -> None:
    params, variables, rows = EXPECTED[name]
    answer = run(engine, name, params)
    assert answer.variables == variables
    assert answer.values() == rows


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_query_header(name: str) -> None:
    saved = saved_queries(REPO)[name]
    assert saved.title and saved.title[0].isupper() and not saved.title.endswith(".")
    assert len(saved.description) > 40 and saved.description.endswith(".")
    assert saved.source == f"queries/{name}.rq"
    mentioned = {seg["param"] for seg in segments(saved) if isinstance(seg, dict)}
    assert mentioned == {p.name for p in saved.params}  # every parameter is used
    for param in saved.params:
        assert param.default, f"{name}: {param.name} needs a default, for the Query page"


@pytest.mark.parametrize(
    ("as_of", "rows"),
    [
        (
            "2024-06-01",  # before the EU AI Act entered into force; EO 14110 in force
            [
                ("alignment", "Alignment", "never covered", "0", "0", "0", "0"),
                ("model-merging-risk", "Model merging risk", "never covered", "0", "0", "0", "0"),
                ("red-teaming", "Red-teaming", "never covered", "0", "0", "0", "0"),
            ],
        ),
        (
            "2025-03-01",  # EO 14110 revoked; Art. 55 applies only from 2025-08-02
            [
                ("alignment", "Alignment", "never covered", "0", "0", "0", "0"),
                # Recital 110 is read as applying with the Act, from 2026-08-02
                ("model-merging-risk", "Model merging risk", "never covered", "0", "0", "0", "0"),
                ("red-teaming", "Red-teaming", "never covered", "0", "0", "0", "0"),
                ("compute-threshold", "Compute threshold", "no longer covered", "0", "0", "0", "1"),
            ],
        ),
    ],
)
def test_gaps_on_other_dates(engine: Engine, as_of: str, rows: list[tuple[str, ...]]) -> None:
    assert run(engine, "gaps", {"asOf": as_of}).values() == rows


@pytest.mark.parametrize("as_of", ["2023-01-01", "2024-06-01", "2025-03-01", "2025-09-01", AS_OF])
def test_gaps_query_agrees_with_the_check(engine: Engine, as_of: str) -> None:
    """The saved query computes gaps from dates; the check from its as-of view: the same."""
    day = dt.date.fromisoformat(as_of)
    expected = [
        (
            r.concept,
            r.title,
            r.status,
            str(r.used_by),
            str(r.implicit),
            str(r.voluntary),
            str(r.former),
        )
        for r in check(SAMPLE, day, use_java=False).gaps
        if r.is_gap
    ]
    assert run(engine, "gaps", {}, day).values() == expected


@pytest.mark.slow  # the whole check over the real content, at each date
@pytest.mark.parametrize("as_of", ["2025-03-01", "2026-09-01"])
def test_gaps_query_agrees_with_the_check_on_the_content(as_of: str) -> None:
    """On the real content — binding and voluntary tiers, amendments, inserted provisions —
    the saved query and the check give the same gap rows."""
    day = dt.date.fromisoformat(as_of)
    result = check(REPO, day, use_java=False)
    engine = Engine.from_graph(result.full_graph())
    saved = saved_queries(REPO)["gaps"]
    answer = engine.run(bind(saved, {}, day), source=saved.source)
    assert isinstance(answer, Solutions)
    expected = [
        (r.concept, r.status, str(r.used_by), str(r.implicit), str(r.voluntary), str(r.former))
        for r in result.gaps
        if r.is_gap
    ]
    assert [(row[0], *row[2:]) for row in answer.values()] == expected
    assert any(r.status == "voluntary only" for r in result.gaps)


def test_instruments_in_force_follows_the_date(engine: Engine) -> None:
    rows = run(engine, "instruments-in-force", {"asOf": "2024-12-01"}).values()
    assert [r[:2] for r in rows] == [("EU", "eu-ai-act"), ("US", "us-eo-14110")]


def test_other_parameter_values(engine: Engine) -> None:
    rows = run(engine, "concept-coverage", {"concept": "compute-threshold"}).values()
    assert [r[:7] for r in rows] == [
        ("us-eo-14110", "EO 14110", "US", "true", "Sec. 4.2(b)", "explicit", "false")
    ]
    rows = run(engine, "instrument-coverage", {"instrument": "us-eo-14110", "asOf": "2024-01-01"})
    assert [r[:6] for r in rows.values()] == [
        ("compute-threshold", "Compute threshold", "sec-4-2-b", "Sec. 4.2(b)", "explicit", "true")
    ]
    swapped = run(engine, "compare-instruments", {"a": "us-eo-14110", "b": "eu-ai-act"}).values()
    assert [(r[0], r[2]) for r in swapped] == [
        ("compute-threshold", "a only"),
        ("model-merging-risk", "b only"),
        ("red-teaming", "b only"),
    ]


NON_BINDING = """\
id: sample-code
title: A sample code of conduct for general-purpose AI
short_title: Sample Code
jurisdiction: INT
kind: code-of-conduct
binding: false
status: in-force
dates:
  adopted: 2025-01-01
  in_force: 2025-01-01
url: https://example.org/code
languages: [en]
provisions:
  - id: measure-1
    label: Measure 1
    title: Alignment
coverage:
  - concept: alignment
    provision: measure-1
    strength: explicit
    note: Asks signatories to align their models.
  - concept: red-teaming
    provision: measure-1
    strength: explicit
    note: Asks for adversarial testing.
"""


def test_non_binding_only(sample_copy: Path) -> None:
    (sample_copy / "instruments" / "sample-code.yaml").write_text(NON_BINDING, encoding="utf-8")
    checked = check(sample_copy, DAY, use_java=False)
    assert checked.ok
    answer = query(checked, "non-binding-only")
    assert isinstance(answer, Solutions)
    # red-teaming is also governed by the (binding) EU AI Act, so only alignment is listed.
    assert answer.values() == [("alignment", "Alignment", "1", "sample-code")]
    before = query(checked, "non-binding-only", {"asOf": "2024-12-31"})
    assert isinstance(before, Solutions) and before.values() == []


def test_library_call(result: CheckResult) -> None:
    answer = query(result, "gaps")
    assert isinstance(answer, Solutions)
    assert answer.as_dicts()[0] == {
        "concept": "alignment",
        "title": "Alignment",
        "status": "never covered",
        "usedBy": "0",
        "implicit": "0",
        "voluntary": "0",
        "former": "0",
    }
    assert query(result, "ASK { ?c a <https://w3id.org/gapkb/ontology#Concept> }") == Boolean(True)


# --- headers and parameters -----------------------------------------------------------------


def test_header_parsing() -> None:
    text = (
        "# title: A title\n"
        "# description: First line,\n"
        "#   second line.\n"
        "# param: day (date = as-of) — the day\n"
        "# param: who (instrument) -- an instrument\n"
        "#\n"
        "# title: not part of the header\n"
        "SELECT * WHERE { ?s ?p ?o }\n"
    )
    title, description, params = parse_header(text, "x.rq")
    assert title == "A title"
    assert description == "First line, second line."
    assert [(p.name, p.type, p.default, p.description) for p in params] == [
        ("day", "date", "as-of", "the day"),
        ("who", "instrument", None, "an instrument"),
    ]


def test_bad_param_declaration() -> None:
    with pytest.raises(QueryError) as error:
        parse_header("# title: T\n# param: day (datum) — a day\nASK {}", "q.rq")
    assert str(error.value) == (
        "q.rq:2: param: write `# param: name (type) — description` or "
        "`# param: name (type = default) — description`, with a type among "
        "date, instrument, concept, jurisdiction, string, iri"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"asof": "2020-01-01"},
            "--param asof: queries/gaps.rq has no parameter 'asof' (parameters: asOf)",
        ),
        ({"asOf": "2020-13-01"}, "--param asOf: '2020-13-01' is not a date — write YYYY-MM-DD"),
        ({"asOf": "yesterday"}, "--param asOf: 'yesterday' is not a date — write YYYY-MM-DD"),
    ],
)
def test_bad_parameter_values(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError) as error:
        bind(saved_queries(REPO)["gaps"], params, DAY)
    assert str(error.value) == message


def test_ids_are_checked_before_they_become_iris() -> None:
    saved = saved_queries(REPO)["instrument-coverage"]
    with pytest.raises(QueryError) as error:
        bind(saved, {"instrument": "../x> } INSERT DATA { <a> <b> <c>"}, DAY)
    assert "is not a instrument id (kebab-case)" in str(error.value)


def test_binding_replaces_variables_only() -> None:
    saved = SavedQuery(
        "q",
        '# ?day in a comment\nSELECT ?x WHERE { BIND("?day" AS ?x) FILTER(?day < $day) } # ?day\n',
        "q",
        params=(),
    )
    text = bind(saved, {"day": "2025-01-01"}, DAY)
    date = f'"2025-01-01"^^<{XSD_DATE}>'
    assert text == (
        '# ?day in a comment\nSELECT ?x WHERE { BIND("?day" AS ?x) '
        f"FILTER({date} < {date}) }} # ?day\n"
    )


def test_undeclared_parameters_of_ad_hoc_queries() -> None:
    saved = resolve("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?v) }", REPO)
    assert bind(saved, {"v": "<http://e.org/x>"}).endswith("FILTER(?o = <http://e.org/x>) }")
    assert bind(saved, {"v": "12"}).endswith("FILTER(?o = 12) }")
    assert bind(saved, {"v": 'say "hi"'}).endswith('FILTER(?o = "say \\"hi\\"") }')
    with pytest.raises(QueryError, match="has no parameter 'w'"):
        bind(saved, {"w": "1"})


def test_a_required_parameter_without_value() -> None:
    saved = SavedQuery(
        "q",
        "ASK { ?i ?p ?o }",
        "q.rq",
        "T",
        "D",
        (parse_header("# param: i (instrument) — x\n", "q")[2]),
    )
    with pytest.raises(QueryError) as error:
        bind(saved, {}, DAY)
    assert str(error.value) == "q.rq: parameter 'i' (instrument) needs a value — pass --param i=..."


def test_resolve() -> None:
    assert resolve("gaps", REPO).title == "Gaps as of a date"
    with pytest.raises(QueryError) as error:
        resolve("gapz", REPO)
    assert str(error.value).startswith("no saved query named 'gapz' — did you mean 'gaps'?")
    with pytest.raises(QueryError, match=r"no-such\.rq: no such file"):
        resolve("no-such.rq", REPO)
    assert resolve(str(REPO / "queries" / "gaps.rq"), REPO).title == "Gaps as of a date"


# --- the guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVIC\\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
        guard(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_from_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="FROM and FROM NAMED are not allowed"):
        guard(text)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "PREFIX ex: <http://e.org/>\nDELETE WHERE { ?s ex:p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "BASE <http://e.org/> CLEAR ALL",
        "DROP GRAPH <http://e.org/g>",
    ],
)
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(UpdateRefused, match="SPARQL Update is not accepted"):
        guard(text)


def test_the_guard_reads_code_not_strings_or_comments() -> None:
    guard('SELECT ("SERVICE FROM" AS ?x) WHERE { ?s <http://e.org/SERVICE> ?o } # SERVICE')
    guard("PREFIX ex: <http://e.org/>\nSELECT ?service WHERE { ?service ex:FROM ex:SERVICE }")


def test_the_engine_refuses_too(engine: Engine) -> None:
    with pytest.raises(QueryRefused):
        engine.run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


# --- syntax errors, size limit ----------------------------------------------------------------


def test_syntax_error_has_line_and_column(engine: Engine) -> None:
    text = "SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTR(?x = 1)\n}"
    with pytest.raises(QuerySyntaxError) as error:
        engine.run(text, source="mine.rq")
    assert (error.value.line, error.value.column) == (3, 3)
    assert str(error.value) == (
        "mine.rq:3:3: SPARQL syntax error: unexpected 'FILTR'\n    FILTR(?x = 1)\n    ^"
    )


def test_syntax_error_names_an_undeclared_prefix(engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        engine.run("SELECT ?x WHERE {\n ?x ?y ?z .\n ?x foo:bar 1\n}")
    assert str(error.value) == (
        "query:3:5: SPARQL syntax error: undeclared prefix 'foo:' — add PREFIX foo: <…> at the"
        " top\n   ?x foo:bar 1\n      ^"
    )


def test_result_size_limit(engine: Engine) -> None:
    with pytest.raises(ResultTooLarge) as error:
        engine.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", max_results=100)
    assert str(error.value).startswith("the answer has more than 100 rows, the limit — add a LIMIT")
    with pytest.raises(ResultTooLarge, match="more than 10 triples"):
        engine.run("CONSTRUCT WHERE { ?s ?p ?o }", max_results=10)
    answer = engine.run("SELECT * WHERE { ?s ?p ?o } LIMIT 100", max_results=100)
    assert isinstance(answer, Solutions) and len(answer.rows) == 100


# --- answer formats ------------------------------------------------------------------------

TERMS_QUERY = """
SELECT ?iri ?lang ?typed ?plain ?blank ?none WHERE {
  BIND (<http://e.org/a> AS ?iri) BIND ("chat, \\"x\\""@fr AS ?lang)
  BIND (3 AS ?typed) BIND ("tab\\there" AS ?plain) BIND (BNODE("b") AS ?blank)
}"""


def _format(name: str) -> object:
    return next(f for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.name == name)


def test_results_json(engine: Engine) -> None:
    answer = engine.run(TERMS_QUERY)
    document = json.loads(serialize(answer, _format("json")))  # type: ignore[arg-type]
    assert document["head"] == {"vars": ["iri", "lang", "typed", "plain", "blank", "none"]}
    (binding,) = document["results"]["bindings"]
    assert binding["iri"] == {"type": "uri", "value": "http://e.org/a"}
    assert binding["lang"] == {"type": "literal", "value": 'chat, "x"', "xml:lang": "fr"}
    assert binding["typed"] == {
        "type": "literal",
        "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert binding["plain"] == {"type": "literal", "value": "tab\there"}
    assert binding["blank"]["type"] == "bnode"
    assert "none" not in binding


def test_results_xml_csv_tsv(engine: Engine) -> None:
    answer = engine.run(TERMS_QUERY)
    xml = serialize(answer, _format("xml"))  # type: ignore[arg-type]
    tree = ET.fromstring(xml)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in tree.iter(f"{ns}variable")] == [
        "iri",
        "lang",
        "typed",
        "plain",
        "blank",
        "none",
    ]
    literal = tree.find(f"{ns}results/{ns}result/{ns}binding[@name='lang']/{ns}literal")
    assert literal is not None and literal.text == 'chat, "x"'
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    csv_text = serialize(answer, _format("csv")).decode()  # type: ignore[arg-type]
    header, row, end = csv_text.split("\r\n")
    assert header == "iri,lang,typed,plain,blank,none" and end == ""
    assert row.startswith('http://e.org/a,"chat, ""x""",3,tab\there,_:')
    assert row.endswith(",")
    tsv_text = serialize(answer, _format("tsv")).decode()  # type: ignore[arg-type]
    header, row, end = tsv_text.split("\n")
    assert header == "?iri\t?lang\t?typed\t?plain\t?blank\t?none"
    cells = row.split("\t")
    assert cells[:4] == [
        "<http://e.org/a>",
        '"chat, \\"x\\""@fr',
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"tab\\there"',
    ]
    assert cells[4].startswith("_:") and cells[5] == ""


def test_ask_formats(engine: Engine) -> None:
    answer = engine.run("ASK { ?s ?p ?o }")
    assert answer == Boolean(True)
    assert json.loads(serialize(answer, _format("json"))) == {"head": {}, "boolean": True}  # type: ignore[arg-type]
    tree = ET.fromstring(serialize(answer, _format("xml")))  # type: ignore[arg-type]
    assert tree.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]
    assert serialize(answer, _format("csv")) == b"_askResult\r\ntrue\r\n"  # type: ignore[arg-type]
    assert render_table(Boolean(False)) == "false\n"


@pytest.mark.parametrize(
    ("name", "rdflib_format"),
    [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt"), ("rdfxml", "xml")],
)
def test_graph_formats_round_trip(engine: Engine, name: str, rdflib_format: str) -> None:
    answer = engine.run(
        "CONSTRUCT WHERE { ?c a <https://w3id.org/gapkb/ontology#Concept> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    assert isinstance(answer, Triples) and len(answer.triples) == 8
    data = serialize(answer, _format(name))  # type: ignore[arg-type]
    assert len(Graph().parse(data=data, format=rdflib_format)) == 8


def test_table(engine: Engine) -> None:
    answer = run(engine, "gaps")
    assert render_table(answer) == (
        "concept             title               status             usedBy  implicit  voluntary  former\n"
        "------------------  ------------------  -----------------  ------  --------  ---------  ------\n"
        "alignment           Alignment           never covered      0       0         0          0\n"
        "model-merging-risk  Model merging risk  implicit only      0       1         0          0\n"
        "compute-threshold   Compute threshold   no longer covered  0       0         0          1\n"
        "(3 rows)\n"
    )
    long = engine.run(
        f'SELECT ?x ?t WHERE {{ BIND ("{"a" * 100}" AS ?x) '
        "BIND (<https://w3id.org/gapkb/ontology#Concept> AS ?t) }"
    )
    assert isinstance(long, Solutions)
    assert render_table(long).splitlines()[2] == "a" * 59 + "…  gk:Concept"


# --- the command line ----------------------------------------------------------------------


def test_cli_query_csv(run_cli: Callable[..., Result]) -> None:
    result = run_cli("query", "gaps", "--root", str(SAMPLE), "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == (  # .output turns CRLF into LF
        "concept,title,status,usedBy,implicit,voluntary,former\r\n"
        "alignment,Alignment,never covered,0,0,0,0\r\n"
        "model-merging-risk,Model merging risk,implicit only,0,1,0,0\r\n"
        "compute-threshold,Compute threshold,no longer covered,0,0,0,1\r\n"
    )


def test_cli_query_params_and_json(run_cli: Callable[..., Result]) -> None:
    result = run_cli(
        "query",
        "concept-coverage",
        "--param",
        "concept=compute-threshold",
        "--param",
        "asOf=2024-01-01",
        "--root",
        str(SAMPLE),
        "--format",
        "json",
    )
    assert result.exit_code == 0
    (binding,) = json.loads(result.output)["results"]["bindings"]
    assert binding["instrument"]["value"] == "us-eo-14110"
    assert binding["applies"] == {
        "type": "literal",
        "value": "true",
        "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
    }


def test_cli_query_file_and_text(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# description: d.\nASK { ?s ?p ?o }\n", encoding="utf-8")
    result = run_cli("query", str(path), "--root", str(SAMPLE), "--as-of", AS_OF)
    assert (result.exit_code, result.output) == (0, "true\n")
    result = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/gapkb/ontology#Concept> }",
        "--root",
        str(SAMPLE),
        "--format",
        "tsv",
    )
    assert result.output == '?n\n"4"^^<http://www.w3.org/2001/XMLSchema#integer>\n'


def test_cli_query_graphs(run_cli: Callable[..., Result]) -> None:
    text = "DESCRIBE <https://w3id.org/gapkb/concept/red-teaming>"
    turtle = run_cli("query", text, "--root", str(SAMPLE), "--as-of", AS_OF)
    assert turtle.exit_code == 0
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in turtle.output
    graph = Graph().parse(data=turtle.output, format="turtle")
    jsonld = run_cli("query", text, "--root", str(SAMPLE), "--as-of", AS_OF, "--format", "json")
    assert len(Graph().parse(data=jsonld.output, format="json-ld")) == len(graph) > 5
    csv = run_cli("query", text, "--root", str(SAMPLE), "--format", "csv")
    assert csv.exit_code == 2
    assert "a CONSTRUCT or DESCRIBE answer is a graph: use --format table (Turtle) or json" in (
        csv.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gapz"], "Error: no saved query named 'gapz' — did you mean 'gaps'?"),
        (
            ["SELECT * WHERE {\n ?s ?p ?o\n FILTER(?o = ) }"],
            "Error: query:3:",
        ),
        (["gaps", "--param", "asOf"], "Invalid value for --param: 'asOf' — write NAME=VALUE"),
        (["gaps", "--param", "asOf=soon"], "Error: --param asOf: 'soon' is not a date"),
        (["INSERT DATA { <a:a> <a:b> <a:c> }"], "Error: SPARQL Update is not accepted"),
        (
            ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
            "Error: SERVICE is not allowed",
        ),
        (
            [],
            "pass a saved query's name, a .rq file or a query — saved queries: compare-instruments",
        ),
    ],
)
def test_cli_query_usage_errors(
    run_cli: Callable[..., Result], args: list[str], message: str
) -> None:
    result = run_cli("query", *args, "--root", str(SAMPLE))
    assert result.exit_code == 2
    assert message in result.output


def test_cli_syntax_error_of_a_saved_file(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\n\nSELECT ?x WHERE {\n  ?x ?y\n}\n", encoding="utf-8")
    result = run_cli("query", str(path), "--root", str(SAMPLE))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}:4:3: SPARQL syntax error: unexpected '?'")


def test_cli_query_list(run_cli: Callable[..., Result]) -> None:
    result = run_cli("query", "--list")
    assert result.exit_code == 0
    assert "gaps — Gaps as of a date\n    --param asOf=… (date = as-of): the date" in result.output
    assert result.output.count(" — ") >= 9


# --- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")]
)
def test_export_loads_into_other_stores(
    run_cli: Callable[..., Result],
    result: CheckResult,
    tmp_path: Path,
    fmt: str,
    rdflib_format: str,
) -> None:
    path = tmp_path / f"kb.{fmt}"
    out = run_cli(
        "export", "--root", str(SAMPLE), "--as-of", AS_OF, "--format", fmt, "-o", str(path)
    )
    assert out.exit_code == 0
    expected = len(result.full_graph())
    assert len(Graph().parse(path, format=rdflib_format)) == expected
    ox_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "jsonld": ox.RdfFormat.JSON_LD,
        "ntriples": ox.RdfFormat.N_TRIPLES,
    }[fmt]
    store = ox.Store()
    store.load(path=str(path), format=ox_format)
    assert len(store) == expected
    # The as-of view travels with the dump.
    assert store.query(
        "ASK { <https://w3id.org/gapkb/ontology#view> <https://w3id.org/gapkb/ontology#asOf> "
        f'"{AS_OF}"^^<{XSD_DATE}> }}'
    )


def test_export_ntriples_is_sorted_and_stable(result: CheckResult) -> None:
    first = export_graph(result.full_graph(), "ntriples")
    lines = first.decode().splitlines()
    assert lines == sorted(lines)
    assert export_graph(result.full_graph(), "ntriples") == first


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_export_is_the_graph_and_stable(result: CheckResult, fmt: str, rdflib_format: str) -> None:
    # Written by Oxigraph: the same graph as rdflib's, blank nodes included, in the same
    # bytes on every run (sorted triples, canonical blank-node labels).
    graph = result.full_graph()
    first = export_graph(graph, fmt)
    assert isomorphic(Graph().parse(data=first, format=rdflib_format), graph)
    assert export_graph(result.full_graph(), fmt) == first


def test_export_turtle_uses_the_prefixes(result: CheckResult) -> None:
    text = export_graph(result.full_graph(), "turtle").decode()
    assert "@prefix gk: <https://w3id.org/gapkb/ontology#> ." in text
    assert "\ngk:Instrument a owl:Class" in text


def test_export_to_stdout_and_violations(run_cli: Callable[..., Result], sample_copy: Path) -> None:
    out = run_cli("export", "--root", str(sample_copy), "--as-of", AS_OF, "--format", "ntriples")
    assert out.exit_code == 0 and out.output.count(" .\n") > 500
    shutil.copy(
        REPO / "tests" / "cases" / "unknown-concept" / "instruments" / "unknown-concept.yaml",
        sample_copy / "instruments",
    )
    out = run_cli("export", "--root", str(sample_copy), "--as-of", AS_OF)
    assert out.exit_code == 1
    assert "export stopped: 1 violation(s) — fix them first" in out.output


# --- the Query page's files ------------------------------------------------------------------


def test_examples_rebuild_the_bound_queries() -> None:
    from gapkb.sparql.query_page import examples

    document = examples(REPO, DAY)
    assert document["as_of"] == AS_OF and document["base"] == "https://w3id.org/gapkb/"
    assert [q["name"] for q in document["queries"]] == sorted(EXPECTED)
    known = saved_queries(REPO)
    for entry in document["queries"]:
        # What the page's JavaScript does: join the segments, each parameter as its term.
        values = {p["name"]: p["default"] for p in entry["params"]}
        terms = {p["name"]: term_text(p["name"], p["type"], p["default"]) for p in entry["params"]}
        text = "".join(s if isinstance(s, str) else terms[s["param"]] for s in entry["segments"])
        assert text == bind(known[entry["name"]], values, DAY)


def test_query_page_assets(tmp_path: Path) -> None:
    from gapkb.sparql.query_page import NPM_MODULES, write_query_assets

    if not (NPM_MODULES / "oxigraph" / "web.js").is_file():
        with pytest.raises(GapkbError, match=r"run scripts/setup\.sh"):
            write_query_assets(tmp_path, DAY, REPO)
        if os.environ.get("CI"):  # CI ran scripts/setup.sh: missing packages are a failure
            pytest.fail("npm packages for the Query page are not installed")
        pytest.skip("npm packages not installed (scripts/setup.sh)")
    written = {p.relative_to(tmp_path).as_posix() for p in write_query_assets(tmp_path, DAY, REPO)}
    assert written == {
        "query/vendor/oxigraph/web.js",
        "query/vendor/oxigraph/web_bg.wasm",
        "query/vendor/yasgui/yasgui.min.js",
        "query/vendor/yasgui/yasgui.min.css",
        "query/vendor/NOTICE.txt",
        "query/queries.json",
    }
    notice = (tmp_path / "query" / "vendor" / "NOTICE.txt").read_text()
    assert "oxigraph 0.5.11 — licence: MIT OR Apache-2.0" in notice
    assert "@zazuko/yasgui 4.6.2 — licence: MIT" in notice


def test_missing_npm_packages_are_a_clear_error(tmp_path: Path) -> None:
    from gapkb.sparql.query_page import write_query_assets

    with pytest.raises(GapkbError) as error:
        write_query_assets(tmp_path, DAY, REPO, modules=tmp_path / "nowhere")
    assert str(error.value).endswith(
        "— run scripts/setup.sh (it needs npm); nothing is fetched at build time"
    )


def test_query_page_loads_nothing_from_elsewhere() -> None:
    """The page's own files load nothing from another host (links for readers are fine)."""
    loads = re.compile(
        r"""(src|href)\s*=\s*["']https?:|fetch\(\s*["']https?:|import\s*\(?\s*["']https?:|from\s+["']https?:"""
    )
    for name in ("index.md", "query.js", "query-worker.js", "query.css"):
        text = (REPO / "site" / "query" / name).read_text(encoding="utf-8")
        assert not loads.search(text), name


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/)[x](javascript:alert(18))",
        "https://example.org/a b|c{d}^`",
        "https://example.org/ü?q=1&r=(2)#frag",
    ],
)
def test_an_entry_url_becomes_an_iri_every_store_reads(url: str) -> None:
    iri = url_iri(url)
    ox.NamedNode(str(iri))  # Oxigraph refuses what RFC 3987 forbids
    assert url_iri("https://w3id.org/airo#AIRisk") == URIRef("https://w3id.org/airo#AIRisk")
    assert str(iri).startswith(url.split("/")[0] + "//" + url.split("/")[2])
