"""The manifest: which official text each instrument is verified against.

`verification/manifest.yaml` maps an instrument id to the folder of its stored text under
the sources directory, the official URL, version, retrieval date, how the text was
obtained (`method`: extraction or transcribed) and, per file, its sha256 and the splitter
(`format`) that cuts it into provisions. Optional per file: `role: translation` (an
official translation, checked against `quote_en` when `quote_en_official` is true),
`casefold: true` (a text printed in capitals), and splitter options (`prefixes`,
`numbering`, `prefix`). Optional per instrument: `covers` (provision-id prefixes the stored
text holds; links to other provisions have no stored text) and `complete: false`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gapkb.findings import GapkbError
from gapkb.model import CoverageLink
from gapkb.verification.splitters import SPLITTERS

MANIFEST = Path("verification") / "manifest.yaml"
_FILE_KEYS = {"sha256", "format", "role", "casefold"}


class ManifestError(GapkbError):
    """The manifest cannot be read or names something that does not exist (exit code 2)."""


@dataclass(frozen=True)
class StoredFile:
    """One file of a stored text."""

    name: str
    sha256: str
    format: str
    role: str = "original"
    casefold: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TextEntry:
    """The stored text of one instrument."""

    instrument: str
    folder: str
    url: str
    version: str
    retrieved: str
    method: str
    files: tuple[StoredFile, ...]
    covers: tuple[str, ...] = ()
    complete: bool = True

    def reaches(self, link: CoverageLink) -> bool:
        """Whether this text holds what the link quotes: an amending act's text is searched
        whole (`quote_version`); a partial text only for the provisions it `covers`."""
        return bool(link.quote_version) or not self.covers or link.provision.startswith(self.covers)


def _file(instrument: str, name: str, value: Any) -> StoredFile:
    if not isinstance(value, dict) or "sha256" not in value or "format" not in value:
        raise ManifestError(f"{MANIFEST}: {instrument}.files.{name}: needs sha256 and format")
    if value["format"] not in SPLITTERS:
        known = ", ".join(sorted(SPLITTERS))
        raise ManifestError(
            f"{MANIFEST}: {instrument}.files.{name}.format: unknown format '{value['format']}' — use one of {known}"
        )
    options = {k: v for k, v in value.items() if k not in _FILE_KEYS}
    return StoredFile(
        name=name,
        sha256=str(value["sha256"]),
        format=str(value["format"]),
        role=str(value.get("role", "original")),
        casefold=bool(value.get("casefold", False)),
        options=options,
    )


def load_manifest(root: Path) -> dict[str, TextEntry]:
    """Entries of `root`/verification/manifest.yaml by instrument id (empty if absent)."""
    path = root / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ManifestError(f"{MANIFEST}: not valid YAML: {error}") from error
    entries: dict[str, TextEntry] = {}
    for instrument, value in data.items():
        if not isinstance(value, dict) or "folder" not in value or "files" not in value:
            raise ManifestError(f"{MANIFEST}: {instrument}: needs folder and files")
        retrieved = value.get("retrieved", "")
        entries[str(instrument)] = TextEntry(
            instrument=str(instrument),
            folder=str(value["folder"]),
            url=str(value.get("url", "")),
            version=str(value.get("version", "")),
            retrieved=retrieved.isoformat() if isinstance(retrieved, dt.date) else str(retrieved),
            method=str(value.get("method", "extraction")),
            files=tuple(_file(str(instrument), str(n), f) for n, f in value["files"].items()),
            covers=tuple(str(c) for c in value.get("covers", ())),
            complete=bool(value.get("complete", True)),
        )
    return entries
