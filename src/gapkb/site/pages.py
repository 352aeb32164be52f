"""Every generated page of the site, in memory."""

from __future__ import annotations

from gapkb.citations import cite_instrument
from gapkb.citations.cache import CitationJob
from gapkb.model import Category
from gapkb.site import concept
from gapkb.site.categories import categories_index_page, category_page
from gapkb.site.compare import compare_page
from gapkb.site.concept import concept_page, concepts_index_page
from gapkb.site.coverage import coverage_page
from gapkb.site.downloads import data_page
from gapkb.site.error_codes import error_codes_page
from gapkb.site.gaps import gaps_page
from gapkb.site.graph import graph_page
from gapkb.site.history import history_page
from gapkb.site.instrument import instrument_page, instruments_index_page
from gapkb.site.mappings import mappings_page
from gapkb.site.matrix import matrix_page
from gapkb.site.model import SiteModel
from gapkb.site.render import Page


def render_pages(model: SiteModel) -> list[Page]:
    """Every generated page of the site (without touching the disk)."""
    pages = [concept_page(model, c) for c in model.concepts.values()]
    pages += [instrument_page(model, i) for i in model.instruments.values()]
    pages += [category_page(model, cat) for cat in Category if model.concepts_in(cat)]
    pages += [
        concepts_index_page(model),
        instruments_index_page(model),
        categories_index_page(model),
        mappings_page(model),
        compare_page(model),
        gaps_page(model),
        history_page(model),
        matrix_page(model),
        graph_page(model),
        data_page(model),
        coverage_page(model),
        error_codes_page(),
    ]
    return pages


def citation_jobs(model: SiteModel) -> list[CitationJob]:
    """Every citation the pages will ask for, so that a build can render them ahead."""
    jobs = [job for c in model.concepts.values() for job in concept.citation_jobs(model, c)]
    return jobs + [CitationJob.of(cite_instrument, i) for i in model.instruments.values()]
