"""The citation checklist (checklist.yaml) in every style, one test per rule of issue 18, and
one BibTeX key per work across everything the site cites."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import yaml

from gapkb import citations
from gapkb.model import Source, SourceType
from gapkb.records import KnowledgeBase, load_records
from tests.conftest import REPO

CHECKLIST: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "checklist.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_records(REPO)


def cited(kb: KnowledgeBase, case: dict[str, Any]) -> dict[str, str]:
    if "source" in case:
        rendered = citations.cite_source(Source.model_validate(case["source"]))
    else:
        rendered = citations.cite_instrument(kb.instruments[case["instrument"]].entry)
    return {c.style: c.text for c in rendered}


def bibtex_entry(text: str) -> tuple[str, str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    (entry,) = library.entries
    return entry.entry_type, entry.key, {f.key: str(f.value) for f in entry.fields}


def texts_by_style(fields: dict[str, Any]) -> dict[str, str]:
    """The source's citation text in each style, keyed by style."""
    return {c.style: c.text for c in citations.cite_source(Source.model_validate(fields))}


def test_the_checklist_covers_every_kind_of_reference() -> None:
    assert len(CHECKLIST) >= 30
    assert len({c["id"] for c in CHECKLIST}) == len(CHECKLIST)
    kinds = {c["id"].split("-")[0] for c in CHECKLIST} | {
        "-".join(c["id"].split("-")[:2]) for c in CHECKLIST
    }
    for kind in (
        "journal-article",
        "proceedings",
        "arxiv-preprint",
        "report",
        "us-state",
        "us-federal",
        "eu-regulation",
        "eu-directive",
        "us-executive",
        "chinese-departmental",
        "webpage",
    ):
        assert kind in kinds, kind
    assert all(c["rules"] for c in CHECKLIST)


@pytest.mark.parametrize("case", CHECKLIST, ids=[c["id"] for c in CHECKLIST])
def test_checklist(kb: KnowledgeBase, case: dict[str, Any]) -> None:
    got = cited(kb, case)
    expected = case["expected"]
    for style in ("apa", "chicago", "harvard", "oscola"):
        assert got[style] == expected[style], style
    entry_type, key, fields = bibtex_entry(got["bibtex"])
    assert (entry_type, key) == (expected["bibtex"]["type"], expected["bibtex"]["key"])
    for name, value in expected["bibtex"]["fields"].items():
        assert fields.get(name) == value, name


# --- one test per rule ---------------------------------------------------------------------


def kb_sources(kb: KnowledgeBase) -> list[Source]:
    return [s for r in kb.concepts.values() for s in [r.entry.primary_source, *r.entry.references]]


def test_proceedings_papers_are_never_cited_as_journal_articles(kb: KnowledgeBase) -> None:
    papers = [s for s in kb_sources(kb) if s.type is SourceType.PAPER_CONFERENCE and s.container]
    assert len(papers) > 30
    for paper in papers:
        html = {c.style: c.html for c in citations.cite_source(paper)}
        container = re.escape(citations.cite_source(paper)[0].text and str(paper.container)[:20])
        assert re.search(r"\bIn (.+ \(Eds?\.\), )?<i>" + container, html["apa"]), html["apa"]
        assert not re.search(r"</i>, <i>\d+</i>", html["apa"]), html["apa"]  # no italic volume
        assert re.search(r"\bIn <i>" + container, html["chicago"], re.I), html["chicago"]
        assert re.search(r"’, in ", html["harvard"]), html["harvard"]
        assert "’ in " in html["oscola"], html["oscola"]


def test_the_seed_source_has_no_duplicate_volume(kb: KnowledgeBase) -> None:
    primary = kb.concepts["model-merging-risk"].entry.primary_source
    assert primary.volume is None and "(Volume 1: Long Papers)" in str(primary.container)
    assert [e.family for e in primary.editors] == ["Ku", "Martins", "Srikumar"]


def test_titles_in_sentence_case_for_apa_and_harvard_title_case_for_chicago() -> None:
    got = texts_by_style(
        {
            "type": "article-journal",
            "title": "Managing extreme AI risks amid rapid progress through oversight",
            "authors": [{"family": "Bengio", "given": "Yoshua"}],
            "issued": 2024,
            "container": "Science",
        }
    )
    assert "Managing extreme AI risks amid rapid progress through oversight." in got["apa"]
    assert "‘Managing extreme AI risks amid rapid progress through oversight’" in got["harvard"]
    # CMOS 18 8.159: prepositions lowercase whatever their length (citeproc-py capitalised them).
    title_case = "Managing Extreme AI Risks amid Rapid Progress through Oversight"
    assert f"“{title_case}.”" in got["chicago"]
    assert f"‘{title_case}’" in got["oscola"]


def test_stored_titles_are_not_in_title_case(kb: KnowledgeBase) -> None:
    """APA and Harvard print the stored title: it must be in sentence case (APA 7 6.17)."""
    stop = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or"}
    stop |= {"the", "to", "with", "via", "vs", "is", "are", "be", "do", "does", "not", "can"}
    for source in kb_sources(kb):
        if source.type is SourceType.LEGISLATION or not source.title.isascii():
            continue
        words = re.sub(r"[:?!—]\s+\S+", " ", source.title).split()[1:]
        capitalised = [w for w in words if re.fullmatch(r"[A-Z][a-z]{3,}[,.]?", w)]
        lower = [w for w in words if re.fullmatch(r"[a-z][a-z-]+[,.]?", w) and w not in stop]
        assert not (len(capitalised) >= 3 and not lower), source.title


def test_compound_words_keep_their_spaces_and_case() -> None:
    """The `_csl_text` spacing bug: "re-alignmentof" once protected words met plain ones."""
    got = texts_by_style(
        {"type": "article", "title": "Safety re-alignment of fine-tuned models", "issued": 2024}
    )
    assert "Safety re-alignment of fine-tuned models" in got["apa"]
    assert "Safety Re-Alignment of Fine-Tuned Models" in got["chicago"]
    got = texts_by_style({"type": "article", "title": "AI-generated, fine", "issued": 2024})
    assert "“AI-Generated, Fine.”" in got["chicago"] and "AI-generated, fine" in got["apa"]


def test_apostrophes_and_nested_quotes_are_typographic() -> None:
    got = texts_by_style(
        {
            "type": "paper-conference",
            "title": "O'Gara's \"safety case\" at FAccT '23",
            "issued": 2023,
            "container": "Proceedings",
        }
    )
    assert "O’Gara’s “safety case” at FAccT ’23" in got["apa"]
    assert "“O’Gara’s ‘Safety Case’ at FAccT ’23.”" in got["chicago"]
    assert "‘O’Gara’s “safety case” at FAccT ’23’" in got["harvard"]
    assert "'" not in " ".join(got[s] for s in ("apa", "chicago", "harvard", "oscola"))


def test_apa_capitalises_the_editors_label_and_oscola_drops_initial_stops() -> None:
    got = texts_by_style(
        {
            "type": "paper-conference",
            "title": "A paper",
            "authors": [{"family": "Christiano", "given": "Paul F."}],
            "editors": [{"family": "Guyon", "given": "I."}],
            "issued": 2017,
            "container": "Advances",
        }
    )
    assert "In I. Guyon (Ed.), " in got["apa"]
    assert got["oscola"].startswith("Paul F Christiano, ‘A Paper’ in I Guyon (ed), ")


@pytest.mark.parametrize(
    ("pages", "chicago"),
    [
        ("71–72", "71–72"),
        ("100–104", "100–104"),
        ("101–108", "101–8"),
        ("321–328", "321–28"),
        ("498–532", "498–532"),
        ("1087–1089", "1087–89"),
        ("1496–1504", "1496–504"),
        ("11564–11615", "11564–615"),
        ("12991–13001", "12991–3001"),
    ],
)
def test_chicago_abbreviates_page_ranges_as_cmos_17_and_18(pages: str, chicago: str) -> None:
    """CMOS 18 9.64 (the style's `chicago-16`); APA and Harvard keep every digit."""
    got = texts_by_style(
        {
            "type": "article-journal",
            "title": "A paper",
            "authors": [{"family": "Doe", "given": "Jane"}],
            "issued": 2024,
            "container": "Journal",
            "volume": "3",
            "pages": pages,
        }
    )
    assert f"3: {chicago}." in got["chicago"], got["chicago"]
    assert pages in got["apa"] and pages in got["harvard"]


def test_initials_of_a_name_with_a_nickname() -> None:
    """A part that is not capitalised is kept as it is, with no stray mark after it."""
    got = texts_by_style(
        {
            "type": "article-journal",
            "title": "A paper",
            "authors": [
                {"family": "Wu", "given": "Xinyi (Alexis)"},
                {"family": "Sartre", "given": "Jean-Paul"},
                {"family": "Christiano", "given": "Paul F."},
            ],
            "issued": 2024,
            "container": "Journal",
        }
    )
    assert got["apa"].startswith("Wu, X. (Alexis), Sartre, J.-P., & Christiano, P. F. (2024)")
    assert got["harvard"].startswith("Wu, X. (Alexis), Sartre, J.-P. and Christiano, P.F. (2024)")


def test_a_work_without_author_prints_its_title_once() -> None:
    page = Source.model_validate(
        {
            "type": "webpage",
            "title": "A right to warn",
            "issued": "2024-06-04",
            "url": "https://a.org",
        }
    )
    for c in citations.cite_source(page)[:4]:
        assert c.text.lower().count("right to warn") == 1, c


def test_apa_gives_the_retrieval_date_of_a_page_that_changes() -> None:
    fields = {"type": "webpage", "title": "Common elements", "url": "https://metr.org/c"}
    changing = Source.model_validate(fields | {"issued": 2025, "accessed": "2026-11-20"})
    dated = Source.model_validate(fields | {"issued": "2025-03-01", "accessed": "2026-11-20"})
    assert citations.cite_source(changing)[0].text.endswith(
        "Retrieved November 20, 2026, from https://metr.org/c"
    )
    assert "Retrieved" not in citations.cite_source(dated)[0].text
    # Cite Them Right gives the access date of every online source.
    assert "(Accessed: 20 November 2026)" in citations.cite_source(dated)[2].text


def test_harvard_has_no_double_italics_and_oscola_no_italic_website(kb: KnowledgeBase) -> None:
    for source in kb_sources(kb):
        by_style = {c.style: c.html for c in citations.cite_source(source)}
        assert not re.search(r"<i>[^<]*<i>|</i>\s*<i>", by_style["harvard"]), by_style
        if source.type is SourceType.WEBPAGE and source.container:
            assert f"<i>{source.container}" not in by_style["oscola"]


def test_bibtex_fields_that_bibtex_reads(kb: KnowledgeBase) -> None:
    by_key: dict[str, tuple[str, dict[str, str]]] = {}
    for source in kb_sources(kb):
        entry_type, key, fields = bibtex_entry(citations.cite_source(source)[4].text)
        by_key[key] = (entry_type, fields)
        assert not key.startswith("anon"), key
        if entry_type == "techreport":
            assert "series" not in fields
        if entry_type in ("misc", "article"):
            assert not {"publisher", "series"} & set(fields), (key, fields)
        if entry_type == "misc":
            assert not {"volume", "pages"} & set(fields), (key, fields)
        if source.arxiv and entry_type == "misc":
            assert {"eprint", "archiveprefix", "howpublished", "url"} <= set(fields), key
    assert by_key["eu2019-790"] != by_key["eu2019-1937"]
    assert "L 130" in by_key["eu2019-790"][1]["howpublished"]
    assert by_key["us-nist-ai-600-1"][1]["number"] == "NIST AI 600-1"


def work_of(doi: str | None, arxiv: str | None, url: str | None, title: str) -> set[str]:
    """What identifies a work: its DOI, arXiv id, address (an ELI and EUR-Lex are one), title."""
    ids = {f"title:{title.lower()}"}
    if doi:
        ids.add(f"doi:{doi.lower()}")
    if arxiv:
        ids.add(f"arxiv:{arxiv.split('v')[0]}")
    if url:
        eli = re.search(r"/eli/(.+?)/oj", url)
        ids.add(f"eli:{eli[1]}" if eli else "url:" + re.sub(r"^https?://(www\.)?|/$", "", url))
    return ids


def test_one_bibtex_key_per_work_across_the_site(kb: KnowledgeBase) -> None:
    """Every citation the site renders (concept sources and pages, instruments): a key names
    one work, and a work has one key (`european2019directive` once named two directives)."""
    cited: list[tuple[str, set[str]]] = []
    for source in kb_sources(kb):
        key = bibtex_entry(citations.cite_source(source)[4].text)[1]
        ids = work_of(source.doi, source.arxiv, source.url, source.title)
        if source.instrument:
            ids.add(f"instrument:{source.instrument}")
        cited.append((key, ids))
    urls: dict[str, int] = defaultdict(int)
    for record in kb.instruments.values():
        urls[record.entry.url] += 1
    for record in kb.instruments.values():
        instrument = record.entry
        key = bibtex_entry(citations.cite_instrument(instrument)[4].text)[1]
        # An address two instruments share (an act and its amendment on law.go.kr) is not
        # the identity of either.
        url = instrument.identifiers.get("eli") or (
            instrument.url if urls[instrument.url] == 1 else None
        )
        ids = work_of(instrument.identifiers.get("doi"), None, url, instrument.title)
        cited.append((key, ids | {f"instrument:{instrument.id}"}))
    for concept in (r.entry for r in kb.concepts.values()):
        page = citations.cite_concept_page(
            concept, page_url="https://x.org/", site_title="gapkb", accessed=concept.updated
        )
        cited.append((bibtex_entry(page[4].text)[1], {f"page:{concept.id}"}))
    # Works: citations that share any identifier are one work.
    parent = list(range(len(cited)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, (_, ids) in enumerate(cited):
        for ident in ids:
            parent[find(i)] = find(first_with.setdefault(ident, i))
    keys_of_work: dict[int, set[str]] = defaultdict(set)
    works_of_key: dict[str, set[int]] = defaultdict(set)
    for i, (key, _) in enumerate(cited):
        keys_of_work[find(i)].add(key)
        works_of_key[key].add(find(i))
    assert {k: w for k, w in works_of_key.items() if len(w) > 1} == {}
    assert [k for k in keys_of_work.values() if len(k) > 1] == []
