"""Category pages: the concepts of one category."""

from __future__ import annotations

from gapkb.model import Category
from gapkb.site.jsonld import _web_page
from gapkb.site.model import SiteModel, category_doc, label
from gapkb.site.render import Page, index_page, render


def category_page(model: SiteModel, category: Category) -> Page:
    path = category_doc(category)
    body = render(
        "category.md.j2", path, model, category=category, concepts=model.concepts_in(category)
    )
    name = f"{label(category.value)} concepts"
    return Page(path, body, {"jsonld": _web_page(model, path, name, "CollectionPage")})


def categories_index_page(model: SiteModel) -> Page:
    return index_page(model, "categories/index.md", "categories_index.md.j2", "Categories")
