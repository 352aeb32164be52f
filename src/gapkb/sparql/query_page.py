"""The Query page's files: the saved queries as examples, and the JavaScript it vendors.

The page (site/query/) runs SPARQL in the browser with Oxigraph's WebAssembly build and
edits queries with YASGUI's editor and results view (Yasqe, Yasr); `gapkb serve` shows the
same page against its endpoint. Both packages come from the npm registry, pinned by
scripts/npm/query-page/package-lock.json, and are installed by scripts/setup.sh into
build/npm/query/ (git-ignored). This module only copies files from there: building the
site or serving it never reaches the network, and the page loads nothing from a CDN.

For the site build (gapkb.site), after the data files are written::

    from gapkb.sparql.query_page import write_query_assets
    write_query_assets(docs_dir, result.as_of, result.kb.root)

writes docs_dir/query/queries.json and docs_dir/query/vendor/ (site/query/ itself — the
page, its script and style — is copied with the other hand-written pages).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from gapkb.findings import GapkbError
from gapkb.pipeline import PROJECT_ROOT
from gapkb.sparql.saved import AS_OF_DEFAULT, saved_queries, segments
from gapkb.vocab import BASE

PAGE_DIR = PROJECT_ROOT / "site" / "query"
NPM_MODULES = PROJECT_ROOT / "build" / "npm" / "query" / "node_modules"
# Path under vendor/ -> path under node_modules/.
VENDOR_FILES = {
    "oxigraph/web.js": "oxigraph/web.js",
    "oxigraph/web_bg.wasm": "oxigraph/web_bg.wasm",
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
}
PACKAGES = ("oxigraph", "@zazuko/yasgui")
PAGE_FILES = ("query.js", "query-worker.js", "query.css")


def vendor_sources(modules: Path = NPM_MODULES) -> dict[str, Path]:
    """Where each vendored file is; GapkbError when the npm packages are not installed."""
    sources = {target: modules / source for target, source in VENDOR_FILES.items()}
    missing = [str(p) for p in sources.values() if not p.is_file()]
    if missing:
        raise GapkbError(
            f"the Query page's JavaScript is not installed ({missing[0]} is missing) — "
            "run scripts/setup.sh (it needs npm); nothing is fetched at build time"
        )
    return sources


def notice(modules: Path = NPM_MODULES) -> str:
    """Name, version, licence and home of each vendored package (their licences ask it)."""
    lines = ["Third-party files in this folder, copied unchanged from the npm registry:", ""]
    for package in PACKAGES:
        meta = json.loads((modules / package / "package.json").read_text(encoding="utf-8"))
        lines.append(
            f"{meta['name']} {meta['version']} — licence: {meta.get('license', '?')} — "
            f"{meta.get('homepage', '')}"
        )
    return "\n".join(lines) + "\n"


def examples(root: Path | str, as_of: dt.date) -> dict[str, Any]:
    """The saved queries for the page: text split at parameters, defaults filled in."""
    entries = []
    for name, query in saved_queries(root).items():
        params = [
            {
                "name": p.name,
                "type": p.type,
                "default": as_of.isoformat() if p.default == AS_OF_DEFAULT else p.default,
                "description": p.description,
            }
            for p in query.params
        ]
        entries.append(
            {
                "name": name,
                "title": query.title,
                "description": query.description,
                "params": params,
                "segments": segments(query),
            }
        )
    return {"as_of": as_of.isoformat(), "base": BASE, "queries": entries}


def examples_json(root: Path | str, as_of: dt.date) -> bytes:
    return json.dumps(examples(root, as_of), ensure_ascii=False, indent=1).encode("utf-8")


def write_query_assets(
    docs_dir: Path | str, as_of: dt.date, root: Path | str = ".", modules: Path = NPM_MODULES
) -> list[Path]:
    """Write query/queries.json and query/vendor/ into the site's docs folder."""
    folder = Path(docs_dir) / "query"
    written = []
    for target, source in vendor_sources(modules).items():
        path = folder / "vendor" / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        written.append(path)
    path = folder / "vendor" / "NOTICE.txt"
    path.write_text(notice(modules), encoding="utf-8")
    written.append(path)
    path = folder / "queries.json"
    path.write_bytes(examples_json(root, as_of))
    written.append(path)
    return written
