"""Proof of quotes: verify every quote against the stored official text, and record it.

Library first: `verify(root, sources)` returns a `VerificationReport`; `write_record` and
`read_record` write and read `verification/record.csv`; `verify_command` is the click
command `gapkb verify`.
"""

from gapkb.verification.manifest import ManifestError, TextEntry, load_manifest
from gapkb.verification.normalize import normalize
from gapkb.verification.record import read_record, record_is_stale, write_record
from gapkb.verification.verify import LinkResult, Result, VerificationReport, verify

__all__ = [
    "LinkResult",
    "ManifestError",
    "Result",
    "TextEntry",
    "VerificationReport",
    "load_manifest",
    "normalize",
    "read_record",
    "record_is_stale",
    "verify",
    "write_record",
]
