"""A factory for small snapshots, as gapkb.release.snapshot writes them."""

from __future__ import annotations

from typing import Any

from gapkb.report import GAP_ORDER


def instrument(iid: str, status: str = "in-force", **dates: str | None) -> dict[str, Any]:
    return {
        "id": iid,
        "title": f"The {iid} act",
        "short_title": iid.upper(),
        "jurisdiction": "EU",
        "kind": "regulation",
        "binding": True,
        "status": status,
        "dates": {"adopted": None, "in_force": "2024-01-01", **dates},
    }


def link(
    iid: str, pid: str, cid: str, strength: str = "explicit", quote: str | None = "a" * 64
) -> dict[str, Any]:
    return {
        "instrument": iid,
        "provision": pid,
        "concept": cid,
        "strength": strength,
        "quote_sha256": quote,
    }


def make(
    version: str,
    *,
    as_of: str = "2026-12-01",
    instruments: list[dict[str, Any]] | None = None,
    concepts: dict[str, str] | None = None,
    provisions: list[tuple[str, str, str]] | None = None,
    links: list[dict[str, Any]] | None = None,
    statuses: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A snapshot; `concepts` maps id to title, `statuses` id to gap status (default covered)."""
    concepts = concepts or {}
    statuses = statuses or {}
    gaps: dict[str, list[dict[str, Any]]] = {status: [] for status in GAP_ORDER}
    for cid in sorted(concepts):
        status = statuses.get(cid, "covered")
        gaps[status].append(
            {
                "concept": cid,
                "title": concepts[cid],
                "status": status,
                "used_by": 1 if status == "covered" else 0,
                "implicit": 0,
                "former": 0,
                "voluntary": 0,
            }
        )
    return {
        "format": 1,
        "version": version,
        "as_of": as_of,
        "commit": None,
        "instruments": instruments or [],
        "concepts": [{"id": cid, "title": concepts[cid]} for cid in sorted(concepts)],
        "provisions": [
            {"instrument": i, "id": p, "label": label} for i, p, label in provisions or []
        ],
        "links": links or [],
        "gaps": gaps,
    }
