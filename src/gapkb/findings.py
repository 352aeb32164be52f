"""Findings: every problem the pipeline reports, with the file, line and field it is about."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """Ordered as SHACL orders them: a violation fails the check, the rest are findings."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem or finding, located in a contributor's file."""

    file: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.VIOLATION
    subject: str = ""
    code: str = ""  # the rule's stable code, GK101…, explained in gapkb.errors

    def __str__(self) -> str:
        """`path:line: GK203 field: what is wrong — how to fix it`."""
        lead = "".join(f" {part}" for part in (self.code, self.field and f"{self.field}:") if part)
        return f"{self.file}:{self.line}:{lead} {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "subject": self.subject,
            "code": self.code,
        }


class GapkbError(Exception):
    """A usage error (bad option, missing folder): exit code 2, not a content problem."""
