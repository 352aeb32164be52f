"""The dataset described for machines: DCAT + VoID as RDF, and schema.org Dataset as JSON-LD.

DCAT 3 (W3C Recommendation, 2024-08-22) for the catalogue view: the dataset, its version,
licence, publisher, temporal coverage, and one dcat:Distribution per dump with media type,
byte size and an SPDX checksum (DCAT 3 §6.8.10 spdx:checksum). VoID (W3C Interest Group
Note, 2011-03-03) for the linked-data view: size, vocabularies, SPARQL endpoint, example
resources. schema.org Dataset is the form that dataset search engines read from a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, VOID, XSD

from gapkb.release.licence import CONTENT_LICENCE, COPYRIGHT_HOLDER
from gapkb.vocab import BASE, PREFIXES, concept_iri

# DCAT 3 terms (dcat:version, dcat:hasVersion) are not in rdflib's closed DCAT 2 namespace.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
DATASET = URIRef(BASE + "dataset")
TITLE = "gapkb: AI-governance instruments, the concepts they govern, and the gaps between them"
DESCRIPTION = (
    "A provision-level knowledge base of AI-governance instruments (laws, executive orders, "
    "frameworks, standards), the governance concepts they cover, the coverage links between "
    "provisions and concepts with quotes of the official texts, and the concepts that no "
    "binding instrument in force governs."
)
KEYWORDS = ("AI governance", "AI regulation", "AI safety", "law", "knowledge graph")
EXAMPLE_CONCEPTS = ("model-merging-risk",)


@dataclass(frozen=True)
class Distribution:
    """One file of a release: what it is, how big, its SHA-256, and where to download it."""

    key: str  # turtle, jsonld, ntriples, csv
    file_name: str
    title: str
    media_type: str
    byte_size: int
    sha256: str
    download_url: str


@dataclass(frozen=True)
class DatasetStats:
    """VoID's numbers for the graph of a release."""

    triples: int
    entities: int  # distinct IRI subjects under the base IRI
    classes: int  # distinct objects of rdf:type
    properties: int  # distinct predicates


def graph_stats(graph: Graph) -> DatasetStats:
    """Count what VoID reports, over the whole graph that the dumps hold."""
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
    return DatasetStats(
        triples=len(graph),
        entities=len(subjects),
        classes=len(set(graph.objects(None, RDF.type))),
        properties=len(set(graph.predicates())),
    )


def version_iri(version: str) -> URIRef:
    return URIRef(f"{BASE}dataset/{version}")


def dataset_description(
    version: str,
    as_of: dt.date,
    distributions: Sequence[Distribution],
    stats: DatasetStats,
    *,
    site_url: str,
    released: dt.date | None = None,
    sparql_endpoint: str | None = None,
    examples: Sequence[str] = EXAMPLE_CONCEPTS,
) -> Graph:
    """DCAT + VoID for one release: `<base>dataset` has the version `<base>dataset/<version>`."""
    g = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("owl", OWL),
        ("spdx", SPDX),
        ("void", VOID),
    ):
        g.bind(prefix, namespace)
    licence = URIRef(CONTENT_LICENCE.url)
    publisher = BNode("publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(COPYRIGHT_HOLDER)))
    g.add((publisher, FOAF.homepage, URIRef(site_url)))
    rights = (
        "Content licensed under CC BY 4.0. Quotes of official texts are not covered by "
        "this licence: they are reproduced under the terms of their publishers."
    )

    # The dataset across versions, and this version of it.
    this = version_iri(version)
    for node in (DATASET, this):
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(TITLE, lang="en")))
        g.add((node, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
        g.add((node, DCTERMS.license, licence))
        g.add((node, DCTERMS.rights, Literal(rights, lang="en")))
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.landingPage, URIRef(site_url)))
        for keyword in KEYWORDS:
            g.add((node, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((DATASET, DCTERMS.hasVersion, this))
    g.add((DATASET, DCAT.hasVersion, this))
    g.add((this, DCTERMS.isVersionOf, DATASET))
    g.add((this, DCAT.version, Literal(version)))
    g.add((this, OWL.versionInfo, Literal(version)))
    g.add((this, DCTERMS.creator, publisher))
    if released is not None:
        g.add((this, DCTERMS.issued, Literal(released.isoformat(), datatype=XSD.date)))
    period = BNode("as-of")
    g.add((this, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(as_of.isoformat(), datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(as_of.isoformat(), datatype=XSD.date)))

    for dist in distributions:
        node = URIRef(f"{this}#{dist.key}")
        checksum = BNode(f"sha256-{dist.key}")
        g.add((this, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(dist.title, lang="en")))
        g.add((node, DCTERMS.license, licence))
        g.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + dist.media_type)))
        g.add((node, DCAT.byteSize, Literal(dist.byte_size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCAT.downloadURL, URIRef(dist.download_url)))
        g.add((node, DCAT.accessURL, URIRef(dist.download_url)))
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
        if dist.media_type != "text/csv":
            g.add((this, VOID.dataDump, URIRef(dist.download_url)))

    # VoID on the version: the numbers belong to one release.
    g.add((this, RDF.type, VOID.Dataset))
    g.add((this, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    g.add((this, VOID.entities, Literal(stats.entities, datatype=XSD.integer)))
    g.add((this, VOID.classes, Literal(stats.classes, datatype=XSD.integer)))
    g.add((this, VOID.properties, Literal(stats.properties, datatype=XSD.integer)))
    g.add((this, VOID.uriSpace, Literal(BASE)))
    for namespace in PREFIXES.values():
        g.add((this, VOID.vocabulary, URIRef(str(namespace))))
    if sparql_endpoint:
        g.add((this, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    for concept in examples:
        g.add((this, VOID.exampleResource, concept_iri(concept)))
    return g


def schema_org_dataset(
    version: str,
    as_of: dt.date,
    distributions: Sequence[Distribution],
    *,
    site_url: str,
    released: dt.date | None = None,
    doi: str | None = None,
) -> dict[str, Any]:
    """A schema.org Dataset, as the JSON-LD object for a `<script type="application/ld+json">`."""
    publisher = {"@type": "Organization", "name": COPYRIGHT_HOLDER, "url": site_url}
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": str(version_iri(version)),
        "name": TITLE,
        "description": DESCRIPTION,
        "url": site_url,
        "version": version,
        "license": CONTENT_LICENCE.url,
        "isAccessibleForFree": True,
        "creator": publisher,
        "publisher": publisher,
        "keywords": list(KEYWORDS),
        "temporalCoverage": as_of.isoformat(),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title,
                "encodingFormat": d.media_type,
                "contentUrl": d.download_url,
                "contentSize": f"{d.byte_size} B",
                "sha256": d.sha256,
            }
            for d in distributions
        ],
    }
    if released is not None:
        document["datePublished"] = released.isoformat()
    if doi:
        document["identifier"] = f"https://doi.org/{doi}"
    return document
