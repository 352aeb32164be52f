"""Declarations and statements printed as plain paragraphs: `para-1`, `para-2`, ….

The first line (the title) and bracketed editorial notes such as "[EXCERPT ONLY: …]"
are not paragraphs of the text.
"""

from __future__ import annotations

import re

from gapkb.verification.units import Unit


def split(text: str, file: str = "") -> list[Unit]:
    """One unit per blank-line-separated paragraph after the title line."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text)]
    paragraphs = [b for b in blocks[1:] if b and not b.startswith("[")]
    return [Unit(f"para-{n}", body, file) for n, body in enumerate(paragraphs, start=1)]
