"""Checking named files: the whole knowledge base is loaded (cross-references need it),
but only the findings and gap rows of the named entries are reported.

This is what the pre-commit hook runs on the entries a commit changes. A change can still
break an entry that is not named (for example removing a concept another entry links
to); the full `gapkb check` in CI catches that.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from gapkb.findings import Finding, GapkbError
from gapkb.records import SCHEMA_OF_DIR, KnowledgeBase
from gapkb.report import GapRow


def select_files(root: Path, files: Iterable[Path | str]) -> set[str]:
    """Entry files named on the command line, as paths relative to `root`."""
    base = Path(os.path.abspath(root))
    selected = set()
    for name in files:
        path = Path(os.path.abspath(name))  # abspath, not resolve: a symlink stays itself
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            raise GapkbError(
                f"{name} is not under {root} — name entry files of the knowledge base"
            ) from None
        folder = rel.split("/", 1)[0]
        if (
            folder not in SCHEMA_OF_DIR
            or path.suffix not in (".yaml", ".yml")
            or rel.count("/") != 1
        ):
            raise GapkbError(
                f"{name} is not an entry — name .yaml files under concepts/ or instruments/"
            )
        if not path.exists() and not path.is_symlink():
            raise GapkbError(f"{name} does not exist")
        selected.add(rel)
    return selected


def only_files(
    findings: list[Finding], rows: list[GapRow], kb: KnowledgeBase, selected: set[str]
) -> tuple[list[Finding], list[GapRow]]:
    """The findings located in the selected files, and the gap rows of their concepts."""
    concepts = {cid for cid, record in kb.concepts.items() if record.path in selected}
    return (
        [f for f in findings if f.file in selected],
        [r for r in rows if r.concept in concepts],
    )
