"""The ontology: documented, consistent with the code, offline."""

from __future__ import annotations

import tomllib
from importlib import metadata

from rdflib import OWL, RDF, RDFS, URIRef

from gapkb.graph import load_ontology
from gapkb.model import Category
from gapkb.vocab import BASE, GK
from tests.conftest import REPO

ONTOLOGY = load_ontology(REPO)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_every_class_and_property_has_a_comment() -> None:
    terms = {
        s for kind in KINDS for s in ONTOLOGY.subjects(RDF.type, kind) if isinstance(s, URIRef)
    }
    assert len(terms) > 60
    missing = sorted(str(t) for t in terms if ONTOLOGY.value(t, RDFS.comment) is None)
    assert missing == []


def test_prefixes_use_the_one_base_iri() -> None:
    for folder in ("ontology", "shapes"):
        for path in (REPO / folder).glob("*.ttl"):
            text = path.read_text(encoding="utf-8")
            assert f"<{BASE}ontology#>" in text, path
            assert "w3id.org/gapkb" not in text.replace(BASE, ""), path


def test_categories_match_the_model() -> None:
    declared = {
        str(o)
        for s in ONTOLOGY.subjects(RDF.type, GK.Category)
        for o in ONTOLOGY.objects(s, URIRef("http://www.w3.org/2004/02/skos/core#notation"))
    }
    assert declared == {c.value for c in Category}


def test_no_imports() -> None:
    # Nothing may reach the network: owlready2 would fetch owl:imports over HTTP.
    assert list(ONTOLOGY.triples((None, OWL.imports, None))) == []


def test_ontology_version_is_the_package_version() -> None:
    # The version is set once, in pyproject.toml; the ontology states the same one.
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert metadata.version("gapkb") == version
    ontology = URIRef(f"{BASE}ontology")
    assert [str(v) for v in ONTOLOGY.objects(ontology, OWL.versionInfo)] == [version]
    assert list(ONTOLOGY.objects(ontology, OWL.versionIRI)) == [URIRef(f"{BASE}ontology/{version}")]
