"""The gap history page, built from the gap records committed under releases/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gapkb import site
from gapkb.pipeline import check
from gapkb.site.history import history_page
from gapkb.site.model import STATUS_TEXT
from tests.conftest import AS_OF
from tests.release.snapshots import make

AS_OF_DATE = dt.date.fromisoformat(AS_OF)


def model_with(root: Path, records: list[dict[str, object]]) -> site.SiteModel:
    (root / "releases").mkdir()
    for record in records:
        (root / "releases" / f"{record['version']}.json").write_text(
            json.dumps(record), encoding="utf-8"
        )
    result = check(root, AS_OF_DATE, use_java=False)
    return site.build_model(result, site.SiteSettings("gapkb", "https://gapkb.github.io/gapkb/"))


def test_history_from_the_records(sample_copy: Path) -> None:
    """Two releases: a concept that was a gap in 0.1.0 and covered since 0.2.0, the seed
    concept a gap throughout; this build differs from 0.2.0 for one concept."""
    result = check(sample_copy, AS_OF_DATE, use_java=False)
    titles = {cid: r.entry.title for cid, r in result.kb.concepts.items()}
    now = {row.concept: row.status for row in result.gaps}
    covered_now = next(c for c, s in sorted(now.items()) if s == "covered")
    gap_now = "model-merging-risk"
    assert now[gap_now] != "covered"
    first = make(
        "0.1.0",
        as_of="2026-01-01",
        concepts=titles,
        statuses={**{c: s for c, s in now.items() if s != "covered"}, covered_now: "never covered"},
    )
    # 0.2.0 as now, except that the seed concept was covered then (it is a gap again now).
    second = make(
        "0.2.0",
        as_of="2026-06-01",
        concepts=titles,
        statuses={c: s for c, s in now.items() if s != "covered" and c != gap_now},
    )
    page = history_page(model_with(sample_copy, [second, first])).body
    assert "**2 releases**, the latest **0.2.0** as of" in page
    rows = {line.split(" | ")[0]: line for line in page.splitlines() if line.startswith("| [")}
    covered_row = next(r for k, r in rows.items() if titles[covered_now] in k)
    assert "| covered | 0.2.0 (2026-06-01) | 0.2.0 (2026-06-01) |" in covered_row
    assert "0.1.0: gap: never covered; 0.2.0: covered" in covered_row
    seed_row = next(r for k, r in rows.items() if titles[gap_now] in k)
    assert "| covered | 0.2.0 (2026-06-01) |" in seed_row
    # What the next release will change: the seed concept is a gap again in this build.
    not_released = page.split("## Not yet released", 1)[1]
    assert f"{titles[gap_now]}](" in not_released
    assert f"covered in 0.2.0, {STATUS_TEXT[now[gap_now]]} now" in not_released


def test_no_release_yet(sample_copy: Path) -> None:
    page = history_page(model_with(sample_copy, [])).body
    assert "No release has been made yet" in page
