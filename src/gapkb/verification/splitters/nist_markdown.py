"""NIST publications as Markdown and their CSV tables.

Numbered headings "## 3.2 Safe" or "## 2.1. CBRN …" → `sec-3-2` (a section includes its
sub-sections and unnumbered headings under it); "# Appendix B: …" → `app-b`; "## A.1.2. …"
→ `app-a-1-2`. AI RMF Core table (subcategories.csv): "GOVERN 1.1" → `govern-1-1`, its
category `govern-1` and function `govern`. AI 600-1 actions (actions.csv): "GV-1.1-001" →
`gv-1-1-001`.
"""

from __future__ import annotations

import csv
import io
import re

from gapkb.verification.units import Unit

_HEADING = re.compile(r"^#+[ \t]+(?P<title>.*)$", re.MULTILINE)
_NUMBERED = re.compile(r"^(?:\*\*)?(?P<number>(?:[A-Z]\.)?\d+(?:\.\d+)*)\.?(?=[ \t*]|$)")
_APPENDIX = re.compile(r"^Appendix (?P<letter>[A-Z])\b")


def _key(title: str) -> str | None:
    appendix = _APPENDIX.match(title)
    if appendix:
        return f"app-{appendix['letter'].lower()}"
    numbered = _NUMBERED.match(title)
    if not numbered:
        return None
    number = numbered["number"].rstrip(".")
    if number[0].isalpha():
        return "app-" + number.lower().replace(".", "-")
    return "sec-" + number.replace(".", "-")


_CORE = re.compile(r"\b(GOVERN|MAP|MEASURE|MANAGE) (\d+)(?:\.(\d+))?:")


def split_core_tables(text: str, file: str = "") -> list[Unit]:
    """AI RMF Core tables as printed: "GOVERN 6.2: …" up to the next category or subcategory.

    The Markdown tables run their columns together, so the pipes are dropped and a
    subcategory's text is what follows its label up to the next label.
    """
    flat = re.sub(r"[|]|-{3,}", " ", text)
    marks = list(_CORE.finditer(flat))
    units: list[Unit] = []
    for index, match in enumerate(marks):
        end = (
            marks[index + 1].start()
            if index + 1 < len(marks)
            else min(len(flat), match.end() + 2000)
        )
        key = "-".join(part.lower() for part in match.groups() if part)
        units.append(Unit(key, flat[match.start() : end], file))
    return units


def split_markdown(
    text: str, file: str = "", aliases: dict[str, str] | None = None, core: bool = False
) -> list[Unit]:
    """Units for numbered sections and appendices of a Markdown text.

    `aliases` gives a section a second key (AI RMF §5.1 is also `govern`); `core` adds
    the Core tables' categories and subcategories.
    """
    units = _sections(text, file)
    aliases = aliases or {}
    units += [Unit(aliases[u.key], u.text, file) for u in units if u.key in aliases]
    return units + (split_core_tables(text, file) if core else [])


def _sections(text: str, file: str) -> list[Unit]:
    headings = [(m.start(), _key(m["title"].strip())) for m in _HEADING.finditer(text)]
    units: list[Unit] = []
    for index, (start, key) in enumerate(headings):
        if key is None:
            continue
        end = len(text)
        for later_start, later_key in headings[index + 1 :]:
            if later_key is not None and not later_key.startswith(key + "-"):
                end = later_start
                break
        units.append(Unit(key, text[start:end], file))
    return units


def split_subcategories(text: str, file: str = "") -> list[Unit]:
    """AI RMF Core: one unit per subcategory, category and function."""
    units: list[Unit] = []
    for row in csv.DictReader(io.StringIO(text)):
        sub = row["subcategory_id"].lower().replace(" ", "-").replace(".", "-")
        category = row["category_id"].lower().replace(" ", "-")
        function = row["function"].lower()
        units.append(Unit(sub, row["description"], file))
        units.append(Unit(category, f"{row['category_text']}\n{row['description']}", file))
        units.append(Unit(function, f"{row['category_text']}\n{row['description']}", file))
    return units


def split_actions(text: str, file: str = "") -> list[Unit]:
    """AI 600-1 suggested actions: one unit per action id."""
    units: list[Unit] = []
    for row in csv.DictReader(io.StringIO(text)):
        key = row["action_id"].lower().replace(".", "-")
        units.append(Unit(key, row["suggested_action"], file))
    return units
