"""The value types of the entry format: each rule written once, for pydantic and JSON Schema.

`gapkb check` validates entries with the models in gapkb.model; editors validate them
with the JSON Schemas generated from the same models (`gapkb schema`). So every rule a
single entry can be held to is written here as a pattern, a type or a schema fragment
that both read, and tests/contributing/test_contract.py holds both to one table of good
and bad entries. Values arrive as YAML 1.2 reads them (gapkb.entry_yaml): dates are text,
`yes` is text, `631` is an integer; nothing is coerced that JSON Schema would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

# Patterns are searched (JSON Schema's rule, and pydantic's python-re engine), so each is
# anchored with ^ and, where the whole value must match, $.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
JURISDICTION_PATTERN = r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|INT)$"
SCHEME_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
ARXIV_PATTERN = r"^\d{4}\.\d{4,5}(v\d+)?$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"
# `<<what>>`, what `gapkb new` leaves to fill in: no YAML indicator inside, so it is a
# plain scalar anywhere (block or flow), and no real entry has a reason to contain it.
PLACEHOLDER = r"<<[^<>\r\n]{1,100}>>"
PLACEHOLDER_RE = re.compile(PLACEHOLDER)
_NO_PLACEHOLDER = rf"(?![\s\S]*{PLACEHOLDER})"
# Text: something other than spaces, and no placeholder left in it.
TEXT_PATTERN = rf"^{_NO_PLACEHOLDER}[\s\S]*\S"
# A quote is one continuous passage: an ellipsis joins two or cuts one short, so the
# quote would no longer be what the official text says (CONTRIBUTING.md, "Quote").
ELLIPSIS_RE = re.compile(r"…|\.\.\.")
QUOTE_PATTERN = rf"^{_NO_PLACEHOLDER}(?![\s\S]*(…|\.\.\.))[\s\S]*\S"
# A year or a year and month; a full date is checked against the calendar (format: date).
YEAR_MONTH_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# What an editor says when a value does not match a pattern (`patternErrorMessage`, read by
# the YAML language server and VS Code; other validators ignore it): the check's words.
PATTERN_HELP: dict[str, str] = {
    ID_PATTERN: "Not a kebab-case id: lower-case letters and digits joined by hyphens (GK206).",
    URL_PATTERN: "Not an http:// or https:// URL: give the full https:// address (GK207).",
    TEXT_PATTERN: "Empty, or a <<placeholder>> left in: fill it in (GK215, GK201).",
    QUOTE_PATTERN: "Empty, a <<placeholder>>, or an ellipsis (… or ...): quote one continuous passage (GK216).",
    LANG_PATTERN: "Not a language code: use a BCP 47 code such as en, zh, fr (GK222).",
    JURISDICTION_PATTERN: "Not a jurisdiction: an ISO 3166 code (US, CN, US-CA), EU or INT (GK222).",
    SCHEME_NAME_PATTERN: "Not a scheme name: lower case with _ between words, e.g. celex (GK222).",
    DOI_PATTERN: "Not a bare DOI: write 10.xxxx/..., without https://doi.org/ (GK222).",
    ARXIV_PATTERN: 'Not a bare arXiv id: write it in quotes, e.g. "2402.11746" (GK222).',
    YEAR_MONTH_PATTERN: "Not a date: write YYYY, YYYY-MM or YYYY-MM-DD (GK208).",
    _DAY.pattern: "Not a date: write YYYY-MM-DD (GK208).",
}

Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, pattern=TEXT_PATTERN)]
Quote = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, pattern=QUOTE_PATTERN)]
Url = Annotated[str, Strict(), StringConstraints(pattern=URL_PATTERN)]
SchemeName = Annotated[str, Strict(), StringConstraints(pattern=SCHEME_NAME_PATTERN)]
LangTag = Annotated[str, Strict(), StringConstraints(pattern=LANG_PATTERN)]
Jurisdiction = Annotated[str, Strict(), StringConstraints(pattern=JURISDICTION_PATTERN)]
Doi = Annotated[str, Strict(), StringConstraints(pattern=DOI_PATTERN)]
Arxiv = Annotated[str, Strict(), StringConstraints(pattern=ARXIV_PATTERN)]
Flag = Annotated[bool, Strict()]  # true or false only: `yes` is text in YAML 1.2


def _whole(value: Any) -> Any:
    """2024.0 is the integer 2024 to JSON Schema: so it is here."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Year = Annotated[int, Strict(), Field(ge=1800, le=2100), BeforeValidator(_whole)]


def _number_as_text(value: Any) -> Any:
    """A volume, issue or page written as a number (`volume: 631`) is that text."""
    value = _whole(value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


TextOrNumber = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, pattern=TEXT_PATTERN),
    BeforeValidator(_number_as_text),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": TEXT_PATTERN}, {"type": "integer"}]}),
]


def parse_day(value: Any) -> dt.date:
    """A YYYY-MM-DD text that is a day of the calendar (2024-02-30 is not)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # built in Python rather than read from YAML
    shown = repr(value) if isinstance(value, str) else "the value"
    if not isinstance(value, str) or not _DAY.match(value):
        raise PydanticCustomError(
            "date_form", "{shown} is not a date — write it as YYYY-MM-DD", {"shown": shown}
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "date_calendar",
            "{shown} is not a day of the calendar — check the month and the day",
            {"shown": shown},
        ) from None


Date = Annotated[
    dt.date, BeforeValidator(parse_day), WithJsonSchema({"type": "string", "format": "date"})
]


def parse_partial_date(value: Any) -> str:
    """YYYY (text or number), YYYY-MM or YYYY-MM-DD, each a real year, month or day; as text
    (`issued: 2024` is an integer to YAML, the same year as "2024")."""
    value = _whole(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1800 <= value <= 2100:
            raise PydanticCustomError(
                "year_range",
                "{value} is out of range — give a year from 1800 to 2100",
                {"value": value},
            )
        return str(value)
    if isinstance(value, str) and re.search(YEAR_MONTH_PATTERN, value):
        return value
    if isinstance(value, str) and _DAY.match(value):
        parse_day(value)
        return value
    shown = repr(value) if isinstance(value, str) else "the value"
    raise PydanticCustomError(
        "partial_date",
        "{shown} is not a date — write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-06-13)",
        {"shown": shown},
    )


PartialDate = Annotated[
    str,
    BeforeValidator(parse_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1800, "maximum": 2100},
                {"type": "string", "pattern": YEAR_MONTH_PATTERN},
                {"type": "string", "pattern": _DAY.pattern, "format": "date"},
            ]
        }
    ),
]


def empty_if_none(value: Any) -> Any:
    """An optional list or mapping left empty (`aliases:`) is an empty one, as the
    template says: "optional fields left empty are ignored"."""
    return [] if value is None else value


def empty_mapping_if_none(value: Any) -> Any:
    return {} if value is None else value


def may_be_empty(schema: dict[str, Any]) -> None:
    """The JSON Schema side of empty_if_none: the field may also be null."""
    kept = {k: schema.pop(k) for k in list(schema) if k not in ("description", "title")}
    kept.pop("default", None)
    schema["anyOf"] = [kept, {"type": "null"}]


def filled(name: str) -> dict[str, Any]:
    """JSON Schema: `name` is present and not left empty (null)."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
