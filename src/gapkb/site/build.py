"""The build: pages and data into the docs folder, then MkDocs into the output folder."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gapkb import citations
from gapkb.findings import GapkbError
from gapkb.pipeline import PROJECT_ROOT, CheckResult
from gapkb.site.asof import write_asof_data
from gapkb.site.compare import write_compare_data
from gapkb.site.downloads import dataset_jsonld, rdf_dumps_written, write_coverage_csv
from gapkb.site.matrix import write_matrix_data
from gapkb.site.mkdocs_run import load_mkdocs_config, run_mkdocs
from gapkb.site.model import SiteError, SiteSettings, build_model
from gapkb.site.pages import citation_jobs, render_pages
from gapkb.site.render import Page
from gapkb.site.sanitize import safe_child

MARKER = ".gapkb-build"  # marks folders this module may empty and rewrite
DEFAULT_DOCS_DIR = Path("build/docs")
DEFAULT_CACHE_DIR = Path("build/cache")  # `gapkb build` keeps rendered citations here


@dataclass
class SiteBuild:
    """What a build produced, for the command line's summary."""

    out: Path
    docs_dir: Path
    pages: int
    generate_seconds: float
    mkdocs_seconds: float
    notes: list[str] = field(default_factory=list)


def config_root(root: Path) -> Path:
    """Where mkdocs.yml and site/ are: the content root, else this project's own."""
    return root if (root / "mkdocs.yml").is_file() else PROJECT_ROOT


def build_site(
    result: CheckResult,
    out: Path | str = "public",
    *,
    docs_dir: Path | str = DEFAULT_DOCS_DIR,
    config_file: Path | None = None,
    cache_dir: Path | None = None,
) -> SiteBuild:
    """Write the pages and data for `result` into docs_dir, then build the site into out.

    With `cache_dir`, rendered citations are kept there for the next build."""
    if not result.ok:
        raise SiteError("the knowledge base has violations — fix them before building the site")
    out, docs_dir = Path(out), Path(docs_dir)
    config_file = config_file or config_root(result.kb.root) / "mkdocs.yml"
    if not config_file.is_file():
        raise GapkbError(f"{config_file} not found — run from the repository root")
    _check_folders(out, docs_dir)
    prepare_folder(docs_dir, clean=True)
    prepare_folder(out, clean=False)
    start = time.perf_counter()
    config = load_mkdocs_config(config_file, docs_dir, out)
    settings = SiteSettings(
        config["site_name"], _slash(config["site_url"]), bool(config["use_directory_urls"])
    )
    model = build_model(result, settings)
    if cache_dir is not None:
        model.cites = citations.CitationCache(Path(cache_dir) / "citations.json")
    with rdf_dumps_written(result, docs_dir):
        model.cites.render_ahead(citation_jobs(model))
        pages = render_pages(model)
        model.cites.save()
        write_pages(pages, docs_dir)
        copy_handwritten(config_file.parent / "site", docs_dir, {p.path for p in pages})
        write_coverage_csv(model, docs_dir)
        write_matrix_data(model, docs_dir)
        write_asof_data(model, result.data, docs_dir)
        write_compare_data(model, docs_dir)
        notes = write_query_page_assets(result, docs_dir)
    dataset = dataset_jsonld(model, docs_dir)
    generated = time.perf_counter() - start
    notes += run_mkdocs(config, docs_dir, model, dataset)
    return SiteBuild(
        out, docs_dir, len(pages), generated, time.perf_counter() - start - generated, notes
    )


def _slash(url: str | None) -> str:
    return "" if not url else url if url.endswith("/") else url + "/"


def _check_folders(out: Path, docs_dir: Path) -> None:
    a, b = out.resolve(), docs_dir.resolve()
    if a == b or a.is_relative_to(b) or b.is_relative_to(a):
        raise GapkbError(f"the output folder {out} and the docs folder {docs_dir} must be apart")


def prepare_folder(folder: Path, *, clean: bool) -> None:
    """Create `folder`; refuse one that holds files this module did not write."""
    if folder.exists() and not folder.is_dir():
        raise GapkbError(f"{folder} is a file — pass a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise GapkbError(
            f"{folder} is not empty and was not written by `gapkb build` — pass a new or empty folder"
        )
    if clean and folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "Written by `gapkb build`; its contents are replaced on every build.\n"
    )


def write_pages(pages: Sequence[Page], docs_dir: Path) -> None:
    for page in pages:
        *folders, name = page.path.removesuffix(".md").split("/")
        path = safe_child(docs_dir, *folders, name, suffix=".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text(), encoding="utf-8")


def write_query_page_assets(result: CheckResult, docs_dir: Path) -> list[str]:
    """The Query page's saved queries and its vendored engine; a note when npm is missing."""
    from gapkb.sparql.query_page import write_query_assets

    try:
        write_query_assets(docs_dir, result.as_of, result.kb.root)
    except GapkbError as error:  # the page itself says it cannot load, and why
        return [f"Query page without its engine: {error}"]
    return []


def copy_handwritten(site_dir: Path, docs_dir: Path, generated: set[str]) -> list[str]:
    """Copy site/ (but its theme overrides) into the docs folder; generated pages win nothing."""
    copied: list[str] = []
    if not site_dir.is_dir():
        return copied
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        skipped = rel.startswith(("overrides/", ".")) or "/." in rel
        if path.is_dir() or skipped or path.is_symlink():
            continue
        if rel in generated:
            raise SiteError(f"site/{rel} has the name of a generated page — rename it")
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel)
    return copied


def generation_time(pages: int, seconds: float) -> str:
    return f"{pages} pages in {seconds:.2f} s ({1000 * seconds / max(pages, 1):.1f} ms per page)"
