"""When a provision applies, amendments followed: every as-of date keeps its own answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gapkb.model import Instrument, Provision
from gapkb.timeline import Period, applicability, applies_on

D = dt.date.fromisoformat


def _instrument(iid: str, **fields: Any) -> Instrument:
    base: dict[str, Any] = {
        "id": iid,
        "title": iid,
        "short_title": iid,
        "jurisdiction": "EU",
        "kind": "regulation",
        "binding": True,
        "status": "in-force",
        "dates": {"in_force": "2024-08-01", "applies_from": "2026-08-02"},
        "url": "https://example.org/act",
        "languages": ["en"],
        "provisions": [
            {
                "id": "art-5",
                "label": "Art. 5",
                "title": "Prohibitions",
                "applies_from": "2025-02-02",
            },
            {"id": "art-9", "label": "Art. 9", "title": "Risk management"},
        ],
    }
    base.update(fields)
    return Instrument.model_validate(base)


def _delay(iid: str, in_force: str, provisions: list[str], applies_from: str) -> Instrument:
    return _instrument(
        iid,
        dates={"in_force": in_force},
        provisions=[],
        amends=[
            {
                "instrument": "act",
                "provisions": provisions,
                "applies_from": applies_from,
                "note": "Moves the date.",
            }
        ],
    )


def _periods(instruments: list[Instrument], provision_id: str) -> list[Period]:
    by_id = {i.id: i for i in instruments}
    act = by_id["act"]
    provision = next(p for p in act.provisions if p.id == provision_id)
    return applicability(by_id, act, provision)


def test_without_amendments_the_own_date_then_the_instruments() -> None:
    act = _instrument("act")
    assert _periods([act], "art-5") == [Period(D("2025-02-02"))]
    assert _periods([act], "art-9") == [Period(D("2026-08-02"))]


def test_a_revocation_ends_the_period() -> None:
    act = _instrument("act", dates={"in_force": "2023-10-30", "revoked": "2025-01-20"})
    assert _periods([act], "art-9") == [Period(D("2023-10-30"), D("2025-01-20"))]


def test_never_in_force_never_applies() -> None:
    bill = _instrument("act", status="vetoed", dates={"adopted": "2024-08-29"})
    assert _periods([bill], "art-9") == []


def test_a_delay_speaks_from_its_own_entry_into_force() -> None:
    act = _instrument("act")
    omnibus = _delay("omnibus", "2026-07-27", ["art-9"], "2027-12-02")
    periods = _periods([act, omnibus], "art-9")
    assert periods == [Period(D("2027-12-02"))]
    assert not applies_on(periods, D("2026-08-03"))
    # Yesterday's answer stays right: before the delay, the original date held (and had
    # not yet come), so no day before 2027-12-02 applies either way.
    assert not applies_on(periods, D("2026-07-26"))
    assert applies_on(periods, D("2027-12-02"))


def test_a_delay_enacted_after_the_original_date_suspends_the_provision() -> None:
    act = _instrument("act")
    late = _delay("late", "2026-09-01", ["art-9"], "2027-12-02")
    periods = _periods([act, late], "art-9")
    assert periods == [Period(D("2026-08-02"), D("2026-09-01")), Period(D("2027-12-02"))]


def test_the_latest_amendment_in_force_wins() -> None:
    act = _instrument("act")
    first = _delay("first", "2025-11-25", ["art-9"], "2026-12-01")
    second = _delay("second", "2026-06-01", ["art-9"], "2028-01-01")
    periods = _periods([act, first, second], "art-9")
    assert periods == [Period(D("2028-01-01"))]
    assert not applies_on(periods, D("2026-12-15"))


def test_a_general_delay_moves_provisions_without_a_date_of_their_own() -> None:
    act = _instrument("act")
    general = _delay("general", "2026-07-27", [], "2027-08-02")
    assert _periods([act, general], "art-9") == [Period(D("2027-08-02"))]
    assert _periods([act, general], "art-5") == [Period(D("2025-02-02"))]


def test_an_amending_bill_never_in_force_changes_nothing() -> None:
    act = _instrument("act")
    bill = _delay("bill", "2026-07-27", ["art-9"], "2027-12-02").model_copy(
        update={"dates": _instrument("x", dates={"adopted": "2026-07-01"}).dates}
    )
    assert _periods([act, bill], "art-9") == [Period(D("2026-08-02"))]


@pytest.mark.parametrize(
    ("inserting_in_force", "expected"),
    [("2026-07-27", [Period(D("2026-12-02"))]), (None, [])],
    ids=["in force", "never in force"],
)
def test_an_inserted_provision_exists_from_its_amending_acts_entry_into_force(
    inserting_in_force: str | None, expected: list[Period]
) -> None:
    inserted = Provision(
        id="art-5-1-ba",
        label="Art. 5(1)(ba)",
        title="New prohibition",
        applies_from=D("2026-12-02"),
        inserted_by="omnibus",
    )
    act = _instrument("act")
    act = act.model_copy(update={"provisions": [*act.provisions, inserted]})
    dates = {"in_force": inserting_in_force} if inserting_in_force else {"adopted": "2026-07-08"}
    omnibus = _instrument("omnibus", dates=dates, provisions=[])
    assert _periods([act, omnibus], "art-5-1-ba") == expected


def test_two_dates_from_one_act_the_earlier_wins() -> None:
    act = _instrument("act")
    omnibus = _instrument(
        "omnibus",
        dates={"in_force": "2026-07-27"},
        provisions=[],
        amends=[
            {"instrument": "act", "provisions": ["art-9"], "applies_from": d, "note": "Moves it."}
            for d in ("2027-12-02", "2028-08-02")
        ],
    )
    assert _periods([act, omnibus], "art-9") == [Period(D("2027-12-02"))]


def test_a_deleted_provision_stops_applying_when_the_deleting_act_enters_into_force() -> None:
    act = _instrument("act")
    omnibus = _instrument(
        "omnibus",
        dates={"in_force": "2026-07-27"},
        provisions=[],
        amends=[{"instrument": "act", "deletes": ["art-5"], "note": "Deletes it."}],
    )
    assert _periods([act, omnibus], "art-5") == [Period(D("2025-02-02"), D("2026-07-27"))]
