"""The coverage matrix's data file (gapkb.site.matrix) and its small page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gapkb import site
from gapkb.pipeline import check
from gapkb.site.matrix import DATA, matrix_data
from tests.conftest import AS_OF, SAMPLE


@pytest.fixture(scope="module")
def model() -> site.SiteModel:
    result = check(SAMPLE, dt.date.fromisoformat(AS_OF), use_java=False)
    return site.build_model(result, site.SiteSettings("gapkb", "https://example.org/"))


def cells_by_title(data: dict) -> dict[tuple[str, str], list]:
    return {
        (data["concepts"][c]["title"], data["instruments"][i]["title"]): [strength, applies, p]
        for c, i, strength, applies, p in data["cells"]
    }


def test_matrix_data_cells(model: site.SiteModel) -> None:
    data = matrix_data(model)
    assert data["as_of"] == AS_OF
    assert [i["title"] for i in data["instruments"]] == ["EO 14110", "EO 14148", "EU AI Act"]
    assert [i["state"] == "in force" for i in data["instruments"]] == [False, True, True]
    assert {i["jurisdiction"] for i in data["instruments"]} == {"US", "EU"}
    cells = cells_by_title(data)
    assert cells[("Red-teaming", "EU AI Act")][:2] == ["explicit", 1]
    assert cells[("Model merging risk", "EU AI Act")][:2] == ["implicit", 1]
    assert cells[("Compute threshold", "EO 14110")][:2] == ["explicit", 0]  # revoked
    assert not [k for k in cells if k[0] == "Alignment"]  # no link: no cell
    assert len(data["cells"]) == len({(c[0], c[1]) for c in data["cells"]})  # one per pair
    concepts = {c["id"]: c for c in data["concepts"]}
    assert (
        concepts["red-teaming"]["used_by"] == 1 and concepts["red-teaming"]["status"] == "covered"
    )
    assert concepts["alignment"]["status"] == "never"
    assert data["categories"][concepts["alignment"]["category"]]["id"] == "safety"


def test_matrix_cells_link_to_their_provisions(model: site.SiteModel) -> None:
    """Each provision link is an anchor that the instrument page has, and the official text."""
    data = matrix_data(model)
    pages = {p.path: p.text() for p in site.render_pages(model)}
    for _, instrument, _, _, provisions in data["cells"]:
        inst = data["instruments"][instrument]
        for label, strength, applies, place, official in provisions:
            page, anchor = place.split("#")
            assert page == inst["url"]
            body = pages[page.rstrip("/") + ".md"]
            assert f'id="{anchor}"' in body, (label, anchor)
            assert strength in ("explicit", "implicit") and applies in (0, 1)
            assert official.startswith("https://")


def test_matrix_page_does_not_grow_with_the_cells(model: site.SiteModel) -> None:
    [page] = [p for p in site.render_pages(model) if p.path == "matrix.md"]
    assert "<table" not in page.body and "gk-cell" not in page.body
    assert f'data-src="../{DATA}"' in page.body
    assert re.search(r'href="\.\./data/coverage\.csv"', page.body)  # the no-script fallback
    assert len(page.body) < 3000
