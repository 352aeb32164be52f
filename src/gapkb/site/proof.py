"""Proof per quote: what the verification record and the manifest say about each link.

`gapkb verify --record` writes verification/record.csv (committed, so a clone without the
official texts still shows what was proved); verification/manifest.yaml names the text each
instrument was verified against. Here both become one `Proof` per coverage link."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gapkb.verification import TextEntry, read_record
from gapkb.verification.verify import Result

# The record's results, as gapkb verify names them.
VERIFIED, ELSEWHERE, NOT_FOUND, NO_TEXT, HAND_CHECKED = (
    Result.VERIFIED,
    Result.ELSEWHERE,
    Result.NOT_FOUND,
    Result.NO_TEXT,
    Result.HAND_CHECKED,
)
# How the stored text was obtained (manifest `method`), as a reader says it.
METHOD_TEXT = {
    "extraction": "text extracted from the publisher's file",
    "transcribed": "transcribed text",
    "pasted copy": "pasted copy",
    "stored web page": "stored web page",
}


@dataclass(frozen=True)
class Proof:
    """One link's row of the verification record, with the text it was checked against."""

    result: str
    found_in: str = ""
    text_sha256: str = ""
    text_method: str = ""
    checked: str = ""
    version: str = ""  # the manifest's version of the stored text
    text_url: str = ""

    @property
    def machine_verified(self) -> bool:
        return self.result == VERIFIED

    @property
    def method(self) -> str:
        return METHOD_TEXT.get(self.text_method, self.text_method)

    @property
    def against(self) -> str:
        """'Regulation (EU) 2024/1689 as adopted (text extracted …; sha256 b1e8d4274e1a)'."""
        detail = "; ".join(
            x for x in (self.method, self.text_sha256 and f"sha256 {self.text_sha256[:12]}") if x
        )
        version = self.version or "the stored official text"
        return f"{version} ({detail})" if detail else version


def load_proofs(root: Path, manifest: dict[str, TextEntry]) -> dict[tuple[str, str, str], Proof]:
    """(instrument, provision, concept) -> Proof, from the record committed under `root`
    and the manifest the check read."""
    proofs = {}
    for row in read_record(root):
        text = manifest.get(row["instrument"])
        proofs[(row["instrument"], row["provision"], row["concept"])] = Proof(
            result=row["result"],
            found_in=row["found_in"],
            text_sha256=row["text_sha256"],
            text_method=row["text_method"] or (text.method if text else ""),
            checked=row["checked"],
            version=text.version if text else "",
            text_url=text.url if text else "",
        )
    return proofs


def proof_text(proof: Proof | None, quote_source: str | None, reviewed: str) -> str:
    """One plain sentence: machine-verified against which text, checked by hand, or not."""
    if proof is not None and proof.result == VERIFIED:
        return f"machine-verified on {proof.checked} against {proof.against}"
    if proof is not None and proof.result == ELSEWHERE:
        return (
            f"found on {proof.checked} in another provision ({proof.found_in}) of {proof.against}"
        )
    if proof is not None and proof.result == NOT_FOUND:
        return f"not found in the cited provision of {proof.against}"
    if quote_source:
        on = f" on {reviewed}" if reviewed else ""
        return f"checked by hand against {quote_source}{on}"
    if proof is not None and proof.result == NO_TEXT:
        return "not checked: no official text stored"
    return "not checked"


def verification_kind(proof: Proof | None, quote_source: str | None) -> str:
    """'machine-verified', 'checked by hand' or 'not checked' (also a CSV column)."""
    if proof is not None and proof.result == VERIFIED:
        return "machine-verified"
    if proof is not None and proof.result in (ELSEWHERE, NOT_FOUND):
        return proof.result
    if quote_source or (proof is not None and proof.result == HAND_CHECKED):
        return "checked by hand"
    return "not checked"
