"""gapkb: a provision-level knowledge base of AI-governance instruments and the gaps between them.

Library use (for example in a notebook)::

    import gapkb
    result = gapkb.check(".")            # load -> graph -> reason -> validate
    [row for row in result.gaps if row.is_gap]
"""

from gapkb.findings import Finding, GapkbError, Severity
from gapkb.pipeline import CheckResult, check
from gapkb.records import KnowledgeBase, load_records

__all__ = [
    "CheckResult",
    "Finding",
    "GapkbError",
    "KnowledgeBase",
    "Severity",
    "check",
    "load_records",
]
