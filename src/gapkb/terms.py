"""The closed lists of the entry format: categories, kinds, statuses, strengths, schemes.

Each is a `StrEnum` whose values are what contributors write in YAML; `gapkb.model`
uses them in the entry models (and re-exports them), the ontology declares the same
lists (tests keep the two equal).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Category(StrEnum):
    """The declared concept categories (also declared as a SKOS scheme in the ontology)."""

    SAFETY = "safety"
    EVALUATION = "evaluation"
    DANGEROUS_CAPABILITIES = "dangerous-capabilities"
    SCOPE = "scope"
    SECURITY = "security"
    TRANSPARENCY = "transparency"
    CONTENT_INTEGRITY = "content-integrity"
    ACCOUNTABILITY = "accountability"
    SUPPLY_CHAIN = "supply-chain"
    DATA_GOVERNANCE = "data-governance"
    INTELLECTUAL_PROPERTY = "intellectual-property"
    FAIRNESS = "fairness"
    USER_PROTECTION = "user-protection"
    SOCIETAL_IMPACT = "societal-impact"
    GOVERNANCE = "governance"

    @property
    def definition(self) -> str:
        """What concepts of this category are about (one line)."""
        return CATEGORY_DEFINITIONS[self]

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        # `enumDescriptions` is the VS Code / YAML language server extension that shows a
        # text beside each value offered in completion; the description carries them too.
        schema["enumDescriptions"] = [c.definition for c in cls]
        schema["description"] = "\n".join(
            [schema.get("description", ""), *(f"- {c.value}: {c.definition}" for c in cls)]
        )
        return schema


# Written from the concepts filed under each category, so that a new concept can be
# placed by comparison; CONTRIBUTING.md lists them (a test keeps the two equal).
CATEGORY_DEFINITIONS: dict[Category, str] = {
    Category.SAFETY: "How a model behaves and stays under control: alignment, deception, jailbreaks, loss of control, shutdown.",
    Category.EVALUATION: "Testing models, by developers, independent auditors or authorities: red-teaming, capability evaluation, audits.",
    Category.DANGEROUS_CAPABILITIES: "Capabilities that could enable severe harm if misused, such as CBRN weapons uplift or offensive cyber operations.",
    Category.SCOPE: "What an instrument applies to: kinds of model or system, thresholds such as training compute, substantial modification.",
    Category.SECURITY: "Protecting models, weights and AI services against theft, tampering and misuse; security reviews before launch.",
    Category.TRANSPARENCY: "What developers must document, disclose, file or report: technical documentation, training-data summaries, AI notices.",
    Category.CONTENT_INTEGRITY: "Marking, labelling, tracing and controlling AI-generated content: watermarks, labels, provenance, harmful content.",
    Category.ACCOUNTABILITY: "How organisations answer for the AI they develop or deploy: risk management, human oversight, monitoring, incident reports.",
    Category.SUPPLY_CHAIN: "Dependencies on datasets, models, libraries and compute, and the duties passed between upstream and downstream providers.",
    Category.DATA_GOVERNANCE: "Training data: its sources and lawful collection, its annotation, and the personal data in it.",
    Category.INTELLECTUAL_PROPERTY: "Copyright and related rights in training data and outputs, such as text-and-data-mining opt-outs.",
    Category.FAIRNESS: "Bias and discrimination: systematic skew that produces unfair outcomes for individuals or groups.",
    Category.USER_PROTECTION: "Harms to the people who use a model: manipulation, sycophancy, overreliance, companion chatbots and minors.",
    Category.SOCIETAL_IMPACT: "Effects beyond single users: labour, concentration of power, the environment, the information ecosystem.",
    Category.GOVERNANCE: "How states govern AI itself: licensing, export controls, liability, sandboxes, public institutions and their powers.",
}


class InstrumentKind(StrEnum):
    """What sort of instrument it is (also an OWL subclass of gk:Instrument)."""

    REGULATION = "regulation"
    DIRECTIVE = "directive"
    STATUTE = "statute"
    EXECUTIVE_ORDER = "executive-order"
    ADMINISTRATIVE_MEASURES = "administrative-measures"
    FRAMEWORK = "framework"
    STANDARD = "standard"
    GUIDANCE = "guidance"
    CODE_OF_CONDUCT = "code-of-conduct"
    TREATY = "treaty"
    DECLARATION = "declaration"
    RESOLUTION = "resolution"
    RECOMMENDATION = "recommendation"
    MEMORANDUM = "memorandum"
    POLICY = "policy"


class Status(StrEnum):
    """The instrument's status today; as-of views use the dates instead."""

    IN_FORCE = "in-force"
    PENDING = "pending"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    VETOED = "vetoed"
    LAPSED = "lapsed"


class Strength(StrEnum):
    """How a provision covers a concept."""

    EXPLICIT = "explicit"
    IMPLICIT = "implicit"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ProvisionKind(StrEnum):
    """What sort of provision it is: a recital or preamble explains, it does not bind."""

    ARTICLE = "article"
    PARAGRAPH = "paragraph"
    POINT = "point"
    SECTION = "section"
    RECITAL = "recital"
    PREAMBLE = "preamble"
    ANNEX = "annex"
    DEFINITION = "definition"
    MEASURE = "measure"
    PRINCIPLE = "principle"
    COMMITMENT = "commitment"
    CHAPTER = "chapter"

    @property
    def interpretive(self) -> bool:
        """Recitals and preambles guide interpretation but bind no one."""
        return self in (ProvisionKind.RECITAL, ProvisionKind.PREAMBLE)


# Provision ids start with the kind of provision (DESIGN.md: `art-55-1-a`, `sec-4-2`,
# `rec-110`), so most entries need not write `kind`.
PROVISION_KIND_OF_PREFIX = {
    "art": ProvisionKind.ARTICLE,
    "rec": ProvisionKind.RECITAL,
    "recital": ProvisionKind.RECITAL,
    "preamble": ProvisionKind.PREAMBLE,
    "annex": ProvisionKind.ANNEX,
    "sec": ProvisionKind.SECTION,
    "chapter": ProvisionKind.CHAPTER,
    "ch": ProvisionKind.CHAPTER,
    "principle": ProvisionKind.PRINCIPLE,
    "commitment": ProvisionKind.COMMITMENT,
    "measure": ProvisionKind.MEASURE,
}


class MatchKind(StrEnum):
    """SKOS mapping relations (SKOS Reference §10) from a concept to an outside one."""

    EXACT = "exact"
    CLOSE = "close"
    BROAD = "broad"
    NARROW = "narrow"
    RELATED = "related"


class MappingScheme(StrEnum):
    """Outside vocabularies that concepts are cross-walked to (ontology/crosswalks.ttl)."""

    NIST_AI_600_1 = "nist-ai-600-1"
    MIT_AI_RISK = "mit-ai-risk"
    DPV = "dpv"
    AIRO = "airo"


class SourceType(StrEnum):
    """CSL item types that sources may take."""

    ARTICLE_JOURNAL = "article-journal"
    PAPER_CONFERENCE = "paper-conference"
    ARTICLE = "article"
    REPORT = "report"
    BOOK = "book"
    CHAPTER = "chapter"
    LEGISLATION = "legislation"
    STANDARD = "standard"
    WEBPAGE = "webpage"


# NIST AI 600-1 §2: the twelve risks unique to or exacerbated by generative AI.
NIST_AI_600_1_RISKS = frozenset(f"2.{n}" for n in range(1, 13))
