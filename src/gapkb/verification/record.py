"""The verification record: `verification/record.csv`, one row per coverage link.

Columns: instrument, provision, concept, result, found_in (the provision that holds the
quote), text_sha256 (of the stored file it was found in), text_method (extraction or
transcribed), checked (date the row got its current content), quote_sha256 (of the
normalised quote, so that an edited quote makes its row stale). Rows are sorted and the
file is written byte for byte the same for the same content: a row whose content is
unchanged keeps its `checked` date, so a run changes only what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from gapkb.verification.verify import VerificationReport

RECORD = Path("verification") / "record.csv"
COLUMNS = (
    "instrument",
    "provision",
    "concept",
    "result",
    "found_in",
    "text_sha256",
    "text_method",
    "checked",
    "quote_sha256",
)
Row = dict[str, str]


def _identity(row: Row) -> tuple[str, ...]:
    return tuple(row[c] for c in COLUMNS if c != "checked")


def read_record(root: Path) -> list[Row]:
    """Rows of the committed record (empty when there is none)."""
    path = root / RECORD
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{c: row.get(c, "") for c in COLUMNS} for row in csv.DictReader(handle)]


def record_rows(
    report: VerificationReport, today: dt.date, previous: list[Row] | None = None
) -> list[Row]:
    """The rows a run writes: sorted, with unchanged rows keeping their `checked` date."""
    kept = {_identity(row): row["checked"] for row in previous or []}
    rows: list[Row] = []
    for r in report.results:
        row = {
            "instrument": r.instrument,
            "provision": r.provision,
            "concept": r.concept,
            "result": str(r.result),
            "found_in": r.found_in if r.found_in != r.provision else "",
            "text_sha256": r.text_sha256,
            "text_method": r.text_method,
            "checked": "",
            "quote_sha256": r.quote_sha256,
        }
        row["checked"] = kept.get(_identity(row), today.isoformat())
        rows.append(row)
    return sorted(rows, key=lambda row: tuple(row[c] for c in COLUMNS))


def render_record(rows: list[Row]) -> str:
    """The CSV text of the rows (LF line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_record(root: Path, report: VerificationReport, today: dt.date | None = None) -> Path:
    """Write `verification/record.csv` for the report; returns its path."""
    path = root / RECORD
    rows = record_rows(report, today or dt.date.today(), read_record(root))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_record(rows), encoding="utf-8")
    return path


def record_is_stale(root: Path, report: VerificationReport) -> bool:
    """True when the committed record differs from what this run would write (dates aside)."""
    current = sorted(_identity(row) for row in read_record(root))
    fresh = sorted(_identity(row) for row in record_rows(report, dt.date.today()))
    return current != fresh
