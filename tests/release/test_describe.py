"""The DCAT + VoID description, asked questions in SPARQL; the schema.org Dataset."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rdflib import Graph

from gapkb.release import dataset_description, graph_stats, schema_org_dataset
from gapkb.release.describe import DatasetStats, Distribution
from gapkb.vocab import BASE

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
DOWNLOAD = "https://github.com/gapkb/gapkb/releases/download/v1.2.0/"
PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
DISTRIBUTIONS = [
    Distribution(key, f"gapkb-1.2.0{suffix}", key, media, size, f"{n:064x}", DOWNLOAD + suffix)
    for n, (key, suffix, media, size) in enumerate(
        [
            ("turtle", ".ttl", "text/turtle", 1000),
            ("jsonld", ".jsonld", "application/ld+json", 2000),
            ("ntriples", ".nt", "application/n-triples", 3000),
            ("csv", "-coverage.csv", "text/csv", 400),
        ]
    )
]


@pytest.fixture(scope="module")
def description() -> Graph:
    g = dataset_description(
        "1.2.0",
        dt.date(2026, 12, 1),
        DISTRIBUTIONS,
        DatasetStats(triples=854, entities=40, classes=12, properties=30),
        site_url="https://gapkb.github.io/gapkb/",
        released=dt.date(2026, 12, 2),
        sparql_endpoint="https://example.org/sparql",
    )
    # What a consumer gets: the Turtle text, parsed again.
    return Graph().parse(data=g.serialize(format="turtle"), format="turtle")


def test_every_distribution_with_licence_size_and_checksum(description: Graph) -> None:
    rows = description.query(
        PREFIXES
        + """
        SELECT ?url ?media ?size ?sum ?licence WHERE {
          ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:mediaType ?media ;
             dcat:byteSize ?size ; dcterms:license ?licence ; spdx:checksum ?c .
          ?c a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
             spdx:checksumValue ?sum .
        } ORDER BY ?size
        """
    )
    got = [(str(r.url), str(r.media), int(r.size), str(r.sum), str(r.licence)) for r in rows]
    iana = "https://www.iana.org/assignments/media-types/"
    assert got == [
        (d.download_url, iana + d.media_type, d.byte_size, d.sha256, CC_BY)
        for d in sorted(DISTRIBUTIONS, key=lambda d: d.byte_size)
    ]


def test_dataset_version_licence_publisher_and_as_of(description: Graph) -> None:
    rows = list(
        description.query(
            PREFIXES
            + """
            SELECT ?dataset ?version ?number ?licence ?publisher ?start ?end WHERE {
              ?dataset a dcat:Dataset ; dcterms:hasVersion ?version ; dcterms:license ?licence ;
                       dcterms:publisher/foaf:name ?publisher .
              ?version a dcat:Dataset ; dcat:version ?number ;
                       dcterms:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] .
            }
            """
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert str(row.dataset) == BASE + "dataset"
    assert str(row.version) == BASE + "dataset/1.2.0"
    assert (str(row.number), str(row.licence), str(row.publisher)) == (
        "1.2.0",
        CC_BY,
        "gapkb contributors",
    )
    assert row.start.toPython() == row.end.toPython() == dt.date(2026, 12, 1)


def test_void(description: Graph) -> None:
    row = next(
        iter(
            description.query(
                PREFIXES
                + """
                SELECT ?triples ?entities ?classes ?endpoint ?example WHERE {
                  ?d a void:Dataset ; void:triples ?triples ; void:entities ?entities ;
                     void:classes ?classes ; void:sparqlEndpoint ?endpoint ;
                     void:exampleResource ?example .
                }
                """
            )
        )
    )
    assert (int(row.triples), int(row.entities), int(row.classes)) == (854, 40, 12)
    assert str(row.endpoint) == "https://example.org/sparql"
    assert str(row.example) == BASE + "concept/model-merging-risk"
    dumps = description.query(PREFIXES + "SELECT ?dump WHERE { ?d void:dataDump ?dump }")
    assert sorted(str(r.dump) for r in dumps) == sorted(
        d.download_url for d in DISTRIBUTIONS if d.key != "csv"
    )


def test_graph_stats() -> None:
    g = Graph().parse(
        data=f"""
        @prefix ex: <http://example.org/> .
        <{BASE}concept/a> a ex:C ; ex:p <{BASE}concept/b> .
        <{BASE}concept/b> a ex:C, ex:D .
        ex:outside a ex:C .
        """,
        format="turtle",
    )
    assert graph_stats(g) == DatasetStats(triples=5, entities=2, classes=2, properties=2)


def test_schema_org_dataset() -> None:
    doc = schema_org_dataset(
        "1.2.0",
        dt.date(2026, 12, 1),
        DISTRIBUTIONS,
        site_url="https://gapkb.github.io/gapkb/",
        released=dt.date(2026, 12, 2),
    )
    # Read back as JSON-LD: a schema:Dataset with its licence, version and downloads.
    g = Graph().parse(
        data=json.dumps({**doc, "@context": {"@vocab": "https://schema.org/"}}), format="json-ld"
    )
    rows = list(
        g.query(
            """
            PREFIX schema: <https://schema.org/>
            SELECT ?licence ?version ?coverage (COUNT(?d) AS ?downloads) WHERE {
              ?s a schema:Dataset ; schema:license ?licence ; schema:version ?version ;
                 schema:temporalCoverage ?coverage ; schema:distribution ?d .
              ?d a schema:DataDownload ; schema:contentUrl ?url ; schema:encodingFormat ?f .
            } GROUP BY ?licence ?version ?coverage
            """
        )
    )
    assert [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows] == [
        (CC_BY, "1.2.0", "2026-12-01", 4)
    ]
    assert doc["@context"] == "https://schema.org"
