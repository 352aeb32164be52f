"""The mappings page and the mappings on concept pages: the text a reader sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

from gapkb import site
from gapkb.graph import load_ontology
from gapkb.pipeline import check
from gapkb.site.model import crosswalk_terms
from tests.conftest import AS_OF, REPO, SAMPLE

MAPPINGS = {
    "red-teaming": """
mappings:
  - scheme: nist-ai-600-1
    id: "2.9"
    match: related
  - scheme: mit-ai-risk
    id: "2.2"
    match: close
  - scheme: airo
    id: AIRisk
    match: broad
""",
    "model-merging-risk": """
mappings:
  - scheme: nist-ai-600-1
    id: "2.12"
    match: narrow
  - scheme: dpv
    id: risk:Misinformation
    match: related
""",
}


@pytest.fixture
def pages(sample_copy: Path) -> dict[str, str]:
    for concept, text in MAPPINGS.items():
        path = sample_copy / "concepts" / f"{concept}.yaml"
        path.write_text(path.read_text() + text)
    result = check(sample_copy, dt.date.fromisoformat(AS_OF))
    assert result.ok, [str(f) for f in result.findings]
    model = site.build_model(result, site.SiteSettings())
    return {p.path: p.body for p in site.render_pages(model)}


def part(body: str, heading: str) -> str:
    """A `## heading` section of a Markdown page, up to the next `## `."""
    start = body.index(f"\n## {heading}\n")
    end = body.find("\n## ", start + 1)
    return body[start : end if end > 0 else len(body)]


def test_crosswalk_labels_come_from_the_ontology() -> None:
    terms = crosswalk_terms(load_ontology(REPO))
    nist = terms["nist-ai-600-1"]
    assert list(nist) == [f"2.{n}" for n in range(1, 13)]  # 2.10 after 2.9
    assert nist["2.4"] == "Data Privacy"
    assert terms["mit-ai-risk"]["7.1"] == (
        "AI pursuing its own goals in conflict with human goals or values"
    )
    assert "6.3" not in terms["mit-ai-risk"]  # not declared until its label is verified
    assert crosswalk_terms(Graph()) == {}


def test_mappings_page_headline_and_schemes_in_order(pages: dict[str, str]) -> None:
    body = pages["mappings.md"]
    assert body.startswith("# Mappings\n")
    assert "**2 of 4 concepts** are mapped to at least one term of an outside taxonomy" in body
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings == [
        "## NIST AI 600-1",
        "## MIT AI Risk Repository",
        "## DPV",
        "## AIRO",
        "## Concepts with no mapping",
    ]


def test_nist_section_labels_terms_and_lists_risks_without_a_concept(
    pages: dict[str, str],
) -> None:
    nist = part(pages["mappings.md"], "NIST AI 600-1")
    assert "2 concepts map to 2 risks." in nist
    assert (
        "| §2.9 Information Security | [Red-teaming](concepts/red-teaming.md) (related match) |"
    ) in nist
    assert (
        "| §2.12 Value Chain and Component Integration | "
        "[Model merging risk](concepts/model-merging-risk.md) (narrow match) |"
    ) in nist
    assert "**No concept maps to 10 of the 12 risks listed:**" in nist
    assert "- §2.2 Confabulation\n" in nist
    assert "- §2.9 " not in nist


def test_mit_dpv_and_airo_sections(pages: dict[str, str]) -> None:
    body = pages["mappings.md"]
    mit = part(body, "MIT AI Risk Repository")
    assert (
        "| 2.2 AI system security vulnerabilities and attacks | "
        "[Red-teaming](concepts/red-teaming.md) (close match) |"
    ) in mit
    assert "**No concept maps to 20 of the 21 subdomains listed:**" in mit
    assert "- 7.6 Multi-agent risks\n" in mit
    dpv = part(body, "DPV")
    assert (
        "| [risk:Misinformation](https://w3id.org/dpv/risk#Misinformation) | "
        "[Model merging risk](concepts/model-merging-risk.md) (related match) |"
    ) in dpv
    assert "No concept maps to" not in dpv  # DPV is large: only the terms used are listed
    airo = part(body, "AIRO")
    assert (
        "| [airo:AIRisk](https://w3id.org/airo#AIRisk) | "
        "[Red-teaming](concepts/red-teaming.md) (broad match) |"
    ) in airo


def test_concepts_with_no_mapping(pages: dict[str, str]) -> None:
    none = part(pages["mappings.md"], "Concepts with no mapping")
    assert "2 concepts map to no term of any of these taxonomies:" in none
    assert "| [Alignment](concepts/alignment.md) | [Safety](categories/safety.md) |" in none
    assert "Compute threshold" in none
    assert "Red-teaming" not in none


def test_concept_page_shows_its_mappings_with_labels(pages: dict[str, str]) -> None:
    [line] = [
        line for line in pages["concepts/red-teaming.md"].splitlines() if "**Elsewhere:**" in line
    ]
    assert line == (
        "- **Elsewhere:** NIST AI 600-1 [§2.9 Information Security](../mappings.md#nist-ai-600-1)"
        " (related match); MIT AI Risk Repository [2.2 AI system security vulnerabilities and"
        " attacks](../mappings.md#mit-ai-risk-repository) (close match); AIRO"
        " [airo:AIRisk](https://w3id.org/airo#AIRisk) (broad match)"
    )
    assert not any("**Elsewhere:**" in line for line in pages["concepts/alignment.md"].splitlines())


def test_no_mappings_at_all() -> None:
    result = check(SAMPLE, dt.date.fromisoformat(AS_OF))
    body = next(
        p.body
        for p in site.render_pages(site.build_model(result, site.SiteSettings()))
        if p.path == "mappings.md"
    )
    assert "No concept maps to any NIST AI 600-1 risk." in body
    assert "No concept maps to any AIRO term." in body
    assert "**No concept maps to 12 of the 12 risks listed:**" in body
    assert "4 concepts map to no term of any of these taxonomies:" in body


def test_mappings_page_is_in_the_nav() -> None:
    text = (REPO / "mkdocs.yml").read_text()
    assert "  - Categories: categories/index.md\n  - Mappings: mappings.md\n" in text
