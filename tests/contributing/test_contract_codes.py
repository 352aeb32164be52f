"""Error codes: every code raised has a documented rule, and every documented code is raised.

Codes are written as literals where a rule is enforced (`code="GK302"` in src/, `gks:code
"GK402"` in shapes/), so this test reads them there rather than trusting a list.
"""

from __future__ import annotations

import re

from gapkb.errors import CODES, RULES, anchor
from gapkb.site.error_codes import PATH, error_codes_markdown, error_codes_page
from tests.conftest import REPO

CODE = re.compile(r"\bGK\d{3}\b")
REGISTRY = {
    REPO / "src" / "gapkb" / "errors.py",
    REPO / "src" / "gapkb" / "site" / "error_codes.py",
}


def codes_in_use() -> dict[str, list[str]]:
    """Every code literal in the source and the shapes, with where it is."""
    used: dict[str, list[str]] = {}
    paths = [*(REPO / "src").rglob("*.py"), *(REPO / "shapes").glob("*.ttl")]
    for path in paths:
        if path in REGISTRY:
            continue
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, []).append(path.relative_to(REPO).as_posix())
    return used


def test_every_code_in_use_is_documented() -> None:
    unknown = {code: where for code, where in codes_in_use().items() if code not in CODES}
    assert unknown == {}


def test_every_documented_code_is_in_use() -> None:
    assert sorted(set(CODES) - set(codes_in_use())) == []


def test_codes_are_well_formed_and_grouped() -> None:
    assert [r.code for r in RULES] == sorted(r.code for r in RULES)
    for rule in RULES:
        assert re.fullmatch(r"GK[1-5]\d\d", rule.code)
        assert rule.title and rule.rule.endswith(".") and rule.fix.endswith(".")
    # only one-entry field rules are for an editor to show
    assert {r.code[:3] for r in RULES if r.editor} == {"GK2"}


def test_the_page_has_one_anchor_per_code_and_no_other() -> None:
    page = error_codes_markdown()
    anchors = re.findall(r'<a id="([^"]+)"></a>', page)
    assert anchors == [anchor(r.code) for r in RULES]
    for rule in RULES:
        assert f"### {rule.code}: {rule.title}" in page
        assert f"](#{anchor(rule.code)})" in page  # the group's table links to it
    assert error_codes_page().path == PATH


def test_the_page_is_in_the_site_navigation() -> None:
    assert f": {PATH}\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
