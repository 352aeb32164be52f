"""Gap tiers, dates with amendments, and proof per quote, as a reader sees them.

Built in memory from a copy of tests/sample with an amending act, a voluntary framework
and a verification record added; the real content is checked by the slow tests below."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from gapkb import site
from gapkb.pipeline import check
from gapkb.report import VOLUNTARY_ONLY
from gapkb.site import downloads
from gapkb.site.model import STATUS_TEXT
from gapkb.site.render import Page
from tests.conftest import AS_OF, REPO

AS_OF_DATE = dt.date.fromisoformat(AS_OF)

OMNIBUS = """\
id: eu-omnibus
title: Regulation amending Regulation (EU) 2024/1689
short_title: Omnibus
jurisdiction: EU
kind: regulation
binding: true
status: in-force
dates: {adopted: 2026-07-08, in_force: 2026-07-27}
url: https://eur-lex.europa.eu/eli/reg/2026/1744/oj
languages: [en]
provisions:
  - {id: art-1-40, label: Art. 1(40), title: Dates of application}
amends:
  - instrument: eu-ai-act
    by: art-1-40
    provisions: [art-55-1-a]
    applies_from: 2027-12-02
    note: Moves the evaluation duty to 2 December 2027.
  - instrument: eu-ai-act
    deletes: [art-10-5]
    note: Deletes Art. 10(5).
"""

FRAMEWORK = """\
id: voluntary-framework
title: A Voluntary Framework
short_title: Framework
jurisdiction: US
kind: framework
binding: false
status: in-force
dates: {adopted: 2023-01-26, in_force: 2023-01-26}
url: https://www.nist.gov/itl/ai-risk-management-framework
languages: [en]
provisions:
  - {id: sec-1, label: Sec. 1, title: Alignment}
coverage:
  - concept: alignment
    provision: sec-1
    strength: explicit
    note: Asks developers to align systems with intended goals.
    quote: align systems with intended goals
    quote_lang: en
    quote_source: https://www.nist.gov/itl/ai-risk-management-framework
    reviewed: 2026-11-30
"""

MANIFEST = """\
eu-ai-act:
  folder: eu-ai-act
  url: https://eur-lex.europa.eu/eli/reg/2024/1689/oj
  version: Regulation (EU) 2024/1689 as adopted
  retrieved: '2026-11-23'
  method: extraction
  files:
    articles.csv: {sha256: b1e8d4274e1ac8c69e0943c15b26ebe7804f081a100eb6fb6274745791c61ee9, format: eu-articles-csv}
"""

RECORD = """\
instrument,provision,concept,result,found_in,text_sha256,text_method,checked,quote_sha256
eu-ai-act,art-55-1-a,red-teaming,verified,,b1e8d4274e1ac8c69e0943c15b26ebe7804f081a100eb6fb6274745791c61ee9,extraction,2026-11-30,00
"""


@pytest.fixture
def amended(sample_copy: Path) -> Path:
    """The sample with an amending act, a deleted and an inserted provision, a voluntary
    framework and a verification record."""
    path = sample_copy / "instruments" / "eu-ai-act.yaml"
    act = yaml.safe_load(path.read_text())
    act["provisions"] += [
        {"id": "art-4a", "label": "Art. 4a", "title": "Inserted", "inserted_by": "eu-omnibus"},
        {"id": "art-10-5", "label": "Art. 10(5)", "title": "Deleted"},
    ]
    act["coverage"] += [
        {
            "concept": "red-teaming",
            "provision": "art-4a",
            "strength": "explicit",
            "note": "Inserted text on testing.",
            "quote": "test the model",
            "quote_lang": "en",
            "quote_version": "eu-omnibus",
        },
        {
            "concept": "compute-threshold",
            "provision": "art-10-5",
            "strength": "explicit",
            "note": "Deleted text.",
        },
    ]
    # The amending act's text is not stored: its quote is marked as unproved (GK312).
    act["unverified"] = ["coverage.2.quote"]
    path.write_text(yaml.safe_dump(act, sort_keys=False, allow_unicode=True))
    (sample_copy / "instruments" / "eu-omnibus.yaml").write_text(OMNIBUS)
    (sample_copy / "instruments" / "voluntary-framework.yaml").write_text(FRAMEWORK)
    (sample_copy / "verification").mkdir()
    (sample_copy / "verification" / "manifest.yaml").write_text(MANIFEST)
    (sample_copy / "verification" / "record.csv").write_text(RECORD)
    return sample_copy


def render(root: Path, as_of: dt.date = AS_OF_DATE) -> tuple[site.SiteModel, dict[str, Page]]:
    result = check(root, as_of, use_java=False)
    assert result.ok, [str(f) for f in result.findings]
    model = site.build_model(result, site.SiteSettings("gapkb", "https://w3id.org/gapkb/"))
    return model, {p.path: p for p in site.render_pages(model)}


def text(markdown: str) -> str:
    """Markdown or HTML as a reader reads it: tags, link targets and entities gone (a tag
    that breaks a line or a cell stands for a space, an inline one for nothing)."""
    spaced = re.sub(
        r"</?(?:br|p|div|h\d|t[dhr]|thead|tbody|table|li|ul|ol|details|summary)\b[^>]*>",
        " ",
        markdown,
    )
    out = re.sub(r"\]\([^)]*\)", "]", re.sub(r"<[^>]+>", "", spaced))
    out = out.replace("[", "").replace("]", "").replace("&#40;", "(").replace("&#41;", ")")
    out = out.replace("**", "")
    return re.sub(r"\s+", " ", out.replace("&#39;", "'").replace("&#95;", "_"))


def test_voluntary_only_tier_on_the_pages(amended: Path) -> None:
    model, pages = render(amended)
    assert model.rows["alignment"].status == VOLUNTARY_ONLY
    gaps = pages["gaps.md"].body
    assert "are used by no binding instrument in force as of" in gaps
    voluntary = text(gaps.split("## Covered only by voluntary instruments or guidance")[1])
    voluntary = voluntary.split("## No longer covered")[0]
    assert "| Alignment | Safety | Framework | Framework Sec. 1 |" in voluntary
    glance = text(pages["concepts/alignment.md"].body.split("## At a glance")[1])
    assert "Used by 0 binding instruments in force as of 2026-12-01 gap: voluntary only" in glance
    assert "Covered expressly by voluntary instruments or guidance: Framework" in glance
    merging = text(pages["concepts/model-merging-risk.md"].body)
    assert "Used by 0 binding instruments in force" in merging
    assert "Reached by interpretation in binding instruments: EU AI Act" in merging
    assert "EU AI Act interpretive (recital, not binding) Recital 110" in merging
    former = text(pages["concepts/compute-threshold.md"].body)
    assert (
        "Governed expressly by instruments no longer in force as of 2026-12-01: EO 14110" in former
    )
    index = pages["concepts/index.md"].body
    assert "| [Alignment](alignment.md) | [Safety](../categories/safety.md) | 0 | 0 | 1 |" in index
    assert "| [Alignment](../concepts/alignment.md) | 0 | 1 |" in pages["categories/safety.md"].body


def test_every_page_counts_as_the_gap_rows(amended: Path) -> None:
    model, pages = render(amended)
    for cid, row in model.rows.items():
        glance = text(pages[f"concepts/{cid}.md"].body.split("## At a glance")[1])
        assert f"Used by {row.used_by} binding instrument" in glance
        assert STATUS_TEXT[row.status] in glance
        assert len(model.instruments_in(cid, "governs")) == row.used_by
        assert len(model.instruments_in(cid, "reaches")) == row.implicit
        assert len(model.instruments_in(cid, "guides")) == row.voluntary
        assert len(model.instruments_in(cid, "former")) == row.former


def test_amendments_move_insert_and_delete(amended: Path) -> None:
    _, pages = render(amended)
    act = pages["instruments/eu-ai-act.md"].body
    amendments = text(act.split("## Amendments")[1].split("## Provisions")[0])
    assert (
        "Amended by Omnibus (in force 2026-07-27): Moves the evaluation duty to 2 December 2027."
        " Moves Art. 55(1)(a) to apply from 2027-12-02." in amendments
    )
    assert (
        "Amended by Omnibus (in force 2026-07-27): Deletes Art. 10(5). Deletes Art. 10(5)."
        in amendments
    )
    provisions = text(act.split("## Provisions")[1].split("## Concepts not covered")[0])
    # Each provision under its own heading (pinpoint, title, a ¶ link to its anchor).
    assert (
        "Art. 55(1)(a) Model evaluation of general-purpose AI models with systemic risk ¶ binding"
        " · Applies from 2025-08-02 until 2026-07-27; from 2027-12-02 applies from 2027-12-02"
        " (moved by Omnibus)" in provisions
    )
    assert (
        "Art. 4a Inserted ¶ binding · Applies from 2026-08-02 inserted by Omnibus in force"
        in provisions
    )
    assert (
        "Art. 10(5) Deleted ¶ binding · Applies at no date deleted by Omnibus from 2026-07-27"
        " no longer applies since 2026-07-27 (deleted by Omnibus)" in provisions
    )
    assert (
        "Recital 110 Systemic risks of general-purpose AI models ¶ interpretive (recital, not binding)"
        in provisions
    )
    omnibus = text(pages["instruments/eu-omnibus.md"].body.split("## Amendments")[1])
    assert "Amends EU AI Act: Moves the evaluation duty to 2 December 2027." in omnibus
    red = text(pages["concepts/red-teaming.md"].body)
    assert "quoted as amended by Omnibus" in red
    assert "applies from 2027-12-02 (moved by Omnibus)" in red


def test_yesterdays_answer_stays(amended: Path) -> None:
    model, pages = render(amended, dt.date(2026, 1, 1))
    assert model.rows["red-teaming"].used_by == 1  # before the Omnibus, Art. 55(1)(a) applied
    act = text(pages["instruments/eu-ai-act.md"].body)
    assert "As of 2026-01-01: in force; applies from 2026-08-02" in act


def test_proof_per_quote(amended: Path) -> None:
    model, pages = render(amended)
    red = text(pages["concepts/red-teaming.md"].body)
    assert (
        "machine-verified on 2026-11-30 against Regulation (EU) 2024/1689 as adopted"
        " (text extracted from the publisher's file; sha256 b1e8d4274e1a)" in red
    )
    assert "test the model quoted as amended by Omnibus not checked" in red
    alignment = pages["concepts/alignment.md"].body
    assert (
        'checked by hand against <a href="https://www.nist.gov/itl/ai-risk-management-framework">'
        "the official page</a> on 2026-11-30" in alignment
    )
    rows = downloads.coverage_csv(model).splitlines()
    header = rows[0].split(",")
    for column in (
        "verification",
        "verified_against",
        "text_method",
        "text_sha256",
        "checked",
        "quote_source",
    ):
        assert column in header
    verified = next(
        r for r in rows if r.startswith(f"{AS_OF},eu-ai-act,EU AI Act,yes,in-force,art-55-1-a,")
    )
    assert (
        "machine-verified,Regulation (EU) 2024/1689 as adopted,extraction,b1e8d4274e1a" in verified
    )


def test_a_clone_without_a_record_builds(sample_copy: Path) -> None:
    model, pages = render(sample_copy)
    assert not model.proofs
    assert "not checked" in pages["concepts/red-teaming.md"].body


@pytest.mark.slow  # the whole check over the real content
def test_real_content_tiers_and_colorado() -> None:
    model, pages = render(REPO, dt.date(2026, 12, 6))
    gaps = pages["gaps.md"].body
    sections = {
        "never covered": "## Never covered",
        "implicit only": "## Covered only implicitly",
        "voluntary only": "## Covered only by voluntary instruments or guidance",
        "no longer covered": "## No longer covered",
    }
    for cid, row in model.rows.items():
        glance = text(pages[f"concepts/{cid}.md"].body.split("## At a glance")[1])
        assert f"Used by {row.used_by} binding instrument" in glance, cid
        assert STATUS_TEXT[row.status] in glance, cid
        link = f"](concepts/{cid}.md)"
        for status, heading in sections.items():
            part = gaps.split(heading)[1].split("\n## ")[0]
            assert (link in part) == (row.status == status), (cid, status)
    merging = text(pages["concepts/model-merging-risk.md"].body)
    assert "Used by 0 binding instruments in force" in merging
    colorado = text(pages["instruments/us-co-sb-24-205.md"].body)
    assert (
        "As of 2026-12-06: in force; applies from 2026-06-30 (moved from 2026-02-01 by Colorado"
        " SB 25B-004 (delay of the Colorado AI Act to 30 June 2026)); repealed from 2027-01-01 by"
        " Colorado SB 26-189" in colorado
    )


def test_coverage_statement(amended: Path) -> None:
    _, pages = render(amended)
    page = text(pages["coverage.md"].body)
    assert "## Not yet in, and why" in page
    assert "6 coverage links; 1 link (17 %) has a quote machine-verified" in page
    assert "| EU | EU AI Act | Regulation | yes | in force | 4 | 25 % | — |" in page
    assert "39 right, 5 overclaimed and fixed, 1 that cannot be checked" in page
    assert "(../audits/2026-12-06.md)" not in page  # links are relative to the page
    assert "](audits/2026-12-06.md)" in pages["coverage.md"].body
