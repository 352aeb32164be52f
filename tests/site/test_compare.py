"""The compare page's data (gapkb.site.compare): every link, its provision's place, and the
periods gapkb.timeline gives, which compare.js tests a date against."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gapkb import site
from gapkb.pipeline import check
from gapkb.site.compare import compare_data, compare_page, write_compare_data
from gapkb.site.dates import provision_state
from gapkb.timeline import Period, applies_on
from tests.conftest import AS_OF, SAMPLE


def model() -> site.SiteModel:
    result = check(SAMPLE, dt.date.fromisoformat(AS_OF), use_java=False)
    return site.build_model(result, site.SiteSettings("gapkb", "https://gapkb.github.io/gapkb/"))


def test_the_data_holds_every_link_with_its_place_and_periods(tmp_path: Path) -> None:
    m = model()
    data = compare_data(m)
    assert data["as_of"] == AS_OF
    assert [c["id"] for c in data["concepts"]] == list(m.concepts)
    assert [i["id"] for i in data["instruments"]] == list(m.instruments)
    assert sum(len(rows) for rows in data["links"].values()) == sum(
        len(v) for v in m.by_instrument.values()
    )
    red = data["concepts"].index(next(c for c in data["concepts"] if c["id"] == "red-teaming"))
    row = next(r for r in data["links"]["eu-ai-act"] if r[0] == red)
    assert row[1:5] == [
        "explicit",
        "Art. 55(1)(a)",
        "../instruments/eu-ai-act/#provision-art-55-1-a",
        False,
    ]
    assert row[5] == [["2025-08-02", None]]
    recital = next(r for r in data["links"]["eu-ai-act"] if r[2] == "Recital 110")
    assert recital[4] is True  # interpretive
    write_compare_data(m, tmp_path)
    assert json.loads((tmp_path / "data" / "compare.json").read_text()) == data


def test_the_periods_answer_as_the_site_does_on_every_day_that_matters() -> None:
    """What compare.js computes (a date inside a period) is what the pages say (in force)."""
    m = model()
    data = compare_data(m)
    for iid, rows in data["links"].items():
        instrument = m.instruments[iid]
        labels = {p.label: p for p in instrument.provisions}
        for row in rows:
            periods = [
                Period(dt.date.fromisoformat(a), dt.date.fromisoformat(b) if b else None)
                for a, b in row[5]
            ]
            edges = {dt.date.fromisoformat(d) for p in row[5] for d in p if d}
            days = {d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)}
            for day in sorted(days | {dt.date(2020, 1, 1), dt.date(2030, 1, 1)}):
                state, _ = provision_state(m.instruments, instrument, labels[row[2]], day)
                assert applies_on(periods, day) == (state == "in force"), (iid, row[2], day)


def test_the_page_loads_its_script_and_data_from_this_site() -> None:
    page = compare_page(model())
    assert page.path == "compare.md"
    assert 'data-data="../data/compare.json"' in page.body
    assert '<script src="../assets/compare.js"></script>' in page.body
    assert "http" not in page.body.split('<div id="gk-compare"')[1]
