"""The MkDocs run: the only part of the build that knows the site builder."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gapkb.release.licence import CONTENT_LICENCE, FOOTER_TEXT
from gapkb.site.downloads import DATA_FILES
from gapkb.site.model import SiteError, SiteModel
from gapkb.site.render import RAW_END, RAW_START


def load_mkdocs_config(config_file: Path, docs_dir: Path, out: Path) -> Any:
    """mkdocs.yml with the build's folders; errors become SiteError."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with captured_mkdocs_log() as messages:
        try:
            return load_config(
                str(config_file),
                docs_dir=str(docs_dir.resolve()),
                site_dir=str(out.resolve()),
                strict=True,
            )
        except MkDocsException as error:
            raise SiteError(f"{config_file}: {error}", messages) from None


def run_mkdocs(
    config: Any, docs_dir: Path, model: SiteModel, dataset: dict[str, Any] | None = None
) -> list[str]:
    """`mkdocs build --strict` in-process; a warning fails the build. Returns notes.

    `dataset` is the schema.org Dataset that the theme writes into the home page."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    nav, dropped = filter_nav(config["nav"] or [], docs_dir)
    config["nav"] = nav
    config["extra"]["gapkb"] = {
        "as_of": model.as_of.isoformat(),
        "data": dict(DATA_FILES),
        "page": model.settings.url_path("data.md"),
        "licence": {"text": FOOTER_TEXT, "url": CONTENT_LICENCE.url},
        "dataset": dataset or {},
    }
    notes = [f"nav entry {p} skipped: the page does not exist yet" for p in dropped]
    config.plugins["gapkb-raw-html"] = raw_html_set_aside()
    with captured_mkdocs_log() as messages:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as error:
            raise SiteError(f"mkdocs build failed: {error}", messages) from None
    return notes


def filter_nav(nav: list[Any], docs_dir: Path) -> tuple[list[Any], list[str]]:
    """The nav without entries whose page is missing (a hand-written page not yet written)."""
    kept: list[Any] = []
    dropped: list[str] = []
    for item in nav:
        target = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(target, list):
            sub, gone = filter_nav(target, docs_dir)
            if sub:
                kept.append({next(iter(item)): sub})
            dropped += gone
        elif isinstance(target, str) and "://" not in target and not (docs_dir / target).is_file():
            dropped.append(target)
        else:
            kept.append(item)
    return kept, dropped


@contextmanager
def captured_mkdocs_log() -> Iterator[list[str]]:
    """Collect MkDocs' warnings and errors (instead of letting them reach stderr unasked)."""
    messages: list[str] = []
    handler = _ListHandler(messages)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


# Blocks the templates mark as final HTML (`PageHelpers.as_html`): the coverage tables.
_RAW_BLOCK = re.compile(re.escape(RAW_START) + r"\n.*?\n" + re.escape(RAW_END), re.DOTALL)


def raw_html_set_aside() -> Any:
    """A plugin that takes the marked raw HTML blocks out of a page's Markdown and puts them
    back, unchanged, into its HTML: Python-Markdown would pass them through as they are
    anyway, after parsing every tag of them twice (MkDocs' anchor scan and md_in_html) —
    a third of the site's Markdown time. A plain `mkdocs build` without this plugin
    renders the same page, only slower. The placeholder holds a fresh random token, so
    that no contributor text can name it."""
    from mkdocs.plugins import BasePlugin

    class RawHtmlSetAside(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def __init__(self) -> None:
            self.token = f"gapkb-raw-{secrets.token_hex(8)}"
            self.blocks: dict[str, list[str]] = {}

        def on_page_markdown(self, markdown: str, page: Any, **_: Any) -> str:
            blocks = self.blocks[page.file.src_uri] = []

            def set_aside(match: re.Match[str]) -> str:
                blocks.append(match[0])  # markers too: the page is what MkDocs alone makes
                return f"\n{self.token}-{len(blocks) - 1}\n"

            return _RAW_BLOCK.sub(set_aside, markdown)

        def on_page_content(self, html: str, page: Any, **_: Any) -> str:
            blocks = self.blocks.pop(page.file.src_uri, [])
            for n, block in enumerate(blocks):
                html = html.replace(f"<p>{self.token}-{n}</p>", block, 1)
            return html

    return RawHtmlSetAside()
