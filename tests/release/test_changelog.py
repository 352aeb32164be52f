"""The changelog's sections for the changes the two-commit test does not make."""

from __future__ import annotations

from gapkb.release import changelog
from gapkb.release.changelog import gap_changes
from tests.release.snapshots import instrument, link, make

CONCEPTS = {"a": "Concept A", "b": "Concept B", "c": "Concept C"}


def section(text: str, heading: str) -> list[str]:
    """The bullet lines under `heading` (up to the next heading)."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    out = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if line.startswith("- "):
            out.append(line)
    return out


def test_statuses_dates_and_quotes() -> None:
    before = make(
        "1.0.0",
        instruments=[instrument("x"), instrument("y")],
        concepts=CONCEPTS,
        provisions=[("x", "art-1", "Art. 1")],
        links=[link("x", "art-1", "a"), link("y", "sec-2", "b", quote=None)],
    )
    after = make(
        "1.1.0",
        as_of="2027-01-01",
        instruments=[
            instrument("x", "revoked", revoked="2026-12-15"),
            {**instrument("y"), "binding": False},
        ],
        concepts={**CONCEPTS, "c": "Concept C, renamed"},
        provisions=[("x", "art-1", "Article 1")],
        links=[link("x", "art-1", "a", "implicit", "b" * 64), link("y", "sec-2", "b")],
        statuses={"a": "no longer covered"},
    )
    text = changelog(before, after)
    assert text.startswith(
        "# gapkb 1.1.0\n\nChanges since 1.0.0. Content as of 2027-01-01; "
        "1.0.0 was as of 2026-12-01.\n"
    )
    assert "| instruments | 0 | 0 | 2 |" in text.splitlines()
    assert section(text, "## Statuses changed") == ["- `x` — X: in-force → revoked"]
    changed = text.split("## Instruments", 1)[1]
    assert section(changed, "### Changed") == [
        "- `x`: revoked — → 2026-12-15",
        "- `y`: binding yes → no",
    ]
    assert section(text.split("## Concepts", 1)[1], "### Changed") == [
        "- `c`: title Concept C → Concept C, renamed"
    ]
    assert section(text.split("## Provisions", 1)[1], "### Changed") == [
        "- `x` `art-1` — Article 1 (was Art. 1)"
    ]
    assert section(text.split("## Links", 1)[1], "### Changed") == [
        "- `x` `art-1` → `a`: strength explicit → implicit; quote changed",
        "- `y` `sec-2` → `b`: quote added",
    ]
    assert section(text.split("### Opened", 1)[1], "#### no longer covered") == [
        "- `a` — Concept A (was covered)"
    ]
    assert "Gaps opened: 1, closed: 0, moved between tiers: 0." in text


def test_new_and_removed_concepts() -> None:
    """A new concept that is a gap opens one; a removed concept closes none."""
    before = make("1", concepts={"a": "A", "b": "B"}, statuses={"b": "never covered"})
    after = make("2", concepts={"a": "A", "c": "C"}, statuses={"c": "voluntary only"})
    changes = gap_changes(before, after)
    assert changes.opened == {"voluntary only": ["`c` — C (new concept)"]}
    assert changes.closed == {}
    assert changes.moved == []
    text = changelog(before, after)
    assert section(text.split("## Concepts", 1)[1], "### Removed") == ["- `b` — B"]


def test_same_content_changes_nothing() -> None:
    snap = make("1", instruments=[instrument("x")], concepts=CONCEPTS)
    text = changelog(snap, {**snap, "version": "2"})
    assert "Statuses changed: 0. Gaps opened: 0, closed: 0, moved between tiers: 0." in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert set(bullets) == {"- none"}


def test_first_release() -> None:
    snap = make("0.1.0", concepts=CONCEPTS, statuses={"b": "implicit only"})
    assert changelog(None, snap) == (
        "# gapkb 0.1.0\n\nFirst release. Content as of 2026-12-01.\n\n## Summary\n\n"
        "- instruments: 0\n- concepts: 3\n- provisions: 0\n- links: 0\n\n## Gaps\n\n"
        "### implicit only\n\n- `b` — Concept B\n"
    )
