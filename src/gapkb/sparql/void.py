"""`/.well-known/void`: the served dataset described in VoID, where VoID clients look for it.

VoID (W3C Interest Group Note, 2011-03-03, §7.2) has a server answer the well-known path
`/.well-known/void` with the description of the datasets it publishes. `gapkb serve` answers
it with the same DCAT + VoID description a release carries (gapkb.release.describe), made
for what is being served: this knowledge base as of the served date, its SPARQL endpoint,
and the site's dumps as distributions when the built site is served too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from rdflib import Graph

from gapkb.release.describe import Distribution, dataset_description, graph_stats
from gapkb.release.w3id import DUMP_PATHS
from gapkb.vocab import DATASET_VERSION

WELL_KNOWN_VOID = "/.well-known/void"
DUMP_TITLES = {
    "text/turtle": ("turtle", "Turtle"),
    "application/ld+json": ("jsonld", "JSON-LD"),
    "application/n-triples": ("ntriples", "N-Triples"),
}


def site_dumps(site_dir: Path | None, base_url: str) -> list[Distribution]:
    """The RDF dumps the served site holds, as distributions downloadable from `base_url`."""
    if site_dir is None:
        return []
    found = []
    for media_type, path in DUMP_PATHS.items():
        file = site_dir / path
        if file.is_file():
            data = file.read_bytes()
            key, title = DUMP_TITLES[media_type]
            found.append(
                Distribution(
                    key,
                    file.name,
                    title,
                    media_type,
                    len(data),
                    hashlib.sha256(data).hexdigest(),
                    f"{base_url}/{path}",
                )
            )
    return found


def void_turtle(graph: Graph, as_of: dt.date, base_url: str, site_dir: Path | None) -> bytes:
    """The VoID description of `graph` served at `base_url` (no trailing slash), as Turtle."""
    description = dataset_description(
        DATASET_VERSION,
        as_of,
        site_dumps(site_dir, base_url),
        graph_stats(graph),
        site_url=f"{base_url}/",
        sparql_endpoint=f"{base_url}/sparql",
    )
    return description.serialize(format="turtle").encode("utf-8")
