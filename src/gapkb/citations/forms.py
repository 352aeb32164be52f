"""What the hand-written legislation forms share: the four forms, the act, dates as each style writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from gapkb.citations.base import _I, _I_END, Citation, _citation

_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Bluebook T12 month abbreviations, which APA and Chicago follow for legal material.
_BLUEBOOK_MONTHS: Final = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


def _bluebook_date(date: dt.date) -> str:
    return f"{_BLUEBOOK_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _uk_date(date: dt.date) -> str:
    return f"{date.day} {_MONTH_NAMES[date.month - 1]} {date.year}"


def _grouped(number: str) -> str:
    """Bluebook 6.2(a): numbers of five or more digits take commas (75,191; 14,110)."""
    return f"{int(number):,}" if number.isdigit() and len(number) >= 5 else number


def _italic(text: str) -> str:
    return f"{_I}{text}{_I_END}"


def _joined(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


@dataclass(frozen=True)
class _Forms:
    """The four hand-written forms, with markers for italics."""

    apa: str
    chicago: str
    harvard: str
    oscola: str

    def citations(self) -> list[Citation]:
        return [
            _citation("apa", self.apa),
            _citation("chicago", self.chicago),
            _citation("harvard", self.harvard),
            _citation("oscola", self.oscola),
        ]


@dataclass(frozen=True)
class _Act:
    """What the hand-written forms need of an act, from an instrument or a source."""

    name: str  # as it is cited, with an English name in brackets where there is one
    year: int | None
    date: dt.date | None  # the full date, when it is known to the day
    url: str | None
    identifier: str | None = None  # the number its jurisdiction cites it by
    oj: str | None = None  # EU Official Journal reference, as EUR-Lex writes it
    eli: str | None = None
