"""Each provision's place on the site (gapkb.site.provision): one address, used everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from gapkb import site
from gapkb.pipeline import check
from gapkb.site import downloads
from gapkb.site.provision import provision_anchor, provision_href, provision_md, provision_url
from gapkb.site.render import Page
from tests.conftest import AS_OF, SAMPLE

SETTINGS = site.SiteSettings("gapkb", "https://gapkb.github.io/gapkb/")


@pytest.fixture(scope="module")
def rendered() -> tuple[site.SiteModel, dict[str, Page]]:
    result = check(SAMPLE, dt.date.fromisoformat(AS_OF), use_java=False)
    model = site.build_model(result, SETTINGS)
    return model, {p.path: p for p in site.render_pages(model)}


def test_one_address_per_provision() -> None:
    assert provision_anchor("art-55-1-a") == "provision-art-55-1-a"
    assert (
        provision_url(SETTINGS, "eu-ai-act", "art-55-1-a")
        == "https://gapkb.github.io/gapkb/instruments/eu-ai-act/#provision-art-55-1-a"
    )
    # Without a site address: relative to the site's root; without directory URLs, a file.
    assert (
        provision_url(site.SiteSettings(), "eu-ai-act", "rec-110")
        == "instruments/eu-ai-act/#provision-rec-110"
    )
    flat = site.SiteSettings(directory_urls=False)
    assert (
        provision_url(flat, "eu-ai-act", "rec-110")
        == "instruments/eu-ai-act.html#provision-rec-110"
    )
    assert (
        provision_md("concepts/red-teaming.md", "eu-ai-act", "rec-110")
        == "../instruments/eu-ai-act.md#provision-rec-110"
    )
    assert (
        provision_href(SETTINGS, "compare.md", "eu-ai-act", "rec-110")
        == "../instruments/eu-ai-act/#provision-rec-110"
    )


@pytest.mark.parametrize("bad", ["../x", "Art 5", "a/b", ""])
def test_an_anchor_is_built_from_an_id_only(bad: str) -> None:
    with pytest.raises(ValueError, match="kebab-case"):
        provision_anchor(bad)


def test_every_provision_has_its_heading(rendered: tuple[site.SiteModel, dict[str, Page]]) -> None:
    model, pages = rendered
    for instrument in model.instruments.values():
        body = pages[f"instruments/{instrument.id}.md"].body
        for provision in instrument.provisions:
            anchor = provision_anchor(provision.id)
            assert f'<h3 class="gk-provision-title" id="{anchor}">' in body, anchor
    act = pages["instruments/eu-ai-act.md"].body
    block = act.split('id="provision-art-55-1-a"')[1].split("<h3")[0]
    assert "Model evaluation of general-purpose AI models with systemic risk" in block
    assert "gk-binding--binding" in block and "<strong>Applies</strong> from 2025-08-02" in block
    assert '<q lang="en">conducting and documenting adversarial testing of the model</q>' in block
    assert '<a href="../../concepts/red-teaming/">Red-teaming</a>' in block
    assert "not checked" in block  # the quote's proof
    recital = act.split('id="provision-rec-110"')[1].split("<h3")[0]
    assert "interpretive &#40;recital, not binding&#41;" in recital
    # The table of contents lists the sections, not every provision: the headings are raw HTML.
    assert "\n### " not in act.split("## Provisions")[1].split("## Concepts not covered")[0]


# A provision linked from Markdown (`.md#anchor`) or from a raw HTML table (`/#anchor`).
PROVISION_LINK = re.compile(
    r"(?:\]\(|href=\")(?:\.\./)*(?:instruments/)?([a-z0-9-]+)(?:\.md|/)#(provision-[a-z0-9-]+)[)\"]"
)


def test_every_provision_link_lands_on_a_heading(
    rendered: tuple[site.SiteModel, dict[str, Page]],
) -> None:
    _, pages = rendered
    links = [
        (path, m[1], m[2])
        for path, page in pages.items()
        for m in re.finditer(PROVISION_LINK, page.body)
    ]
    assert any(path == "concepts/red-teaming.md" for path, _, _ in links)
    for path, instrument, anchor in links:
        assert f'id="{anchor}"' in pages[f"instruments/{instrument}.md"].body, (path, anchor)


def test_coverage_tables_link_the_provision_and_its_official_text(
    rendered: tuple[site.SiteModel, dict[str, Page]],
) -> None:
    _, pages = rendered
    red = pages["concepts/red-teaming.md"].body
    assert (
        '<a href="../../instruments/eu-ai-act/#provision-art-55-1-a">Art. 55&#40;1&#41;&#40;a&#41;</a>'
        in red
    )
    assert '<span class="gk-official"><a href="https://eur-lex.europa.eu/' in red


def test_coverage_csv_holds_the_place_and_the_official_url(
    rendered: tuple[site.SiteModel, dict[str, Page]],
) -> None:
    model, _ = rendered
    rows = list(csv.DictReader(io.StringIO(downloads.coverage_csv(model))))
    assert "provision_page" not in rows[0]
    for row in rows:
        assert row["provision_url"] == provision_url(SETTINGS, row["instrument"], row["provision"])
        instrument = model.instruments[row["instrument"]]
        provision = next(p for p in instrument.provisions if p.id == row["provision"])
        assert row["official_url"] == (provision.url or instrument.url)


def test_entry_pages_name_their_yaml_for_the_edit_link(
    rendered: tuple[site.SiteModel, dict[str, Page]],
) -> None:
    _, pages = rendered
    assert pages["concepts/red-teaming.md"].meta["gapkb"]["source"] == "concepts/red-teaming.yaml"
    assert pages["instruments/eu-ai-act.md"].meta["gapkb"]["source"] == "instruments/eu-ai-act.yaml"
    assert "source" not in pages["gaps.md"].meta.get("gapkb", {})
