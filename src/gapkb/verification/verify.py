"""`verify`: look for every quote inside the provision it cites, in the stored official text.

Per link the result is one of: `verified` (in the cited provision), `elsewhere` (in
another provision, which is named), `not-found` (in no provision of the stored text),
`no-text` (no stored text for the instrument or that part of it, or no sources
directory), `hand-checked` (no stored text, but the link names the page it was checked
against, `quote_source`, and the date, `reviewed`). A link with `quote_version` is looked
up anywhere in the amending instrument's text: an amending act quotes the new wording
inside its own articles.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from gapkb.findings import Finding
from gapkb.model import CoverageLink, Instrument
from gapkb.records import Record, load_records
from gapkb.verification.manifest import MANIFEST, TextEntry, load_manifest
from gapkb.verification.normalize import normalize
from gapkb.verification.texts import Piece, StoredText, normalized, read_text

OUTSIDE = "(outside any provision)"


class Result(StrEnum):
    """What verification found for one link."""

    VERIFIED = "verified"
    ELSEWHERE = "elsewhere"
    NOT_FOUND = "not-found"
    NO_TEXT = "no-text"
    HAND_CHECKED = "hand-checked"


@dataclass(frozen=True)
class LinkResult:
    """The verification of one coverage link's quote."""

    instrument: str
    index: int
    provision: str
    concept: str
    result: Result
    path: str = ""
    line: int = 1
    found_in: str = ""
    cited_unit: str = ""
    text_sha256: str = ""
    text_method: str = ""
    quote_sha256: str = ""
    text_instrument: str = ""
    complete: bool = True
    en_result: str = ""

    @property
    def problem(self) -> bool:
        """A quote of a stored text that is not where the link says."""
        return self.result in (Result.ELSEWHERE, Result.NOT_FOUND)


@dataclass
class VerificationReport:
    """All link results of a run, the stored texts used and the problems met."""

    results: list[LinkResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    texts: dict[str, TextEntry] = field(default_factory=dict)
    sources: Path | None = None

    def counts(self) -> Counter[str]:
        """Number of links per result."""
        return Counter(str(r.result) for r in self.results)

    @property
    def machine_verified(self) -> float:
        """Share of all links whose quote was found in the cited provision of a stored text."""
        return self.counts()[Result.VERIFIED] / len(self.results) if self.results else 0.0

    @property
    def ok(self) -> bool:
        """No quote of a stored text is missing or misplaced, and every stored file is the one named."""
        return not self.errors and not any(r.problem for r in self.results)


def quote_hash(quote: str | None) -> str:
    """sha256 of the normalised quote: a changed quote makes its record row stale."""
    return hashlib.sha256(normalize(quote or "").encode("utf-8")).hexdigest() if quote else ""


def default_sources(root: Path) -> Path | None:
    """`../shared/sources` beside the repository, if it exists."""
    candidate = root.resolve().parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None


def verify(root: Path, sources: Path | None) -> VerificationReport:
    """Verify every coverage link of the knowledge base at `root` against `sources`."""
    manifest = load_manifest(root)
    kb = load_records(root)
    report = VerificationReport(texts=manifest, sources=sources)
    texts: dict[str, StoredText] = {}
    for instrument_id, entry in sorted(manifest.items()):
        if instrument_id not in kb.instruments:
            report.skipped.append(
                f"{MANIFEST}: {instrument_id}: no instruments/{instrument_id}.yaml — skipped"
            )
            continue
        if sources is None or not (sources / entry.folder).is_dir():
            continue
        stored = read_text(entry, sources)
        report.errors.extend(f"{sources / m}" for m in stored.mismatched)
        texts[instrument_id] = stored
    for _, record in sorted(kb.instruments.items()):
        for index, link in enumerate(record.entry.coverage):
            report.results.append(_verify_link(record, index, link, texts))
    return report


def _verify_link(
    record: Record[Instrument], index: int, link: CoverageLink, texts: dict[str, StoredText]
) -> LinkResult:
    base = LinkResult(
        instrument=record.entry.id,
        index=index,
        provision=link.provision,
        concept=link.concept,
        result=Result.NO_TEXT,
        path=record.path,
        line=record.line("coverage", index, "quote"),
        quote_sha256=quote_hash(link.quote),
    )
    unproved = replace(base, result=Result.HAND_CHECKED if link.hand_checked else Result.NO_TEXT)
    text_id = link.quote_version or record.entry.id
    stored = texts.get(text_id)
    if stored is None or not link.quote or not stored.pieces or not stored.entry.reaches(link):
        return unproved
    common = replace(
        base,
        text_method=stored.entry.method,
        text_instrument=text_id,
        complete=stored.entry.complete,
        en_result=_en_result(stored, link),
    )
    if link.quote_version:
        # An amending act quotes the new wording inside its own articles: anywhere counts.
        piece = stored.find(link.quote)
        if piece is not None:
            return replace(
                common, result=Result.VERIFIED, found_in=piece.key, text_sha256=piece.file.sha256
            )
        whole = stored.find_anywhere(link.quote)
        if whole is not None:
            return replace(common, result=Result.VERIFIED, text_sha256=whole.sha256)
        return replace(common, result=Result.NOT_FOUND, text_sha256=_first_sha(stored))
    cited_key, cited = stored.cited(link.provision)
    common = replace(common, cited_unit=cited_key)
    for piece in cited:
        if _norm(link.quote, piece) in piece.text:
            return replace(
                common, result=Result.VERIFIED, found_in=cited_key, text_sha256=piece.file.sha256
            )
    piece = stored.find(link.quote)
    if piece is not None:
        return replace(
            common, result=Result.ELSEWHERE, found_in=piece.key, text_sha256=piece.file.sha256
        )
    whole = stored.find_anywhere(link.quote)
    if whole is not None:
        return replace(common, result=Result.ELSEWHERE, found_in=OUTSIDE, text_sha256=whole.sha256)
    if not stored.entry.complete:
        # A partial text cannot disprove a quote from the part it lacks.
        return unproved
    sha = cited[0].file.sha256 if cited else _first_sha(stored)
    return replace(common, result=Result.NOT_FOUND, text_sha256=sha)


def _norm(quote: str, piece: Piece) -> str:
    return normalized(quote, piece.file.casefold)


def _first_sha(stored: StoredText) -> str:
    originals = [f for f in stored.entry.files if f.role == "original"]
    return originals[0].sha256 if originals else ""


def _en_result(stored: StoredText, link: CoverageLink) -> str:
    """Result of an official English translation's quote against the stored translation."""
    if not (link.quote_en and link.quote_en_official and stored.of_role("translation")):
        return ""
    _, cited = stored.cited(link.provision, "translation")
    if any(_norm(link.quote_en, p) in p.text for p in cited):
        return str(Result.VERIFIED)
    other = stored.find(link.quote_en, "translation")
    return f"{Result.ELSEWHERE}:{other.key}" if other else str(Result.NOT_FOUND)


def problems(
    report: VerificationReport, labels: dict[tuple[str, str], str] | None = None
) -> list[Finding]:
    """One finding per link whose quote is not where it says, worded for a contributor."""
    labels = labels or {}
    findings: list[Finding] = []
    for r in report.results:
        if not r.problem:
            continue
        where = labels.get((r.instrument, r.cited_unit or r.provision), r.cited_unit or r.provision)
        sha = f"sha256 {r.text_sha256[:8]}…"
        field_ = f"coverage[{r.index}].quote"
        if r.result == Result.ELSEWHERE:
            other = labels.get((r.instrument, r.found_in), r.found_in)
            message = (
                f"not in {where} but in {other} of the stored text ({sha}) — cite '{r.found_in}'"
                " or quote the cited provision"
            )
            if r.found_in == OUTSIDE:
                message = f"not in {where} but {r.found_in} of the stored text ({sha}) — cite the provision that holds it"
        else:
            where_text = f"{where} of" if r.cited_unit else "any provision of"
            partial = "" if r.complete else " (the stored text is partial)"
            message = f"not found in {where_text} the stored text{partial} ({sha}) — quote the text verbatim"
        code = "GK503" if r.result == Result.ELSEWHERE else "GK502"
        findings.append(Finding(r.path, r.line, field_, message, code=code))
    return findings
