"""One splitter per text format; the manifest names the format of each stored file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gapkb.verification.splitters import (
    eu_act_text,
    eu_csv,
    gpai_code,
    guidelines,
    ja_law,
    ko_law,
    nist_markdown,
    paragraphs,
    us_code,
    us_executive,
    zh_law,
)
from gapkb.verification.units import Unit

Splitter = Callable[..., list[Unit]]

SPLITTERS: dict[str, Splitter] = {
    "eu-articles-csv": eu_csv.split_articles,
    "eu-recitals-csv": eu_csv.split_recitals,
    "eu-annexes-csv": eu_csv.split_annexes,
    "eu-act-text": eu_act_text.split,
    "gpai-code-chapter": gpai_code.split,
    "zh-law": zh_law.split,
    "ja-law": ja_law.split,
    "ja-law-english": ja_law.split_english,
    "ko-law": ko_law.split,
    "us-executive": us_executive.split,
    "us-code": us_code.split,
    "nist-markdown": nist_markdown.split_markdown,
    "nist-subcategories-csv": nist_markdown.split_subcategories,
    "nist-actions-csv": nist_markdown.split_actions,
    "paragraphs": paragraphs.split,
    "guidelines": guidelines.split,
}


def split(fmt: str, text: str, file: str, options: dict[str, Any]) -> list[Unit]:
    """Units of `text` by the splitter named `fmt`, with the manifest's options for it."""
    return SPLITTERS[fmt](text, file, **options)
