"""Measures the site build (first build and rebuild) beside `mkdocs build` of as many trivial pages."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from bench.harness import AS_OF, median_time, peak_mb


def step_site(root: Path, repeat: int, rebuild: bool) -> dict[str, Any]:
    """The site build as `gapkb build` runs it: first with an empty citation cache (a first
    build, or CI), then, if `rebuild`, again with the cache the first one left (a
    contributor's rebuild)."""
    from gapkb.pipeline import check
    from gapkb.site import build_site

    result = check(root, AS_OF, use_java=False)  # the site reads inferences, not the reasoner
    folder = root.parent / f"{root.name}-site"
    cache = folder / "cache"
    shutil.rmtree(folder, ignore_errors=True)

    def median_build(cold: bool) -> tuple[float, Any]:
        builds = []
        for _ in range(repeat):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            start = time.perf_counter()
            built = build_site(result, folder / "public", docs_dir=folder / "docs", cache_dir=cache)
            builds.append((time.perf_counter() - start, built))
        return sorted(builds, key=lambda b: b[0])[len(builds) // 2]

    total, built = median_build(cold=True)
    again, rebuilt = median_build(cold=False) if rebuild else (None, None)
    pages = sum(1 for _ in (folder / "docs").rglob("*.md"))
    return {
        "total": total,
        "generate": built.generate_seconds,
        "mkdocs": built.mkdocs_seconds,
        "rebuild": again,
        "rebuild_generate": rebuilt.generate_seconds if rebuilt else None,
        "generated_pages": built.pages,
        "pages": pages,
        "peak": peak_mb(),
    }


TRIVIAL_CONFIG = """site_name: baseline
site_url: https://example.org/
docs_dir: docs
site_dir: public
theme:
  name: material
  font: false
plugins:
  - search
"""


def step_bare_site(folder: Path, pages: int, repeat: int) -> dict[str, Any]:
    """`mkdocs build` of `pages` trivial pages, in-process as gapkb builds its site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(TRIVIAL_CONFIG)
    (docs / "index.md").write_text("# Baseline\n\nA trivial site.\n")
    for i in range(pages - 1):
        (docs / "p" / f"page-{i}.md").write_text(f"# Page {i}\n\nA trivial page, number {i}.\n")

    def once() -> None:
        config = load_config(str(folder / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    return {"total": median_time(once, repeat), "pages": pages, "peak": peak_mb()}
