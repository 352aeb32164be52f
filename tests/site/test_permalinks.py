"""Every address the built site gives under its `site_url` is followed to a file in public/.

Permalinks, canonical links, the URLs in the citation blocks, JSON-LD, the citation_* tags,
the sitemap and coverage.csv's provision_url are all built from mkdocs.yml's `site_url`;
a reader who cites one must land on the page (and the anchor) it names.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from gapkb.release.w3id import site_url_of
from tests.conftest import REPO
from tests.site.sitebuild import build_sample_site

SITE_URL = site_url_of(REPO / "mkdocs.yml")
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}]+")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Parsed:
    """What one page says: its ids, and each address under the site's URL by where it was."""

    ids: set[str] = field(default_factory=set)
    found: list[tuple[str, str]] = field(default_factory=list)  # (kind, url)


class _Reader(HTMLParser):
    def __init__(self, site_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_url = site_url
        self.page = Parsed()
        self.cite_depth = 0  # > 0 inside a <section class="gk-cite">
        self.jsonld: list[str] | None = None

    def add(self, kind: str, url: str | None) -> None:
        if url and url.startswith(self.site_url):
            self.page.found.append((kind, url))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(str(a["id"]))
        if tag == "a" and a.get("name"):
            self.page.ids.add(str(a["name"]))
        if self.cite_depth:
            self.cite_depth += tag == "section"
            self.cite_text(a.get("data-clipboard-text") or "")
        elif tag == "section" and "gk-cite" in (a.get("class") or "").split():
            self.cite_depth = 1
        if tag == "link" and a.get("rel") == "canonical":
            self.add("canonical", a.get("href"))
        elif tag == "a":
            self.add("link", a.get("href"))
        elif tag == "meta" and (a.get("name") or "").startswith("citation_"):
            self.add("citation tag", a.get("content"))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self.jsonld = []

    def handle_endtag(self, tag: str) -> None:
        if self.cite_depth and tag == "section":
            self.cite_depth -= 1
        if tag == "script" and self.jsonld is not None:
            for url in _strings(json.loads("".join(self.jsonld))):
                self.add("JSON-LD", url)
            self.jsonld = None

    def handle_data(self, data: str) -> None:
        if self.jsonld is not None:
            self.jsonld.append(data)
        elif self.cite_depth:
            self.cite_text(data)

    def cite_text(self, text: str) -> None:
        for url in URL_IN_TEXT.findall(text):
            self.add("citation", url.rstrip(".,;:)"))


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def parse(html: str, site_url: str) -> Parsed:
    reader = _Reader(site_url)
    reader.feed(html)
    reader.close()
    return reader.page


@dataclass
class Site:
    out: Path
    site_url: str
    pages: dict[str, Parsed]  # path inside public/ -> what it says

    def addresses(self) -> Iterator[tuple[str, str, str]]:
        """(where, kind, url) for every address under the site's URL the build wrote."""
        for path, page in self.pages.items():
            for kind, url in page.found:
                yield path, kind, url
        sitemap = ET.parse(self.out / "sitemap.xml").getroot()
        for loc in sitemap.iter(f"{SITEMAP}loc"):
            yield "sitemap.xml", "sitemap", (loc.text or "").strip()
        table = (self.out / "data" / "coverage.csv").read_text(encoding="utf-8")
        for row in csv.DictReader(io.StringIO(table, newline="")):
            yield "data/coverage.csv", "provision_url", row["provision_url"]


def read_site(out: Path, site_url: str) -> Site:
    pages = {
        file.relative_to(out).as_posix(): parse(file.read_text(encoding="utf-8"), site_url)
        for file in sorted(out.rglob("*.html"))
    }
    return Site(out, site_url, pages)


def unresolved(site: Site, url: str) -> str | None:
    """Why `url` does not lead to a file of the built site (and the anchor in it), or None."""
    parts = urlsplit(url)
    if not url.startswith(site.site_url):
        return "not under the site's URL"
    path = unquote(url[len(site.site_url) :].split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/") or ".." in path.split("/"):
        return "leaves the site"
    if not path or path.endswith("/") or (site.out / path).is_dir():
        path = path.rstrip("/") + "/index.html" if path.rstrip("/") else "index.html"
    if not (site.out / path).is_file():
        return f"no file {path}"
    if parts.fragment:
        page = site.pages.get(path)
        if page is None or unquote(parts.fragment) not in page.ids:
            return f"no id {parts.fragment!r} in {path}"
    return None


def problems(site: Site) -> list[str]:
    return [
        f"{where}: {kind} {url} → {why}"
        for where, kind, url in site.addresses()
        if (why := unresolved(site, url))
    ]


# --- the built sample site ----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return read_site(build_sample_site(tmp_path_factory.mktemp("permalinks")), SITE_URL)


@pytest.mark.slow  # builds the site
def test_every_address_under_the_site_url_resolves(site: Site) -> None:
    assert not problems(site), "\n".join(problems(site))


@pytest.mark.slow  # builds the site
def test_the_checker_follows_every_kind_of_address(site: Site) -> None:
    """A guard: each kind of address is there to follow, on the pages it belongs to."""
    kinds = Counter(kind for _, kind, _ in site.addresses())
    pages = [p for p in site.pages if p != "404.html"]
    assert kinds["canonical"] == len(pages)
    assert kinds["sitemap"] == len(pages)
    assert kinds["JSON-LD"] >= len(pages)
    concepts = [p for p in pages if re.fullmatch(r"concepts/[a-z0-9-]+/index\.html", p)]
    assert len(concepts) == 4
    for path in concepts:
        found = {(kind, url) for kind, url in site.pages[path].found}
        page_url = SITE_URL + path.removesuffix("index.html")
        for kind in ("canonical", "link", "citation", "citation tag", "JSON-LD"):
            assert (kind, page_url) in found, (path, kind)
    anchored = [url for _, kind, url in site.addresses() if kind == "provision_url"]
    assert anchored and all("#provision-" in url for url in anchored)


# --- the checker finds what it is for -----------------------------------------------------

PLANTED = """<!doctype html><html><head>
<link rel="canonical" href="https://example.org/kb/a/">
<meta name="citation_public_url" content="https://example.org/kb/gone/">
<script type="application/ld+json">{"url": "https://example.org/kb/a/#nowhere",
 "isPartOf": {"url": "https://example.org/kb/"}, "sameAs": "https://elsewhere.org/x"}</script>
</head><body><h1 id="top">A</h1>
<a href="https://example.org/kb/a/#top">ok</a> <a href="https://example.org/kb/data/x.csv">ok</a>
<a href="https://example.org/kb/../etc/passwd">escape</a>
<section class="gk-cite"><span>A. (2026). <i>A</i>. https://example.org/kb/b/.</span>
<button data-clipboard-text="A, &lt;https://example.org/kb/a/&gt; accessed"></button></section>
<p>Not a citation: https://example.org/kb/c/</p>
</body></html>
"""


def test_checker_finds_planted_faults(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a\r\n1\r\n")
    (tmp_path / "a" / "index.html").write_text(PLANTED)
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "sitemap.xml").write_text(
        f'<urlset xmlns="{SITEMAP[1:-1]}"><url><loc>https://example.org/kb/a/</loc></url>'
        "<url><loc>https://example.org/kb/missing/</loc></url></urlset>"
    )
    (tmp_path / "data" / "coverage.csv").write_text(
        "provision_url\r\nhttps://example.org/kb/a/#top\r\nhttps://example.org/kb/a/#provision-x\r\n"
    )
    planted = read_site(tmp_path, "https://example.org/kb/")
    assert [(kind, url) for _, kind, url in planted.addresses()] == [
        ("canonical", "https://example.org/kb/a/"),
        ("citation tag", "https://example.org/kb/gone/"),
        ("JSON-LD", "https://example.org/kb/a/#nowhere"),
        ("JSON-LD", "https://example.org/kb/"),
        ("link", "https://example.org/kb/a/#top"),
        ("link", "https://example.org/kb/data/x.csv"),
        ("link", "https://example.org/kb/../etc/passwd"),
        ("citation", "https://example.org/kb/b/"),
        ("citation", "https://example.org/kb/a/"),
        ("sitemap", "https://example.org/kb/a/"),
        ("sitemap", "https://example.org/kb/missing/"),
        ("provision_url", "https://example.org/kb/a/#top"),
        ("provision_url", "https://example.org/kb/a/#provision-x"),
    ]
    assert problems(planted) == [
        "a/index.html: citation tag https://example.org/kb/gone/ → no file gone/index.html",
        "a/index.html: JSON-LD https://example.org/kb/a/#nowhere → no id 'nowhere' in a/index.html",
        "a/index.html: link https://example.org/kb/../etc/passwd → leaves the site",
        "a/index.html: citation https://example.org/kb/b/ → no file b/index.html",
        "sitemap.xml: sitemap https://example.org/kb/missing/ → no file missing/index.html",
        "data/coverage.csv: provision_url https://example.org/kb/a/#provision-x → "
        "no id 'provision-x' in a/index.html",
    ]
