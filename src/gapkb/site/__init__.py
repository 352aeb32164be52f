"""Step 5c: the wiki — Markdown pages written from a check result, then `mkdocs build --strict`.

The package mirrors the site: the model every page reads (`model`), the templates and
their helpers (`render`), then one module per kind of page (`concept`, `instrument`,
`categories`, `gaps`, `matrix`, `graph`, `downloads`; a provision page would be one more),
their JSON-LD (`jsonld`), the list of every page (`pages`), the build (`build`) and the
MkDocs run (`mkdocs_run`).

Pages are plain Markdown files written into a build folder *before* MkDocs runs, not
generated inside an MkDocs plugin (DESIGN.md: Material for MkDocs is in maintenance mode,
so a later switch of builder must stay small: `mkdocs_run` and `site/overrides/` are the
only MkDocs-specific parts). Every value from a contributor's file passes through
`gapkb.site.sanitize` before it reaches a page; templates escape anything not marked `Md`.

Library use::

    from gapkb.site import build_site, render_pages, build_model, SiteSettings
    result = gapkb.check("tests/sample", dt.date(2026, 12, 1))
    build_site(result, "public", docs_dir="build/docs")      # pages + data + mkdocs
    pages = render_pages(build_model(result, SiteSettings()))  # just the Markdown, in memory
"""

from gapkb.site.build import (
    DEFAULT_CACHE_DIR,
    DEFAULT_DOCS_DIR,
    SiteBuild,
    build_site,
    generation_time,
)
from gapkb.site.model import SiteError, SiteModel, SiteSettings, build_model
from gapkb.site.pages import render_pages

__all__ = [
    "DEFAULT_CACHE_DIR",
    "DEFAULT_DOCS_DIR",
    "SiteBuild",
    "SiteError",
    "SiteModel",
    "SiteSettings",
    "build_model",
    "build_site",
    "generation_time",
    "render_pages",
]
