"""The entry format: one model per kind of YAML entry, the single source of truth.

The loader validates entries against these models and the JSON Schemas in `schema/` are
generated from them, so the contributor interface is defined once. Every rule that one
entry can be held to is in a field's type (gapkb.entry_types) or in a schema fragment
beside the validator that enforces it (`model_config`'s `json_schema_extra`), so that an
editor and `gapkb check` give every entry the same verdict. Field names follow DESIGN.md
and must not change.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gapkb.entry_types import ID_PATTERN as ID_PATTERN
from gapkb.entry_types import ID_RE as ID_RE
from gapkb.entry_types import JURISDICTION_PATTERN as JURISDICTION_PATTERN
from gapkb.entry_types import LANG_PATTERN as LANG_PATTERN
from gapkb.entry_types import SCHEME_NAME_PATTERN as SCHEME_NAME_PATTERN
from gapkb.entry_types import (
    Arxiv,
    Date,
    Doi,
    Flag,
    Id,
    Jurisdiction,
    LangTag,
    PartialDate,
    Quote,
    SchemeName,
    Text,
    TextOrNumber,
    Url,
    Year,
    empty_if_none,
    empty_mapping_if_none,
    filled,
    may_be_empty,
)
from gapkb.terms import CATEGORY_DEFINITIONS as CATEGORY_DEFINITIONS
from gapkb.terms import NIST_AI_600_1_RISKS as NIST_AI_600_1_RISKS
from gapkb.terms import PROVISION_KIND_OF_PREFIX as PROVISION_KIND_OF_PREFIX

# The closed lists live in gapkb.terms; imported here by name, and so re-exported.
from gapkb.terms import Category as Category
from gapkb.terms import Confidence as Confidence
from gapkb.terms import InstrumentKind as InstrumentKind
from gapkb.terms import MappingScheme as MappingScheme
from gapkb.terms import MatchKind as MatchKind
from gapkb.terms import ProvisionKind as ProvisionKind
from gapkb.terms import SourceType as SourceType
from gapkb.terms import Status as Status
from gapkb.terms import Strength as Strength

# Optional lists and mappings may be left empty (`aliases:`), as the template says.
TextList = Annotated[list[Text], BeforeValidator(empty_if_none)]
IdList = Annotated[list[Id], BeforeValidator(empty_if_none)]
UrlList = Annotated[list[Url], BeforeValidator(empty_if_none)]


def optional_list(description: str) -> Any:
    """An optional list field: absent or left empty, it is an empty list."""
    return Field(default_factory=list, description=description, json_schema_extra=may_be_empty)


def _scheme_names(schema: dict[str, Any]) -> None:
    """A mapping's keys are scheme names: JSON Schema checks them with propertyNames."""
    may_be_empty(schema)
    schema["anyOf"][0]["propertyNames"] = {"pattern": SCHEME_NAME_PATTERN}
    schema["anyOf"][0]["additionalProperties"] = False


class Entry(BaseModel):
    """Common configuration: unknown fields are errors, nothing is coerced silently.

    Python's regular expressions (rather than pydantic's Rust ones) search patterns as
    JSON Schema validators do, lookaheads included."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


class Author(Entry):
    """A person ({family, given}) or an organisation ({literal})."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [filled("literal"), filled("family")]})

    family: Text | None = Field(None, description="Family name")
    given: Text | None = Field(None, description="Given names, in full where known")
    literal: Text | None = Field(
        None, description="An organisation's name, instead of family/given"
    )

    @property
    def display_name(self) -> str:
        """'Family, Given' for a person, the name for an organisation."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else str(self.family)

    @model_validator(mode="after")
    def _one_form(self) -> Author:
        if (self.literal is None) == (self.family is None):
            raise PydanticCustomError(
                "author_form",
                "an author is a person or an organisation — give family (and given) or literal, not both",
            )
        return self


class Source(Entry):
    """A bibliographic source, in CSL-JSON naming."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [filled("year"), filled("issued")]})

    type: SourceType = Field(description="CSL type: article-journal, paper-conference, report, ...")
    title: Text = Field(description="Title, exactly as published")
    authors: Annotated[list[Author], BeforeValidator(empty_if_none)] = optional_list(
        "Authors in order"
    )
    year: Year | None = Field(None, description="Year of publication")
    # A bare year is an integer to editors' YAML parsers, hence the int alternative.
    issued: PartialDate | None = Field(
        None, description="Date of publication: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    container: Text | None = Field(None, description="Journal, proceedings or collection")
    volume: TextOrNumber | None = Field(None, description="Volume")
    issue: TextOrNumber | None = Field(None, description="Issue or number")
    pages: TextOrNumber | None = Field(None, description="Page range, e.g. 14138–14149")
    publisher: Text | None = Field(None, description="Publisher or issuing body")
    doi: Doi | None = Field(None, description="Bare DOI, e.g. 10.18653/v1/2024.acl-long.762")
    arxiv: Arxiv | None = Field(None, description="Bare arXiv id, e.g. 2402.11746 (quote it)")
    url: Url | None = Field(None, description="Where to read it (http or https)")
    note: Text | None = Field(None, description="Why this source, and what it actually shows")
    # Bibliographic detail the citation styles need beyond the fields above.
    translated_title: Text | None = Field(
        None, description="English title of a work not in English; cited in [square brackets]"
    )
    editors: Annotated[list[Author], BeforeValidator(empty_if_none)] = optional_list(
        "Editors of the proceedings or book, as its record gives them"
    )
    publisher_place: Text | None = Field(
        None,
        description="Place of publication as the publisher's record gives it, e.g. Bangkok, Thailand",
    )
    number: Text | None = Field(
        None,
        description="Report or document number (NIST AI 600-1); an EU act's number in the Official Journal (2024/1689)",
    )
    version: Text | None = Field(
        None, description="Version of a standard or specification, e.g. 2.2"
    )
    accessed: Date | None = Field(
        None, description="Date the online text was last consulted, YYYY-MM-DD (the retrieval date)"
    )
    instrument: Id | None = Field(
        None,
        description="Id of this knowledge base's instrument that this source is (one work, one key)",
    )

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.year is None and self.issued is None:
            raise PydanticCustomError("source_date", "a source needs a date — add year or issued")
        return self

    @property
    def issued_year(self) -> int:
        return self.year if self.year is not None else int(str(self.issued)[:4])


# How each outside scheme names its terms, and what to write instead.
TERM_OF_SCHEME: dict[MappingScheme, tuple[str, str]] = {
    MappingScheme.NIST_AI_600_1: (
        r"^2\.([1-9]|1[0-2])$",
        'a NIST AI 600-1 risk is its section number, 2.1 to 2.12 — quote it, e.g. id: "2.4"',
    ),
    MappingScheme.MIT_AI_RISK: (
        r"^[1-7]\.[1-9]$",
        'an MIT AI Risk Repository subdomain is numbered like 7.1 — quote it, e.g. id: "7.1"',
    ),
    MappingScheme.DPV: (
        r"^(dpv|ai|risk|tech):[A-Za-z][A-Za-z0-9]*$",
        "a DPV term is prefix:Name with prefix dpv, ai, risk or tech, e.g. risk:Misinformation",
    ),
    MappingScheme.AIRO: (
        r"^[A-Za-z][A-Za-z0-9]*$",
        "an AIRO term is its local name, e.g. AIRisk",
    ),
}
assert set(TERM_OF_SCHEME) == set(MappingScheme)


class Mapping(Entry):
    """One cross-walk: this concept matches term `id` of an outside `scheme`."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {
                        "required": ["scheme"],
                        "properties": {"scheme": {"const": scheme.value}},
                    },
                    "then": {
                        "properties": {"id": {"pattern": pattern, "patternErrorMessage": message}}
                    },
                }
                for scheme, (pattern, message) in TERM_OF_SCHEME.items()
            ]
        }
    )

    scheme: MappingScheme = Field(description="nist-ai-600-1, mit-ai-risk, dpv or airo")
    id: Text = Field(
        description="The term in that scheme: 2.4 (NIST AI 600-1 §2.4), 7.1 (MIT subdomain), a DPV or AIRO local name"
    )
    match: MatchKind = Field(
        description="exact, close, broad (theirs is broader), narrow (theirs is narrower) or related"
    )

    @model_validator(mode="after")
    def _term_of_scheme(self) -> Mapping:
        pattern, message = TERM_OF_SCHEME[self.scheme]
        if not re.search(pattern, self.id):
            raise PydanticCustomError("scheme_term", message)
        return self


class Concept(Entry):
    """A governance concept: `concepts/<id>.yaml`."""

    id: Id = Field(description="kebab-case id, equal to the file name without .yaml")
    title: Text = Field(description="Title of the concept page")
    category: Category = Field(description="One of the declared categories")
    summary: Text = Field(description="1–3 sentences of plain text")
    details: Text = Field(
        description="Markdown: what it is, why it matters, how instruments reach it"
    )
    aliases: TextList = optional_list("Other names")
    related: IdList = optional_list("Related concept ids (symmetric)")
    broader: IdList = optional_list("Broader concept ids")
    primary_source: Source = Field(description="The foundational source; its note says why")
    references: Annotated[list[Source], BeforeValidator(empty_if_none)] = optional_list(
        "Further sources"
    )
    exact_match: UrlList = optional_list("IRIs of the same concept elsewhere")
    close_match: UrlList = optional_list("IRIs of close concepts elsewhere")
    mappings: Annotated[list[Mapping], BeforeValidator(empty_if_none)] = optional_list(
        "Cross-walk to outside risk taxonomies: NIST AI 600-1, MIT AI Risk Repository, DPV, AIRO"
    )
    created: Date = Field(description="Date the entry was created, YYYY-MM-DD")
    updated: Date = Field(description="Date the entry was last updated, YYYY-MM-DD")
    unverified: TextList = optional_list("Dotted paths of fields not yet checked against a source")


class Dates(Entry):
    """The instrument's dates; leave out what could not be verified."""

    adopted: Date | None = Field(None, description="Signed, adopted, approved or enacted")
    published: Date | None = Field(None, description="Official publication")
    in_force: Date | None = Field(None, description="Entry into force (non-binding: issued)")
    applies_from: Date | None = Field(None, description="General date of application")
    revoked: Date | None = Field(None, description="Revoked, repealed or superseded on")


class Provision(Entry):
    """A pinpointed part of an instrument."""

    id: Id = Field(description="Stable slug such as art-55-1-a, sec-4-2, rec-110")
    label: Text = Field(description="The pinpoint as lawyers write it, e.g. Art. 55(1)(a)")
    title: Text = Field(description="What the provision is about")
    url: Url | None = Field(None, description="Deep link to the provision in the official text")
    applies_from: Date | None = Field(
        None, description="When it starts to apply, if not the instrument's date"
    )
    kind: ProvisionKind | None = Field(
        None,
        description="article, paragraph, point, section, recital, preamble, annex, ...; default from the id's prefix",
    )
    inserted_by: Id | None = Field(
        None, description="Id of the amending instrument that inserted this provision"
    )

    @property
    def provision_kind(self) -> ProvisionKind:
        """The declared kind, else the kind its id's prefix names, else a point."""
        if self.kind is not None:
            return self.kind
        return PROVISION_KIND_OF_PREFIX.get(self.id.split("-", 1)[0], ProvisionKind.POINT)


class CoverageLink(Entry):
    """A provision's coverage of a concept."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {  # a quote needs its language
                    "if": filled("quote"),
                    "then": filled("quote_lang"),
                },
                {  # a quote not in English needs an English rendering
                    "if": {
                        "required": ["quote_lang"],
                        "properties": {"quote_lang": {"type": "string", "not": {"const": "en"}}},
                    },
                    "then": filled("quote_en"),
                },
            ]
        }
    )

    concept: Id = Field(description="Concept id")
    provision: Id = Field(description="Provision id of this instrument")
    strength: Strength = Field(
        description="explicit: expressly governs; implicit: by interpretation"
    )
    note: Text = Field(description="Why this provision covers this concept, in 1–2 sentences")
    quote: Quote | None = Field(None, description="Shortest verbatim passage of the official text")
    quote_lang: LangTag | None = Field(
        None, description="Language of the quote (BCP 47), e.g. en, zh"
    )
    quote_en: Text | None = Field(
        None, description="English rendering when the quote is not English"
    )
    quote_en_official: Flag | None = Field(
        None,
        description="true when quote_en is an official translation; false or empty when it is ours",
    )
    quote_version: Id | None = Field(
        None,
        description="Id of the amending instrument whose text the quote is from, when not the original text",
    )
    quote_source: Url | None = Field(
        None,
        description="The page the quote was checked against by hand (with `reviewed`), when no stored text proves it",
    )
    confidence: Confidence | None = Field(None, description="high, medium or low")
    reviewed: Date | None = Field(None, description="Date the link was last reviewed")

    @property
    def hand_checked(self) -> bool:
        """Its quote was read on the official page it names, on the date it names."""
        return self.quote_source is not None and self.reviewed is not None

    @model_validator(mode="after")
    def _quote_language(self) -> CoverageLink:
        if self.quote is not None and self.quote_lang is None:
            raise PydanticCustomError(
                "quote_language", "a quote needs its language — add quote_lang, e.g. en or zh"
            )
        if self.quote_lang not in (None, "en") and self.quote_en is None:
            raise PydanticCustomError(
                "quote_language",
                "a quote in '{lang}' needs an English rendering — add quote_en",
                {"lang": self.quote_lang},
            )
        return self


class Amendment(Entry):
    """A change this instrument makes to the dates of another instrument's provisions."""

    instrument: Id = Field(description="Id of the amended instrument")
    by: Id | None = Field(
        None, description="The provision of this instrument that makes the change"
    )
    provisions: IdList = optional_list(
        "Ids of the amended instrument's provisions it moves; empty: the instrument's own date"
    )
    applies_from: Date | None = Field(
        None, description="Their new date of application (from this instrument's entry into force)"
    )
    deletes: IdList = optional_list(
        "Ids of the amended instrument's provisions it deletes: they stop applying at this instrument's entry into force"
    )
    note: Text = Field(description="What the change is, in one sentence")


# A revoked or superseded instrument says what revoked it.
ENDED_BY_ANOTHER = (Status.REVOKED, Status.SUPERSEDED)


class Instrument(Entry):
    """A governance instrument: `instruments/<id>.yaml`."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "required": ["status"],
                "properties": {"status": {"enum": [s.value for s in ENDED_BY_ANOTHER]}},
            },
            "then": filled("revoked_by"),
        }
    )

    id: Id = Field(description="kebab-case id, equal to the file name without .yaml")
    title: Text = Field(description="Official title, verbatim")
    short_title: Text = Field(description="Common short name")
    jurisdiction: Jurisdiction = Field(description="ISO 3166 code (US, CN, US-CA), EU, or INT")
    kind: InstrumentKind = Field(description="regulation, statute, executive-order, framework, ...")
    binding: Flag = Field(description="true if legally binding")
    status: Status = Field(
        description="in-force, pending, revoked, superseded, expired, vetoed or lapsed"
    )
    issuer: Text | None = Field(None, description="Who made it")
    dates: Dates = Field(description="adopted, published, in_force, applies_from, revoked")
    revoked_by: Id | None = Field(
        None, validate_default=True, description="Id of the revoking instrument"
    )
    amends: Annotated[list[Amendment], BeforeValidator(empty_if_none)] = optional_list(
        "Instruments this one amends, and the dates it moves"
    )
    reviewed: Date | None = Field(
        None, description="Date the whole entry was last reviewed against the official text"
    )
    identifiers: Annotated[dict[SchemeName, Text], BeforeValidator(empty_mapping_if_none)] = Field(
        default_factory=dict,
        description="Scheme → value: celex, eli, fr_citation, doi, ...",
        json_schema_extra=_scheme_names,
    )
    url: Url = Field(description="Official text (http or https)")
    languages: list[LangTag] = Field(
        min_length=1, description="Languages of the official text; the first is the original"
    )
    summary: Text | None = Field(None, description="1–3 sentences: what it is and does")
    provisions: Annotated[list[Provision], BeforeValidator(empty_if_none)] = optional_list(
        "Pinpointed provisions"
    )
    coverage: Annotated[list[CoverageLink], BeforeValidator(empty_if_none)] = optional_list(
        "Coverage links"
    )
    unverified: TextList = optional_list("Dotted paths of fields not yet checked against a source")

    @field_validator("revoked_by")
    @classmethod
    def _revoked_by(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("status") in ENDED_BY_ANOTHER:
            raise PydanticCustomError(
                "revoked_by_missing",
                "the instrument is {status} but does not say by what — set revoked_by to the"
                " revoking instrument's id (and dates.revoked)",
                {"status": str(info.data["status"])},
            )
        return value
