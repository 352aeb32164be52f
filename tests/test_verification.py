"""gapkb verify: splitters, normalisation, the five results, the record and the command."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from gapkb.cli.verify import verify_command
from gapkb.verification import normalize, read_record, record_is_stale, verify, write_record
from gapkb.verification.splitters import (
    eu_act_text,
    eu_csv,
    gpai_code,
    guidelines,
    ja_law,
    ko_law,
    nist_markdown,
    paragraphs,
    us_code,
    us_executive,
    zh_law,
)
from gapkb.verification.units import Unit, candidates

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "sources"


def keyed(units: list[Unit]) -> dict[str, str]:
    return {u.key: u.text for u in units}


# --- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("exam-\n  ple", "example"),
        ("a &amp; <b>b</b>", "a & b"),
        ("“x” ‘y’ it's «z»", '"x" "y" it"s "z"'),
        ("（一） 坚持　发展 ，和", "(一)坚持发展,和"),
        ("２ 国は、 「基本」", '2 国は、"基本"'),
        ("인공지능ㆍ데이터  1.  x", "인공지능·데이터 1. x"),
        ("a \n\t b", "a b"),
        ("**bold** text", "bold text"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_casefold_only_when_asked() -> None:
    assert normalize("SHALL Use") == "SHALL Use"
    assert normalize("SHALL Use", casefold=True) == "shall use"


def test_candidates_longest_first() -> None:
    assert candidates("art-55-1-a") == ["art-55-1-a", "art-55-1", "art-55", "art"]


# --- splitters -----------------------------------------------------------------------


def test_eu_articles_paragraphs_points_and_cross_references() -> None:
    text = (
        '"article","article_name","chapter","chapter_name","content"\n'
        '"9","Duties","I","X","1. Providers shall: (a) test the model, see point (c); (b) report; '
        'and (c) keep logs: (i) daily; (ii) weekly. 2. Deployers may rely on paragraph 1."\n'
        '"3","Definitions","I","X","For this Act: (1) ‘model’ means a thing; (2) ‘risk’ means harm."\n'
    )
    units = keyed(eu_csv.split_articles(text, "articles.csv"))
    assert units["art-9-1-a"].startswith("(a) test the model, see point (c);")
    assert units["art-9-1-c-ii"] == "(ii) weekly. "
    assert units["art-9-2"].startswith("2. Deployers")
    assert units["art-3-2"] == "(2) ‘risk’ means harm."


def test_eu_recitals_and_annexes() -> None:
    assert keyed(eu_csv.split_recitals('"recital","content"\n"97","A recital."\n'))["rec-97"]
    annexes = '"annex","annex_name","content"\n"XI","","ANNEX XI Docs Section 1 General. 1. A description: (a) tasks; (b) size. 2. More. Section 2 Extra. 1. Policies."\n'
    units = keyed(eu_csv.split_annexes(annexes))
    assert units["annex-xi-s1-1-b"] == "(b) size. "
    assert units["annex-xi-s2-1"] == "1. Policies."


def test_eu_act_text_recitals_and_article_points() -> None:
    text = "Whereas:\n(1)\nFirst recital.\n\nArticle 1\nAmendments\n(1) Article 4 is replaced:\n‘1. New text.’\n(2) Article 5 is amended as follows:\n(a) point one;\n(b) point two;\nArticle 2\nEntry into force\n1. In force.\nDone at Brussels\n(1) OJ footnote.\n"
    units = keyed(eu_act_text.split(text))
    assert units["rec-1"] == "First recital."
    assert "New text" in units["art-1-1"]
    assert units["art-1-2-b"].startswith("(b) point two")
    assert "footnote" not in units["art-2"]


def test_zh_paragraphs_and_items() -> None:
    text = "第一章 总则\n第一条 单款条文。\n第七条 提供者应当遵守以下规定：\n（一）第一项；\n（二）第二项。\n第八条 第一款。\n第二款如下：\n（一）甲；\n第三款。\n"
    units = keyed(zh_law.split(text))
    assert units["art-7-2"] == "（二）第二项。"
    assert units["art-8-2-1"] == "（一）甲；"
    assert units["art-8-3"] == "第三款。"
    html = "<p><strong>第十二条</strong> 内容&amp;。</p><p>第二款。</p>"
    assert keyed(zh_law.split(html))["art-12-2"] == "第二款。"


def test_ja_paragraphs_and_items() -> None:
    text = "第一章　総則\n\n第三条（基本理念）\n第一項の文。\n２ 第二項の文。\n一 号の一\n二 号の二\n\n第四条（責務）\n次に掲げる事項\n一 甲\n二 乙\n"
    units = keyed(ja_law.split(text))
    assert units["art-3-2"].startswith("２ 第二項")
    assert units["art-3-2-2"] == "二 号の二\n\n"
    assert units["art-4-2"] == "二 乙\n"
    assert "art-4-1-1" not in units
    english = "Article 3 (Principles)\n(1) First.\n(2) Second: (i) item.\n"
    assert keyed(ja_law.split_english(english))["art-3-2-i"] == "(i) item.\n"


def test_ko_paragraphs_items_and_addenda() -> None:
    text = '제2조(정의) 뜻은 다음과 같다.\n1.  "가"란 것\n2.  "고영향"이란 것\n가. 에너지\n나. 먹는물\n제32조(안전성) ① 첫째 항\n② 둘째 항\n1.  첫째 호\n부칙\n제1조(시행일) 시행한다.\n'
    units = keyed(ko_law.split(text))
    assert units["art-2-2-b"] == "나. 먹는물\n"
    assert units["art-32-2-1"].startswith("1.  첫째 호")
    assert "시행한다" not in units["art-32"]


def test_us_executive_sections() -> None:
    text = "Sec. 3. Definitions.\n(a) The term x.\n(k) skipped\nSec. 4. Safety.\n4.2. Reliable AI.\n(a) Within 90 days:\n(i) the Secretary shall:\n(A) require reports;\n(B) keep records.\n(b) Other.\n"
    units = keyed(us_executive.split(text))
    assert units["sec-4-2-a-i-b"] == "(B) keep records.\n"
    assert units["sec-3-a"].startswith("(a) The term")
    assert "sec-3-k" not in units  # (k) does not follow (a)


def test_us_code_california_colorado_texas() -> None:
    ca = "SECTION 1. Added.\n#### 22757.12. Framework\n**(a) Publication**\n(1) Incorporating standards.\n(A) One.\nSEC. 2. Other.\n"
    units = keyed(us_code.split(ca, prefixes={"": "bpc"}))
    assert units["bpc-22757-12-a-1-a"] == "(A) One.\n"
    assert "Other" not in units["bpc-22757-12"] and "Other" in units["sec-2"]
    co = "- 6-1-1702. Duty. (1) ON AND AFTER 2026, A DEVELOPER SHALL: (a) DO X; (b) DO Y: (I) FIRST; (II) SECOND. (2) MORE."
    assert (
        keyed(us_code.split(co, prefixes={"": "crs"}, numbering="colorado"))["crs-6-1-1702-1-b-ii"]
        == "(II) SECOND. "
    )
    tx = "Sec. 552.051. DISCLOSURE. (a) In this section x.\n(b) An agency shall disclose.\nSECTION 6. Section 2054.068(b), Government Code, is amended to read as follows:\n(b) The department shall collect:\n(1) security;\n"
    units = keyed(us_code.split(tx, prefixes={"": "bcc", "2054.": "gov"}, numbering="texas"))
    assert units["bcc-552-051-b"].startswith("(b) An agency")
    assert units["gov-2054-068-b-1"] == "(1) security;\n"


def test_nist_markdown_and_tables() -> None:
    md = "# Part\n## 2.1. Cbrn **Info**\nText one.\n## Red-Teaming\nMore.\n## 2.2. Confab\nTwo.\n# Appendix B: Diff\nB text.\n| GOVERN 6: Policies. | GOVERN 6.2: | Contingency to handle |\n|  | failures. | |\n"
    units = keyed(nist_markdown.split_markdown(md, aliases={"sec-2-1": "govern"}, core=True))
    assert "More." in units["sec-2-1"] and "Two." not in units["sec-2-1"]
    assert units["govern"] == units["sec-2-1"]
    assert "B text" in units["app-b"]
    assert normalize(units["govern-6-2"]) == "GOVERN 6.2: Contingency to handle failures."
    actions = '"action_id","function","subcategory_id","subcategory_text","suggested_action","gai_risks","ai_actor_tasks"\n"GV-1.1-001","Govern","GOVERN 1.1","t","Align with laws.","",""\n'
    assert keyed(nist_markdown.split_actions(actions))["gv-1-1-001"] == "Align with laws."


def test_gpai_code_chapter() -> None:
    text = "Recitals\n(a) Principle A.\n(b) Principle B.\nCommitment 5 Safety\nMeasure 5.1 Mitigations\nExamples:\n(1) filtering;\n(2) monitoring.\nCommitment 6 Security\nGlossary\nTerm\nDefinition\n\n‘deception’\nfalse beliefs\n\nAppendices\nAppendix 1.3 Sources\nintro\nAppendix 1.3.1 Capabilities\ncaps\nAppendix 1.4 Specified\n(1) CBRN: x\n"
    units = keyed(gpai_code.split(text, prefix="ss"))
    assert units["ss-rec-b"] == "(b) Principle B.\n"
    assert "filtering" in units["ss-c5"] and "Security" not in units["ss-c5"]
    assert units["ss-m5-1-2"] == "(2) monitoring.\n"
    assert "false beliefs" in units["ss-glossary-deception"]
    assert "caps" in units["ss-app-1-3"] and units["ss-app-1-3-1"].endswith("caps\n")
    assert units["ss-app-1-4-1"] == "(1) CBRN: x\n"


def test_paragraphs() -> None:
    units = keyed(paragraphs.split("Title\n\n[EXCERPT ONLY]\n\nFirst.\n\nSecond."))
    assert units == {"para-1": "First.", "para-2": "Second."}


def test_guidelines_sections_paragraphs_and_footnotes() -> None:
    text = (
        "COMMISSION\n[EXCERPTS ONLY]\n\n2 Models\n\n2.1 When\n\n(17) A criterion.\n"
        "[footnote] Text includes code.\n\n3.2 Modifiers\nIntro.\n\n3.2.1 Who\nA modifier.\n"
        "(60) One third.\n"
    )
    units = keyed(guidelines.split(text))
    assert units["sec-2-1"] == "2.1 When\n\n(17) A criterion.\nText includes code.\n"
    assert units["para-17"] == "(17) A criterion.\nText includes code.\n"
    assert "A modifier." in units["sec-3-2"] and "One third." in units["sec-3-2-1"]
    assert units["para-60"] == "(60) One third."
    assert "EXCERPTS" not in "".join(units.values())


# --- the five results on a small knowledge base --------------------------------------

TEXT = "Sec. 1. Purpose.\n(a) Developers shall test models.\n(b) Agencies shall report incidents.\nSec. 2. Other.\n(a) Nothing here.\n"
LINK = """  - concept: {concept}
    provision: {provision}
    strength: explicit
    note: Why.
    quote: {quote}
    quote_lang: en
"""


def instrument(iid: str, links: str, extra: str = "") -> str:
    return f"""id: {iid}
title: T
short_title: T
jurisdiction: US
kind: executive-order
binding: true
status: in-force
dates:
  adopted: 2024-01-01
url: https://example.org/{iid}
languages: [en]
provisions:
  - id: sec-1-a
    label: Sec. 1(a)
    title: Testing
  - id: sec-1-b
    label: Sec. 1(b)
    title: Reporting
coverage:
{links}{extra}"""


def make_kb(tmp_path: Path, quote_b: str = "Agencies shall report incidents") -> tuple[Path, Path]:
    root = tmp_path / "repo"
    sources = tmp_path / "sources"
    for concept in ("testing", "reporting"):
        (root / "concepts").mkdir(parents=True, exist_ok=True)
        (root / "concepts" / f"{concept}.yaml").write_text(
            f"id: {concept}\nlabel: {concept}\ncategory: governance\nsummary: S.\n",
            encoding="utf-8",
        )
    links = (
        LINK.format(concept="testing", provision="sec-1-a", quote="Developers shall test models")
        + LINK.format(concept="reporting", provision="sec-1-a", quote="Agencies shall report")
        + LINK.format(concept="reporting", provision="sec-1-b", quote="shall fly to the moon")
        + LINK.format(concept="testing", provision="sec-1-b", quote=quote_b)
    )
    (root / "instruments").mkdir(parents=True)
    (root / "instruments" / "us-eo-1.yaml").write_text(
        instrument("us-eo-1", links), encoding="utf-8"
    )
    hand = (
        LINK.format(concept="testing", provision="sec-1-a", quote="Something")
        + ("    quote_source: https://example.org/page\n    reviewed: 2026-12-01\n")
        + LINK.format(concept="reporting", provision="sec-1-a", quote="Other")
    )
    (root / "instruments" / "us-eo-2.yaml").write_text(
        instrument("us-eo-2", hand), encoding="utf-8"
    )
    (sources / "eo-1").mkdir(parents=True)
    (sources / "eo-1" / "eo.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    (root / "verification").mkdir()
    (root / "verification" / "manifest.yaml").write_text(
        f"us-eo-1:\n  folder: eo-1\n  url: https://example.org\n  version: v1\n  retrieved: 2026-12-06\n"
        f"  method: transcribed\n  files:\n    eo.txt:\n      sha256: {sha}\n      format: us-executive\n"
        f"us-eo-9:\n  folder: eo-9\n  files: {{}}\n",
        encoding="utf-8",
    )
    return root, sources


def test_five_results(tmp_path: Path) -> None:
    root, sources = make_kb(tmp_path)
    report = verify(root, sources)
    results = {(r.instrument, r.index): (str(r.result), r.found_in) for r in report.results}
    assert results == {
        ("us-eo-1", 0): ("verified", "sec-1-a"),
        ("us-eo-1", 1): ("elsewhere", "sec-1-b"),
        ("us-eo-1", 2): ("not-found", ""),
        ("us-eo-1", 3): ("verified", "sec-1-b"),
        ("us-eo-2", 0): ("hand-checked", ""),
        ("us-eo-2", 1): ("no-text", ""),
    }
    assert {r.text_method for r in report.results if r.instrument == "us-eo-1"} == {"transcribed"}
    assert report.skipped == [
        "verification/manifest.yaml: us-eo-9: no instruments/us-eo-9.yaml — skipped"
    ]
    assert not report.ok


def test_no_sources_means_no_text(tmp_path: Path) -> None:
    root, _ = make_kb(tmp_path)
    counts = verify(root, None).counts()
    assert counts == {"no-text": 5, "hand-checked": 1}


def test_changed_file_is_an_error(tmp_path: Path) -> None:
    root, sources = make_kb(tmp_path)
    (sources / "eo-1" / "eo.txt").write_text(TEXT + "x", encoding="utf-8")
    report = verify(root, sources)
    assert len(report.errors) == 1 and "eo-1/eo.txt: sha256" in report.errors[0]


def test_record_round_trip_and_staleness(tmp_path: Path) -> None:
    root, sources = make_kb(tmp_path)
    report = verify(root, sources)
    path = write_record(root, report)
    first = path.read_bytes()
    rows = read_record(root)
    assert len(rows) == 6 and rows == sorted(rows, key=lambda r: tuple(r.values()))
    assert not record_is_stale(root, report)
    write_record(root, verify(root, sources))
    assert path.read_bytes() == first  # deterministic, dates kept for unchanged rows
    edited = instrument(
        "us-eo-1", LINK.format(concept="testing", provision="sec-1-a", quote="Developers shall")
    )
    (root / "instruments" / "us-eo-1.yaml").write_text(edited, encoding="utf-8")
    assert record_is_stale(root, verify(root, sources))


def test_command_exit_codes_and_messages(tmp_path: Path) -> None:
    root, sources = make_kb(tmp_path)
    runner = CliRunner()
    result = runner.invoke(verify_command, ["--root", str(root), "--sources", str(sources)])
    assert result.exit_code == 1
    assert (
        "instruments/us-eo-1.yaml:36: GK502 coverage[2].quote: not found in Sec. 1(b) of the stored text"
        " (sha256 " in result.output
    )
    assert "coverage[1].quote: not in Sec. 1(a) but in Sec. 1(b)" in result.output
    assert (
        "6 links: 2 verified, 1 elsewhere, 1 not-found, 1 no-text, 1 hand-checked" in result.output
    )
    missing = runner.invoke(
        verify_command, ["--root", str(root), "--sources", str(tmp_path / "no")]
    )
    assert missing.exit_code == 2
    assert runner.invoke(verify_command, ["--format", "xml"]).exit_code == 2


def test_command_ok_record_and_strict(tmp_path: Path) -> None:
    root, sources = make_kb(tmp_path)
    good = instrument(
        "us-eo-1",
        LINK.format(concept="testing", provision="sec-1-a", quote="Developers shall test models"),
    )
    (root / "instruments" / "us-eo-1.yaml").write_text(good, encoding="utf-8")
    args = ["--root", str(root), "--sources", str(sources)]
    runner = CliRunner()
    assert runner.invoke(verify_command, [*args, "--strict"]).exit_code == 1  # no record yet
    assert runner.invoke(verify_command, [*args, "--record"]).exit_code == 0
    assert runner.invoke(verify_command, [*args, "--strict"]).exit_code == 0
    as_json = runner.invoke(verify_command, [*args, "--format", "json"])
    assert '"verified": 1' in as_json.output


@pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="no ../shared/sources beside the repository: the stored official texts are not part of a clone",
)
def test_real_sources() -> None:
    report = verify(REPO, SHARED)
    assert report.errors == []
    assert report.counts()["verified"] > 0
