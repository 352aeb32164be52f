"""schema.org JSON-LD for the pages: DefinedTerm, Legislation, sources, collections."""

from __future__ import annotations

from typing import Any

from gapkb.model import (
    Concept,
    Instrument,
    Source,
)
from gapkb.site.dates import IN_FORCE
from gapkb.site.model import SiteModel, label
from gapkb.site.sanitize import plain
from gapkb.vocab import concept_iri, instrument_iri


def _web_page(model: SiteModel, path: str, name: str, kind: str = "WebPage") -> dict[str, Any]:
    settings = model.settings
    node: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "name": plain(name)}
    if settings.site_url:
        node["url"] = settings.absolute(path)
        node["isPartOf"] = {
            "@type": "WebSite",
            "name": settings.site_name,
            "url": settings.site_url,
        }
    node["dateModified"] = model.as_of.isoformat()
    return node


def concept_jsonld(model: SiteModel, concept: Concept, url: str) -> dict[str, Any]:
    """schema.org DefinedTerm for a concept page."""
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": str(concept_iri(concept.id)),
        "termCode": concept.id,
        "name": plain(concept.title),
        "description": plain(concept.summary),
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": f"{model.settings.site_name} concepts",
        },
        "dateCreated": concept.created.isoformat(),
        "dateModified": concept.updated.isoformat(),
        "citation": [source_jsonld(s) for s in [concept.primary_source, *concept.references]],
    }
    if concept.aliases:
        node["alternateName"] = [plain(a) for a in concept.aliases]
    if concept.exact_match:
        node["sameAs"] = list(concept.exact_match)
    if url:
        node["url"] = url
        node["mainEntityOfPage"] = url
        node["inDefinedTermSet"]["url"] = model.settings.absolute("concepts/index.md")
    return node


SCHEMA_TYPES = {
    "article-journal": "ScholarlyArticle",
    "paper-conference": "ScholarlyArticle",
    "article": "ScholarlyArticle",
    "report": "Report",
    "book": "Book",
    "chapter": "Chapter",
    "legislation": "Legislation",
    "standard": "CreativeWork",
    "webpage": "WebPage",
}


def source_jsonld(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(source.type.value, "CreativeWork"),
        "name": plain(source.title),
        "datePublished": source.issued or str(source.issued_year),
        "author": [
            {"@type": "Organization", "name": plain(a.literal)}
            if a.literal
            else {
                "@type": "Person",
                "familyName": plain(a.family),
                "givenName": plain(a.given or ""),
            }
            for a in source.authors
        ],
    }
    if source.doi:
        node["identifier"] = f"https://doi.org/{source.doi}"
    if source.url:
        node["url"] = source.url
    if source.container:
        node["isPartOf"] = plain(source.container)
    return node


def instrument_jsonld(model: SiteModel, instrument: Instrument, url: str) -> dict[str, Any]:
    """schema.org Legislation for an instrument page."""
    in_force = model.states[instrument.id] == IN_FORCE
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": str(instrument_iri(instrument.id)),
        "name": plain(instrument.title),
        "alternateName": plain(instrument.short_title),
        "legislationJurisdiction": instrument.jurisdiction,
        "legislationType": label(instrument.kind.value),
        "legislationLegalForce": "https://schema.org/InForce"
        if in_force
        else "https://schema.org/NotInForce",
        "legislationIdentifier": [f"{k}: {plain(v)}" for k, v in instrument.identifiers.items()],
        "inLanguage": list(instrument.languages),
        "url": instrument.url,
        "hasPart": [
            {"@type": "Legislation", "name": plain(f"{p.label}: {p.title}"), "identifier": p.id}
            for p in instrument.provisions
        ],
    }
    if instrument.dates.adopted:
        node["legislationDate"] = instrument.dates.adopted.isoformat()
    if instrument.dates.published:
        node["datePublished"] = instrument.dates.published.isoformat()
    if instrument.issuer:
        node["legislationPassedBy"] = {"@type": "Organization", "name": plain(instrument.issuer)}
    if url:
        node["mainEntityOfPage"] = url
    return node
