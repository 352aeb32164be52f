"""No page offers the RDF namespace's w3id.org address, which does not resolve yet.

The graph's IRIs stay under https://w3id.org/gapkb/ (gapkb.vocab.BASE) in the data: JSON-LD
`@id`, the dumps, the SPARQL prefixes. A reader sees an entry's IRI compacted
(`gapkb:concept/<id>`), never as a link, and the namespace named once, on the Data page,
with the note that it does not resolve yet (README: the w3id.org rules await registration).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gapkb.vocab import BASE, compact_iri, concept_iri, provision_iri
from tests.site.sitebuild import build_sample_site

HOST = "w3id.org"
OURS = BASE.split("://", 1)[1]  # "w3id.org/gapkb/", under http or https
NOTE = "not yet resolvable"
# Attributes a browser follows or loads.
URL_ATTRS = {"href", "src", "action", "formaction", "cite", "data", "poster", "xlink:href"}
# Where text is shown to a reader as a unit of its own.
BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
BLOCKS |= {"summary", "figcaption", "caption", "title", "label", "option", "button"}
HIDDEN = {"script", "style", "template"}  # data, not text (JSON-LD keeps the IRIs whole)


@dataclass
class Page:
    urls: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # the visible text, block by block
    titles: list[str] = field(default_factory=list)  # title, alt, aria-label: read out too


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.hidden = 0
        self.text: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.page.blocks.append(text)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in URL_ATTRS:
                self.page.urls.append(value.strip())
            if value and name in ("title", "alt", "aria-label", "placeholder"):
                self.page.titles.append(value)
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS or tag == "br":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self.flush()


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def dead_links(pages: dict[str, Page]) -> list[str]:
    """Every followed URL that points into the namespace."""
    return [
        f"{path}: {url}"
        for path, page in pages.items()
        for url in page.urls
        if url.lower().split("//", 1)[-1].startswith(OURS)
    ]


def named(pages: dict[str, Page]) -> list[str]:
    """Every bit of visible text that names w3id.org without saying it does not resolve."""
    return [
        f"{path}: {text}"
        for path, page in pages.items()
        for text in [*page.blocks, *page.titles]
        if HOST in text and NOTE not in text
    ]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("identifiers"))


@pytest.fixture(scope="module")
def pages(out: Path) -> dict[str, Page]:
    return {
        file.relative_to(out).as_posix(): read_page(file.read_text(encoding="utf-8"))
        for file in sorted(out.rglob("*.html"))
    }


@pytest.mark.slow  # builds the site
def test_no_page_links_to_the_namespace(pages: dict[str, Page]) -> None:
    assert sum(len(p.urls) for p in pages.values()) > 1000  # the reader reads links
    assert dead_links(pages) == []


@pytest.mark.slow  # builds the site
def test_w3id_org_is_named_only_where_the_namespace_is_explained(
    pages: dict[str, Page],
) -> None:
    assert named(pages) == []
    explained = [
        (path, text) for path, page in pages.items() for text in page.blocks if HOST in text
    ]
    assert [path for path, _ in explained] == ["data/index.html"]
    assert BASE in explained[0][1]


@pytest.mark.slow  # builds the site
def test_pages_show_the_compact_identifier(pages: dict[str, Page], out: Path) -> None:
    page = pages["concepts/red-teaming/index.html"]
    line = next(t for t in page.blocks if t.startswith("Identifier:"))
    assert line == "Identifier: gapkb:concept/red-teaming (its IRI in the RDF data)"
    assert any(
        t.startswith("Identifier: gapkb:instrument/eu-ai-act ")
        for t in pages["instruments/eu-ai-act/index.html"].blocks
    )
    # The data keeps the IRI whole: the page's JSON-LD and the dump.
    html = (out / "concepts" / "red-teaming" / "index.html").read_text(encoding="utf-8")
    assert f'"@id": "{concept_iri("red-teaming")}"' in html
    assert f"<{concept_iri('red-teaming')}>" in (out / "data" / "gapkb.nt").read_text()


@pytest.mark.slow  # builds the site
def test_the_search_index_names_w3id_org_only_on_the_data_page(out: Path) -> None:
    docs = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    naming = {d["location"].split("#", 1)[0] for d in docs if HOST in d["text"]}
    assert naming == {"data/"}


def test_compact_identifiers() -> None:
    assert compact_iri(str(concept_iri("model-merging-risk"))) == "gapkb:concept/model-merging-risk"
    assert (
        compact_iri(str(provision_iri("eu-ai-act", "art-5"))) == "gapkb:instrument/eu-ai-act/art-5"
    )
    assert compact_iri("https://w3id.org/dpv#Risk") == "https://w3id.org/dpv#Risk"  # not ours


def test_the_checks_find_planted_faults() -> None:
    planted = {
        "a.html": read_page(
            f'<p>See <a href="{BASE}concept/x">x</a>.</p><img src="HTTP://W3ID.ORG/gapkb/y">'
            '<a href="https://w3id.org/dpv">DPV</a><li>IRI <code>https://w3id.org/gapkb/x</code></li>'
            f'<script type="application/ld+json">{{"@id": "{BASE}concept/x"}}</script>'
            f'<p title="{BASE}z">namespace {BASE} ({NOTE})</p>'
        )
    }
    assert dead_links(planted) == [
        f"a.html: {BASE}concept/x",
        "a.html: HTTP://W3ID.ORG/gapkb/y",
    ]
    assert named(planted) == [
        "a.html: IRI https://w3id.org/gapkb/x",
        f"a.html: {BASE}z",
    ]
