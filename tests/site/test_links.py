"""Every link of the built sample site: internal targets and anchors exist, nothing else but http(s)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site.sitebuild import build_sample_site

pytestmark = pytest.mark.slow  # builds the site

# Attributes that hold a URL (HTML, plus SVG's href and xlink:href).
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "cite", "xlink:href"}
EXTERNAL_SCHEMES = {"http", "https"}
# Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:").
SCRIPT_URL = re.compile(r"j\W*a\W*v\W*a\W*s\W*c\W*r\W*i\W*p\W*t\W*:", re.IGNORECASE)
# Pages the sample must produce: a guard against a checker that silently checks nothing.
EXPECTED_PAGES = {
    "index.html",
    "404.html",
    "gaps/index.html",
    "matrix/index.html",
    "graph/index.html",
    "data/index.html",
    "methods/index.html",
    "concepts/index.html",
    "concepts/model-merging-risk/index.html",
    "concepts/alignment/index.html",
    "concepts/red-teaming/index.html",
    "concepts/compute-threshold/index.html",
    "instruments/index.html",
    "instruments/eu-ai-act/index.html",
    "instruments/us-eo-14110/index.html",
    "instruments/us-eo-14148/index.html",
    "categories/index.html",
    "categories/safety/index.html",
}


@dataclass(frozen=True)
class Link:
    page: str  # the page's path inside the site, e.g. "concepts/alignment/index.html"
    tag: str
    attr: str
    url: str


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    attr_values: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self, path: str, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.page = path, page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            self.page.attr_values.append(value)  # entities already decoded
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            if name in URL_ATTRS:
                self.page.links.append(Link(self.path, tag, name, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        url = candidate.split()[0]
                        self.page.links.append(Link(self.path, tag, name, url))

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Site:
    out: Path
    base_path: str  # the path of site_url, e.g. "/gapkb/": 404.html links from the server root
    pages: dict[str, Page]


def _parse(out: Path) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for file in sorted(out.rglob("*.html")):
        rel = file.relative_to(out).as_posix()
        page = Page()
        collector = _Collector(rel, page)
        collector.feed(file.read_text(encoding="utf-8"))
        collector.close()
        pages[rel] = page
    return pages


def read_site(out: Path) -> Site:
    """Parse every page of a built site."""
    pages = _parse(out)
    canonical = [
        link.url
        for link in pages["index.html"].links
        if link.tag == "link" and link.attr == "href" and link.url.startswith("http")
    ]
    base_path = urlsplit(canonical[0]).path if canonical else "/"
    return Site(out, base_path if base_path.endswith("/") else base_path + "/", pages)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return read_site(build_sample_site(tmp_path_factory.mktemp("links")))


def _all_links(site: Site) -> Iterator[Link]:
    for page in site.pages.values():
        yield from page.links


def _target(site: Site, link: Link) -> tuple[str | None, str]:
    """The file an internal link points at (a path inside the site), or None and why not."""
    path = unquote(urlsplit(link.url).path)
    if not path:  # "#anchor" or "?query" alone: this page
        return link.page, ""
    if path.startswith("/"):
        if not path.startswith(site.base_path):
            return None, f"absolute path outside the site's base {site.base_path}"
        joined = path[len(site.base_path) :]
    else:
        joined = posixpath.join(posixpath.dirname(link.page), path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return None, "climbs out of the site folder"
    normal = "" if normal == "." else normal
    if path.endswith("/") or not normal or (site.out / normal).is_dir():
        normal = posixpath.join(normal, "index.html")
    return normal, ""


# --- the checks: each returns one line per problem ----------------------------------------


def missing_targets(site: Site) -> list[str]:
    problems = []
    for link in _all_links(site):
        if urlsplit(link.url).scheme or link.url.startswith("//"):
            continue
        target, why = _target(site, link)
        if target is None:
            problems.append(f"{link.page}: <{link.tag} {link.attr}={link.url!r}> {why}")
        elif not (site.out / target).is_file():
            problems.append(
                f"{link.page}: <{link.tag} {link.attr}={link.url!r}> → {target} missing"
            )
    return problems


def missing_anchors(site: Site) -> tuple[list[str], int]:
    """Problems, and how many anchors were checked."""
    problems, checked = [], 0
    for link in _all_links(site):
        parts = urlsplit(link.url)
        if parts.scheme or link.url.startswith("//") or not parts.fragment:
            continue
        target, _ = _target(site, link)
        if target is None or target not in site.pages:
            continue  # a missing page is missing_targets' finding; non-HTML has no anchors
        checked += 1
        if unquote(parts.fragment) not in site.pages[target].ids:
            problems.append(f"{link.page}: {link.url!r} → no id {parts.fragment!r} in {target}")
    return problems, checked


def foreign_schemes(site: Site) -> list[str]:
    problems = []
    for link in _all_links(site):
        scheme = urlsplit(link.url).scheme.lower()
        if link.url.startswith("//"):
            problems.append(f"{link.page}: {link.url!r} has no scheme")
        elif scheme and scheme not in EXTERNAL_SCHEMES:
            problems.append(f"{link.page}: <{link.tag} {link.attr}={link.url!r}>")
    return problems


def script_urls(site: Site) -> list[str]:
    # In any attribute, after the parser decoded entities such as "&#106;avascript:" …
    problems = [
        f"{name}: {value!r}"
        for name, page in site.pages.items()
        for value in page.attr_values
        if SCRIPT_URL.search(value)
    ]
    # … and in the raw bytes of every file the build wrote (pages, scripts, data, sitemap).
    for file in sorted(site.out.rglob("*")):
        if file.is_file() and b"javascript:" in file.read_bytes().lower():
            problems.append(f"{file.relative_to(site.out)}: contains 'javascript:'")
    return problems


# --- the built sample site ----------------------------------------------------------------


def test_checker_sees_the_whole_site(site: Site) -> None:
    assert set(site.pages) >= EXPECTED_PAGES
    for name in EXPECTED_PAGES:
        assert site.pages[name].links, f"{name}: no links found — is the parser broken?"
    assert sum(len(p.links) for p in site.pages.values()) > 20 * len(site.pages)


def test_internal_links_resolve_to_files(site: Site) -> None:
    problems = missing_targets(site)
    assert not problems, "\n".join(problems)


def test_anchors_exist_in_their_target_pages(site: Site) -> None:
    problems, checked = missing_anchors(site)
    assert not problems, "\n".join(problems)
    assert checked > 50  # headerlinks, tabs, the table of contents


def test_external_links_are_http_or_https(site: Site) -> None:
    problems = foreign_schemes(site)
    assert not problems, "\n".join(problems)


def test_no_javascript_urls_anywhere(site: Site) -> None:
    problems = script_urls(site)
    assert not problems, "\n".join(problems)


# --- the checks catch what they are for ---------------------------------------------------

BROKEN_PAGE = """<!doctype html><html><head>
<link rel="canonical" href="https://example.org/kb/"></head><body>
<h1 id="top">Top</h1>
<a href="#top">ok</a> <a href="a/">ok</a> <a href="a/#here">ok</a> <a href="/kb/a/">ok</a>
<a href="missing/">missing page</a>
<a href="a/#nowhere">missing anchor</a>
<a href="../../etc/passwd">escape</a>
<a href="/elsewhere/">outside base</a>
<a href="ftp://example.org/x">ftp</a>
<a href="//example.org/x">no scheme</a>
<a href="&#106;ava&#x09;script:alert(1)">script</a>
</body></html>
"""


def test_checks_find_planted_faults(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="here">here <a href="../">up</a></p>')
    (tmp_path / "index.html").write_text(BROKEN_PAGE)
    planted = read_site(tmp_path)
    assert planted.base_path == "/kb/"
    assert missing_targets(planted) == [
        "index.html: <a href='missing/'> → missing/index.html missing",
        "index.html: <a href='../../etc/passwd'> climbs out of the site folder",
        "index.html: <a href='/elsewhere/'> absolute path outside the site's base /kb/",
    ]
    assert missing_anchors(planted) == (
        ["index.html: 'a/#nowhere' → no id 'nowhere' in a/index.html"],
        3,  # #top, a/#here, a/#nowhere
    )
    assert foreign_schemes(planted) == [
        "index.html: <a href='ftp://example.org/x'>",
        "index.html: '//example.org/x' has no scheme",
        "index.html: <a href='java\\tscript:alert(1)'>",  # the parser decoded the entities
    ]
    assert script_urls(planted) == ["index.html: 'java\\tscript:alert(1)'"]
    (tmp_path / "a" / "x.js").write_text("location = 'JavaScript:void(0)'")
    assert script_urls(planted)[1:] == ["a/x.js: contains 'javascript:'"]
