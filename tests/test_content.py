"""The repository's own content: valid, quoted, dated, and right where it matters most."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

import gapkb
from gapkb.model import Status
from gapkb.records import KnowledgeBase, load_records
from tests.conftest import REPO

SHARED_SOURCES = REPO.parent / "shared" / "sources"
TODAY = dt.date.today()


@cache
def content() -> KnowledgeBase:
    return load_records(REPO)


@cache
def checked() -> gapkb.CheckResult:
    return gapkb.check(REPO, as_of=TODAY)


@pytest.mark.reasoner  # HermiT over the real content
def test_content_passes_the_check() -> None:
    result = checked()
    assert [str(f) for f in result.findings if f.severity is gapkb.Severity.VIOLATION] == []


def test_counts() -> None:
    kb = content()
    assert len(kb.instruments) >= 14
    assert len(kb.concepts) >= 45
    assert sum(len(r.entry.coverage) for r in kb.instruments.values()) >= 250


@pytest.mark.reasoner  # the whole check, HermiT included, over the real content
def test_model_merging_risk_is_used_by_zero_but_reached_implicitly() -> None:
    """The seed concept: no binding instrument names merging; binding law reaches it only by
    interpretation, and only non-binding guidance (the Commission's GPAI guidelines, §2.2)
    names it expressly."""
    row = next(r for r in checked().gaps if r.concept == "model-merging-risk")
    assert row.used_by == 0
    assert row.is_gap and row.status == "implicit only"
    links = [
        (record.entry, link)
        for record in content().instruments.values()
        for link in record.entry.coverage
        if link.concept == "model-merging-risk"
    ]
    assert len({entry.id for entry, _ in links}) >= 3
    assert all(not entry.binding for entry, link in links if link.strength.value == "explicit")
    assert any(
        entry.id == "eu-gpai-guidelines" and link.strength.value == "explicit"
        for entry, link in links
    )
    related = set(content().concepts["model-merging-risk"].entry.related)
    assert {"capability-elicitation", "jailbreak-resistance", "alignment"} <= related


def test_every_link_has_a_note_and_a_quote() -> None:
    missing = [
        f"{record.path}: coverage[{i}]"
        for record in content().instruments.values()
        for i, link in enumerate(record.entry.coverage)
        if not link.note or not link.quote or not link.quote_lang
    ]
    assert missing == []


def test_non_english_quotes_have_a_rendering() -> None:
    for record in content().instruments.values():
        for link in record.entry.coverage:
            if link.quote_lang != "en":
                assert link.quote_en, f"{record.path}: {link.provision} -> {link.concept}"


def test_no_two_instruments_share_an_identifier() -> None:
    values = Counter(
        (scheme, value)
        for record in content().instruments.values()
        for scheme, value in record.entry.identifiers.items()
    )
    assert [key for key, n in values.items() if n > 1] == []


def test_dates_agree_with_status() -> None:
    for iid, record in content().instruments.items():
        entry = record.entry
        dates = entry.dates
        if entry.status is Status.IN_FORCE:
            assert dates.in_force is not None and dates.in_force <= TODAY, iid
            assert dates.revoked is None or dates.revoked > TODAY, iid  # a repeal yet to bite
        if entry.status in (Status.REVOKED, Status.SUPERSEDED):
            assert dates.revoked is not None and dates.revoked <= TODAY, iid
            assert entry.revoked_by in content().instruments, iid
        if entry.status is Status.PENDING:
            assert dates.in_force is None or dates.in_force > TODAY, iid


def test_the_facts_peers_got_wrong() -> None:
    instruments = content().instruments
    eo = instruments["us-eo-14110"].entry
    assert eo.status is Status.REVOKED  # revoked in full, not partially
    assert eo.dates.revoked == dt.date(2025, 1, 20)
    assert eo.revoked_by == "us-eo-14148"  # not EO 14179
    act = instruments["eu-ai-act"].entry
    assert act.dates.adopted == dt.date(2024, 6, 13)  # 12 July 2024 is the OJ publication
    assert act.dates.published == dt.date(2024, 7, 12)
    assert act.dates.in_force == dt.date(2024, 8, 1)


@pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this clone"
)
def test_every_quote_of_a_stored_text_is_found_in_its_provision() -> None:
    """`gapkb verify` over the real content: 0 not found, 0 found elsewhere, most proved."""
    from gapkb.verification import verify

    report = verify(REPO, SHARED_SOURCES)
    assert report.errors == []
    problems = [
        f"{r.path}:{r.line}: {r.provision} -> {r.concept}: {r.result.value} {r.found_in}"
        for r in report.results
        if r.result.value in ("not-found", "elsewhere")
    ]
    assert problems == []
    assert report.machine_verified >= 0.75


def test_entries_reference_their_schema() -> None:
    for folder, schema in (("concepts", "concept"), ("instruments", "instrument")):
        for path in sorted((REPO / folder).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path


def test_sources_are_not_copied() -> None:
    # Quote only the passage a link needs; never commit the official texts themselves.
    # Git-ignored installs and build output (.venv, node_modules, build/, public/) are not ours.
    skip = {".venv", ".git", "node_modules", "build", "public", ".mypy_cache", ".ruff_cache"}
    for path in Path(REPO).rglob("*"):
        if path.is_file() and not skip.intersection(path.relative_to(REPO).parts):
            assert path.stat().st_size < 2_000_000, path


def test_recitals_are_never_explicit() -> None:
    # Recitals explain the operative provisions but do not govern: implicit at most.
    explicit = [
        f"{record.path}: {link.provision} -> {link.concept}"
        for record in content().instruments.values()
        for link in record.entry.coverage
        if link.provision.startswith("rec-") and link.strength.value == "explicit"
    ]
    assert explicit == []


def test_colorado_ai_act_status_and_dates_follow_its_amendments() -> None:
    """SB 25B-004 moved SB 24-205's duties to 30 June 2026; SB 26-189 repeals and re-enacts
    the part from 1 January 2027. Each as-of date keeps its own answer."""
    from gapkb.timeline import applicability, applies_on

    instruments = {iid: record.entry for iid, record in content().instruments.items()}
    act = instruments["us-co-sb-24-205"]
    assert act.dates.applies_from == dt.date(2026, 2, 1)  # the enacted date is never overwritten
    assert act.dates.revoked == dt.date(2027, 1, 1) and act.revoked_by == "us-co-sb-26-189"
    duty = next(p for p in act.provisions if p.id == "crs-6-1-1702-1")
    periods = applicability(instruments, act, duty)
    assert not applies_on(periods, dt.date(2026, 3, 1))  # delayed by SB 25B-004
    assert applies_on(periods, dt.date(2026, 7, 1))
    assert not applies_on(periods, dt.date(2027, 1, 1))  # repealed and re-enacted
    assert instruments["us-co-sb-26-189"].status is Status.PENDING


def test_the_omnibus_defers_all_of_chapter_iii_sections_1_to_3() -> None:
    """Regulation (EU) 2026/1744, Art. 1 point (40), replaces Art. 113(c): Chapter III,
    Sections 1 to 3 (Arts 6 to 27) "with the exception of Article 6(5)" apply from 2 December
    2027 (Annex III systems) and 2 August 2028 (Annex I systems). Every EU AI Act provision
    listed in that range, the Annex III points (which classify through Art. 6(2)) and the
    Annex IV points (which apply through Art. 11(1)) must follow, or a link from one counts
    before it applies."""
    from gapkb.timeline import applicability, applies_on

    instruments = {iid: record.entry for iid, record in content().instruments.items()}
    act = instruments["eu-ai-act"]

    def article(pid: str) -> int | None:
        found = re.match(r"art-(\d+)(?:-|$)", pid)
        return int(found.group(1)) if found else None

    deleted = {d for a in instruments["eu-digital-omnibus-ai"].amends for d in a.deletes}
    chapter_iii = [
        p
        for p in act.provisions
        if p.id not in deleted
        and not p.id.startswith("art-6-5")
        and (6 <= (article(p.id) or 0) <= 27 or p.id.startswith(("annex-iii", "annex-iv")))
    ]
    assert len(chapter_iii) > 50
    for provision in chapter_iii:
        periods = applicability(instruments, act, provision)
        # of the two dates, the earlier: from then on it applies to some systems
        assert not applies_on(periods, dt.date(2027, 12, 1)), provision.id
        assert applies_on(periods, dt.date(2027, 12, 2)), provision.id


def test_mappings_point_at_declared_outside_terms() -> None:
    """NIST AI 600-1 and MIT terms are declared in ontology/crosswalks.ttl; a mapping to an
    undeclared one would dangle."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from gapkb.vocab import mapping_iri

    declared = Graph().parse(REPO / "ontology" / "crosswalks.ttl")
    concepts = set(declared.subjects(SKOS.inScheme, None))
    mapped = [
        (cid, m.scheme.value, m.id)
        for cid, record in content().concepts.items()
        for m in record.entry.mappings
    ]
    assert len({cid for cid, _, _ in mapped}) >= 60  # most concepts are cross-walked
    dangling = [
        (cid, scheme, term)
        for cid, scheme, term in mapped
        if scheme in ("nist-ai-600-1", "mit-ai-risk")
        and URIRef(str(mapping_iri(scheme, term))) not in concepts
    ]
    assert dangling == []


EUR_LEX_HTML = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=OJ:L_"
_EUR_LEX_PINPOINT = (
    (r"art-(\d+[a-z]?)\b", r"Art\. (\d+[a-z]?)\b", "art_{}"),
    (r"rec-(\d+)$", r"Recital (\d+)$", "rct_{}"),
    (r"annex-([ivxl]+)\b", r"Annex ([IVXL]+)\b", "anx_{}"),
)


def _eur_lex_anchor(provision_id: str, label: str) -> str | None:
    """The EUR-Lex anchor of the article, recital or annex a provision sits in, read from its id
    and from its label; None when the two disagree or neither names one."""
    for id_form, label_form, anchor in _EUR_LEX_PINPOINT:
        by_id, by_label = re.match(id_form, provision_id), re.match(label_form, label)
        if by_id and by_label and by_id.group(1).upper() == by_label.group(1).upper():
            return anchor.format(by_label.group(1))
    return None


def test_provisions_link_to_their_place_in_the_official_text() -> None:
    """A coverage link opens the provision, not the whole act: every provision of the AI Act and
    of Regulation 2026/1744 carries its EUR-Lex anchor (points land on their article), wording
    that 2026/1744 inserted into the AI Act points at the amending article, and every section of
    New York's art. 44-B its page on the Senate's statute site."""
    instruments = {iid: record.entry for iid, record in content().instruments.items()}
    wrong = []
    for iid, oj, amended_by in (
        ("eu-ai-act", "202401689", "eu-digital-omnibus-ai"),
        ("eu-digital-omnibus-ai", "202601744", None),
    ):
        for p in instruments[iid].provisions:
            anchor = _eur_lex_anchor(p.id, p.label)
            want = f"{EUR_LEX_HTML}{oj}#{anchor}" if anchor else None
            if p.inserted_by and p.inserted_by == amended_by:
                want = f"{EUR_LEX_HTML}202601744#art_1"
            if p.url is None or p.url != want:
                wrong.append((iid, p.id, p.url, want))
    for p in instruments["us-ny-raise-act-2026"].provisions:
        section = re.match(r"gbl-(14\d\d)\b", p.id)
        if section:
            assert p.label.startswith(f"Gen. Bus. Law § {section.group(1)}"), p.id
        want = (
            f"https://www.nysenate.gov/legislation/laws/GBS/{section.group(1)}" if section else None
        )
        if p.url != want:
            wrong.append(("us-ny-raise-act-2026", p.id, p.url, want))
    assert wrong == []
