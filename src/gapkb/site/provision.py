"""Each provision's place on the site: an anchor on its instrument's page.

One place per provision, built here only, so that the coverage tables, the instrument
pages, the matrix, the compare page and coverage.csv all point at the same address:
`instruments/<instrument>/#provision-<provision>`. An anchor rather than a page of its own:
the site has about 1,700 provisions (17,000 in the benchmark's ×10 corpus), and a page
each would multiply the pages MkDocs renders for text the instrument page already holds.
The same address is what `gapkb serve` and the w3id.org rules send a provision's IRI to
(gapkb.sparql.dereference, gapkb.release.w3id); the anchor itself is gapkb.vocab's.
"""

from __future__ import annotations

from gapkb.site.model import SiteSettings, instrument_doc, md_path
from gapkb.site.sanitize import Md
from gapkb.vocab import provision_anchor as provision_anchor  # the one convention


def provision_url(settings: SiteSettings, instrument_id: str, provision_id: str) -> str:
    """The provision's stable URL: absolute under the site's address when mkdocs.yml sets
    one, else relative to the site's root ('instruments/eu-ai-act/#provision-art-5')."""
    doc = instrument_doc(instrument_id)
    page = settings.absolute(doc) or settings.url_path(doc)
    return f"{page}#{provision_anchor(provision_id)}"


def provision_md(page: str, instrument_id: str, provision_id: str) -> str:
    """A Markdown link target to the provision from the Markdown page `page` (MkDocs turns
    it into the right URL and checks that the anchor exists)."""
    return md_path(page, instrument_doc(instrument_id), provision_anchor(provision_id))


def provision_href(settings: SiteSettings, page: str, instrument_id: str, provision_id: str) -> Md:
    """A relative URL to the provision from `page`, for raw HTML and page data, which MkDocs
    does not rewrite."""
    return settings.href(page, instrument_doc(instrument_id), provision_anchor(provision_id))
