"""The concept graph: a circular layout of concepts, relations as chords."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gapkb.model import Category
from gapkb.site.model import STATUS_CLASS, SiteModel
from gapkb.site.render import Page, index_page
from gapkb.site.sanitize import plain


@dataclass(frozen=True)
class GraphNode:
    id: str
    title: str
    x: float
    y: float
    lx: float
    ly: float
    angle: float
    anchor: str
    status: str


@dataclass(frozen=True)
class GraphEdge:
    path: str
    kind: str  # "related" or "broader"
    title: str


def graph_view(model: SiteModel) -> dict[str, Any]:
    """A circular layout: concepts grouped by category around a circle, relations as chords."""
    order = [c.id for cat in Category for c in model.concepts_in(cat)]
    count = len(order)
    radius = max(120.0, count * 22 / (2 * math.pi))  # about 22 px between neighbours
    room = 12 + 6.5 * min(40, max((len(plain(model.concepts[c].title)) for c in order), default=0))
    size = 2 * (radius + room) + 20
    centre = size / 2
    nodes: dict[str, GraphNode] = {}
    for index, cid in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        cos, sin = math.cos(angle), math.sin(angle)
        degrees = math.degrees(angle)
        left = cos < -1e-9
        nodes[cid] = GraphNode(
            cid,
            _short(model.concepts[cid].title),
            round(centre + radius * cos, 1),
            round(centre + radius * sin, 1),
            round(centre + (radius + 10) * cos, 1),
            round(centre + (radius + 10) * sin, 1),
            round(degrees + 180 if left else degrees, 1),
            "end" if left else "start",
            STATUS_CLASS[model.rows[cid].status],
        )
    return {
        "size": round(size),
        "nodes": list(nodes.values()),
        "edges": _edges(model, nodes, centre),
    }


def _short(title: str, limit: int = 40) -> str:
    text = plain(title)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _edges(model: SiteModel, nodes: dict[str, GraphNode], centre: float) -> list[GraphEdge]:
    edges = []
    for a, others in model.related.items():
        for b in others:
            if a < b:
                edges.append(_chord(nodes[a], nodes[b], centre, "related", model))
    for b, others in model.narrower.items():
        for a in others:
            edges.append(_chord(nodes[a], nodes[b], centre, "broader", model))
    return edges


def _chord(a: GraphNode, b: GraphNode, centre: float, kind: str, model: SiteModel) -> GraphEdge:
    verb = "is related to" if kind == "related" else "is narrower than"
    title = f"{model.concepts[a.id].title} {verb} {model.concepts[b.id].title}"
    path = f"M{a.x},{a.y} Q{centre:.1f},{centre:.1f} {b.x},{b.y}"
    return GraphEdge(path, kind, plain(title))


def graph_page(model: SiteModel) -> Page:
    """The graph is wide: no table of contents, the whole width."""
    return index_page(
        model, "graph.md", "graph.md.j2", "Concept graph", wide=True, graph=graph_view(model)
    )
