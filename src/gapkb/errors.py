"""Error codes: one stable code per rule, with the rule and its fix in words.

Every finding carries a code (`path:line: GK203 field: what — fix`), printed by
`gapkb check`, in its JSON and in GitHub annotations. The site's page of error codes is
generated from this registry (gapkb.site.error_codes), and a test holds the codes used in
src/ and shapes/ to it, so a code is never unexplained and the list never drifts.

GK1xx the file and its YAML; GK2xx the fields of one entry; GK3xx references between
entries; GK4xx rules over the graph of all entries (GK45x: gaps, which are warnings);
GK5xx the reasoner and the official texts. `editor` says whether an editor with the JSON
Schema (`schema/`) shows the problem too; the others only `gapkb check` finds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule of the entry format: its code, name, what it asks, how to fix a breach."""

    code: str
    title: str
    rule: str
    fix: str
    editor: bool = False


GROUPS: dict[str, str] = {
    "GK1": "The file and its YAML",
    "GK2": "The fields of one entry",
    "GK3": "References between entries",
    "GK4": "Rules over the whole knowledge base",
    "GK5": "The reasoner and the official texts",
}

RULES: tuple[Rule, ...] = (
    # --- GK1xx: the file and its YAML ------------------------------------------------------
    Rule(
        "GK101",
        "symbolic link",
        "An entry is a regular file.",
        "Commit the file itself, not a link to it.",
    ),
    Rule(
        "GK102",
        "file too large",
        "An entry is at most 1,000,000 bytes.",
        "Split the entry or shorten it.",
    ),
    Rule(
        "GK103",
        "not UTF-8",
        "An entry is saved as UTF-8.",
        "Save the file as UTF-8 (most editors offer it under 'Save with encoding').",
    ),
    Rule(
        "GK104",
        "empty file",
        "An entry holds fields, not only comments.",
        "Fill it in from the template `gapkb new` writes.",
    ),
    Rule(
        "GK105",
        "YAML syntax",
        "The file must be YAML that a parser can read; the message says in words what the parser could not read on that line.",
        "Check the line and the one before it: indentation, a missing colon, an unclosed quote or bracket, a colon inside an unquoted value.",
    ),
    Rule(
        "GK106",
        "tab indentation",
        "YAML is indented with spaces; a tab is not allowed.",
        "Replace the tabs with spaces (two per level).",
    ),
    Rule(
        "GK107",
        "anchors and aliases",
        "Anchors and aliases (`&name`, `*name`) are refused: a few bytes of them can expand into gigabytes.",
        "Write the value out in full.",
    ),
    Rule(
        "GK108",
        "YAML tag",
        'Tags (`!!python/object`, `!!binary`, `!!int "x"`) are refused: a value is what it reads as.',
        "Remove the tag.",
    ),
    Rule(
        "GK109",
        "duplicate key",
        "A field appears once in each mapping; YAML parsers silently keep one of the two.",
        "Keep one of the two lines.",
    ),
    Rule(
        "GK110",
        "nesting too deep",
        "Mappings and lists nest at most 64 deep; entries need 5.",
        "Flatten the structure.",
    ),
    Rule(
        "GK111",
        "not a mapping",
        "An entry is a mapping of fields (`id: ...`, `title: ...`).",
        "Start the file with `id: ...` as `gapkb new` does.",
    ),
    Rule(
        "GK112",
        "file name not kebab-case",
        "A file name is the entry's id: lower-case letters and digits joined by hyphens, then `.yaml`.",
        "Rename the file as the message suggests (and set `id` to match).",
    ),
    Rule(
        "GK113",
        "key not plain text",
        "A field name is plain text.",
        "Write `name: value`, not a list or mapping as the key.",
    ),
    # --- GK2xx: the fields of one entry --------------------------------------------------
    Rule(
        "GK201",
        "placeholder not filled in",
        "A `<<...>>` placeholder left by `gapkb new` is not a value.",
        "Replace it with the value the comment above it asks for, or delete the line of an optional field.",
        True,
    ),
    Rule(
        "GK202",
        "required field missing",
        "Every required field is present.",
        "Add the field; the template of `gapkb new` shows each one with what it holds.",
        True,
    ),
    Rule(
        "GK203",
        "required field left empty",
        "A required field has a value; an empty one (`strength:`) counts as missing.",
        "Fill it in; where the field has a closed list of values, the message lists them.",
        True,
    ),
    Rule(
        "GK204",
        "unknown field",
        "Only the fields of the entry format are allowed; a misspelt field would otherwise be ignored.",
        "Fix the spelling (the message suggests the nearest field) or remove the line.",
        True,
    ),
    Rule(
        "GK205",
        "value not allowed",
        "Fields such as `category`, `kind`, `status` and `strength` take one of a closed list of values.",
        "Use one of the listed values; the message suggests the nearest.",
        True,
    ),
    Rule(
        "GK206",
        "not a kebab-case id",
        "Ids (of entries, provisions and the entries they name) are lower-case letters and digits joined by hyphens.",
        "Write it as the message suggests, e.g. `art-55-1-a`.",
        True,
    ),
    Rule(
        "GK207",
        "not an http(s) URL",
        "Links are http:// or https:// addresses: a script or data link must never reach the site.",
        "Give the full https:// address.",
        True,
    ),
    Rule(
        "GK208",
        "not a date",
        "Dates are written YYYY-MM-DD; a source's `issued` may also be YYYY or YYYY-MM.",
        "Rewrite the date, e.g. 2024-06-13.",
        True,
    ),
    Rule(
        "GK209",
        "not a day of the calendar",
        "A date is a real day: 2024-02-30 and the month 13 are not.",
        "Check the month and the day against the source.",
        True,
    ),
    Rule(
        "GK210",
        "text expected",
        "A text field holds text. YAML reads some unquoted values as numbers or true/false: an arXiv id `2402.11740` becomes the number 2402.1174, losing its last zero.",
        "Put the value in double quotes (`gapkb fix` does it).",
        True,
    ),
    Rule(
        "GK211",
        "not true or false",
        "A yes/no field is `true` or `false`. YAML 1.2, which editors use, reads `yes`, `no`, `on` and `off` as text.",
        "Write true or false (`gapkb fix` does it).",
        True,
    ),
    Rule(
        "GK212",
        "not a whole number",
        'A year is a number: `year: 2024`, not `"2024"`.',
        "Write the digits without quotes (`gapkb fix` does it).",
        True,
    ),
    Rule("GK213", "out of range", "A year lies between 1800 and 2100.", "Check the year.", True),
    Rule(
        "GK214",
        "wrong structure",
        "A list field holds a list (`- item` lines or `[a, b]`), a group of fields holds `field: value` lines.",
        "Write the value in the structure the template shows.",
        True,
    ),
    Rule(
        "GK215",
        "empty text",
        "A text field, where present, is not blank.",
        "Fill it in, or remove the line if the field is optional.",
        True,
    ),
    Rule(
        "GK216",
        "quote with an ellipsis",
        "A quote is one continuous verbatim passage: `…` or `...` joins two or cuts one short.",
        "Quote one passage; make two links to quote two.",
        True,
    ),
    Rule(
        "GK217",
        "quote without its language",
        "A quote names its language (`quote_lang`), and a quote not in English has an English rendering (`quote_en`).",
        "Add quote_lang (en, zh, ...) and, for a quote not in English, quote_en.",
        True,
    ),
    Rule(
        "GK218",
        "author form",
        "An author is a person (`family`, `given`) or an organisation (`literal`), not both.",
        "Keep family and given for a person, or literal alone for an organisation.",
        True,
    ),
    Rule(
        "GK219",
        "source without a date",
        "A source has a `year` or an `issued` date.",
        "Add year: 2024, or issued: 2024-06-13.",
        True,
    ),
    Rule(
        "GK220",
        "not a term of the scheme",
        "A mapping's `id` is a term of its scheme: NIST AI 600-1 2.1 to 2.12, MIT subdomains like 7.1 (quoted), DPV prefix:Name, AIRO local names.",
        "Write the term as the message shows.",
        True,
    ),
    Rule(
        "GK221",
        "revoked without revoked_by",
        "A revoked or superseded instrument says what revoked it.",
        "Set revoked_by to the revoking instrument's id, and dates.revoked.",
        True,
    ),
    Rule(
        "GK222",
        "wrong form",
        "Jurisdictions, language codes, identifier schemes, DOIs and arXiv ids have a fixed form.",
        "Write the value in the form the message gives.",
        True,
    ),
    Rule(
        "GK223",
        "id is not the file name",
        "An entry's `id` equals its file name without .yaml. A JSON document has no file name, so an editor cannot show this.",
        "Make them equal (`gapkb fix` sets the id from the file name).",
    ),
    Rule(
        "GK224",
        "updated before created",
        "A concept's `updated` date is not before its `created` date. JSON Schema cannot compare two fields, so an editor cannot show this.",
        "Set updated to the day of your last change (`gapkb fix` sets it to today).",
    ),
    # --- GK3xx: references between entries -----------------------------------------------
    Rule(
        "GK301",
        "id already used",
        "Every entry has its own id; concepts and instruments share one set of ids.",
        "Choose another id (and rename the file).",
    ),
    Rule(
        "GK302",
        "unknown concept",
        "A concept named in `related`, `broader` or a coverage link exists in concepts/.",
        "Fix the id (the message suggests the nearest) or add the concept.",
    ),
    Rule(
        "GK303",
        "concept related to itself",
        "A concept is not related to, or broader than, itself.",
        "Remove its own id from the list.",
    ),
    Rule(
        "GK304",
        "unknown provision",
        "A coverage link names a provision listed under the instrument's own `provisions`.",
        "Fix the id or add the provision.",
    ),
    Rule(
        "GK305", "provision listed twice", "Each provision is listed once.", "Keep one of the two."
    ),
    Rule(
        "GK306",
        "link listed twice",
        "A provision links to a concept once.",
        "Keep one of the two links.",
    ),
    Rule(
        "GK307",
        "instrument revokes itself",
        "An instrument is revoked by another.",
        "Name the revoking instrument.",
    ),
    Rule(
        "GK308",
        "unknown instrument",
        "An instrument named in `revoked_by`, `amends`, `inserted_by` or `quote_version` exists in instruments/.",
        "Fix the id or add the instrument.",
    ),
    Rule(
        "GK309",
        "unknown provision of another instrument",
        "An amendment names provisions listed in the amended instrument's entry.",
        "Fix the id, or add the provision to that entry.",
    ),
    Rule(
        "GK310",
        "the entry named did not load",
        "An entry that names another is checked against it, so the other must load.",
        "Fix the error reported in the other file first.",
    ),
    Rule(
        "GK311",
        "unverified path names nothing",
        "Each path under `unverified` names a field the entry fills in (dates.in_force, references.0.pages).",
        "Fix the path; positions count from 0 and shift when an item is inserted before them.",
    ),
    Rule(
        "GK312",
        "unproved quote not marked unverified",
        "A quote is proved against the stored official text (verification/manifest.yaml) or "
        "checked by hand (`quote_source` and `reviewed`); any other quote is listed under "
        "`unverified`, so readers see that nothing proves it.",
        "Read the quote on the official page and add quote_source and reviewed, or list "
        "coverage.N.quote under unverified.",
    ),
    # --- GK4xx: rules over the whole knowledge base ---------------------------------------
    Rule(
        "GK401",
        "instrument incomplete in the graph",
        "An instrument has one title, short title, jurisdiction, binding flag, status and http(s) URL.",
        "Set the field the message names.",
    ),
    Rule(
        "GK402",
        "entered into force before adopted",
        "An instrument's `dates.adopted` is not after `dates.in_force`. JSON Schema cannot compare two dates.",
        "Check both dates against the official text.",
    ),
    Rule(
        "GK403",
        "revoked before entry into force",
        "An instrument's `dates.revoked` is after `dates.in_force`.",
        "Check both dates against the official text.",
    ),
    Rule(
        "GK404",
        "one date each",
        "Each of an instrument's and provision's dates has one value.",
        "Keep one date.",
    ),
    Rule(
        "GK405",
        "revoked_by names no instrument",
        "`revoked_by` names one instrument of the knowledge base.",
        "Fix the id.",
    ),
    Rule(
        "GK406",
        "revocation date passed",
        "An instrument whose revocation date has passed (at the as-of date) is not in force or pending. "
        "Checked as of a date after today, a revocation still to come is noted, not refused: "
        "the status speaks of today.",
        "Set status to revoked or superseded, or correct dates.revoked.",
    ),
    Rule(
        "GK407",
        "provision incomplete in the graph",
        "A provision has one label and one title, belongs to one instrument and has at most one http(s) URL.",
        "Set the field the message names.",
    ),
    Rule(
        "GK408",
        "coverage link incomplete in the graph",
        "A coverage link names one existing provision of its instrument and one existing concept, with a strength and a note.",
        "Set the field the message names.",
    ),
    Rule(
        "GK409",
        "explicit recital",
        "A recital or preamble explains but does not govern, so a link from one is implicit.",
        "Set strength to implicit, or link the article the recital explains.",
    ),
    Rule(
        "GK410",
        "concept incomplete in the graph",
        "A concept has one title, summary, category, primary source and created date.",
        "Set the field the message names.",
    ),
    Rule(
        "GK411",
        "related and narrower",
        "SKOS forbids a concept to be both related to and narrower than the same concept.",
        "Keep it under broader and remove it from related.",
    ),
    Rule(
        "GK412",
        "source incomplete in the graph",
        "A source has one title and at most one http(s) URL.",
        "Set the field the message names.",
    ),
    Rule(
        "GK451",
        "gap: never covered",
        "A warning, not an error: no binding instrument in force governs the concept expressly.",
        "If a binding provision in force does, add an explicit coverage link.",
    ),
    Rule(
        "GK452",
        "covered only implicitly",
        "An info: binding provisions in force reach the concept only by interpretation.",
        "Nothing to fix; an explicit provision, if one exists, closes it.",
    ),
    Rule(
        "GK453",
        "covered only by voluntary texts",
        "An info: only non-binding instruments in force govern the concept expressly.",
        "Nothing to fix; a binding provision, if one exists, closes it.",
    ),
    Rule(
        "GK454",
        "no longer covered",
        "A warning: only instruments no longer in force governed the concept expressly.",
        "If a binding provision in force governs it, add the link.",
    ),
    # --- GK5xx: the reasoner and the official texts --------------------------------------
    Rule(
        "GK501",
        "logically inconsistent",
        "The knowledge base with this entry is consistent with the ontology (HermiT).",
        "Check the entry's kind, references and types.",
    ),
    Rule(
        "GK502",
        "quote not in the official text",
        "`gapkb verify`: a quote is found verbatim in the stored official text of its provision.",
        "Copy the quote from the official text again, character for character.",
    ),
    Rule(
        "GK503",
        "quote in another provision",
        "`gapkb verify`: the quote is in the stored text, but in another provision than the one linked.",
        "Link the provision that holds the quote, or quote the cited one.",
    ),
)

CODES: dict[str, Rule] = {rule.code: rule for rule in RULES}
assert len(CODES) == len(RULES), "a code is listed twice"


def anchor(code: str) -> str:
    """The code's anchor on the error-codes page (`gk203`)."""
    return code.lower()
