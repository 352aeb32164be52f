"""The built sample site in real headless Chromium: tabs, links, search, accessibility, print.

The site is built with `gapkb build`, served on 127.0.0.1 by a thread, and looked at by
tests/browser/check-site.mjs (Playwright, from npm, driving Debian's /usr/bin/chromium; axe-core
injected into the page), which prints what it saw as JSON; every assertion is here.
Install what this needs with scripts/setup-browser.sh (`make test` runs it).
Set GAPKB_BROWSER_ARTIFACTS to a folder to keep the printed PDF and its first page as PNG.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import AS_OF, REPO, serving_in_thread
from tests.site.sitebuild import build_sample_site

pytestmark = pytest.mark.slow

BROWSER_DIR = REPO / "tests" / "browser"
CHROMIUM = os.environ.get("GAPKB_CHROMIUM", "/usr/bin/chromium")
CONCEPT = "concepts/model-merging-risk/"
STYLES = ("APA", "Chicago", "Harvard", "OSCOLA", "BibTeX", "RIS")  # label prefixes, tab order
AXE_PAGES = ("concept", "instrument", "gaps", "matrix", "home")
AXE_FAILS = {"serious", "critical"}


def missing_tools() -> list[str]:
    """What scripts/setup-browser.sh would install and is not here."""
    missing = [p for p in (CHROMIUM,) if not Path(p).is_file()]
    missing += [t for t in ("node", "pdftotext", "pdftoppm") if shutil.which(t) is None]
    for package in ("playwright-core", "axe-core"):
        if not (BROWSER_DIR / "node_modules" / package / "package.json").is_file():
            missing.append(f"tests/browser/node_modules/{package}")
    return missing


@pytest.fixture(scope="module")
def tools() -> None:
    missing = missing_tools()
    if missing:
        message = f"missing {', '.join(missing)} — run scripts/setup-browser.sh"
        if os.environ.get("CI"):  # CI ran the script: a missing tool there is a failure
            pytest.fail(message)
        pytest.skip(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, tools: None) -> Iterator[str]:
    """The sample site, built and served on a free port of 127.0.0.1."""
    out = build_sample_site(tmp_path_factory.mktemp("browser-site"))
    handler = functools.partial(_QuietHandler, directory=str(out))
    with serving_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}/"


def run_node(script: str, *args: str) -> dict[str, Any]:
    """One run of a browser script in tests/browser/: what it saw, as JSON."""
    proc = subprocess.run(
        ["node", script, *args],
        cwd=BROWSER_DIR,
        env={**os.environ, "GAPKB_CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    data["base_url"] = args[0]
    return data


@pytest.fixture(scope="module")
def report(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of the browser script over the served site: what it saw, as JSON."""
    return run_node("check-site.mjs", base_url, str(tmp_path_factory.mktemp("browser-out")))


def part(report: dict[str, Any], name: str) -> Any:
    """One check's findings; a check that threw fails here with the browser's message."""
    value = report[name]
    assert not (isinstance(value, dict) and "error" in value), value.get("error")
    return value


def squash(text: str) -> str:
    """Text without any whitespace: line breaks in a PDF fall anywhere, even inside a URL."""
    return re.sub(r"\s+", "", text)


def test_site_loads_nothing_from_outside_and_runs_cleanly(report: dict[str, Any]) -> None:
    assert report["external_requests"] == []
    assert report["page_errors"] == []
    assert report["console_errors"] == []


def test_concept_page_reads_used_by_zero(report: dict[str, Any]) -> None:
    concept = part(report, "concept")
    assert concept["status"] == 200
    assert concept["title"] == "Model merging risk - gapkb"
    assert concept["h1"].rstrip("¶") == "Model merging risk"
    assert f"Used by 0 binding instruments in force as of {AS_OF}" in concept["glance"]


@pytest.mark.parametrize("block", ["cite-page", "cite-source"])
def test_citation_tabs_show_their_panel(report: dict[str, Any], block: str) -> None:
    clicks = part(report, "citation_tabs")[block]
    assert [c["label"].split()[0] for c in clicks] == list(STYLES)
    for index, click in enumerate(clicks):
        assert click["checked"], click["label"]
        assert click["visible"] == [index], f"{click['label']}: panels shown {click['visible']}"
        assert click["text"], f"{click['label']}: empty panel"
    bibtex, ris = clicks[STYLES.index("BibTeX")]["text"], clicks[STYLES.index("RIS")]["text"]
    assert re.match(r"@\w+\{", bibtex) and bibtex.rstrip().endswith("}")
    assert re.match(r"TY  - \w+", ris) and re.search(r"^ER  -", ris, re.M)
    # The visible text is the panel's own: the same as in the page's source.
    panels = {c["id"]: c["texts"] for c in part(report, "pdf")["citations"]}
    assert [squash(c["text"]) for c in clicks] == [squash(t) for t in panels[block]]


def test_related_concept_link_lands_on_that_concept(report: dict[str, Any]) -> None:
    related = part(report, "related")
    expected = urljoin(urljoin(report["base_url"], CONCEPT), related["href"])
    assert related["landed"] == expected
    assert urlsplit(expected).path.startswith("/concepts/")
    assert related["h1"].rstrip("¶") == related["text"]
    assert related["kind"] == "concept"


def test_search_finds_the_concept(report: dict[str, Any]) -> None:
    search = part(report, "search")
    assert re.fullmatch(r"\d+ matching documents?", search["meta"]), search["meta"]
    assert search["items"][0]["title"] == "Model merging risk"
    assert urlsplit(search["opened"]).path == f"/{CONCEPT}"


def axe_failures(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Serious and critical violations."""
    return [v for v in violations if v["impact"] in AXE_FAILS]


@pytest.mark.parametrize("page", AXE_PAGES)
def test_no_serious_accessibility_violations(report: dict[str, Any], page: str) -> None:
    result = part(report, "axe")[page]
    assert result["status"] == 200
    failing = axe_failures(result["violations"])
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)


def test_search_dialog_has_a_name(report: dict[str, Any]) -> None:
    """Material leaves its search dialog unnamed; site/overrides/partials/search.html names it.

    axe reports an unnamed dialog (aria-dialog-name) as serious, so the test above would fail
    too; this one says where the fix lives.
    """
    for page, result in part(report, "axe").items():
        unnamed = [v for v in result["violations"] if v["id"] == "aria-dialog-name"]
        assert not unnamed, f"{page}: {unnamed}"
        assert "aria-dialog-name" in result["passed"], f"{page}: axe found no dialog to check"


@pytest.fixture(scope="module")
def printed(report: dict[str, Any]) -> tuple[Path, str]:
    """The printed concept page, and its text as pdftotext reads it."""
    pdf = Path(part(report, "pdf")["file"])
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return pdf, text


def test_print_holds_every_citation_style(
    report: dict[str, Any], printed: tuple[Path, str]
) -> None:
    _, text = printed
    assert "Model merging risk" in text and "Used by 0 binding instruments in force" in text
    sets = part(report, "pdf")["citations"]
    assert [s["id"] for s in sets] == ["cite-page", "cite-source"]
    for citation_set in sets:
        assert [label.split()[0] for label in citation_set["labels"]] == list(STYLES)
        for label, entry in zip(citation_set["labels"], citation_set["texts"], strict=True):
            assert squash(label) in squash(text), f"{citation_set['id']}: no '{label}' label"
            assert squash(entry) in squash(text), f"{citation_set['id']} {label}: {entry!r}"


def test_print_leaves_out_navigation(report: dict[str, Any], printed: tuple[Path, str]) -> None:
    _, text = printed
    flat = " ".join(text.split())
    chrome = part(report, "pdf")["chrome"]
    assert "Table of contents" in chrome  # the script did read the screen's navigation
    leaked = [line for line in chrome if re.search(rf"(?<!\w){re.escape(line)}(?!\w)", flat)]
    assert not leaked, leaked
    # Nor any control drawn on paper: copy buttons, the tab bar's arrows, navigation.
    assert part(report, "pdf")["printed_controls"] == []


def test_print_fits_tables_to_the_page(report: dict[str, Any]) -> None:
    # On screen the coverage table scrolls sideways; on paper that would cut off its columns.
    assert part(report, "pdf")["cut_off_tables"] == []


def test_print_first_page_renders(printed: tuple[Path, str], tmp_path: Path) -> None:
    pdf, _ = printed
    stem = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000
    keep = os.environ.get("GAPKB_BROWSER_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, keep)
        shutil.copy(png, Path(keep) / "model-merging-risk-page-1.png")


# --- provisions, dark mode, compare, the 404 page (tests/browser/provisions.mjs) -----------


@pytest.fixture(scope="module")
def provisions_report(
    tmp_path_factory: pytest.TempPathFactory, tools: None
) -> Iterator[dict[str, Any]]:
    """The sample site served at / and under /gapkb/, both answering a missing address
    with 404.html as GitHub Pages does; what provisions.mjs saw there."""
    from tests.site.prefixed import serving

    out = build_sample_site(tmp_path_factory.mktemp("provisions-site"))
    with serving(out) as root, serving(out, "/gapkb/") as prefixed:
        yield run_node("provisions.mjs", root, prefixed)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two `rgb(r, g, b)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_provisions_compare_dark_404(provisions_report: dict[str, Any]) -> None:
    seen = provisions_report
    assert seen["external_requests"] == []
    assert seen["page_errors"] == []
    assert seen["console_errors"] == []

    # A coverage link opens the provision's own place, which shows its quote.
    provision = part(seen, "provision")
    assert provision["text"] == "Art. 55(1)(a)"
    assert urlsplit(provision["landed"]).path == "/instruments/eu-ai-act/"
    assert urlsplit(provision["landed"]).fragment == "provision-art-55-1-a"
    assert provision["kind"] == "instrument"
    assert provision["tag"] == "H3" and provision["targeted"]
    assert provision["heading"].startswith("Art. 55(1)(a) Model evaluation")
    assert provision["on_screen"] and provision["below_header"]
    assert provision["quotes"] == ["conducting and documenting adversarial testing of the model"]
    assert "Red-teaming" in provision["block"] and "binding" in provision["block"]
    assert "https://eur-lex.europa.eu/eli/reg/2024/1689/oj" in provision["official"]

    # Edit links: an entry's YAML; a hand-written page's Markdown under site/; none elsewhere.
    edit = part(seen, "edit")
    repo = "https://github.com/gapkb/gapkb/edit/main/"
    assert edit["concepts/red-teaming/"] == [repo + "concepts/red-teaming.yaml"]
    assert edit["instruments/eu-ai-act/"] == [repo + "instruments/eu-ai-act.yaml"]
    assert edit["methods/"] == [repo + "site/methods.md"]
    assert edit["gaps/"] == []

    # Dark mode: the toggle switches, the choice holds on the next pages, colours keep 4.5:1.
    dark = part(seen, "dark")
    assert (dark["before"], dark["label"], dark["after"]) == (
        "default",
        "Switch to dark mode",
        "slate",
    )
    assert contrast(dark["background"], "rgb(255, 255, 255)") > 10  # a dark background
    for page, result in dark["contrast"].items():
        assert result["scheme"] == "slate", page
        assert result["violations"] == [], page
    assert dark["back"] == "default"

    # Compare: two instruments over every concept, then one instrument at two dates.
    compare = part(seen, "compare")
    pair = compare["pair"]
    assert pair["header"] == ["Concept", "EU AI Act on 2026-12-01", "EO 14110 on 2026-12-01"]
    assert [r[0] for r in pair["rows"]] == [
        "Alignment",
        "Compute threshold",
        "Model merging risk",
        "Red-teaming",
    ]
    rows = {r[0]: r[1:] for r in pair["rows"]}
    assert rows["Red-teaming"][0].startswith("explicit Art. 55(1)(a) (explicit)")
    assert rows["Red-teaming"][1] == "— no link"
    assert rows["Model merging risk"][0].startswith(
        "implicit Recital 110 (implicit, interpretive: not binding)"
    )
    # EO 14110 was revoked on 2025-01-20: its link does not apply on 2026-12-01.
    assert rows["Compute threshold"][1].startswith("none applies on 2026-12-01 Sec. 4.2(b)")
    assert "Sec. 4.2(b)" in pair["off"]
    dates = compare["dates"]
    assert dates["header"] == ["Concept", "EU AI Act on 2026-12-01", "EU AI Act on 2025-01-01"]
    # Art. 55(1)(a) applies from 2025-08-02; on 2025-01-01 nothing of the Act applies yet.
    red = {r[0]: r[1:] for r in dates["rows"]}["Red-teaming"]
    assert red[0].startswith("explicit") and red[1].startswith("none applies on 2025-01-01")
    assert "db=2025-01-01" in dates["address"] and "b=eu-ai-act" in dates["address"]
    assert {r[0] for r in compare["only"]["rows"]} == {"Model merging risk", "Red-teaming"}
    assert compare["reopened"]["rows"] == compare["only"]["rows"]
    landed = compare["landed"]
    assert urlsplit(landed["url"]).fragment.startswith("provision-")
    assert landed["heading"] and landed["heading"].startswith(landed["text"])
    assert [v for v in compare["axe"] if v["impact"] in AXE_FAILS] == []

    # The query page's results: plain values, row numbers in their own column.
    query = part(seen, "query")
    assert query["header"] == ["", "n", "label", "day", "iri"]
    assert query["rows"] == [
        ["1", "0", "Zero", "2026-12-01", "gk:Concept"],
        ["2", "12", "Twelve", "2027-01-01", "https://example.org/x"],
    ]
    assert query["row_number_cells"] == 2
    assert "Simple view" not in query["switches"]

    # The 404 page under / and under /gapkb/: styled, its links and search lead into the site.
    for name, prefix in (("not_found_root", "/"), ("not_found_prefixed", "/gapkb/")):
        missing = part(seen, name)
        assert missing["status"] == 404, name
        assert missing["h1"] == "Page not found", name
        assert urlsplit(missing["base"]).path == prefix, name
        # Under site_url's path nothing fails; elsewhere only the browser's look-ahead, which
        # fetches before the page's script has found the root, guesses that path.
        guesses = [
            f for f in missing["failed"] if urlsplit(f.split()[1]).path.startswith("/gapkb/")
        ]
        assert missing["failed"] == (guesses if prefix == "/" else []), name
        assert all(urlsplit(s).path.startswith(prefix + "assets/") for s in missing["stylesheets"])
        hrefs = {link["text"]: urlsplit(link["href"]).path for link in missing["links"]}
        assert hrefs["Concepts"] == prefix + "concepts/", name
        assert hrefs["Home"] == prefix, name
        assert urlsplit(missing["followed"]["url"]).path == prefix + "concepts/", name
        assert missing["followed"]["h1"].rstrip("¶") == "Concepts", name
        assert urlsplit(missing["search"]).path.startswith(prefix), name


# --- the as-of picker, the matrix on a phone, the print brief, CJK search -----------------
# (tests/browser/asof-matrix-print.mjs, over the sample with one more instrument that quotes
# Chinese, Japanese and Korean text, so that search has something to find.)

CJK_INSTRUMENT = """\
id: cjk-quotes
title: Quotes in Chinese, Japanese and Korean for the search test
short_title: CJK quotes
jurisdiction: INT
kind: regulation
binding: true
status: in-force
dates:
  adopted: 2024-01-01
  in_force: 2024-02-01
url: https://example.org/cjk
languages: [zh, ja, ko]
provisions:
  - id: art-1
    label: Art. 1
    title: Chinese
  - id: art-2
    label: Art. 2
    title: Japanese
  - id: art-3
    label: Art. 3
    title: Korean
coverage:
  - concept: alignment
    provision: art-1
    strength: implicit
    note: A Chinese quote for the search test.
    quote: "不得生成煽动颠覆国家政权、推翻社会主义制度"
    quote_lang: zh
    quote_en: "shall not generate content inciting subversion of state power"
  - concept: red-teaming
    provision: art-2
    strength: implicit
    note: A Japanese quote for the search test.
    quote: "人工知能関連技術の研究開発及び活用の過程の透明性の確保"
    quote_lang: ja
    quote_en: "ensuring transparency in the research, development and use of AI-related technology"
  - concept: compute-threshold
    provision: art-3
    strength: implicit
    note: A Korean quote for the search test.
    quote: "제품 또는 서비스가 해당 인공지능에 기반하여 운용된다는 사실을 이용자에게 사전에 고지하여야 한다"
    quote_lang: ko
    quote_en: "shall notify users in advance that the product or service is operated based on AI"
"""
CJK_QUERIES = {  # phrase typed: the concept page that quotes it
    "煽动颠覆国家政权": "/concepts/alignment/",
    "研究開発及び活用の過程の透明性": "/concepts/red-teaming/",
    "이용자에게 사전에 고지하여야": "/concepts/compute-threshold/",
}
PICKED = "2024-03-01"  # before any EU AI Act provision applies: red-teaming is used by none


@pytest.fixture(scope="module")
def asof_site(tmp_path_factory: pytest.TempPathFactory, tools: None) -> Iterator[tuple[str, Path]]:
    """The sample plus the CJK instrument, built and served: (base URL, output folder)."""
    from tests.conftest import SAMPLE

    folder = tmp_path_factory.mktemp("asof-site")
    root = folder / "kb"
    shutil.copytree(SAMPLE, root)
    (root / "instruments" / "cjk-quotes.yaml").write_text(CJK_INSTRUMENT, encoding="utf-8")
    for n in range(WIDE):  # columns enough that the matrix is wider than a phone
        (root / "instruments" / f"wide-{n}.yaml").write_text(wide_instrument(n), encoding="utf-8")
    out = build_root_site(root, folder)
    handler = functools.partial(_QuietHandler, directory=str(out))
    with serving_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}/", out


WIDE = 16


def wide_instrument(n: int) -> str:
    """A small instrument, binding or voluntary, in one of three jurisdictions."""
    binding = n % 2 == 0
    return CJK_INSTRUMENT.split("provisions:")[0].replace("cjk-quotes", f"wide-{n}").replace(
        "short_title: CJK quotes", f"short_title: Wide {n:02d}"
    ).replace("jurisdiction: INT", f"jurisdiction: {('US', 'EU', 'CN')[n % 3]}").replace(
        "kind: regulation", "kind: regulation" if binding else "kind: guidance"
    ).replace("binding: true", f"binding: {str(binding).lower()}") + (
        "provisions:\n  - id: art-1\n    label: Art. 1\n    title: One\n"
        "coverage:\n  - concept: model-merging-risk\n    provision: art-1\n"
        "    strength: explicit\n    note: A link that widens the matrix.\n"
    )


def build_root_site(root: Path, folder: Path) -> Path:
    from click.testing import CliRunner

    from gapkb.cli import cli

    out = folder / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        args = ["build", "--root", str(root), "--as-of", AS_OF, "--out", str(out)]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_asof_picker_matrix_print_and_cjk_search(
    asof_site: tuple[str, Path], tmp_path: Path
) -> None:
    base, out = asof_site
    seen = run_node("asof-matrix-print.mjs", base, str(tmp_path), PICKED, CONCEPT, *CJK_QUERIES)
    assert seen["external_requests"] == [] and seen["page_errors"] == []
    assert seen["console_errors"] == []

    # The picker: the build date's list is the check's; the picked date's is its milestone's file.
    asof = part(seen, "asof")
    index = json.loads((out / "data" / "asof" / "index.json").read_text())
    concepts = [c["id"] for c in index["concepts"]]

    def listed(day: str) -> tuple[list[list[str]], dict[str, int]]:
        stone = max((m for m in index["milestones"] if m["date"] <= day), key=lambda m: m["date"])
        rows = json.loads((out / "data" / "asof" / stone["file"]).read_text())["rows"]
        gaps = [[concepts[r[0]], STATUS_WORDS[r[1]]] for r in rows if r[1] != "covered"]
        return gaps, {concepts[r[0]]: r[2] for r in rows}

    assert asof["before"]["shown"] == AS_OF
    assert (asof["before"]["rows"], asof["before"]["used_by"]) == listed(AS_OF)
    assert (asof["after"]["rows"], asof["after"]["used_by"]) == listed(PICKED)
    assert asof["after"]["rows"] != asof["before"]["rows"]
    assert asof["after"]["used_by"]["red-teaming"] == 0 < asof["before"]["used_by"]["red-teaming"]
    assert PICKED in asof["after"]["status"]
    assert asof["reset"]["rows"] == asof["before"]["rows"]
    assert len(asof["milestones"]) == len(index["milestones"])

    # The matrix at 390 px: filters change the rows and columns, the page never scrolls sideways.
    matrix = part(seen, "matrix")
    states = [matrix[k] for k in ("all", "by_category", "explicit", "by_jurisdiction", "sorted")]
    for state in states:
        assert state["page_scroll_width"] <= state["page_client_width"], state
        assert state["wrap_right"] <= state["page_client_width"], state
        assert state["controls_right"] <= state["page_client_width"], state
        assert state["first_column_position"] == "sticky"
    assert (
        matrix["all"]["wrap_scroll_width"] > matrix["all"]["wrap_client_width"]
    )  # it scrolls inside
    assert sorted(matrix["all"]["rows"]) == sorted(concepts)
    assert 0 < len(matrix["by_category"]["rows"]) < len(matrix["all"]["rows"])
    assert (
        "red-teaming" in matrix["explicit"]["rows"]
        and "alignment" not in matrix["explicit"]["rows"]
    )
    assert 0 < len(matrix["by_jurisdiction"]["columns"]) < len(matrix["all"]["columns"])
    data = json.loads((out / "data" / "matrix.json").read_text())
    used = {c["id"]: c["used_by"] for c in data["concepts"]}
    assert [used[c] for c in matrix["sorted"]["rows"]] == sorted(used.values(), reverse=True)
    assert len(set(used.values())) > 1
    assert matrix["sticky"]["scrolled"] > 0 and matrix["sticky"]["moved"] < 1
    assert matrix["sticky"]["page_x"] == 0
    assert matrix["dialog"]["links"]
    assert all(
        "#provision-" in href or href.startswith("http") for href in matrix["dialog"]["links"]
    )

    # The print brief: at most two pages on A4 and Letter, the address and the as-of date on top.
    printed = part(seen, "print")
    canonical = printed["canonical"]
    for name in ("brief-a4", "brief-letter"):
        pdf = Path(printed["files"][name])
        assert pdf_pages(pdf) <= 2, name
        first_page = pdf_text(pdf).split("\f")[0]
        header = "\n".join(first_page.splitlines()[:3])
        assert squash(canonical) in squash(header), header
        assert f"As of {AS_OF}" in header
        assert re.search(r"Used by \d+ binding instruments? in force", first_page)
    full = pdf_text(Path(printed["files"]["full-a4"]))
    brief = pdf_text(Path(printed["files"]["brief-a4"]))
    for style in ("Chicago", "BibTeX", "RIS"):  # every format in the full record, not in the brief
        assert style in full and style not in brief, style
    assert "References" in full and squash(canonical) in squash(
        full.split("\n")[0] + full.split("\n")[1]
    )

    # Search finds each phrase's concept page.
    search = part(seen, "search")
    for query, where in CJK_QUERIES.items():
        assert where in search[query]["hrefs"], (query, search[query])


STATUS_WORDS = {
    "never": "gap: never covered",
    "implicit": "gap: implicit only",
    "voluntary": "gap: voluntary only",
    "former": "gap: no longer covered",
}
