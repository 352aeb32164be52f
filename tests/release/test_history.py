"""Gap history across release snapshots."""

from __future__ import annotations

from gapkb.release import gap_history
from gapkb.release.history import Change
from tests.release.snapshots import make

CONCEPTS = {"a": "A", "b": "B", "c": "C"}


def test_since_and_changed_in() -> None:
    snaps = [
        make("0.1.0", as_of="2026-01-01", concepts=CONCEPTS, statuses={"a": "never covered"}),
        make("0.2.0", as_of="2026-02-01", concepts=CONCEPTS, statuses={"a": "implicit only"}),
        make("0.3.0", as_of="2026-03-01", concepts=CONCEPTS, statuses={"b": "no longer covered"}),
        make(
            "0.4.0",
            as_of="2026-04-01",
            concepts={"a": "A", "b": "B"},
            statuses={"b": "never covered"},
        ),
    ]
    rows = {r.concept: r for r in gap_history(snaps)}
    assert [r.concept for r in gap_history(snaps)] == ["b", "a", "c"]  # gaps first
    b = rows["b"]
    # a gap since 0.3.0 (the tier changed in 0.4.0, the gap did not close)
    assert (b.status, b.is_gap, b.since, b.since_as_of) == (
        "never covered",
        True,
        "0.3.0",
        "2026-03-01",
    )
    assert (b.changed_in, b.changed_as_of) == ("0.4.0", "2026-04-01")
    a = rows["a"]
    assert (a.status, a.since, a.changed_in) == ("covered", "0.3.0", "0.3.0")
    assert a.changes == (
        Change("0.1.0", "2026-01-01", "never covered"),
        Change("0.2.0", "2026-02-01", "implicit only"),
        Change("0.3.0", "2026-03-01", "covered"),
    )
    c = rows["c"]
    assert (c.status, c.is_gap, c.since, c.changed_in) == ("removed", False, "0.4.0", "0.4.0")


def test_unchanged_concept_dates_from_the_first_release() -> None:
    snaps = [make(v, concepts={"a": "A"}) for v in ("1", "2", "3")]
    (row,) = gap_history(snaps)
    assert (row.status, row.since, row.changed_in, len(row.changes)) == ("covered", "1", "1", 1)
