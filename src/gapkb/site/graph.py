"""The concept graph: concepts around a circle in one sector per category, relations as chords.

Each category has its own arc (a gap between two), and the page's script lets a reader show
only some categories and highlights one concept's relations, so the figure stays readable
as the knowledge base grows instead of becoming one tangle."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gapkb.model import Category
from gapkb.site.model import STATUS_CLASS, SiteModel, label
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
    category: str


@dataclass(frozen=True)
class GraphEdge:
    path: str
    kind: str  # "related" or "broader"
    title: str
    a: str  # the two concepts' ids
    b: str
    categories: str  # their categories, space-separated


@dataclass(frozen=True)
class GraphSector:
    """One category's arc, with its label just inside it."""

    category: str
    label: str
    count: int
    path: str
    lx: float
    ly: float


GAP = 2  # empty places between two categories' sectors


def graph_view(model: SiteModel) -> dict[str, Any]:
    """A circular layout: one sector per category, concepts in it, relations as chords."""
    groups = [(cat, model.concepts_in(cat)) for cat in Category if model.concepts_in(cat)]
    count = sum(len(members) for _, members in groups)
    places = count + GAP * len(groups)
    radius = max(140.0, places * 22 / (2 * math.pi))  # about 22 px between neighbours
    longest = max((len(plain(c.title)) for _, members in groups for c in members), default=0)
    room = 12 + 6.5 * min(40, longest)
    size = 2 * (radius + room) + 20
    centre = size / 2
    nodes: dict[str, GraphNode] = {}
    sectors = []
    place = 0

    def angle_at(slot: float) -> float:
        return -math.pi / 2 + 2 * math.pi * slot / max(places, 1)

    for category, members in groups:
        first = place
        for concept in members:
            angle = angle_at(place)
            cos, sin = math.cos(angle), math.sin(angle)
            left = cos < -1e-9
            nodes[concept.id] = GraphNode(
                concept.id,
                _short(concept.title),
                round(centre + radius * cos, 1),
                round(centre + radius * sin, 1),
                round(centre + (radius + 10) * cos, 1),
                round(centre + (radius + 10) * sin, 1),
                round(math.degrees(angle) + 180 if left else math.degrees(angle), 1),
                "end" if left else "start",
                STATUS_CLASS[model.rows[concept.id].status],
                str(category),
            )
            place += 1
        sectors.append(
            _sector(
                category, len(members), angle_at(first - 0.4), angle_at(place - 0.6), radius, centre
            )
        )
        place += GAP
    return {
        "size": round(size),
        "nodes": list(nodes.values()),
        "edges": _edges(model, nodes, centre),
        "sectors": sectors,
    }


def _sector(
    category: Category, count: int, start: float, end: float, radius: float, centre: float
) -> GraphSector:
    """The arc just inside the sector's dots, and where its label goes."""
    r = radius - 14
    x1, y1 = centre + r * math.cos(start), centre + r * math.sin(start)
    x2, y2 = centre + r * math.cos(end), centre + r * math.sin(end)
    large = 1 if end - start > math.pi else 0
    middle = (start + end) / 2
    inner = radius - 34
    return GraphSector(
        str(category),
        label(category.value),
        count,
        f"M{x1:.1f},{y1:.1f} A{r:.1f},{r:.1f} 0 {large} 1 {x2:.1f},{y2:.1f}",
        round(centre + inner * math.cos(middle), 1),
        round(centre + inner * math.sin(middle), 1),
    )


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
    categories = " ".join(sorted({a.category, b.category}))
    return GraphEdge(path, kind, plain(title), a.id, b.id, categories)


def graph_page(model: SiteModel) -> Page:
    """The graph is wide: no table of contents, the whole width."""
    return index_page(
        model, "graph.md", "graph.md.j2", "Concept graph", wide=True, graph=graph_view(model)
    )
