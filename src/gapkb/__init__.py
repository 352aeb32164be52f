"""gapkb: a provision-level knowledge base of AI-governance instruments and the gaps between them.

Library use (for example in a notebook)::

    import gapkb
    result = gapkb.check(".")            # load -> graph -> reason -> validate
    [row for row in result.gaps if row.is_gap]
    gapkb.build_site(result, "public")   # pages -> mkdocs build
"""

from typing import TYPE_CHECKING, Any

from gapkb.findings import Finding, GapkbError, Severity
from gapkb.pipeline import CheckResult, check
from gapkb.records import KnowledgeBase, load_records

if TYPE_CHECKING:
    from gapkb.site import build_site

__all__ = [
    "CheckResult",
    "Finding",
    "GapkbError",
    "KnowledgeBase",
    "Severity",
    "build_site",
    "check",
    "load_records",
]


def __getattr__(name: str) -> Any:
    # The site builder brings in Jinja2, citeproc and MkDocs: loaded only when asked for, so
    # that `import gapkb` and the other commands stay quick (PEP 562).
    if name == "build_site":
        from gapkb.site import build_site

        return build_site
    raise AttributeError(f"module 'gapkb' has no attribute {name!r}")
