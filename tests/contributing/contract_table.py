"""One table of good and bad entries, for both judges of an entry: the JSON Schema an
editor reads and `gapkb check` (tests/contributing/test_contract.py).

Each row is a base entry (concept or instrument, valid, referring to the sample knowledge
base) with a few lines changed. `ok` is the verdict both must give. A row marked
`check_only` is one a JSON Schema cannot judge (a rule across files or across two fields,
or the YAML itself): the schema accepts it and only the check refuses it; the reason says
which rule. `field` is the field the check names, so that a bad row fails for its own
reason and not for another.
"""

from __future__ import annotations

from dataclasses import dataclass

ROW_ID = "ROW-ID"

BASE: dict[str, str] = {
    "concept": f"""\
# yaml-language-server: $schema=../schema/concept.schema.json
id: {ROW_ID}
title: Contract test concept
category: safety
summary: A concept written to test one rule of the entry format.
details: Test details.
aliases: []
related: [alignment]
primary_source:
  type: article-journal
  title: A test source
  authors:
    - {{family: Doe, given: Jane}}
  year: 2024
  url: https://example.org/source
created: 2026-11-24
updated: 2026-11-24
""",
    "instrument": f"""\
# yaml-language-server: $schema=../schema/instrument.schema.json
id: {ROW_ID}
title: A test regulation on artificial intelligence
short_title: Test Act
jurisdiction: EU
kind: regulation
binding: true
status: in-force
dates:
  adopted: 2024-06-13
  in_force: 2024-08-01
identifiers:
  celex: 32024R9999
url: https://example.org/act
languages: [en]
provisions:
  - id: art-1
    label: Art. 1
    title: Subject matter
coverage:
  - concept: red-teaming
    provision: art-1
    strength: explicit
    note: Requires adversarial testing.
    quote: conducting adversarial testing
    quote_lang: en
""",
}


@dataclass(frozen=True)
class Row:
    """One entry: its file id, kind, the lines changed from the base, and the verdict."""

    name: str
    kind: str
    edits: tuple[tuple[str, str], ...] = ()
    ok: bool = True
    field: str = ""
    check_only: str = ""

    @property
    def folder(self) -> str:
        return f"{self.kind}s"

    def text(self) -> str:
        """The entry's YAML: the base with each `old` line (it must occur once) replaced."""
        text = BASE[self.kind]
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.name}: {old!r} is not in the base once"
            text = text.replace(old, new)
        return text.replace(ROW_ID, self.name)


def concept(name: str, *edits: tuple[str, str], **kw: object) -> Row:
    return Row(name, "concept", edits, **kw)  # type: ignore[arg-type]


def instrument(name: str, *edits: tuple[str, str], **kw: object) -> Row:
    return Row(name, "instrument", edits, **kw)  # type: ignore[arg-type]


YEAR = "  year: 2024\n"
AUTHOR = "    - {family: Doe, given: Jane}\n"
SOURCE_URL = "  url: https://example.org/source\n"
LINK_LANG = "    quote_lang: en\n"
QUOTE = "    quote: conducting adversarial testing\n"
STRENGTH = "    strength: explicit\n"
NOTE = "    note: Requires adversarial testing.\n"
PROVISION_ID = "  - id: art-1\n"
IN_FORCE = "  in_force: 2024-08-01\n"
STATUS = "status: in-force\n"
CHECK_ONLY_REFERENCE = "a reference to another entry: only the check knows the other files"
CHECK_ONLY_YAML = "the YAML itself, before any JSON: the check's reader refuses it"

ROWS: list[Row] = [
    # --- concepts the format accepts -------------------------------------------------------
    concept("c-base"),
    concept("c-volume-number", (YEAR, YEAR + "  volume: 631\n")),
    concept("c-pages-number", (YEAR, YEAR + "  pages: 12\n")),
    concept("c-arxiv-quoted", (YEAR, YEAR + '  arxiv: "2402.11740"\n')),
    concept("c-issued-year-month", (YEAR, "  issued: 2024-06\n")),
    concept("c-issued-year-number", (YEAR, "  issued: 2024\n")),
    concept("c-issued-leap-day", (YEAR, "  issued: 2024-02-29\n")),
    concept("c-aliases-left-empty", ("aliases: []\n", "aliases:\n")),
    concept("c-aliases-yes-no", ("aliases: []\n", "aliases: [yes, no, on]\n")),
    concept("c-cjk-title", ("title: Contract test concept\n", "title: 对齐 · 人工智能对齐\n")),
    concept("c-organisation-author", (AUTHOR, "    - {literal: European Parliament}\n")),
    concept(
        "c-mapping-nist",
        (
            SOURCE_URL,
            SOURCE_URL + 'mappings:\n  - {scheme: nist-ai-600-1, id: "2.4", match: close}\n',
        ),
    ),
    concept("c-exact-match-https", ("aliases: []\n", "exact_match: [https://example.org/x]\n")),
    concept("c-updated-later", ("updated: 2026-11-24\n", "updated: 2026-12-01\n")),
    concept("c-details-block", ("details: Test details.\n", "details: |\n  One.\n\n  Two.\n")),
    concept("c-true-uppercase-text", ("aliases: []\n", "aliases: [TRUE story]\n")),
    concept("c-year-as-whole-float", (YEAR, "  year: 2024.0\n")),
    # --- concepts both refuse -----------------------------------------------------------
    concept(
        "c-placeholder-summary",
        ("summary: A concept", "summary: <<summary>> A concept"),
        ok=False,
        field="summary",
    ),
    concept(
        "c-placeholder-title",
        ("title: Contract test concept\n", "title: <<title>>\n"),
        ok=False,
        field="title",
    ),
    concept(
        "c-blank-title",
        ("title: Contract test concept\n", 'title: "   "\n'),
        ok=False,
        field="title",
    ),
    concept(
        "c-missing-summary",
        ("summary: A concept written to test one rule of the entry format.\n", ""),
        ok=False,
        field="summary",
    ),
    concept("c-unknown-field", ("aliases: []\n", "alias: []\n"), ok=False, field="alias"),
    concept(
        "c-unknown-category",
        ("category: safety\n", "category: safty\n"),
        ok=False,
        field="category",
    ),
    concept(
        "c-category-left-empty", ("category: safety\n", "category:\n"), ok=False, field="category"
    ),
    concept(
        "c-created-impossible",
        ("created: 2026-11-24\n", "created: 2024-02-30\n"),
        ok=False,
        field="created",
    ),
    concept(
        "c-created-not-iso",
        ("created: 2026-11-24\n", "created: 24 November 2026\n"),
        ok=False,
        field="created",
    ),
    concept(
        "c-created-year-only",
        ("created: 2026-11-24\n", "created: 2026\n"),
        ok=False,
        field="created",
    ),
    concept(
        "c-created-timestamp",
        ("created: 2026-11-24\n", "created: 2026-11-24T10:00:00\n"),
        ok=False,
        field="created",
    ),
    concept(
        "c-issued-month-13", (YEAR, "  issued: 2024-13\n"), ok=False, field="primary_source.issued"
    ),
    concept(
        "c-issued-not-a-day",
        (YEAR, "  issued: 2023-02-29\n"),
        ok=False,
        field="primary_source.issued",
    ),
    concept(
        "c-issued-dotted",
        (YEAR, '  issued: "13.06.2024"\n'),
        ok=False,
        field="primary_source.issued",
    ),
    concept(
        "c-issued-out-of-range", (YEAR, "  issued: 1500\n"), ok=False, field="primary_source.issued"
    ),
    concept("c-year-quoted", (YEAR, '  year: "2024"\n'), ok=False, field="primary_source.year"),
    concept("c-year-out-of-range", (YEAR, "  year: 1700\n"), ok=False, field="primary_source.year"),
    concept(
        "c-arxiv-unquoted",
        (YEAR, YEAR + "  arxiv: 2402.11740\n"),
        ok=False,
        field="primary_source.arxiv",
    ),
    concept(
        "c-doi-with-resolver",
        (YEAR, YEAR + "  doi: https://doi.org/10.1000/xyz\n"),
        ok=False,
        field="primary_source.doi",
    ),
    concept(
        "c-url-ftp",
        (SOURCE_URL, "  url: ftp://example.org/source\n"),
        ok=False,
        field="primary_source.url",
    ),
    concept(
        "c-url-javascript",
        (SOURCE_URL, '  url: "javascript:alert(1)"\n'),
        ok=False,
        field="primary_source.url",
    ),
    concept(
        "c-exact-match-not-http",
        ("aliases: []\n", "exact_match: [urn:isbn:123]\n"),
        ok=False,
        field="exact_match[0]",
    ),
    concept(
        "c-author-both-forms",
        (AUTHOR, "    - {family: Doe, literal: Org}\n"),
        ok=False,
        field="primary_source.authors[0]",
    ),
    concept(
        "c-author-given-only",
        (AUTHOR, "    - {given: Jane}\n"),
        ok=False,
        field="primary_source.authors[0]",
    ),
    concept("c-source-without-date", (YEAR, ""), ok=False, field="primary_source"),
    concept(
        "c-related-not-kebab",
        ("related: [alignment]\n", "related: [Alignment]\n"),
        ok=False,
        field="related[0]",
    ),
    concept("c-aliases-mapping", ("aliases: []\n", "aliases: {a: b}\n"), ok=False, field="aliases"),
    concept(
        "c-title-a-number",
        ("title: Contract test concept\n", "title: 1984\n"),
        ok=False,
        field="title",
    ),
    concept(
        "c-volume-empty", (YEAR, YEAR + '  volume: ""\n'), ok=False, field="primary_source.volume"
    ),
    concept(
        "c-volume-boolean",
        (YEAR, YEAR + "  volume: true\n"),
        ok=False,
        field="primary_source.volume",
    ),
    concept(
        "c-mapping-nist-unquoted",
        (
            SOURCE_URL,
            SOURCE_URL + "mappings:\n  - {scheme: nist-ai-600-1, id: 2.10, match: close}\n",
        ),
        ok=False,
        field="mappings[0].id",
    ),
    concept(
        "c-mapping-nist-out-of-range",
        (
            SOURCE_URL,
            SOURCE_URL + 'mappings:\n  - {scheme: nist-ai-600-1, id: "2.13", match: close}\n',
        ),
        ok=False,
        field="mappings[0]",
    ),
    concept(
        "c-mapping-dpv-without-prefix",
        (
            SOURCE_URL,
            SOURCE_URL + "mappings:\n  - {scheme: dpv, id: Misinformation, match: close}\n",
        ),
        ok=False,
        field="mappings[0]",
    ),
    concept("c-id-not-kebab", ("id: ROW-ID\n", "id: Bad_Id\n"), ok=False, field="id"),
    # --- concepts only the check refuses ----------------------------------------------
    concept(
        "c-id-not-file-name",
        ("id: ROW-ID\n", "id: contract-other-id\n"),
        ok=False,
        field="id",
        check_only="the id equals the file name: a JSON document has no file name",
    ),
    concept(
        "c-updated-before-created",
        ("updated: 2026-11-24\n", "updated: 2026-01-01\n"),
        ok=False,
        field="updated",
        check_only="updated is not before created: JSON Schema cannot compare two fields",
    ),
    concept(
        "c-related-to-itself",
        ("related: [alignment]\n", "related: [c-related-to-itself]\n"),
        ok=False,
        field="related[0]",
        check_only="a concept is not related to itself: JSON Schema cannot compare a value with the id",
    ),
    concept(
        "c-related-unknown",
        ("related: [alignment]\n", "related: [no-such-concept]\n"),
        ok=False,
        field="related[0]",
        check_only=CHECK_ONLY_REFERENCE,
    ),
    concept(
        "c-duplicate-key",
        ("details: Test details.\n", "details: Test details.\ndetails: Again.\n"),
        ok=False,
        field="details",
        check_only=CHECK_ONLY_YAML,
    ),
    concept(
        "c-anchor",
        ("aliases: []\n", "aliases: &names [x]\nbroader: []\n"),
        ok=False,
        check_only=CHECK_ONLY_YAML,
    ),
    # --- instruments the format accepts -------------------------------------------------
    instrument("i-base"),
    instrument("i-not-binding", ("binding: true\n", "binding: false\n")),
    instrument("i-binding-title-case", ("binding: true\n", "binding: True\n")),
    instrument(
        "i-quote-in-chinese",
        (LINK_LANG, "    quote_lang: zh\n    quote_en: conducting adversarial testing\n"),
        (QUOTE, "    quote: 开展对抗性测试\n"),
    ),
    instrument("i-quote-en-official", (LINK_LANG, LINK_LANG + "    quote_en_official: false\n")),
    instrument("i-no-quote", (QUOTE, ""), (LINK_LANG, "")),
    instrument("i-us-state", ("jurisdiction: EU\n", "jurisdiction: US-CA\n")),
    instrument("i-two-languages", ("languages: [en]\n", "languages: [en, fr]\n")),
    instrument(
        "i-identifiers-left-empty", ("identifiers:\n  celex: 32024R9999\n", "identifiers:\n")
    ),
    instrument(
        "i-revoked-by-another",
        (STATUS, "status: revoked\nrevoked_by: eu-ai-act\n"),
        (IN_FORCE, IN_FORCE + "  revoked: 2025-01-01\n"),
    ),
    instrument(
        "i-provision-applies-from", (PROVISION_ID, PROVISION_ID + "    applies_from: 2025-08-02\n")
    ),
    # --- instruments both refuse --------------------------------------------------------
    instrument("i-binding-yes", ("binding: true\n", "binding: yes\n"), ok=False, field="binding"),
    instrument(
        "i-binding-quoted", ("binding: true\n", 'binding: "true"\n'), ok=False, field="binding"
    ),
    instrument("i-binding-missing", ("binding: true\n", ""), ok=False, field="binding"),
    instrument(
        "i-unknown-kind", ("kind: regulation\n", "kind: regulations\n"), ok=False, field="kind"
    ),
    instrument("i-unknown-status", (STATUS, "status: active\n"), ok=False, field="status"),
    instrument(
        "i-jurisdiction-lower-case",
        ("jurisdiction: EU\n", "jurisdiction: eu\n"),
        ok=False,
        field="jurisdiction",
    ),
    instrument(
        "i-url-without-scheme",
        ("url: https://example.org/act\n", "url: www.example.org/act\n"),
        ok=False,
        field="url",
    ),
    instrument(
        "i-no-language", ("languages: [en]\n", "languages: []\n"), ok=False, field="languages"
    ),
    instrument(
        "i-language-a-name",
        ("languages: [en]\n", "languages: [English]\n"),
        ok=False,
        field="languages[0]",
    ),
    instrument("i-quote-without-language", (LINK_LANG, ""), ok=False, field="coverage[0]"),
    instrument(
        "i-chinese-quote-without-english",
        (LINK_LANG, "    quote_lang: zh\n"),
        ok=False,
        field="coverage[0]",
    ),
    instrument(
        "i-quote-with-ellipsis",
        (QUOTE, "    quote: conducting … testing\n"),
        ok=False,
        field="coverage[0].quote",
    ),
    instrument(
        "i-quote-placeholder",
        (QUOTE, "    quote: <<coverage.quote>>\n"),
        ok=False,
        field="coverage[0].quote",
    ),
    instrument(
        "i-strength-left-empty",
        (STRENGTH, "    strength:\n"),
        ok=False,
        field="coverage[0].strength",
    ),
    instrument(
        "i-unknown-strength",
        (STRENGTH, "    strength: explict\n"),
        ok=False,
        field="coverage[0].strength",
    ),
    instrument("i-link-without-note", (NOTE, ""), ok=False, field="coverage[0].note"),
    instrument(
        "i-in-force-impossible",
        (IN_FORCE, "  in_force: 2024-02-30\n"),
        ok=False,
        field="dates.in_force",
    ),
    instrument(
        "i-in-force-timestamp",
        (IN_FORCE, "  in_force: 2024-08-01 00:00:00\n"),
        ok=False,
        field="dates.in_force",
    ),
    instrument(
        "i-identifier-scheme-capitals",
        ("  celex: 32024R9999\n", "  Celex: 32024R9999\n"),
        ok=False,
        field="identifiers.Celex",
    ),
    instrument(
        "i-identifier-a-number",
        ("  celex: 32024R9999\n", "  celex: 320241689\n"),
        ok=False,
        field="identifiers.celex",
    ),
    instrument(
        "i-revoked-without-revoked-by",
        (STATUS, "status: revoked\n"),
        (IN_FORCE, IN_FORCE + "  revoked: 2025-01-01\n"),
        ok=False,
        field="status",
    ),
    instrument(
        "i-provision-id-not-kebab",
        (PROVISION_ID, "  - id: Art_1\n"),
        ok=False,
        field="provisions[0].id",
    ),
    instrument(
        "i-provision-url-javascript",
        (PROVISION_ID, PROVISION_ID + '    url: "javascript:alert(1)"\n'),
        ok=False,
        field="provisions[0].url",
    ),
    instrument(
        "i-quote-source-not-http",
        (LINK_LANG, LINK_LANG + "    quote_source: example.org/page\n"),
        ok=False,
        field="coverage[0].quote_source",
    ),
    instrument(
        "i-quote-en-official-yes",
        (LINK_LANG, LINK_LANG + "    quote_en_official: yes\n"),
        ok=False,
        field="coverage[0].quote_en_official",
    ),
    instrument(
        "i-reviewed-not-a-date",
        ("url: https://example.org/act\n", "url: https://example.org/act\nreviewed: last week\n"),
        ok=False,
        field="reviewed",
    ),
    # --- instruments only the check refuses ---------------------------------------------
    instrument(
        "i-dates-out-of-order",
        ("  adopted: 2024-06-13\n", "  adopted: 2024-09-13\n"),
        ok=False,
        field="dates.adopted",
        check_only="adopted is not after in_force: JSON Schema cannot compare two fields",
    ),
    instrument(
        "i-unknown-provision",
        ("    provision: art-1\n", "    provision: art-2\n"),
        ok=False,
        field="coverage[0].provision",
        check_only="a link names a provision of its instrument: JSON Schema cannot look one field up in another",
    ),
    instrument(
        "i-unknown-concept",
        ("  - concept: red-teaming\n", "  - concept: red-teeming\n"),
        ok=False,
        field="coverage[0].concept",
        check_only=CHECK_ONLY_REFERENCE,
    ),
    instrument(
        "i-provision-twice",
        (PROVISION_ID, PROVISION_ID + "    label: Art. 1\n    title: Again\n  - id: art-1\n"),
        ok=False,
        field="provisions[1].id",
        check_only="a provision is listed once: JSON Schema's uniqueItems compares whole items, not ids",
    ),
    instrument(
        "i-revoked-by-itself",
        (STATUS, "status: revoked\nrevoked_by: i-revoked-by-itself\n"),
        (IN_FORCE, IN_FORCE + "  revoked: 2025-01-01\n"),
        ok=False,
        field="revoked_by",
        check_only="an instrument does not revoke itself: JSON Schema cannot compare a value with the id",
    ),
    instrument(
        "i-explicit-recital",
        (PROVISION_ID, "  - id: rec-1\n"),
        ("    provision: art-1\n", "    provision: rec-1\n"),
        ok=False,
        field="strength",
        check_only="a recital is never explicit: the kind of provision is read from its id by the check",
    ),
    instrument(
        "i-unverified-names-no-field",
        ("languages: [en]\n", "languages: [en]\nunverified: [dates.signed]\n"),
        ok=False,
        field="unverified[0]",
        check_only="an unverified path names a field: JSON Schema cannot read a value as a path",
    ),
]
