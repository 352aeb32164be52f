"""The as-of picker's data (gapkb.site.asof) and the instrument timeline's date groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pytest

from gapkb import site
from gapkb.graph import build_graph
from gapkb.pipeline import check
from gapkb.records import load_records
from gapkb.report import gap_rows
from gapkb.site.asof import FOLDER, asof_data, milestones, rows_at
from gapkb.site.dates import provision_dates
from gapkb.site.model import STATUS_CLASS
from gapkb.validation import as_of_views
from tests.conftest import AS_OF, REPO, SAMPLE

AS_OF_DATE = dt.date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def sample() -> tuple[object, site.SiteModel, dict[str, object]]:
    result = check(SAMPLE, AS_OF_DATE, use_java=False)
    model = site.build_model(result, site.SiteSettings("gapkb", "https://example.org/"))
    return result, model, asof_data(model, result.data)


def table(files: dict[str, object], day: str) -> list[list[object]]:
    data = files[f"{FOLDER}/{day}.json"]
    assert isinstance(data, dict)
    return data["rows"]


def expected(rows: list, order: list[str]) -> list[list[object]]:
    """A check's gap rows as the picker's files write them."""
    index = {cid: n for n, cid in enumerate(order)}
    return [
        [index[r.concept], STATUS_CLASS[r.status], r.used_by, r.implicit, r.voluntary, r.former]
        for r in rows
    ]


def test_build_date_reads_as_gapkb_check(sample: tuple) -> None:
    result, model, files = sample
    assert table(files, AS_OF) == expected(result.gaps, list(model.concepts))
    index = files[f"{FOLDER}/index.json"]
    assert index["as_of"] == AS_OF
    assert [c["id"] for c in index["concepts"]] == list(model.concepts)
    assert index["concepts"][0]["url"] == f"concepts/{index['concepts'][0]['id']}/"


def test_milestones_are_every_state_change(sample: tuple) -> None:
    """The sample's dates: EO 14110 in force and revoked, EO 14148 in force, the EU AI Act in
    force and its two provisions' dates of application; nothing else."""
    _, model, files = sample
    stones = milestones(model.instruments)
    assert [m.day.isoformat() for m in stones] == [
        "2023-10-30",
        "2024-08-01",
        "2025-01-20",
        "2025-08-02",
        "2026-08-02",
    ]
    assert stones[2].events == [
        "EO 14110: is revoked",
        "EO 14148: enters into force; 1 provision starts to apply",
    ]
    listed = [m["date"] for m in files[f"{FOLDER}/index.json"]["milestones"]]
    assert listed == ["2023-10-29", *[m.day.isoformat() for m in stones], AS_OF]


def test_the_view_changes_only_at_milestones() -> None:
    """Between two milestones the as-of view is constant, on the real content too: every day
    of the view's range, checked with the same function the check uses."""
    kb = load_records(REPO)
    data, _ = build_graph(kb)
    instruments = {k: r.entry for k, r in kb.instruments.items()}
    days = [m.day for m in milestones(instruments)]
    # Each milestone, the day before it, and a day between it and the next.
    one = dt.timedelta(days=1)
    ends = [*days[1:], days[-1] + dt.timedelta(days=400)]
    probes = sorted(
        {d for a, b in zip(days, ends, strict=True) for d in (a - one, a, a + (b - a) / 2)}
    )
    views = as_of_views(data, probes)
    state = {day: {t for t in views[day] if "asOf" not in str(t[1])} for day in probes}
    for day in days:
        later = [p for p in probes if p > day and all(not (day < m <= p) for m in days)]
        for probe in later:  # no milestone in (day, probe]: the same state as on the day
            assert state[probe] == state[day], (day, probe)
    changed = [d for d in days if state[d - one] != state[d]]
    assert len(changed) > len(days) / 2  # most milestones do change some concept's standing


@pytest.mark.slow  # the whole check (without Java) once per milestone
def test_every_milestone_reads_as_gapkb_check_on_that_date(sample: tuple) -> None:
    _, model, files = sample
    for entry in files[f"{FOLDER}/index.json"]["milestones"]:
        day = dt.date.fromisoformat(entry["date"])
        on_that_day = check(SAMPLE, day, use_java=False)
        assert table(files, entry["date"]) == expected(on_that_day.gaps, list(model.concepts)), day


def test_rows_at_is_gap_rows_over_the_view(sample: tuple) -> None:
    result, model, _ = sample
    day = dt.date(2025, 1, 19)  # EO 14110 in force, the day before its revocation
    [view] = as_of_views(result.data, [day]).values()
    labels = [t for t in result.data if "prefLabel" in str(t[1])]
    for triple in labels:
        view.add(triple)
    ids = sorted(model.concepts)
    assert [asdict(r) for r in rows_at(result.data, ids, [day])[day]] == [
        asdict(r) for r in gap_rows(view, ids)
    ]
    statuses = {r.concept: r.status for r in rows_at(result.data, ids, [day])[day]}
    assert statuses["compute-threshold"] == "covered"  # EO 14110 Sec. 4.2(b) applies


def test_timeline_groups_provisions_sharing_a_date() -> None:
    instruments = {k: r.entry for k, r in load_records(REPO).instruments.items()}
    act = instruments["eu-ai-act"]
    groups = provision_dates(instruments, act)
    recorded = [g for g in groups if g.moved_by is None]
    # Every provision with its own date of application is in exactly one recorded group.
    own = [n for n, p in enumerate(act.provisions) if p.applies_from]
    assert sorted(n for g in recorded for _, n in g.provisions) == own
    for group in recorded:
        assert {act.provisions[n].applies_from for _, n in group.provisions} == {group.date}
    assert len(groups) < 12 < len(own)  # a few lines, not one per provision
    days = {g.date.isoformat(): g for g in groups}
    assert len(days["2026-08-02"].provisions) > 50
    moved = [g for g in groups if g.moved_by == "eu-digital-omnibus-ai"]
    assert moved and dt.date(2027, 12, 2) in {g.date for g in moved}


def test_instrument_page_timeline_is_grouped(sample: tuple) -> None:
    _, model, _ = sample
    page = next(p for p in site.render_pages(model) if p.path == "instruments/eu-ai-act.md")
    timeline = page.body[page.body.index("## Timeline") : page.body.index("## Provisions")]
    # A date only one provision has names it; several share a line with a count (the real
    # EU AI Act: tests/site/test_asof.py above).
    assert "Art. 55&#40;1&#41;&#40;a&#41; applies from" in timeline  # Markdown-inert label
    assert "<details" not in timeline
