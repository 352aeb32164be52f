"""Citations: the four CSL styles with citeproc-py's known faults corrected, legislation by hand,
and BibTeX and RIS that parse back to what was written."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from gapkb import citations
from gapkb.model import Concept, Instrument, Source
from gapkb.records import KnowledgeBase, load_records
from tests.conftest import REPO

PAGE_URL = "https://gapkb.example.org/concepts/model-merging-risk/"
ACCESSED = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_records(REPO)


@pytest.fixture(scope="module")
def merging(kb: KnowledgeBase) -> Concept:
    return kb.concepts["model-merging-risk"].entry


@pytest.fixture(scope="module")
def page(merging: Concept) -> Concept:
    """The concept as its page is cited, with `updated` pinned: later edits change the date."""
    return merging.model_copy(update={"updated": dt.date(2026, 11, 24)})


@pytest.fixture(scope="module")
def ai_act(kb: KnowledgeBase) -> Instrument:
    return kb.instruments["eu-ai-act"].entry


def texts(cited: list[citations.Citation]) -> dict[str, str]:
    assert [c.style for c in cited] == list(citations.STYLES)
    return {c.style: c.text for c in cited}


def source(**fields: object) -> Source:
    return Source.model_validate({"type": "article", "issued": "2024-02", **fields})


# --- the primary source of model-merging-risk, in every CSL style ----------------------------

HOMER = (
    "Language models are Homer Simpson! Safety re-alignment of fine-tuned language models "
    "through task arithmetic"
)
HOMER_TITLE_CASE = (
    "Language Models Are Homer Simpson! Safety Re-Alignment of Fine-Tuned Language Models "
    "through Task Arithmetic"
)
ACL = (
    "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics "
    "(Volume 1: Long Papers)"
)
DOI = "https://doi.org/10.18653/v1/2024.acl-long.762"


def test_primary_source_in_each_style(merging: Concept) -> None:
    """A paper in proceedings, cited as one (the ACL Anthology record: editors, place)."""
    assert merging.primary_source is not None
    cited = texts(citations.cite_source(merging.primary_source))
    acl = "Association for Computational Linguistics"
    assert cited["apa"] == (
        f"Bhardwaj, R., Do, D. A., & Poria, S. (2024). {HOMER}. In L.-W. Ku, A. Martins, & "
        f"V. Srikumar (Eds.), {ACL} (pp. 14138–14149). {acl}. {DOI}"
    )
    # CMOS 18 14.8 and 14.30: no chapter pages and no place in the author-date entry.
    assert cited["chicago"] == (
        "Bhardwaj, Rishabh, Duc Anh Do, and Soujanya Poria. 2024. "
        f"“{HOMER_TITLE_CASE}.” In {ACL}, edited by Lun-Wei Ku, Andre Martins, and Vivek "
        f"Srikumar. {acl}. {DOI}."
    )
    assert cited["harvard"] == (
        f"Bhardwaj, R., Do, D.A. and Poria, S. (2024) ‘{HOMER}’, in L.-W. Ku, A. Martins, and "
        f"V. Srikumar (eds) {ACL}. Bangkok, Thailand: {acl}, pp. 14138–14149. "
        f"Available at: {DOI}."
    )
    assert cited["oscola"] == (
        f"Rishabh Bhardwaj, Duc Anh Do and Soujanya Poria, ‘{HOMER_TITLE_CASE}’ in Lun-Wei Ku, "
        f"Andre Martins and Vivek Srikumar (eds), {ACL} ({acl} 2024) <{DOI}>."
    )


def test_html_italicises_and_escapes(merging: Concept) -> None:
    assert merging.primary_source is not None
    by_style = {c.style: c.html for c in citations.cite_source(merging.primary_source)}
    # APA 7 10.3 and 10.5: the proceedings title in italics, no volume of its own.
    assert f"(Eds.), <i>{ACL}</i> (pp. 14138–14149)" in by_style["apa"]
    assert f"&lt;{DOI}&gt;." in by_style["oscola"]


# --- citeproc-py's faults, one test each ------------------------------------------------------


def test_chicago_and_oscola_print_full_given_names(merging: Concept) -> None:
    """Fix 1: both styles set initialize="false", which citeproc-py ignores."""
    assert merging.primary_source is not None
    cited = texts(citations.cite_source(merging.primary_source))
    assert cited["chicago"].startswith("Bhardwaj, Rishabh, Duc Anh Do, and Soujanya Poria. 2024.")
    assert cited["oscola"].startswith("Rishabh Bhardwaj, Duc Anh Do and Soujanya Poria, ‘")
    # The styles that do ask for initials still get them.
    assert cited["apa"].startswith("Bhardwaj, R., Do, D. A., & Poria, S. (2024).")
    assert cited["harvard"].startswith("Bhardwaj, R., Do, D.A. and Poria, S. (2024)")


def test_us_styles_put_the_stop_inside_the_quotation_marks(merging: Concept) -> None:
    """Fix 2: en-US has punctuation-in-quote; citeproc-py leaves the period outside."""
    assert merging.primary_source is not None
    cited = texts(citations.cite_source(merging.primary_source))
    assert "Task Arithmetic.” In Proceedings" in cited["chicago"]
    assert "”." not in cited["chicago"]
    # British styles keep it outside (Cite Them Right; OSCOLA 1.6.1).
    assert "task arithmetic’, in L.-W. Ku" in cited["harvard"]
    assert "Task Arithmetic’ in Lun-Wei Ku" in cited["oscola"]


def test_a_title_ending_in_a_question_mark_takes_no_second_stop() -> None:
    cited = texts(
        citations.cite_source(
            source(
                type="article-journal",
                title="Is model merging safe?",
                authors=[{"family": "Doe", "given": "Jane"}],
                container="Journal of AI Safety",
                volume="3",
                pages="1–9",
            )
        )
    )
    assert "“Is Model Merging Safe?” Journal of AI Safety 3 (February): 1–9." in cited["chicago"]
    assert "(2024). Is model merging safe? Journal of AI Safety, 3, 1–9." in cited["apa"]
    assert "‘Is model merging safe?’, Journal of AI Safety, 3, pp. 1–9." in cited["harvard"]


def test_british_styles_render_with_en_gb(page: Concept) -> None:
    """Fix 3: Cite Them Right names no locale; en-US would give "November 25, 2026" and “”."""
    cited = texts(
        citations.cite_concept_page(page, page_url=PAGE_URL, site_title="gapkb", accessed=ACCESSED)
    )
    assert cited["harvard"] == (
        f"gapkb contributors (2026) Model merging risk, gapkb. Available at: {PAGE_URL} "
        "(Accessed: 25 November 2026)."
    )
    assert cited["oscola"] == (
        f"gapkb contributors, ‘Model Merging Risk’ (gapkb, 24 November 2026) <{PAGE_URL}> "
        "accessed 25 November 2026."
    )


def test_arxiv_keeps_its_case() -> None:
    """Fix 4: title case and capitalize-first would print "ArXiv"."""
    preprint = source(
        title="Scaling laws for arXiv preprints",
        authors=[{"family": "Doe", "given": "Jane"}],
        arxiv="2402.11746",
    )
    cited = texts(citations.cite_source(preprint))
    abs_url = "https://arxiv.org/abs/2402.11746"
    assert cited["apa"] == (
        f"Doe, J. (2024). Scaling laws for arXiv preprints (arXiv:2402.11746). arXiv. {abs_url}"
    )
    assert cited["chicago"] == (
        "Doe, Jane. 2024. “Scaling Laws for arXiv Preprints.” arXiv:2402.11746. Preprint, "
        f"arXiv, February. {abs_url}."
    )
    assert cited["harvard"] == (
        # Cite Them Right, preprints: the server in italics, then [Preprint].
        f"Doe, J. (2024) ‘Scaling laws for arXiv preprints’, arXiv [Preprint]. "
        f"Available at: {abs_url}."
    )
    assert cited["oscola"] == (
        f"Jane Doe, ‘Scaling Laws for arXiv Preprints’ (arXiv, February 2024) <{abs_url}>."
    )
    assert "ArXiv" not in " ".join(cited.values())


def test_entry_text_cannot_become_markup() -> None:
    """Fix 5: citeproc-py's HTML formatter escapes nothing."""
    hostile = source(
        title='<script>alert(1)</script> & "<i>x</i>" \ue000',
        authors=[{"literal": "<b>Org</b>"}],
        url="https://example.org/?a=1&b=2",
    )
    for cited in citations.cite_source(hostile):
        assert "<script" not in cited.html and "<b>Org" not in cited.html, cited
        assert re.sub(r"</?i>|<span class=\"gk-[a-z]+\">|</span>", "", cited.html).count("<") == 0
        assert "\ue000" not in cited.text


def test_in_before_proceedings_without_editors(merging: Concept) -> None:
    """Fix 6: OSCOLA 4th ed 3.2.3 and Cite Them Right put "in" before the proceedings title,
    and APA 7 10.5 and CMOS 18 14.115 cite the paper as a chapter, also with no editors."""
    assert merging.primary_source is not None
    paper = merging.primary_source.model_copy(update={"editors": [], "publisher_place": None})
    cited = texts(citations.cite_source(paper))
    assert f"’ in {ACL} (" in cited["oscola"]
    assert f"task arithmetic’, in {ACL}. Association" in cited["harvard"]
    assert f"task arithmetic. In {ACL} (pp. 14138–14149). Association" in cited["apa"]
    assert f"Task Arithmetic.” In {ACL}. Association" in cited["chicago"]


def test_title_case_capitalises_compound_words(merging: Concept) -> None:
    """Fix 7: CMOS 18 8.161 gives "Fine-Tuned"; citeproc-py left "Fine-tuned"."""
    assert merging.primary_source is not None
    cited = texts(citations.cite_source(merging.primary_source))
    assert "Re-Alignment of Fine-Tuned Language" in cited["chicago"]
    assert "Re-Alignment of Fine-Tuned Language" in cited["oscola"]
    # Sentence-style titles (APA, Harvard) keep the entry's own case.
    assert "re-alignment of fine-tuned language" in cited["apa"]


def test_no_label_without_its_variable() -> None:
    """Fix 8: Chicago printed "Edition." after a paper known only by its title."""
    paper = source(
        type="paper-conference",
        title="A talk",
        authors=[{"family": "Doe", "given": "Jane"}],
        issued="2024",
    )
    assert texts(citations.cite_source(paper))["chicago"] == "Doe, Jane. 2024. “A Talk.”"


# --- legislation, by hand ----------------------------------------------------------------------

AI_ACT_TITLE = (
    "Regulation (EU) 2024/1689 of the European Parliament and of the Council of 13 June 2024 "
    "laying down harmonised rules on artificial intelligence and amending Regulations (EC) "
    "No 300/2008, (EU) No 167/2013, (EU) No 168/2013, (EU) 2018/858, (EU) 2018/1139 and (EU) "
    "2019/2144 and Directives 2014/90/EU, (EU) 2016/797 and (EU) 2020/1828 (Artificial "
    "Intelligence Act)"
)
ELI = "http://data.europa.eu/eli/reg/2024/1689/oj"
EUR_LEX = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"


def test_eu_ai_act_in_each_style(ai_act: Instrument) -> None:
    cited = texts(citations.cite_instrument(ai_act))
    # The EU's own form, as the Act itself cites a regulation (its Art. 102 amendments, and
    # the EUR-Lex page): title (OJ L, 2024/1689, 12.7.2024, ELI: ...).
    assert cited["apa"] == f"{AI_ACT_TITLE} (OJ L, 2024/1689, 12.7.2024, ELI: {ELI})."
    assert cited["chicago"] == f"{AI_ACT_TITLE}. 2024. OJ L, 2024/1689, 12.7.2024. {ELI}."
    assert cited["harvard"] == (
        f"{AI_ACT_TITLE} (2024) Official Journal L, 2024/1689. Available at: {EUR_LEX}."
    )
    # OSCOLA 4th ed 2.6.1, with the act-by-act number where the issue/page stood.
    assert cited["oscola"] == f"{AI_ACT_TITLE} [2024] OJ L2024/1689."


def test_eu_act_before_the_act_by_act_journal() -> None:
    """An act published in a numbered issue: OJ L 119, 4.5.2016, p. 1 (the GDPR)."""
    gdpr = source(
        type="legislation",
        title=(
            "Regulation (EU) 2016/679 of the European Parliament and of the Council of 27 April "
            "2016 on the protection of natural persons with regard to the processing of personal "
            "data and on the free movement of such data (General Data Protection Regulation)"
        ),
        issued="2016-05-04",
        container="Official Journal of the European Union",
        volume="L 119",
        pages="1",
        url="http://data.europa.eu/eli/reg/2016/679/oj",
    )
    cited = texts(citations.cite_source(gdpr))
    assert cited["oscola"].endswith("(General Data Protection Regulation) [2016] OJ L119/1.")
    assert cited["harvard"].endswith(
        "(General Data Protection Regulation) (2016) Official Journal L119, p. 1. "
        "Available at: http://data.europa.eu/eli/reg/2016/679/oj."
    )
    assert cited["apa"].endswith(
        "Regulation) (OJ L 119, p. 1, ELI: http://data.europa.eu/eli/reg/2016/679/oj)."
    )


def test_legislation_html_italicises_only_the_journal(ai_act: Instrument) -> None:
    by_style = {c.style: c.html for c in citations.cite_instrument(ai_act)}
    assert "(2024) <i>Official Journal</i> L, 2024/1689." in by_style["harvard"]
    assert "<i>" not in by_style["oscola"]


def test_us_executive_order(kb: KnowledgeBase) -> None:
    cited = texts(citations.cite_instrument(kb.instruments["us-eo-14110"].entry))
    # Bluebook 14.2: the order, the Federal Register, the date of its issue.
    assert cited["chicago"].startswith(
        "Exec. Order No. 14,110, 88 Fed. Reg. 75,191 (Nov. 1, 2023). https://"
    )
    assert cited["oscola"] == "Exec Order No 14,110, 88 Fed Reg 75,191 (1 November 2023)."


# --- the page itself ---------------------------------------------------------------------------


def test_concept_page_in_each_style(page: Concept) -> None:
    cited = texts(
        citations.cite_concept_page(page, page_url=PAGE_URL, site_title="gapkb", accessed=ACCESSED)
    )
    assert cited["apa"] == (
        "gapkb contributors. (2026, November 24). Model merging risk. gapkb. "
        f"Retrieved November 25, 2026, from {PAGE_URL}"
    )
    assert cited["chicago"] == (
        f"gapkb contributors. 2026. “Model Merging Risk.” gapkb, November 24. {PAGE_URL}."
    )
    assert cited["bibtex"] == (
        "@misc{gapkb-model-merging-risk,\n"
        "  author = {{gapkb contributors}},\n"
        "  title = {{Model merging risk}},\n"
        "  howpublished = {gapkb},\n"
        "  year = {2026},\n"
        "  month = nov,\n"
        f"  url = {{{PAGE_URL}}},\n"
        "  urldate = {2026-11-25},\n"
        "}"
    )
    assert cited["ris"] == "\n".join(
        [
            "TY  - ELEC",
            "AU  - gapkb contributors",
            "TI  - Model merging risk",
            "T2  - gapkb",
            "PY  - 2026",
            "DA  - 2026/11/24/",
            "Y2  - 2026/11/25/",
            f"UR  - {PAGE_URL}",
            "ER  - ",
        ]
    )


def test_meta_tags_for_zotero(page: Concept) -> None:
    tags = citations.citation_meta_tags(page, page_url=PAGE_URL, site_title="gapkb")
    assert tags["citation_title"] == ["Model merging risk"]
    assert tags["citation_author"] == ["gapkb contributors"]
    assert tags["citation_publication_date"] == ["2026/11/24"]
    assert tags["citation_public_url"] == [PAGE_URL]
    assert "weight merging" in tags["citation_keywords"]


# --- BibTeX --------------------------------------------------------------------------------------

TRICKY_TITLE = 'Braces {and} 100% of R&D_costs: ~$5 \\ "quoted" Łódź #1'
TRICKY_URL = "https://example.org/a_b?x=1&y=%20#frag"


def parse_bibtex(text: str) -> dict[str, object]:
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not library.failed_blocks, library.failed_blocks
    (entry,) = library.entries
    return {"ENTRYTYPE": entry.entry_type, "ID": entry.key} | {f.key: f.value for f in entry.fields}


def unlatex(value: object) -> str:
    return str(LatexNodes2Text().latex_to_text(str(value)))


def test_bibtex_parses_back_with_special_characters() -> None:
    tricky = source(
        type="paper-conference",
        title=TRICKY_TITLE,
        authors=[
            {"family": "Müller, Jr.", "given": "Anne-Marie"},
            {"family": "Smith and Sons", "given": "Ed"},
            {"literal": "OpenAI & Co"},
        ],
        issued="2024-05-03",
        container="Proc. {X} 2024",
        pages="1–10",
        doi="10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        url=TRICKY_URL,
    )
    (bibtex,) = [c.text for c in citations.cite_source(tricky) if c.style == "bibtex"]
    entry = parse_bibtex(bibtex)
    assert entry["ENTRYTYPE"] == "inproceedings" and entry["ID"] == "mullerjr2024braces"
    # The double braces keep BibTeX styles from recasing the title.
    assert str(entry["title"]).startswith("{") and str(entry["title"]).endswith("}")
    assert unlatex(entry["title"]) == TRICKY_TITLE
    assert unlatex(entry["booktitle"]) == "Proc. {X} 2024"
    names = entry["author"]
    assert isinstance(names, list)
    assert [(unlatex(" ".join(n.last)), " ".join(n.first)) for n in names] == [
        ("Müller, Jr.", "Anne-Marie"),
        ("Smith and Sons", "Ed"),
        ("OpenAI & Co", ""),
    ]
    assert (entry["year"], entry["month"], entry["pages"]) == ("2024", "may", "1--10")
    # biblatex reads url and doi verbatim: they come back as written.
    assert entry["url"] == TRICKY_URL
    assert entry["doi"] == "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"


def test_bibtex_of_every_page_source_and_instrument_parses(
    kb: KnowledgeBase, merging: Concept
) -> None:
    written = [
        *[citations.cite_source(s) for s in [merging.primary_source, *merging.references] if s],
        *[citations.cite_instrument(r.entry) for r in kb.instruments.values()],
    ]
    assert len(written) == 1 + len(merging.references) + len(kb.instruments)
    assert len(merging.references) >= 5
    for cited in written:
        (bibtex,) = [c.text for c in cited if c.style == "bibtex"]
        entry = parse_bibtex(bibtex)
        assert entry["title"] and entry["year"], bibtex
    primary = parse_bibtex(texts(written[0])["bibtex"])
    assert primary["eprint"] == "2402.11746" and primary["archiveprefix"] == "arXiv"
    assert primary["doi"] == "10.18653/v1/2024.acl-long.762"


# --- RIS -----------------------------------------------------------------------------------------

RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def parse_ris(text: str) -> list[tuple[str, str]]:
    """RIS as the format defines it: `TY` first, `ER` last, one `XX  - value` per line."""
    lines = text.split("\n")
    tags = []
    for line in lines:
        match = RIS_LINE.match(line)
        assert match, f"not a RIS line: {line!r}"
        tags.append((match[1], match[2]))
    assert tags[0][0] == "TY" and tags[-1] == ("ER", "")
    return tags[1:-1]


def test_ris_round_trips_a_conference_paper(merging: Concept) -> None:
    assert merging.primary_source is not None
    (ris,) = [c.text for c in citations.cite_source(merging.primary_source) if c.style == "ris"]
    assert ris.startswith("TY  - CPAPER\n")
    tags = parse_ris(ris)
    assert [v for k, v in tags if k == "AU"] == [
        "Bhardwaj, Rishabh",
        "Do, Duc Anh",
        "Poria, Soujanya",
    ]
    single = {k: v for k, v in tags if k != "AU"}
    assert single == {
        "TI": HOMER,
        "T2": ACL,
        "PY": "2024",
        "DA": "2024/08//",
        "SP": "14138",
        "EP": "14149",
        "PB": "Association for Computational Linguistics",
        "DO": "10.18653/v1/2024.acl-long.762",
        "UR": "https://aclanthology.org/2024.acl-long.762/",
        "AN": "arXiv:2402.11746",
    }


def test_ris_types_and_one_line_values(ai_act: Instrument) -> None:
    (ris,) = [c.text for c in citations.cite_instrument(ai_act) if c.style == "ris"]
    assert ris.startswith("TY  - LEGAL\n")
    tags = dict(parse_ris(ris))
    assert tags["TI"] == AI_ACT_TITLE  # the folded YAML title is one line again
    assert (tags["PY"], tags["DA"], tags["ST"]) == ("2024", "2024/07/12/", "EU AI Act")
    preprint = source(title="A\nmultiline\ttitle", arxiv="2402.11746")
    (ris,) = [c.text for c in citations.cite_source(preprint) if c.style == "ris"]
    assert ris.startswith("TY  - GEN\n")
    assert dict(parse_ris(ris))["TI"] == "A multiline title"


# --- the cache of rendered citations ---------------------------------------------------------


def _sample_pages(cache: citations.CitationCache, *, ahead: bool = False) -> list[str]:
    from gapkb.pipeline import check
    from gapkb.site import SiteSettings, build_model, render_pages
    from gapkb.site.pages import citation_jobs
    from tests.conftest import AS_OF, SAMPLE

    result = check(SAMPLE, dt.date.fromisoformat(AS_OF), use_java=False)
    model = build_model(result, SiteSettings("gapkb", "https://example.org/", True))
    model.cites = cache
    if ahead:
        cache.render_ahead(citation_jobs(model))
    pages = [page.text() for page in render_pages(model)]
    cache.save()
    return pages


def test_citations_rendered_ahead_on_two_cores_are_the_pages_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A build renders every citation before the pages, half of them in a forked child.
    from gapkb.citations import cache as cache_module

    lazy = _sample_pages(citations.CitationCache())
    real = cache_module._render_to_file

    def in_child(jobs: list[cache_module.CitationJob], path: Path) -> None:
        (tmp_path / "child").write_text(f"{os.getpid()} {len(jobs)}")
        real(jobs, path)

    monkeypatch.setattr(cache_module, "_render_to_file", in_child)
    ahead = citations.CitationCache()
    assert _sample_pages(ahead, ahead=True) == lazy
    pid, count = map(int, (tmp_path / "child").read_text().split())
    assert pid != os.getpid() and count == ahead.misses // 2 and ahead.misses > 8


def test_a_rebuild_takes_every_citation_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "citations.json"
    cold = citations.CitationCache(path)
    first = _sample_pages(cold)
    assert cold.hits == 0 and cold.misses > 0
    warm = citations.CitationCache(path)
    assert _sample_pages(warm) == first  # the same pages, byte for byte
    assert warm.misses == 0 and warm.hits == cold.misses


def test_a_changed_source_is_rendered_again() -> None:
    cache = citations.CitationCache()
    source = Source(title="A report", url="https://example.org/a", type="report", year=2024)
    before = cache.source(source)
    assert cache.source(source) == before and cache.hits == 1
    changed = cache.source(source.model_copy(update={"title": "Another report"}))
    assert cache.misses == 2 and changed != before
    assert any("Another report" in c.text for c in changed)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"stamp": "an older gapkb", "entries": {}}',
        '["a list"]',
        '{"stamp": "STAMP", "entries": {"KEY": [["apa", "text", {"html": 1}]]}}',
        '{"stamp": "STAMP", "entries": {"KEY": []}}',
    ],
    ids=["broken", "old-stamp", "not-an-object", "wrong-types", "empty"],
)
def test_a_cache_that_cannot_be_trusted_is_not_used(tmp_path: Path, content: str) -> None:
    good = citations.CitationCache(tmp_path / "good.json")
    source = Source(title="A report", url="https://example.org/a", type="report", year=2024)
    expected = good.source(source)
    good.save()
    stored = json.loads((tmp_path / "good.json").read_text())
    (key,) = stored["entries"]
    path = tmp_path / "citations.json"
    path.write_text(content.replace("STAMP", stored["stamp"]).replace("KEY", key))
    cache = citations.CitationCache(path)
    assert cache.source(source) == expected and cache.misses == 1
    cache.save()  # and the next save replaces it with a good one
    assert citations.CitationCache(path).source(source) == expected


def test_the_cache_keeps_only_what_the_build_used(tmp_path: Path) -> None:
    path = tmp_path / "citations.json"
    cache = citations.CitationCache(path)
    a = Source(title="A", url="https://example.org/a", type="report", year=2024)
    b = Source(title="B", url="https://example.org/b", type="report", year=2024)
    cache.source(a), cache.source(b)
    cache.save()
    again = citations.CitationCache(path)
    again.source(a)
    again.save()
    assert len(json.loads(path.read_text())["entries"]) == 1


def test_a_page_citation_names_the_dataset_version(page: Concept) -> None:
    """A citation of a page names the release it was read in (issue: a citation of a moving
    page must be checkable later); without a version nothing is added."""
    cited = texts(
        citations.cite_concept_page(
            page, page_url=PAGE_URL, site_title="gapkb", accessed=ACCESSED, version="0.3.1"
        )
    )
    bare = texts(
        citations.cite_concept_page(page, page_url=PAGE_URL, site_title="gapkb", accessed=ACCESSED)
    )
    assert parse_bibtex(cited["bibtex"])["version"] == "0.3.1"
    assert "version" not in parse_bibtex(bare["bibtex"])
    assert "\nET  - 0.3.1\n" in cited["ris"] and "ET  -" not in bare["ris"]
    assert "“Model Merging Risk.” Version 0.3.1. gapkb, November 24." in cited["chicago"]


def test_apa_gives_the_retrieval_date_of_a_page_that_changes(page: Concept) -> None:
    """APA 7 9.16: a page designed to change (a concept page is edited as the law moves) is
    cited with the date it was retrieved, although it has a date of its own."""
    cited = texts(
        citations.cite_concept_page(page, page_url=PAGE_URL, site_title="gapkb", accessed=ACCESSED)
    )
    assert cited["apa"] == (
        "gapkb contributors. (2026, November 24). Model merging risk. gapkb. "
        f"Retrieved November 25, 2026, from {PAGE_URL}"
    )
