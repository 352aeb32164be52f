"""The knowledge base's IRIs, dereferenced by the local server as the w3id.org redirect will.

A GET on a concept, instrument or provision IRI's path (`/concept/<id>`,
`/instrument/<id>`, `/instrument/<id>/<provision>`) answers 303 See Other (W3C, "Cool
URIs for the Semantic Web", §4.3): to the resource's RDF description when the client asks
for Turtle, JSON-LD or N-Triples, to its page otherwise. The same rules, for the public
redirect, are written by gapkb.release.w3id.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from gapkb.vocab import BASE, provision_anchor

ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
RESOURCE = re.compile(rf"^/(concept|instrument)/({ID})(?:/({ID}))?$")
RDF_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")


def wants_rdf(accept: str) -> bool:
    """Whether the Accept header names an RDF media type before (or instead of) HTML."""
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for media in types:
        if media in RDF_MEDIA_TYPES:
            return True
        if media in ("text/html", "application/xhtml+xml"):
            return False
    return False


def see_other(path: str, accept: str) -> str | None:
    """Where a GET on `path` is sent (a relative URL), or None if it names no resource."""
    match = RESOURCE.match(path)
    if match is None:
        return None
    kind, entry, provision = match.groups()
    if kind == "concept" and provision is not None:
        return None
    if wants_rdf(accept):
        iri = f"{BASE}{path.lstrip('/')}"
        return "/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe="")
    if provision is not None:
        return f"/instruments/{entry}/#{provision_anchor(provision)}"
    return f"/{kind}s/{entry}/"
