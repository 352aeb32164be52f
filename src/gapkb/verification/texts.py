"""A stored text read from the sources directory, split and normalised for matching."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gapkb.verification.manifest import StoredFile, TextEntry
from gapkb.verification.normalize import normalize
from gapkb.verification.splitters import split
from gapkb.verification.units import candidates


@dataclass(frozen=True)
class Piece:
    """A provision unit, normalised, with the file it came from."""

    key: str
    text: str
    file: StoredFile


@dataclass
class StoredText:
    """The units of an instrument's stored files, by key and in order."""

    entry: TextEntry
    pieces: list[Piece] = field(default_factory=list)
    whole: list[tuple[str, StoredFile]] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    def of_role(self, role: str) -> list[Piece]:
        """Pieces of the original text or of an official translation."""
        return [p for p in self.pieces if p.file.role == role]

    def cited(self, provision: str, role: str = "original") -> tuple[str, list[Piece]]:
        """The longest unit key that is the provision id or an ancestor of it, and its pieces."""
        pieces = self.of_role(role)
        for key in candidates(provision):
            found = [p for p in pieces if p.key == key]
            if found:
                return key, found
        return "", []

    def find(self, quote: str, role: str = "original") -> Piece | None:
        """The most specific unit that holds the quote (the longest key, first in order)."""
        best: Piece | None = None
        for piece in self.of_role(role):
            if _holds(piece, quote) and (best is None or len(piece.key) > len(best.key)):
                best = piece
        return best

    def find_anywhere(self, quote: str, role: str = "original") -> StoredFile | None:
        """The file whose whole text holds the quote, also outside any provision."""
        for text, file in self.whole:
            if file.role == role and normalized(quote, file.casefold) in text:
                return file
        return None


@functools.lru_cache(maxsize=4096)
def normalized(quote: str, casefold: bool) -> str:
    """The normalised quote (cached: one quote is compared with many units)."""
    return normalize(quote, casefold=casefold)


def _holds(piece: Piece, quote: str) -> bool:
    return normalized(quote, piece.file.casefold) in piece.text


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_text(entry: TextEntry, sources: Path) -> StoredText:
    """Read, check and split the files of one stored text (files whose hash differs are left out)."""
    stored = StoredText(entry)
    for file in entry.files:
        path = sources / entry.folder / file.name
        if not path.is_file():
            stored.mismatched.append(f"{entry.folder}/{file.name}: missing")
            continue
        actual = sha256_of(path)
        if actual != file.sha256:
            stored.mismatched.append(
                f"{entry.folder}/{file.name}: sha256 {actual[:12]}… differs from the manifest's"
                f" {file.sha256[:12]}… — the proof would be against another text"
            )
            continue
        raw = path.read_text(encoding="utf-8")
        stored.whole.append((normalize(raw, casefold=file.casefold), file))
        for unit in split(file.format, raw, file.name, file.options):
            stored.pieces.append(
                Piece(unit.key, normalize(unit.text, casefold=file.casefold), file)
            )
    return stored
