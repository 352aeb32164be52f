"""IRIs: the one place where the base IRI is set and IRIs are minted from ids, and the
dataset's version that names what they describe."""

from __future__ import annotations

from importlib import metadata

from rdflib import Namespace, URIRef

from gapkb.entry_types import ID_RE

# The dataset's version (pyproject.toml, the one place it is set): citations, the CSV's
# metadata, the DCAT description and the VoID answer all name this one.
DATASET_VERSION = metadata.version("gapkb")

# The RDF namespace. Its w3id.org redirect is not registered yet (w3id/README.md), so pages
# show an IRI compacted (`compact_iri`), never as a link; the data keeps it whole.
BASE = "https://w3id.org/gapkb/"
COMPACT_PREFIX = "gapkb"
# A provision's place is an anchor on its instrument's page, `#provision-<id>`: the site
# writes it, and `gapkb serve` and the w3id.org rules send a provision's IRI to it.
PROVISION_ANCHOR_PREFIX = "provision-"
GK = Namespace(BASE + "ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "gk": GK,
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "eli": ELI,
    "prov": PROV,
    "schema": SCHEMA,
}

# The kind of an instrument is its OWL class.
KIND_CLASS = {
    "regulation": GK.Regulation,
    "directive": GK.Directive,
    "statute": GK.Statute,
    "executive-order": GK.ExecutiveOrder,
    "administrative-measures": GK.AdministrativeMeasures,
    "framework": GK.Framework,
    "standard": GK.Standard,
    "guidance": GK.Guidance,
    "code-of-conduct": GK["CodeOfConduct"],
    "treaty": GK.Treaty,
    "declaration": GK.Declaration,
    "resolution": GK.Resolution,
    "recommendation": GK.Recommendation,
    "memorandum": GK.Memorandum,
    "policy": GK.Policy,
}

# Outside vocabularies of concept `mappings`. NIST AI 600-1 and the MIT AI Risk
# Repository mint no IRIs for their risks, so ontology/crosswalks.ttl declares them under
# our base; DPV and AIRO terms keep their own IRIs (DPV's extensions by prefix).
CROSSWALK = BASE + "crosswalk/"
DPV_NAMESPACES = {
    "dpv": "https://w3id.org/dpv#",
    "ai": "https://w3id.org/dpv/ai#",
    "risk": "https://w3id.org/dpv/risk#",
    "tech": "https://w3id.org/dpv/tech#",
}
AIRO = "https://w3id.org/airo#"


def concept_iri(concept_id: str) -> URIRef:
    return URIRef(f"{BASE}concept/{concept_id}")


def instrument_iri(instrument_id: str) -> URIRef:
    return URIRef(f"{BASE}instrument/{instrument_id}")


def provision_iri(instrument_id: str, provision_id: str) -> URIRef:
    return URIRef(f"{BASE}instrument/{instrument_id}/{provision_id}")


def provision_anchor(provision_id: str) -> str:
    """The provision's anchor on its instrument's page: 'provision-art-5-1-a'."""
    if not ID_RE.match(provision_id):
        raise ValueError(f"{provision_id!r} is not a kebab-case id — refusing to build an anchor")
    return PROVISION_ANCHOR_PREFIX + provision_id


def link_iri(instrument_id: str, provision_id: str, concept_id: str) -> URIRef:
    return URIRef(f"{BASE}link/{instrument_id}/{provision_id}/{concept_id}")


def amendment_iri(instrument_id: str, index: int) -> URIRef:
    return URIRef(f"{BASE}instrument/{instrument_id}/amendment/{index + 1}")


def crosswalk_scheme_iri(scheme: str) -> URIRef:
    return URIRef(f"{CROSSWALK}{scheme}")


def mapping_iri(scheme: str, term: str) -> URIRef | None:
    """The IRI of term `term` of an outside scheme, or None if it cannot name one."""
    if scheme == "dpv":
        prefix, _, name = term.partition(":")
        namespace = DPV_NAMESPACES.get(prefix)
        return URIRef(namespace + name) if namespace and name.isidentifier() else None
    if scheme == "airo":
        return URIRef(AIRO + term) if term.isidentifier() else None
    return URIRef(f"{CROSSWALK}{scheme}/{term}") if term.replace(".", "").isdigit() else None


def source_iri(owner_iri: URIRef, index: int) -> URIRef:
    """Sources are minted under the concept that cites them: 0 is the primary source."""
    return URIRef(f"{owner_iri}/source/{index}")


def jurisdiction_iri(code: str) -> URIRef:
    return URIRef(f"{BASE}jurisdiction/{code}")


def category_iri(category: str) -> URIRef:
    return GK[f"category-{category}"]


def status_iri(status: str) -> URIRef:
    return GK[status]


def local_id(iri: str) -> str:
    """The last path segment of a minted IRI: the id it was minted from."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def compact_iri(iri: str) -> str:
    """An IRI under the namespace as pages show it: 'gapkb:concept/red-teaming' (the Data page
    says what `gapkb:` stands for); any other IRI unchanged."""
    return f"{COMPACT_PREFIX}:{iri[len(BASE) :]}" if iri.startswith(BASE) else iri
