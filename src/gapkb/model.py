"""The entry format: one model per kind of YAML entry, the single source of truth.

The loader validates entries against these models and the JSON Schemas in
`schema/` are generated from them, so the contributor interface is defined once.
Field names follow DESIGN.md and must not change.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
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

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
JURISDICTION_PATTERN = r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|INT)$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SCHEME_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
SchemeName = Annotated[str, StringConstraints(pattern=SCHEME_NAME_PATTERN)]
LangTag = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]


def check_http_url(value: str) -> str:
    """Only http(s) URLs: a `javascript:` or `data:` link must never reach the site."""
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError("must be an http:// or https:// URL — give the https:// address")
    return value


class Entry(BaseModel):
    """Common configuration: unknown fields are errors, nothing is coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Author(Entry):
    """A person ({family, given}) or an organisation ({literal})."""

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
            raise ValueError(
                "an author is a person or an organisation — give family (and given) or literal, not both"
            )
        return self


class Source(Entry):
    """A bibliographic source, in CSL-JSON naming."""

    type: SourceType = Field(description="CSL type: article-journal, paper-conference, report, ...")
    title: Text = Field(description="Title, exactly as published")
    authors: list[Author] = Field(default_factory=list, description="Authors in order")
    year: int | None = Field(None, ge=1800, le=2100, description="Year of publication")
    # A bare year is an integer to editors' YAML parsers, hence the int alternative.
    issued: (
        Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]
        | Annotated[int, Field(ge=1800, le=2100)]
        | None
    ) = Field(None, description="Date of publication: YYYY, YYYY-MM or YYYY-MM-DD")
    container: Text | None = Field(None, description="Journal, proceedings or collection")
    volume: Text | None = Field(None, description="Volume")
    issue: Text | None = Field(None, description="Issue or number")
    pages: Text | None = Field(None, description="Page range, e.g. 14138–14149")
    publisher: Text | None = Field(None, description="Publisher or issuing body")
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = Field(
        None, description="Bare DOI, e.g. 10.18653/v1/2024.acl-long.762"
    )
    arxiv: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{4,5}(v\d+)?$")] | None = Field(
        None, description="Bare arXiv id, e.g. 2402.11746 (quote it)"
    )
    url: str | None = Field(None, description="Where to read it (http or https)")
    note: Text | None = Field(None, description="Why this source, and what it actually shows")
    # Bibliographic detail the citation styles need beyond the fields above.
    translated_title: Text | None = Field(
        None, description="English title of a work not in English; cited in [square brackets]"
    )
    editors: list[Author] = Field(
        default_factory=list,
        description="Editors of the proceedings or book, as its record gives them",
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
    accessed: dt.date | None = Field(
        None, description="Date the online text was last consulted, YYYY-MM-DD (the retrieval date)"
    )
    instrument: Id | None = Field(
        None,
        description="Id of this knowledge base's instrument that this source is (one work, one key)",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.year is None and self.issued is None:
            raise ValueError("a source needs a date — add year or issued")
        return self

    @property
    def issued_year(self) -> int:
        return self.year if self.year is not None else int(str(self.issued)[:4])


class Mapping(Entry):
    """One cross-walk: this concept matches term `id` of an outside `scheme`."""

    scheme: MappingScheme = Field(description="nist-ai-600-1, mit-ai-risk, dpv or airo")
    id: Text = Field(
        description="The term in that scheme: 2.4 (NIST AI 600-1 §2.4), 7.1 (MIT subdomain), a DPV or AIRO local name"
    )
    match: MatchKind = Field(
        description="exact, close, broad (theirs is broader), narrow (theirs is narrower) or related"
    )

    @model_validator(mode="after")
    def _term_of_scheme(self) -> Mapping:
        if self.scheme is MappingScheme.NIST_AI_600_1 and self.id not in NIST_AI_600_1_RISKS:
            raise ValueError(
                'a NIST AI 600-1 risk is its section number, 2.1 to 2.12 — quote it, e.g. id: "2.4"'
            )
        if self.scheme is MappingScheme.MIT_AI_RISK and not re.fullmatch(r"[1-7]\.[1-9]", self.id):
            raise ValueError(
                'an MIT AI Risk Repository subdomain is numbered like 7.1 — quote it, e.g. id: "7.1"'
            )
        if self.scheme is MappingScheme.DPV and not re.fullmatch(
            r"(dpv|ai|risk|tech):[A-Za-z][A-Za-z0-9]*", self.id
        ):
            raise ValueError(
                "a DPV term is prefix:Name with prefix dpv, ai, risk or tech, e.g. risk:Misinformation"
            )
        if self.scheme is MappingScheme.AIRO and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", self.id):
            raise ValueError("an AIRO term is its local name, e.g. AIRisk")
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
    aliases: list[Text] = Field(default_factory=list, description="Other names")
    related: list[Id] = Field(default_factory=list, description="Related concept ids (symmetric)")
    broader: list[Id] = Field(default_factory=list, description="Broader concept ids")
    primary_source: Source = Field(description="The foundational source; its note says why")
    references: list[Source] = Field(default_factory=list, description="Further sources")
    exact_match: list[str] = Field(
        default_factory=list, description="IRIs of the same concept elsewhere"
    )
    close_match: list[str] = Field(
        default_factory=list, description="IRIs of close concepts elsewhere"
    )
    mappings: list[Mapping] = Field(
        default_factory=list,
        description="Cross-walk to outside risk taxonomies: NIST AI 600-1, MIT AI Risk Repository, DPV, AIRO",
    )
    created: dt.date = Field(description="Date the entry was created, YYYY-MM-DD")
    updated: dt.date = Field(description="Date the entry was last updated, YYYY-MM-DD")
    unverified: list[Text] = Field(
        default_factory=list, description="Dotted paths of fields not yet checked against a source"
    )

    @field_validator("exact_match", "close_match")
    @classmethod
    def _iris(cls, values: list[str]) -> list[str]:
        return [check_http_url(v) for v in values]


class Dates(Entry):
    """The instrument's dates; leave out what could not be verified."""

    adopted: dt.date | None = Field(None, description="Signed, adopted, approved or enacted")
    published: dt.date | None = Field(None, description="Official publication")
    in_force: dt.date | None = Field(None, description="Entry into force (non-binding: issued)")
    applies_from: dt.date | None = Field(None, description="General date of application")
    revoked: dt.date | None = Field(None, description="Revoked, repealed or superseded on")


class Provision(Entry):
    """A pinpointed part of an instrument."""

    id: Id = Field(description="Stable slug such as art-55-1-a, sec-4-2, rec-110")
    label: Text = Field(description="The pinpoint as lawyers write it, e.g. Art. 55(1)(a)")
    title: Text = Field(description="What the provision is about")
    url: str | None = Field(None, description="Deep link to the provision in the official text")
    applies_from: dt.date | None = Field(
        None, description="When it starts to apply, if not the instrument's date"
    )
    kind: ProvisionKind | None = Field(
        None,
        description="article, paragraph, point, section, recital, preamble, annex, ...; default from the id's prefix",
    )
    inserted_by: Id | None = Field(
        None, description="Id of the amending instrument that inserted this provision"
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @property
    def provision_kind(self) -> ProvisionKind:
        """The declared kind, else the kind its id's prefix names, else a point."""
        if self.kind is not None:
            return self.kind
        return PROVISION_KIND_OF_PREFIX.get(self.id.split("-", 1)[0], ProvisionKind.POINT)


class CoverageLink(Entry):
    """A provision's coverage of a concept."""

    concept: Id = Field(description="Concept id")
    provision: Id = Field(description="Provision id of this instrument")
    strength: Strength = Field(
        description="explicit: expressly governs; implicit: by interpretation"
    )
    note: Text = Field(description="Why this provision covers this concept, in 1–2 sentences")
    quote: Text | None = Field(None, description="Shortest verbatim passage of the official text")
    quote_lang: LangTag | None = Field(
        None, description="Language of the quote (BCP 47), e.g. en, zh"
    )
    quote_en: Text | None = Field(
        None, description="English rendering when the quote is not English"
    )
    quote_en_official: bool | None = Field(
        None,
        description="true when quote_en is an official translation; false or empty when it is ours",
    )
    quote_version: Id | None = Field(
        None,
        description="Id of the amending instrument whose text the quote is from, when not the original text",
    )
    quote_source: str | None = Field(
        None,
        description="The page the quote was checked against by hand (with `reviewed`), when no stored text proves it",
    )
    confidence: Confidence | None = Field(None, description="high, medium or low")
    reviewed: dt.date | None = Field(None, description="Date the link was last reviewed")

    @field_validator("quote_source")
    @classmethod
    def _source_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @field_validator("quote")
    @classmethod
    def _one_passage(cls, value: str | None) -> str | None:
        # An ellipsis joins two passages or cuts one short: either way the quote is no
        # longer what the official text says verbatim (CONTRIBUTING.md, "Quote").
        if value is not None and ("…" in value or "..." in value):
            raise ValueError(
                "the quote has an ellipsis, so it is not verbatim — quote one continuous"
                " passage; make two links or quote a shorter passage"
            )
        return value

    @model_validator(mode="after")
    def _quote_language(self) -> CoverageLink:
        if self.quote is not None and self.quote_lang is None:
            raise ValueError("a quote needs its language — add quote_lang, e.g. en or zh")
        if self.quote_lang not in (None, "en") and self.quote_en is None:
            raise ValueError(
                f"a quote in '{self.quote_lang}' needs an English rendering — add quote_en"
            )
        return self


class Amendment(Entry):
    """A change this instrument makes to the dates of another instrument's provisions."""

    instrument: Id = Field(description="Id of the amended instrument")
    by: Id | None = Field(
        None, description="The provision of this instrument that makes the change"
    )
    provisions: list[Id] = Field(
        default_factory=list,
        description="Ids of the amended instrument's provisions it moves; empty: the instrument's own date",
    )
    applies_from: dt.date | None = Field(
        None, description="Their new date of application (from this instrument's entry into force)"
    )
    deletes: list[Id] = Field(
        default_factory=list,
        description="Ids of the amended instrument's provisions it deletes: they stop applying at this instrument's entry into force",
    )
    note: Text = Field(description="What the change is, in one sentence")


class Instrument(Entry):
    """A governance instrument: `instruments/<id>.yaml`."""

    id: Id = Field(description="kebab-case id, equal to the file name without .yaml")
    title: Text = Field(description="Official title, verbatim")
    short_title: Text = Field(description="Common short name")
    jurisdiction: Annotated[str, StringConstraints(pattern=JURISDICTION_PATTERN)] = Field(
        description="ISO 3166 code (US, CN, US-CA), EU, or INT"
    )
    kind: InstrumentKind = Field(description="regulation, statute, executive-order, framework, ...")
    binding: bool = Field(description="true if legally binding")
    status: Status = Field(
        description="in-force, pending, revoked, superseded, expired, vetoed or lapsed"
    )
    issuer: Text | None = Field(None, description="Who made it")
    dates: Dates = Field(description="adopted, published, in_force, applies_from, revoked")
    revoked_by: Id | None = Field(None, description="Id of the revoking instrument")
    amends: list[Amendment] = Field(
        default_factory=list, description="Instruments this one amends, and the dates it moves"
    )
    reviewed: dt.date | None = Field(
        None, description="Date the whole entry was last reviewed against the official text"
    )
    identifiers: dict[SchemeName, Text] = Field(
        default_factory=dict, description="Scheme → value: celex, eli, fr_citation, doi, ..."
    )
    url: str = Field(description="Official text (http or https)")
    languages: list[LangTag] = Field(
        min_length=1, description="Languages of the official text; the first is the original"
    )
    summary: Text | None = Field(None, description="1–3 sentences: what it is and does")
    provisions: list[Provision] = Field(default_factory=list, description="Pinpointed provisions")
    coverage: list[CoverageLink] = Field(default_factory=list, description="Coverage links")
    unverified: list[Text] = Field(
        default_factory=list, description="Dotted paths of fields not yet checked against a source"
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)
