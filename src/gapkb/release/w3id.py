"""The redirect rules for https://w3id.org/gapkb/, as the w3id.org repository takes them.

w3id.org serves each project from an `.htaccess` in its own folder (github.com/perma-id/w3id.org)
with Apache mod_rewrite. An IRI names a concept or a law, not a document, so each answer is a
303 See Other to a document about it (W3C Note "Cool URIs for the Semantic Web", 2008, §4.2):
the dump in the syntax the Accept header asks for, else the HTML page.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from gapkb.vocab import PROVISION_ANCHOR_PREFIX

DEFAULT_SITE_URL = "https://gapkb.github.io/gapkb/"
# Media type -> the site path of the dump in that syntax (the site's data/ files).
DUMP_PATHS = {
    "text/turtle": "data/gapkb.ttl",
    "application/ld+json": "data/gapkb.jsonld",
    "application/n-triples": "data/gapkb.nt",
}
ONTOLOGY_PAGE = "data/"
# The ids of concepts, instruments and provisions (gapkb.model.ID_PATTERN, without anchors).
ID = "[a-z0-9]+(?:-[a-z0-9]+)*"
RESOURCE = f"(?:concept/{ID}|instrument/{ID}(?:/{ID})?|ontology)"


def htaccess(
    site_url: str = DEFAULT_SITE_URL,
    *,
    dumps: Mapping[str, str] = DUMP_PATHS,
    ontology_page: str = ONTOLOGY_PAGE,
) -> str:
    """The `.htaccess` for the w3id.org/gapkb/ folder, redirecting to the site at `site_url`."""
    if not site_url.startswith("https://"):
        raise ValueError(f"site address must be https: {site_url!r}")
    site = site_url if site_url.endswith("/") else site_url + "/"
    lines = [
        "# Permanent identifiers of gapkb: https://w3id.org/gapkb/",
        f"# Site: {site}",
        "# Concepts, instruments, provisions and the ontology answer 303 See Other: RDF by",
        "# the Accept header (Turtle, JSON-LD, N-Triples), else the HTML page.",
        "",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "",
    ]
    for media_type, path in dumps.items():
        lines.extend(
            [
                f"# {media_type}: the dump",
                f"RewriteCond %{{HTTP_ACCEPT}} {media_type.replace('+', '[+]')}",
                f"RewriteRule ^{RESOURCE}$ {site}{path} [R=303,L]",
                "",
            ]
        )
    lines.extend(
        [
            "# Anything else: the page",
            f"RewriteRule ^concept/({ID})$ {site}concepts/$1/ [R=303,L]",
            f"RewriteRule ^instrument/({ID})$ {site}instruments/$1/ [R=303,L]",
            # NE: keep the '#' of the anchor as it is (mod_rewrite would escape it).
            f"RewriteRule ^instrument/({ID})/({ID})$ {site}instruments/$1/#{PROVISION_ANCHOR_PREFIX}$2"
            " [R=303,NE,L]",
            f"RewriteRule ^ontology$ {site}{ontology_page} [R=303,L]",
            f"RewriteRule ^$ {site} [R=302,L]",
        ]
    )
    return "\n".join(lines) + "\n"


def site_url_of(config: Path) -> str:
    """The `site_url` of an mkdocs.yml: the one setting the site's addresses come from."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return str(settings.get("site_url") or DEFAULT_SITE_URL)


def main() -> None:
    """Print the rules for the site address in ./mkdocs.yml (w3id/README.md says how)."""
    sys.stdout.write(htaccess(site_url_of(Path("mkdocs.yml"))))
