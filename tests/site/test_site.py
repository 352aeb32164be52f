"""The wiki: pages built from tests/sample, hostile content, links, search, no network."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import pytest
import yaml
from click.testing import Result
from rdflib import Graph

from gapkb import citations, site
from gapkb.findings import GapkbError
from gapkb.pipeline import check
from gapkb.release.licence import FOOTER_TEXT
from gapkb.site import downloads
from gapkb.site.mkdocs_run import filter_nav
from gapkb.site.model import concept_doc
from gapkb.site.render import format_source
from gapkb.site.sanitize import (
    clean_fragment,
    clean_markdown,
    csv_cell,
    inert,
    plain,
    safe_child,
    safe_url,
)
from tests.conftest import AS_OF, REPO, SAMPLE

AS_OF_DATE = dt.date.fromisoformat(AS_OF)


# --- reading built HTML -------------------------------------------------------------------


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]


@dataclass
class Doc:
    """What the tests need from one HTML page."""

    path: Path
    tags: list[Tag] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    text: str = ""

    def find(self, tag_name: str, **attrs: str) -> list[Tag]:
        return [
            t
            for t in self.tags
            if t.name == tag_name
            and all(t.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]


class _Reader(HTMLParser):
    def __init__(self, doc: Doc) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.script: dict[str, str] | None = None
        self.buffer: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.doc.tags.append(Tag(tag, values))
        for key in ("id", "name"):
            if key in values and tag != "meta":
                self.doc.ids.add(values[key])
        if tag == "script":
            self.script, self.buffer = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.doc.scripts.append((self.script, "".join(self.buffer)))
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.buffer.append(data)
        else:
            self.texts.append(data)


_DOCS: dict[Path, Doc] = {}


def read(path: Path) -> Doc:
    """A built page, parsed once."""
    if path not in _DOCS:
        doc = Doc(path)
        reader = _Reader(doc)
        reader.feed(path.read_text(encoding="utf-8"))
        reader.close()
        doc.text = " ".join(" ".join(reader.texts).split())
        _DOCS[path] = doc
    return _DOCS[path]


def section(html_text: str, start_id: str) -> str:
    """The HTML from the element with id `start_id` to the next <h2>."""
    start = html_text.index(f'id="{start_id}"')
    end = html_text.find("<h2", start + 1)
    return html_text[start : end if end > 0 else len(html_text)]


def text_of(fragment: str) -> str:
    """Visible text, with tags as spaces and no space before punctuation."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r"\( ", "(", re.sub(r" ([,.;:)†])", r"\1", text))


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# --- building -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    out: Path
    docs: Path
    build: site.SiteBuild

    def page(self, url_path: str) -> Path:
        return self.out / url_path / "index.html"

    def html(self, url_path: str) -> str:
        return self.page(url_path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def no_network() -> Iterator[None]:
    """Any attempt to open a network connection fails the build."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the build tried to reach the network: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        yield


def build(root: Path, folder: Path, as_of: dt.date = AS_OF_DATE) -> Built:
    result = check(root, as_of)
    assert result.ok, [str(f) for f in result.findings]
    out, docs = folder / "public", folder / "docs"
    return Built(out, docs, site.build_site(result, out, docs_dir=docs))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, no_network: None) -> Built:
    """The sample knowledge base, built once for this module, with the network switched off."""
    return build(SAMPLE, tmp_path_factory.mktemp("site"))


# --- pages --------------------------------------------------------------------------------


@pytest.mark.slow  # builds the site
def test_build_writes_markdown_then_html(built: Built) -> None:
    for doc in (
        "index.md",
        "gaps.md",
        "matrix.md",
        "graph.md",
        "data.md",
        "concepts/index.md",
        "concepts/model-merging-risk.md",
        "instruments/index.md",
        "instruments/eu-ai-act.md",
        "categories/index.md",
        "categories/safety.md",
        "mappings.md",
    ):
        assert (built.docs / doc).is_file(), doc
        url = doc.removesuffix(".md").removesuffix("index")
        assert (
            (built.out / url / "index.html").is_file()
            if url
            else (built.out / "index.html").is_file()
        )
    # concepts, instruments, categories, and 12 index pages (gaps, gap history, matrix, graph,
    # compare, mappings, data, coverage statement, error codes, and the three indexes)
    assert built.build.pages == 4 + 3 + 3 + 12


@pytest.mark.slow  # builds the site
def test_concept_page_shows_used_by_zero(built: Built) -> None:
    doc = read(built.page("concepts/model-merging-risk"))
    assert "<title>Model merging risk - gapkb</title>" in built.html("concepts/model-merging-risk")
    glance = text_of(section(built.html("concepts/model-merging-risk"), "at-a-glance"))
    assert "Used by 0 binding instruments in force as of 2026-12-01" in glance
    assert "gap: implicit only" in glance
    assert "Reached by interpretation in binding instruments: EU AI Act" in glance
    assert "Related concepts: Alignment, Red-teaming" in glance
    assert "Primary source: Bhardwaj, Rishabh; Do, Duc Anh; Poria, Soujanya (2024-08)." in glance
    assert doc.find("a", href="https://doi.org/10.18653/v1/2024.acl-long.762")
    assert doc.find("a", href="https://aclanthology.org/2024.acl-long.762/")


@pytest.mark.slow  # builds the site
def test_concept_page_sections_in_order(built: Built) -> None:
    page = built.html("concepts/model-merging-risk")
    order = [
        "summary",
        "at-a-glance",
        "details",
        "coverage",
        "explicit-coverage",
        "implicit-coverage-by-interpretation",
        "references",
        "aliases",
        "about-this-entry",
        "how-to-cite-this-article",
        "cite-the-primary-source",
    ]
    positions = [page.index(f'id="{anchor}"') for anchor in order]
    assert positions == sorted(positions)
    doc = read(built.page("concepts/model-merging-risk"))
    assert "model-merging-risk · Safety · concept" in doc.text
    assert "Merging combines the weights of several models" in text_of(section(page, "details"))
    assert "weight merging" in text_of(section(page, "aliases"))
    about = text_of(section(page, "about-this-entry"))
    assert "Last updated: 2026-11-24 (created 2026-11-24)" in about
    assert "Permalink: https://gapkb.github.io/gapkb/concepts/model-merging-risk/" in about
    assert "concepts/model-merging-risk.yaml" in about


@pytest.mark.slow  # builds the site
def test_coverage_table_links_the_official_text(built: Built) -> None:
    page = built.html("concepts/model-merging-risk")
    explicit = text_of(section(page, "explicit-coverage"))
    assert "No provision in this knowledge base expressly governs this concept." in explicit
    implicit = section(page, "implicit-coverage-by-interpretation")
    cells = [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", implicit, re.S)]
    assert cells == [
        "EU AI Act interpretive (recital, not binding)",
        "Recital 110 official text",
        "implicit",
        "the potential to remove guardrails not checked",
        "Names the potential to remove guardrails as a source of systemic risk; merging can do so.",
        "in force",
    ]
    # The pinpoint links to the provision's place on its instrument's page; with no provision
    # URL in the sample, "official text" links to the instrument's.
    assert 'href="../../instruments/eu-ai-act/#provision-rec-110"' in implicit
    assert 'href="https://eur-lex.europa.eu/eli/reg/2024/1689/oj">official text</a>' in implicit
    assert '<q lang="en">the potential to remove guardrails</q>' in implicit
    red = section(built.html("concepts/red-teaming"), "explicit-coverage")
    assert "Art. 55(1)(a)" in text_of(red) and "explicit" in text_of(red)


@pytest.mark.slow  # builds the site
def test_no_longer_in_force_is_shown(built: Built) -> None:
    page = built.html("concepts/compute-threshold")
    glance = text_of(section(page, "at-a-glance"))
    assert "Used by 0 binding instruments in force" in glance and "gap: no longer covered" in glance
    assert (
        "Governed expressly by instruments no longer in force as of 2026-12-01: EO 14110" in glance
    )
    assert "no longer in force (since 2025-01-20)" in text_of(section(page, "explicit-coverage"))


def sample_concept(concept_id: str = "model-merging-risk") -> Any:
    return check(SAMPLE, AS_OF_DATE).kb.concepts[concept_id].entry


PAGE_URL = "https://gapkb.github.io/gapkb/concepts/model-merging-risk/"


@pytest.mark.slow  # builds the site
def test_citation_tabs_on_concept_page(built: Built) -> None:
    page = built.html("concepts/model-merging-risk")
    concept = sample_concept()
    expected = {
        "cite-page": citations.cite_concept_page(
            concept,
            page_url=PAGE_URL,
            site_title="gapkb",
            accessed=AS_OF_DATE,
            version=metadata.version("gapkb"),
        ),
        "cite-source": citations.cite_source(concept.primary_source),
    }
    labels = [citations.STYLE_LABELS[s] for s in citations.STYLES]
    for block, entries in expected.items():
        start = page.index(f'id="{block}"')
        chunk = page[start : page.index("</section>", start)]
        assert "tabbed-set tabbed-alternate" in chunk
        found = [
            html.unescape(x)
            for x in re.findall(r"<label for=\"__tabbed_[^\"]+\">([^<]*)</label>", chunk)
        ]
        assert found == labels
        copied = [html.unescape(x) for x in re.findall(r'data-clipboard-text="([^"]*)"', chunk)]
        formatted = [c for c in entries if c.style not in ("bibtex", "ris")]
        assert copied == [plain(c.text) for c in formatted]  # one copy button per formatted style
        codes = [html.unescape(x) for x in re.findall(r"<code>(.*?)</code>", chunk, re.S)]
        assert [re.sub(r"<[^>]+>", "", c).strip() for c in codes] == [
            c.text.strip() for c in entries if c.style in ("bibtex", "ris")
        ]  # BibTeX and RIS as code blocks, which get Material's copy button


@pytest.mark.slow  # builds the site
def test_meta_tags_and_json_ld(built: Built) -> None:
    doc = read(built.page("concepts/model-merging-risk"))
    names = {t.attrs["name"]: t.attrs["content"] for t in doc.find("meta") if "name" in t.attrs}
    tags = citations.citation_meta_tags(sample_concept(), page_url=PAGE_URL, site_title="gapkb")
    assert "citation_title" in tags
    for name, values in tags.items():
        assert [t.attrs["content"] for t in doc.find("meta", name=name)] == values
    assert names["gapkb:kind"] == "concept"
    nodes = [
        json.loads(body)
        for attrs, body in doc.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert len(nodes) == 1
    term = nodes[0]
    assert term["@type"] == "DefinedTerm" and term["name"] == "Model merging risk"
    assert term["@id"] == "https://w3id.org/gapkb/concept/model-merging-risk"
    assert term["citation"][0]["identifier"] == "https://doi.org/10.18653/v1/2024.acl-long.762"
    legislation = next(
        json.loads(b)
        for a, b in read(built.page("instruments/eu-ai-act")).scripts
        if a.get("type") == "application/ld+json"
    )
    assert legislation["@type"] == "Legislation"
    assert legislation["legislationLegalForce"] == "https://schema.org/InForce"


@pytest.mark.slow  # builds the site
def test_every_page_has_json_ld_and_data_links(built: Built) -> None:
    for path in pages(built.out):
        doc = read(path)
        lds = [b for a, b in doc.scripts if a.get("type") == "application/ld+json"]
        home = path == built.out / "index.html"  # the page, and the dataset
        assert len(lds) == (2 if home else 1), path
        for body in lds:
            assert "<" not in body
            json.loads(body)
        if path.name == "404.html":
            continue
        targets = {target for _, target, _ in internal_targets(built, path)}
        for file in ("data/gapkb.ttl", "data/gapkb.jsonld", "data/gapkb.nt", "data/coverage.csv"):
            assert built.out / file in targets, (path, file)
        assert "Coverage as of 2026-12-01" in doc.text


@pytest.mark.slow  # builds the site
def test_footer_states_the_licence_on_every_page(built: Built) -> None:
    assert FOOTER_TEXT == (
        "Content: Creative Commons Attribution 4.0 International (CC-BY-4.0). Code: MIT. "
        "Quotes of official texts are reproduced under the terms of their publishers."
    )
    for path in pages(built.out):
        doc = read(path)
        assert f"{FOOTER_TEXT} Content licence" in doc.text, path
        licence = [t.attrs["href"] for t in doc.find("a", rel="license")]
        assert licence == ["https://creativecommons.org/licenses/by/4.0/"], path


def json_ld(doc: Doc) -> list[Any]:
    return [json.loads(b) for a, b in doc.scripts if a.get("type") == "application/ld+json"]


@pytest.mark.slow  # builds the site
def test_home_page_describes_the_dataset(built: Built) -> None:
    [dataset] = [n for n in json_ld(read(built.out / "index.html")) if n["@type"] == "Dataset"]
    assert dataset["version"] == metadata.version("gapkb")
    assert dataset["@id"] == f"https://w3id.org/gapkb/dataset/{metadata.version('gapkb')}"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["temporalCoverage"] == AS_OF
    files = {d["name"]: d for d in dataset["distribution"]}
    assert list(files) == ["Turtle", "JSON-LD", "N-Triples", "CSV (coverage links)"]
    for file, title, mime in downloads.DATA_FILES.values():
        data = (built.out / file).read_bytes()
        assert files[title]["encodingFormat"] == mime
        assert files[title]["contentSize"] == f"{len(data)} B"
        assert files[title]["sha256"] == hashlib.sha256(data).hexdigest()
    # Only the home page: the other pages keep their own one node.
    assert [n["@type"] for n in json_ld(read(built.page("gaps")))] == ["CollectionPage"]


@pytest.mark.slow  # builds the site
def test_gaps_page_lists_kinds_in_order(built: Built) -> None:
    page = built.html("gaps")
    assert (
        "3 of 4 concepts are used by no binding instrument in force as of 2026-12-01."
        in text_of(page)
    )
    never, implicit, former = (
        page.index(f'id="gaps-{k}"') for k in ("never", "implicit-only", "no-longer")
    )
    assert never < implicit < former
    assert "Alignment" in text_of(section(page, "gaps-never"))
    implicit_text = text_of(section(page, "gaps-implicit-only"))
    assert "Model merging risk" in implicit_text and "EU AI Act Recital 110" in implicit_text
    assert "Compute threshold" in text_of(section(page, "gaps-no-longer"))
    assert "Model merging risk" not in text_of(section(page, "gaps-never"))
    assert "Red-teaming" in text_of(section(page, "covered"))


@pytest.mark.slow  # builds the site
def test_instrument_page_timeline(built: Built) -> None:
    page = built.html("instruments/eu-ai-act")
    rows = [
        text_of(r)
        for r in re.findall(r"<tr>(.*?)</tr>", section(page, "timeline"), re.S)
        if "<td" in r
    ]
    assert rows == [
        "2024-06-13 Adopted",
        "2024-07-12 Published",
        "2024-08-01 Entered into force",
        "2025-08-02 Art. 55(1)(a) applies from",
        "2026-08-02 Applies from",
        "2026-12-01 As of this view: in force",
    ]
    revoked = built.html("instruments/us-eo-14110")
    timeline = section(revoked, "timeline")
    assert "2025-01-20 Revoked by EO 14148" in text_of(timeline)
    assert 'href="../us-eo-14148/"' in timeline
    assert "As of this view: no longer in force (since 2025-01-20)" in text_of(timeline)
    assert "2025-01-20 Revoked EO 14110" in text_of(
        section(built.html("instruments/us-eo-14148"), "timeline")
    )


@pytest.mark.slow  # builds the site
def test_instrument_page_metadata_provisions_and_uncovered(built: Built) -> None:
    page = built.html("instruments/eu-ai-act")
    meta = text_of(section(page, "metadata"))
    for expected in (
        "Official title Regulation (EU) 2024/1689",
        "Identifier (celex) 32024R1689",
        "Jurisdiction EU",
        "Kind Regulation",
        "Binding yes",
        "Status (recorded) In force",
    ):
        assert expected in meta
    provisions = section(page, "provisions")
    assert 'id="provision-art-55-1-a"' in provisions
    assert "Red-teaming explicit" in text_of(provisions)
    assert "Model merging risk implicit" in text_of(provisions)
    uncovered = text_of(section(page, "concepts-not-covered"))
    assert "Alignment" in uncovered and "Compute threshold" in uncovered
    assert "Red-teaming" not in uncovered
    assert "tabbed-set" in section(page, "how-to-cite-this-instrument")


def test_unverified_fields_are_marked(sample_copy: Path) -> None:
    path = sample_copy / "instruments" / "us-eo-14148.yaml"
    path.write_text(path.read_text() + "unverified: [dates.in_force]\n")
    model = site.build_model(check(sample_copy, AS_OF_DATE), site.SiteSettings())
    page = next(p for p in site.render_pages(model) if p.path == "instruments/us-eo-14148.md")
    assert (
        '| <time datetime="2025-01-20">2025-01-20</time> <span class="gk-unverified"'
        in page.body.split("Entered into force")[0].rsplit("\n", 1)[-1]
    )
    assert "| Not yet verified | dates: in force |" in page.body


def test_unverified_field_paths_are_said_in_words() -> None:
    from gapkb.records import load_records
    from gapkb.site.provenance import field_words

    kb = load_records(SAMPLE)
    act = kb.instruments["eu-ai-act"].entry
    first = act.provisions[0]
    assert (
        field_words(act, "provisions.0.applies_from")
        == f"{first.label} ({first.title}): applies from"
    )
    assert field_words(act, "identifiers.celex") == "identifiers: celex"
    concept = kb.concepts["model-merging-risk"].entry
    assert field_words(concept, "references.1.container") == "reference 2: container"
    assert field_words(concept, "primary_source.doi") == "primary source: doi"


@pytest.mark.slow  # builds the site
def test_graph_is_static_svg(built: Built) -> None:
    page = built.html("graph")
    figure = page[page.index('<figure class="gk-graph"') :]
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert svg.count("<circle") == 4
    assert svg.count('class="gk-edge gk-edge--related"') == 2
    assert 'href="../concepts/model-merging-risk/"' in svg
    assert "<script" not in svg


@pytest.mark.slow  # builds the site
def test_search_index_leaves_out_citations_and_matrix(built: Built) -> None:
    index = json.loads((built.out / "search" / "search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    assert "Safety properties can change" in docs["concepts/model-merging-risk/#summary"]["text"]
    assert docs["concepts/model-merging-risk/#how-to-cite-this-article"]["text"] == ""
    assert docs["concepts/model-merging-risk/#cite-the-primary-source"]["text"] == ""
    everything = json.dumps(index, ensure_ascii=False)
    concept = sample_concept()
    cited = citations.cite_concept_page(
        concept, page_url=PAGE_URL, site_title="gapkb", accessed=AS_OF_DATE
    )
    for citation in cited:  # the page's own citations appear nowhere else on the page
        text = citation.text if citation.style in ("bibtex", "ris") else plain(citation.text)
        assert text.splitlines()[0] not in everything, citation.style
    assert "gk-cell" not in everything and "●" not in docs["matrix/"]["text"].split("Hover")[-1]


@pytest.mark.slow  # builds the site
def test_mappings_page_built_and_in_the_nav(built: Built) -> None:
    doc = read(built.page("mappings"))
    assert "0 of 4 concepts are mapped to at least one term of an outside taxonomy" in doc.text
    nist = text_of(section(built.html("mappings"), "nist-ai-600-1"))
    assert (
        "No concept maps to 12 of the 12 risks listed: §2.1 CBRN Information or Capabilities"
        in nist
    )
    home = read(built.out / "index.html")
    assert "mappings/" in [t.attrs.get("href") for t in home.find("a", class_="md-nav__link")]


@pytest.mark.slow  # builds the site
def test_only_index_pages_in_nav(built: Built) -> None:
    doc = read(built.out / "index.html")
    nav_links = [t.attrs["href"] for t in doc.find("a", class_="md-nav__link") if "href" in t.attrs]
    assert "gaps/" in nav_links and "concepts/" in nav_links and "matrix/" in nav_links
    assert not [
        h for h in nav_links if re.match(r"(concepts|instruments|categories)/[a-z0-9-]+/", h)
    ]


@pytest.mark.slow  # builds the site
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_data_downloads(built: Built) -> None:
    data = built.out / "data"
    turtle = Graph().parse(data / "gapkb.ttl", format="turtle")
    assert len(turtle) > 100
    assert len(Graph().parse(data / "gapkb.nt", format="nt")) == len(turtle)
    assert len(Graph().parse(data / "gapkb.jsonld", format="json-ld")) == len(turtle)
    rows = list(csv.DictReader(io.StringIO((data / "coverage.csv").read_text())))
    assert [
        (r["instrument"], r["provision"], r["concept"], r["strength"], r["applies_as_of"])
        for r in rows
    ] == [
        ("us-eo-14110", "sec-4-2-b", "compute-threshold", "explicit", "no"),
        ("eu-ai-act", "art-55-1-a", "red-teaming", "explicit", "yes"),
        ("eu-ai-act", "rec-110", "model-merging-risk", "implicit", "yes"),
    ]
    assert all(r["as_of"] == "2026-12-01" for r in rows)


@pytest.mark.slow  # builds the site
def test_the_dumps_hold_the_checked_graph(built: Built) -> None:
    # Written in a forked process while the pages are generated: the whole graph the
    # check produced (blank-node labels differ from one check to the next).
    from rdflib.compare import isomorphic

    result = check(SAMPLE, dt.date.fromisoformat(AS_OF))
    for name, fmt in (("gapkb.nt", "nt"), ("gapkb.ttl", "turtle")):
        dumped = Graph().parse(built.out / "data" / name, format=fmt)
        assert isomorphic(dumped, result.full_graph()), name


@pytest.mark.slow  # builds the site
def test_a_failing_dump_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(graph: Graph, docs_dir: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(downloads, "write_rdf_dumps", broken)
    result = check(SAMPLE, dt.date.fromisoformat(AS_OF), use_java=False)
    with pytest.raises(site.SiteError, match=r"writing the RDF dumps failed .*OSError: disk full"):
        site.build_site(result, tmp_path / "public", docs_dir=tmp_path / "docs")
    assert not (tmp_path / "docs" / downloads.DUMP_ERROR).exists()


@pytest.mark.slow  # builds the site
def test_print_stylesheet(built: Built) -> None:
    css = (built.out / "assets" / "gapkb.css").read_text()
    media = css[css.index("@media print") :]
    for selector in (".md-header", ".md-sidebar", ".md-search", ".md-footer", ".gk-copy"):
        assert selector in media
    for path in pages(built.out):
        links = [t.attrs.get("href", "") for t in read(path).find("link", rel="stylesheet")]
        assert any(h.endswith("assets/gapkb.css") for h in links), path


# --- links and network --------------------------------------------------------------------

URL_ATTRS = ("href", "src", "xlink:href", "action", "poster", "data")


def internal_targets(built: Built, path: Path) -> Iterator[tuple[str, Path, str]]:
    """(reference, file it points to, #fragment) for every internal href/src of a page."""
    base = "https://site.invalid/" + path.relative_to(built.out).as_posix()
    root_path = urlsplit("https://gapkb.github.io/gapkb/").path
    for tag in read(path).tags:
        for attr in URL_ATTRS:
            ref = tag.attrs.get(attr)
            if ref is None or (tag.name == "svg" and attr == "xmlns"):
                continue
            if ref.startswith("/"):
                ref = "/" + ref.removeprefix(root_path)  # the 404 page links from the site root
            parts = urlsplit(urljoin(base, ref))
            if parts.netloc != "site.invalid":
                continue
            target = built.out / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            yield ref, target, unquote(parts.fragment)


@pytest.mark.slow  # builds the site
def test_every_internal_link_and_anchor_resolves(built: Built) -> None:
    broken = []
    checked = 0
    for path in pages(built.out):
        for ref, target, fragment in internal_targets(built, path):
            checked += 1
            if not target.is_file():
                broken.append(
                    f"{path.relative_to(built.out)}: {ref} (no {target.relative_to(built.out)})"
                )
            elif fragment and target.suffix == ".html" and fragment not in read(target).ids:
                broken.append(f"{path.relative_to(built.out)}: {ref} (no #{fragment})")
    assert checked > 500
    assert broken == []


REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


@pytest.mark.slow  # builds the site
def test_no_remote_scripts_styles_or_fonts(built: Built) -> None:
    for path in pages(built.out):
        for tag in read(path).tags:
            if tag.name in ("script", "img", "iframe", "audio", "video", "source", "embed"):
                assert not REMOTE.match(tag.attrs.get("src", "")), (path, tag)
            if tag.name == "link" and set(tag.attrs.get("rel", "").split()) & {
                "stylesheet",
                "preconnect",
                "preload",
                "dns-prefetch",
                "icon",
                "modulepreload",
            }:
                assert not REMOTE.match(tag.attrs.get("href", "")), (path, tag)
        assert (
            "fonts.googleapis" not in path.read_text() and "fonts.gstatic" not in path.read_text()
        )
    for css in built.out.rglob("*.css"):
        text = css.read_text()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text), css


@pytest.mark.slow  # builds the site
def test_build_made_no_network_connection(built: Built) -> None:
    # The `built` fixture ran with every socket connection refused; it got this far.
    assert built.build.pages > 0


# --- hostile content ----------------------------------------------------------------------

PAYLOAD = (
    "<script>alert('x1')</script><img src=x onerror=alert('x2')> [c](javascript:alert('x3')) "
    '![i](data:text/html;base64,PHNjcmlwdD4=) <iframe src="https://evil.example/"></iframe> '
    "{: onclick=\"alert('x4')\" } \"><svg onload=alert('x5')> <a href=\"javascript:alert('x6')\">a</a> "
    "[r]: javascript:alert('x7') [r] `</code><script>alert('x8')</script>` &#106;avascript:x "
    "[e](&#106;avascript:alert('x9')) <javascript:alert('x10')> ]]></title></q></textarea>"
)
HOSTILE_MARKDOWN = f"""
# {PAYLOAD}

{PAYLOAD}

```html {{onclick=alert('x11')}}
<script>alert('x12')</script>
> breaks superfences
```

[ok](https://example.org/a_(b)) [u](https://evil.example/)[x](javascript:alert('x13'))

<div markdown onclick="alert('x14')">*x*</div>

    <script>alert('x15')</script>

[^1]: <b onmouseover=alert('x16')>x</b>

```
unclosed <script>alert('x17')</script>
"""
HOSTILE_URL = "https://evil.example/)[x](javascript:alert(18))"


def _hostile(value: Any, key: str = "") -> Any:
    """Every text field of an entry turned hostile; ids, dates, enums and URLs kept valid."""
    keep = {
        "id",
        "concept",
        "provision",
        "category",
        "kind",
        "status",
        "type",
        "strength",
        "jurisdiction",
        "binding",
        "year",
        "issued",
        "doi",
        "arxiv",
        "created",
        "updated",
        "revoked_by",
        "related",
        "broader",
        "languages",
        "quote_lang",
        "confidence",
        "reviewed",
        "unverified",
        "applies_from",
    }
    if key in keep or isinstance(value, dt.date):
        return value
    if key in ("url", "exact_match", "close_match"):
        return [HOSTILE_URL] if isinstance(value, list) else HOSTILE_URL
    if key == "details":
        return HOSTILE_MARKDOWN
    if isinstance(value, dict):
        return {k: _hostile(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, key) for v in value]
    if isinstance(value, str):
        return f"{value} {PAYLOAD}"
    return value


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def make_hostile(root: Path) -> None:
    for path in sorted((root / "concepts").glob("*.yaml")) + sorted(
        (root / "instruments").glob("*.yaml")
    ):
        entry = yaml.safe_load(path.read_text())
        entry = _hostile(entry)
        if "primary_source" in entry:
            entry["aliases"] = [PAYLOAD, "plain alias"]
            entry["primary_source"]["authors"] = [
                {"literal": PAYLOAD},
                {"family": PAYLOAD, "given": PAYLOAD},
            ]
            entry["references"] = [dict(entry["primary_source"], note=PAYLOAD)]
            entry["exact_match"] = [HOSTILE_URL]
        for link in entry.get("coverage", []):
            link.update(quote=PAYLOAD, quote_lang="fr", quote_en=PAYLOAD)
        for provision in entry.get("provisions", []):
            provision["url"] = HOSTILE_URL
        if "identifiers" in entry:
            entry["identifiers"]["hostile"] = PAYLOAD
            entry["issuer"] = PAYLOAD
            entry["summary"] = PAYLOAD
        path.write_text(yaml.dump(entry, Dumper=_Plain, allow_unicode=True, sort_keys=False))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, no_network: None) -> Built:
    folder = tmp_path_factory.mktemp("hostile")
    root = folder / "kb"
    shutil.copytree(SAMPLE, root)
    make_hostile(root)
    # The dataset description is ours, not a contributor's; made hostile all the same, it
    # must stay data in the home page's script.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gapkb.release.describe.DESCRIPTION", PAYLOAD)
        return build(root, folder)


BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "applet"}


def _scheme(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()


@pytest.mark.slow  # builds the site
def test_hostile_entries_reach_the_pages_as_text(hostile: Built) -> None:
    doc = read(hostile.page("concepts/model-merging-risk"))
    assert "<script>alert('x1')</script>" in doc.text  # shown, not run
    assert "[c](javascript:alert('x3'))" in doc.text
    assert read(hostile.page("instruments/eu-ai-act")).text.count("alert('x2')") > 5


def inline_scripts(out: Path) -> set[str]:
    """Bodies of the theme's own inline scripts (not JSON data)."""
    return {
        body
        for path in pages(out)
        for attrs, body in read(path).scripts
        if "src" not in attrs
        and attrs.get("type") not in ("application/ld+json", "application/json")
    }


def own_scripts(page: Path) -> set[str]:
    """Script sources of the same page built from clean entries (the theme's and the site's own)."""
    if not page.is_file():
        return set()
    return {attrs["src"] for attrs, _body in read(page).scripts if "src" in attrs}


@pytest.mark.slow  # builds the site
def test_hostile_entries_inject_nothing(hostile: Built, built: Built) -> None:
    theme_scripts = inline_scripts(built.out)
    problems = []
    for path in pages(hostile.out):
        doc = read(path)
        for tag in doc.tags:
            where = f"{path.relative_to(hostile.out)} <{tag.name} {tag.attrs}>"
            # 404.html sets its own <base> to the site's root (a theme override, so that it
            # works under any base path); no contributed text reaches that tag.
            own_base = tag.name == "base" and path.name == "404.html"
            if tag.name in FORBIDDEN_TAGS and not own_base:
                problems.append(f"forbidden tag: {where}")
            if tag.name == "meta" and "http-equiv" in tag.attrs:
                problems.append(f"meta http-equiv: {where}")
            for name, value in tag.attrs.items():
                if name.startswith("on"):
                    problems.append(f"event handler: {where}")
                if name in (*URL_ATTRS, "formaction", "srcset") and _scheme(value).startswith(
                    BAD_SCHEMES
                ):
                    problems.append(f"bad URL: {where}")
            if tag.name == "img":
                problems.append(f"image: {where}")
        for attrs, body in doc.scripts:
            if "src" in attrs:
                if REMOTE.match(attrs["src"]) or not (
                    "assets/javascripts/" in attrs["src"]
                    or attrs["src"] in own_scripts(built.out / path.relative_to(hostile.out))
                ):
                    problems.append(f"script source: {path}: {attrs['src']}")
            elif attrs.get("type") in ("application/ld+json", "application/json"):
                assert "<" not in body, path
                json.loads(body)
            elif body not in theme_scripts:
                problems.append(f"unknown inline script: {path}: {body[:80]}")
            if "alert(" in body and attrs.get("type") != "application/ld+json":
                problems.append(f"script with payload: {path}")
    assert problems == []


@pytest.mark.slow  # builds the site
def test_hostile_site_links_still_resolve(hostile: Built) -> None:
    broken = [
        f"{path}: {ref}"
        for path in pages(hostile.out)
        for ref, target, _ in internal_targets(hostile, path)
        if not target.is_file()
    ]
    assert broken == []


@pytest.mark.slow  # builds the site
def test_hostile_json_ld_and_meta_stay_data(hostile: Built) -> None:
    doc = read(hostile.page("concepts/model-merging-risk"))
    [term] = [json.loads(b) for a, b in doc.scripts if a.get("type") == "application/ld+json"]
    assert PAYLOAD in term["name"]
    titles = [t.attrs["content"] for t in doc.find("meta", name="citation_title")]
    assert titles and PAYLOAD in titles[0]
    raw = hostile.html("concepts/model-merging-risk")
    assert "<title>" in raw and "<script>alert" not in raw
    home = read(hostile.out / "index.html")
    [dataset] = [n for n in json_ld(home) if n["@type"] == "Dataset"]
    assert dataset["description"] == PAYLOAD  # `</script>`, quotes and all, kept as data
    assert len(home.scripts) == len(read(hostile.out / "gaps" / "index.html").scripts) + 1
    assert "<script>alert" not in (hostile.out / "index.html").read_text(encoding="utf-8")


# --- sanitiser units ----------------------------------------------------------------------


def render_md(text: str) -> str:
    """Render as the site does (the extensions of mkdocs.yml)."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    extensions: list[Any] = []
    configs: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            [(name, options)] = item.items()
            extensions.append(name)
            configs[name] = options
        else:
            extensions.append(item)
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "*x*{: onclick=alert(1) }",
    "`x`\\`<img src=x onerror=alert(1)>`",
    "```\n<img src=x onerror=alert(1)>\n> q\n```",
    "~~~\n</code></pre><img src=x onerror=alert(1)>\n~~~",
    "```\nunclosed <img src=x onerror=alert(1)>",
    "<!-- x --><img src=x onerror=alert(1)>",
    "[a](https://ok.example/)[b](javascript:alert(1))",
    '[a](https://ok.example/"onmouseover="alert(1))',
    '=== "<img src=x onerror=alert(1)>"\n\n    x',
    '!!! note "<img src=x onerror=alert(1)>"\n    x',
    "Setext <img src=x onerror=alert(1)>\n===",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "\\<img src=x onerror=alert(1)>",
    "\\\\[x](javascript:alert(1))",
    '<div markdown="1" onclick="alert(1)">x</div>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_clean_markdown_neutralises(attack: str) -> None:
    rendered = render_md(clean_markdown(attack))
    tags = re.findall(r"<([a-zA-Z][^\s>/]*)([^>]*)>", rendered)
    for name, attrs in tags:
        assert (
            name.lower() not in {"script", "img", "iframe", "svg", "div"} or "onclick" not in attrs
        )
        assert name.lower() not in {"script", "img", "iframe"}, rendered
        assert not re.search(r"\son\w+\s*=", attrs), rendered
        for value in re.findall(r"(?:href|src)=\"([^\"]*)\"", attrs):
            assert not _scheme(value).startswith(BAD_SCHEMES), rendered


def test_clean_markdown_keeps_what_contributors_write() -> None:
    text = (
        "# Heading\n\n**Bold**, *em*, `code <b>`, [a link](https://example.org/x_(y)) and a note.[^n]\n\n"
        "- one\n- two\n\n> quoted\n\n```python\nx = '<b>'\n```\n\n[^n]: The note."
    )
    rendered = render_md(clean_markdown(text))
    assert '<h3 id="heading">Heading<a class="headerlink"' in rendered
    assert "<strong>Bold</strong>" in rendered and "<em>em</em>" in rendered
    assert "<code>code &lt;b&gt;</code>" in rendered
    assert '<a href="https://example.org/x_%28y%29">a link</a>' in rendered
    assert "<li>one</li>" in rendered and "<blockquote>" in rendered
    assert (
        '<code class="language-python">x = &#39;&lt;b&gt;&#39;' in rendered
        or "x = '&lt;b&gt;'" in rendered
    )
    assert 'class="footnote"' in rendered


def test_inert_text_is_inert_everywhere() -> None:
    text = '[x](javascript:alert(1)) <b> *s* `c` {: .x} | & "q"'
    cell = render_md(f"| h |\n|---|\n| {inert(text)} |")
    assert "<a" not in cell and "<b>" not in cell and "<em>" not in cell and "<code>" not in cell
    [td] = re.findall(r"<td>(.*?)</td>", cell)
    assert html.unescape(td) == text
    attr = render_md(
        f'<span title="{inert(text)}">x</span> <button data-clipboard-text="{inert(text)}"></button>'
    )
    assert "<a" not in attr.replace("<a ", "")  # no link was made inside the attributes
    assert html.unescape(re.search(r'data-clipboard-text="([^"]*)"', attr).group(1)) == text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["- a", "+ a", "1. a", "# a", "> a", "=== a", "--- ", "    a", "| a |"]
)
def test_inert_text_cannot_start_a_block(text: str) -> None:
    rendered = render_md(f"{inert(text)}\n")
    assert rendered.startswith("<p>") and rendered.count("<") == 2, rendered
    assert html.unescape(rendered[3:-4]) == text.strip()


def test_clean_fragment_keeps_formatting_only() -> None:
    cleaned = clean_fragment(
        "Doe, J. (2024). <i>T [x](javascript:alert(1))</i> <script>alert(1)</script>"
        '<span class="csl-x" onclick="y" style="x">a</span> <a href="javascript:x">l</a> &amp; b'
    )
    rendered = render_md(cleaned)
    assert "<i>T" in rendered and '<span class="csl-x">a</span>' in rendered
    assert "<script" not in rendered and "onclick" not in rendered and "<a" not in rendered
    assert "alert(1)" in html.unescape(rendered)  # the text stays, as text


def test_safe_url() -> None:
    assert safe_url("https://example.org/a b") is None
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert (
        safe_url("https://x.example/)[x](javascript:y)")
        == "https://x.example/%29%5Bx%5D%28javascript:y%29"
    )
    assert safe_url("https://example.org/?a=1&b=2#f") == "https://example.org/?a=1&b=2#f"


def test_paths_only_from_ids(tmp_path: Path) -> None:
    for bad in ("../x", "a/b", "..", "x.md", "/etc/passwd", "A"):
        with pytest.raises(ValueError):
            concept_doc(bad)
        with pytest.raises(ValueError):
            safe_child(tmp_path, bad, suffix=".md")
    assert safe_child(tmp_path, "concepts", "x", suffix=".md") == tmp_path / "concepts" / "x.md"


def test_csv_cells_do_not_become_formulas() -> None:
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_cell("@SUM(1)") == "'@SUM(1)"
    assert csv_cell("plain") == "plain"


# --- library and command line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("directory_urls", "src", "target", "expected"),
    [
        (True, "concepts/a.md", "concepts/b.md", "../b/"),
        (True, "concepts/a.md", "index.md", "../../"),
        (True, "index.md", "concepts/index.md", "concepts/"),
        (True, "matrix.md", "instruments/x.md", "../instruments/x/"),
        (True, "concepts/a.md", "data/coverage.csv", "../../data/coverage.csv"),
        (True, "index.md", "index.md", "./"),
        (False, "concepts/a.md", "concepts/b.md", "b.html"),
        (False, "concepts/a.md", "index.md", "../index.html"),
        (False, "matrix.md", "concepts/index.md", "concepts/index.html"),
        (False, "concepts/a.md", "data/coverage.csv", "../data/coverage.csv"),
    ],
)
def test_raw_html_links(directory_urls: bool, src: str, target: str, expected: str) -> None:
    assert site.SiteSettings(directory_urls=directory_urls).href(src, target) == expected


def test_nav_skips_pages_not_written_yet(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# x")
    nav = [{"Home": "index.md"}, {"Methods": "methods.md"}, {"More": [{"Gone": "gone.md"}]}]
    kept, dropped = filter_nav(nav, tmp_path)
    assert kept == [{"Home": "index.md"}]
    assert dropped == ["methods.md", "gone.md"]


def test_pages_are_deterministic() -> None:
    result = check(SAMPLE, AS_OF_DATE)
    settings = site.SiteSettings("gapkb", "https://w3id.org/gapkb/")
    first = [p.text() for p in site.render_pages(site.build_model(result, settings))]
    second = [p.text() for p in site.render_pages(site.build_model(result, settings))]
    assert first == second


@pytest.mark.slow  # builds the site
def test_empty_knowledge_base_builds(tmp_path: Path) -> None:
    (tmp_path / "kb" / "concepts").mkdir(parents=True)
    (tmp_path / "kb" / "instruments").mkdir()
    built = build(tmp_path / "kb", tmp_path)
    assert built.build.pages == 12  # the index pages
    assert "0 of 0 concepts" in text_of(built.html("gaps"))


@pytest.mark.slow  # the whole check (HermiT) at several dates
def test_used_by_agrees_with_the_gap_rows() -> None:
    for day in ("2024-06-01", "2025-06-01", AS_OF):
        result = check(SAMPLE, dt.date.fromisoformat(day))
        model = site.build_model(result, site.SiteSettings())
        for cid in model.concepts:
            using = model.instruments_in(cid, "governs")
            assert len(using) == model.rows[cid].used_by, (day, cid)


@pytest.mark.slow  # builds the site
def test_refuses_folders_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.docx").write_text("precious")
    result = check(SAMPLE, AS_OF_DATE)
    with pytest.raises(GapkbError, match="not empty and was not written by `gapkb build`"):
        site.build_site(result, tmp_path / "out", docs_dir=tmp_path / "docs")
    assert (tmp_path / "out" / "thesis.docx").read_text() == "precious"
    with pytest.raises(GapkbError, match="must be apart"):
        site.build_site(result, tmp_path / "x", docs_dir=tmp_path / "x" / "docs")


def test_source_line_prints_its_address_once() -> None:
    from gapkb.model import Source

    def line(**fields: object) -> str:
        return format_source(Source.model_validate({"type": "article", "title": "T", **fields}))

    # The address is the link text, so that it survives printing ...
    assert line(year=2024, url="https://example.org/x").endswith(
        "[https://example.org/x](https://example.org/x)"
    )
    # ... and an address the arXiv or DOI link already gives is not repeated.
    arxiv = line(year=2024, arxiv="2402.11746", url="https://arxiv.org/abs/2402.11746")
    assert arxiv.endswith("[arXiv:2402.11746](https://arxiv.org/abs/2402.11746)")


def test_build_site_is_part_of_the_library() -> None:
    import gapkb

    assert gapkb.build_site is site.build_site
    assert "build_site" in gapkb.__all__


@pytest.mark.slow  # builds the site
def test_cli_build(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "--root", str(SAMPLE), "--as-of", AS_OF, "--out", "site-out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site-out" / "gaps" / "index.html").is_file()
    assert (tmp_path / "build" / "docs" / "gaps.md").is_file()
    assert "built 22 pages" in result.output
    again = run_cli("build", "--root", str(SAMPLE), "--as-of", AS_OF, "--out", "site-out")
    assert again.exit_code == 0, again.output


def test_cli_build_stops_on_violations(
    run_cli: Callable[..., Result],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = sample_copy / "concepts" / "alignment.yaml"
    path.write_text(
        path.read_text().replace("related: [model-merging-risk]", "related: [model-merging-rsk]")
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "--root", str(sample_copy), "--as-of", AS_OF, "--out", "out")
    assert result.exit_code == 1
    assert (
        "concepts/alignment.yaml:7: GK302 related[0]: unknown concept 'model-merging-rsk'"
        in result.output
    )
    assert "build stopped: 1 violation(s)" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_build_usage_error(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "mine.txt").write_text("x")
    result = run_cli("build", "--root", str(SAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "public is not empty and was not written by `gapkb build`" in result.output


@pytest.mark.slow  # builds the site twice
def test_setting_raw_html_aside_changes_no_page(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build hands the coverage tables past Python-Markdown; MkDocs on its own (no such
    # plugin) renders the very same pages from the same Markdown, only slower.
    from mkdocs.plugins import BasePlugin

    monkeypatch.setattr("gapkb.site.mkdocs_run.raw_html_set_aside", BasePlugin)
    plain = build(SAMPLE, tmp_path)
    pages = sorted(p.relative_to(built.out) for p in built.out.rglob("*.html"))
    assert pages == sorted(p.relative_to(plain.out) for p in plain.out.rglob("*.html"))

    def same(html: str) -> str:  # blank lines between blocks vary; they render as nothing
        return re.sub(r">\s+<", "><", html)

    for page in pages:
        html = (built.out / page).read_text(encoding="utf-8")
        assert same(html) == same((plain.out / page).read_text(encoding="utf-8")), page
        assert "gapkb-raw-" not in html  # no placeholder left behind
    index = "search/search_index.json"
    assert json.loads((built.out / index).read_text()) == json.loads(
        (plain.out / index).read_text()
    )
    assert '<div class="gk-coverage">' in built.html("concepts/model-merging-risk")
