"""Concept pages: one per concept, with its coverage, sources and citations."""

from __future__ import annotations

import re

from gapkb import citations
from gapkb.citations.cache import CitationJob
from gapkb.model import Concept
from gapkb.site.instrument import edit_source
from gapkb.site.jsonld import concept_jsonld
from gapkb.site.mappings import mapping_list
from gapkb.site.model import SiteModel, concept_doc
from gapkb.site.render import Page, index_page, render
from gapkb.site.sanitize import (
    html_attr,
    plain,
)
from gapkb.vocab import DATASET_VERSION, concept_iri

CITATION_TAG = re.compile(r"^citation_[a-z_]+$")


def citation_jobs(model: SiteModel, concept: Concept) -> tuple[CitationJob, CitationJob]:
    """How to cite the concept's page, and its primary source."""
    page = CitationJob.of(
        citations.cite_concept_page,
        concept,
        page_url=model.settings.absolute(concept_doc(concept.id)),
        site_title=model.settings.site_name,
        accessed=model.as_of,
        version=DATASET_VERSION,
    )
    return page, CitationJob.of(citations.cite_source, concept.primary_source)


def concept_page(model: SiteModel, concept: Concept) -> Page:
    path = concept_doc(concept.id)
    url = model.settings.absolute(path)
    site = model.settings.site_name
    page_job, source_job = citation_jobs(model, concept)
    page_cites = model.cites.cited(page_job)
    source_cites = model.cites.cited(source_job)
    body = render(
        "concept.md.j2",
        path,
        model,
        c=concept,
        row=model.rows[concept.id],
        links=model.by_concept.get(concept.id, []),
        url=url,
        iri=str(concept_iri(concept.id)),
        file=model.files.get(concept.id, ""),
        page_cites=page_cites,
        version=DATASET_VERSION,
        mappings=mapping_list(model, path, concept),
        source_cites=source_cites,
    )
    meta = {
        "description": html_attr(concept.summary),
        "gapkb": {"kind": "concept", "id": concept.id, **edit_source(model, concept.id)},
        "citation": citation_meta(concept, url, site),
        "jsonld": concept_jsonld(model, concept, url),
    }
    return Page(path, body, meta)


def citation_meta(concept: Concept, url: str, site_title: str) -> dict[str, list[str]]:
    """Zotero's citation_* tags, one line each (the theme escapes them)."""
    tags = citations.citation_meta_tags(concept, page_url=url, site_title=site_title)
    return {
        name: [plain(value) for value in values]
        for name, values in tags.items()
        if CITATION_TAG.match(name)
    }


def concepts_index_page(model: SiteModel) -> Page:
    return index_page(model, "concepts/index.md", "concepts_index.md.j2", "Concepts")
