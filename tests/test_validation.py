"""The as-of view against its SPARQL definition, and validation's independence from
the reasoner's output (which lets the pipeline validate while HermiT runs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from gapkb.graph import build_graph, load_ontology
from gapkb.reasoning import KEPT_PREDICATES, apply_rules
from gapkb.records import load_records
from gapkb.validation import AS_OF_VIEW, as_of_view, load_shapes, validate
from gapkb.vocab import ELI, GK
from tests.conftest import CASE_DIRS, REPO, SAMPLE, apply_case


def _by_sparql(graph: Graph, as_of: dt.date) -> set[tuple[object, ...]]:
    date = Literal(as_of)  # typed xsd:date
    result = graph.query(AS_OF_VIEW, initBindings={"asOf": date}).graph
    assert result is not None
    return set(result)


def _dates_around(graph: Graph) -> list[dt.date]:
    """Every date in the graph, the day before it and the day after: where states change."""
    days = set()
    for predicate in (
        ELI.first_date_entry_in_force,
        ELI.date_no_longer_in_force,
        ELI.date_applicability,
    ):
        for value in graph.objects(None, predicate):
            day = value.toPython()
            assert isinstance(day, dt.date)
            days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize(
    "root",
    [pytest.param(REPO, marks=pytest.mark.slow), SAMPLE],  # the content: every date, rdflib
    ids=["content", "sample"],
)
def test_as_of_view_is_the_sparql_definition(root: Path) -> None:
    data, _ = build_graph(load_records(root))
    days = _dates_around(data)
    assert len(days) > 10
    for day in days:
        view = as_of_view(data, day)
        view.remove((GK.view, GK.asOf, None))  # the view's own date, not part of the query
        assert set(view) == _by_sparql(data, day), day


def test_as_of_view_changes_with_the_date() -> None:
    data, _ = build_graph(load_records(REPO))
    early, late = as_of_view(data, dt.date(2000, 1, 1)), as_of_view(data, dt.date(2026, 11, 24))
    assert len(early) == 1  # only the gk:asOf triple: nothing was in force in 2000
    assert len(late) > 100


@pytest.mark.parametrize(
    "case",
    # every bad-input case validates twice: the sample is enough for the inner loop
    [None, *(pytest.param(case, marks=pytest.mark.slow) for case in CASE_DIRS)],
    ids=["sample", *(p.name for p in CASE_DIRS)],
)
def test_findings_do_not_depend_on_the_inferences(case: Path | None, sample_copy: Path) -> None:
    """The shapes read what entries assert and the as-of view, not what is inferred, so
    validating before HermiT's answer arrives gives the same findings as after."""
    if case is not None:
        apply_case(case, sample_copy)
    kb = load_records(sample_copy)
    data, sources = build_graph(kb)
    ontology = load_ontology(REPO)
    shapes = load_shapes(REPO)
    view = as_of_view(data, dt.date(2026, 12, 1))
    inferred = apply_rules(data)
    assert {p for _, p, _ in inferred} <= KEPT_PREDICATES
    before = validate(data + view + ontology, shapes, sources)
    after = validate(data + inferred + view + ontology, shapes, sources)
    assert before == after


def test_a_status_ahead_of_a_future_as_of_date_is_noted_not_refused() -> None:
    """`status` speaks of today: an instrument pending until a repeal that takes effect after
    today is right now, so a check as of a later date notes it (info) instead of refusing
    the knowledge base; a revocation date already past today stays a violation."""
    from types import SimpleNamespace

    from gapkb.findings import Finding, Severity
    from gapkb.pipeline import STATUS_STALE, status_ahead
    from gapkb.vocab import instrument_iri

    def record(revoked: dt.date) -> SimpleNamespace:
        return SimpleNamespace(entry=SimpleNamespace(dates=SimpleNamespace(revoked=revoked)))

    today = dt.date(2026, 12, 6)
    kb = SimpleNamespace(
        instruments={"later": record(dt.date(2027, 1, 1)), "past": record(dt.date(2026, 1, 1))}
    )
    found = [
        Finding(f"instruments/{iid}.yaml", 8, "status", "stale", code=STATUS_STALE,
                subject=str(instrument_iri(iid)))
        for iid in ("later", "past")
    ]  # fmt: skip
    later, past = status_ahead(found, kb, dt.date(2027, 2, 1), today)  # type: ignore[arg-type]
    assert later.severity is Severity.INFO and "(2027-01-01) is after today" in later.message
    assert past.severity is Severity.VIOLATION and past.message == "stale"
    # Checked as of today or earlier, nothing changes.
    assert status_ahead(found, kb, today, today) == found  # type: ignore[arg-type]
