"""The w3id.org redirect rules, run by a small reading of mod_rewrite's semantics."""

from __future__ import annotations

import re
import shlex

import pytest

from gapkb.release import htaccess

SITE = "https://gapkb.github.io/gapkb/"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def resolve(rules: str, path: str, accept: str) -> tuple[int, str] | None:
    """The redirect mod_rewrite answers for `path` (relative to the folder) and `accept`.

    Enough of mod_rewrite for these rules: RewriteCond on %{HTTP_ACCEPT} (regex search)
    applies to the next RewriteRule; R=code redirects; L stops; without NE a '#' in the
    target is escaped to %23, as mod_rewrite does."""
    conditions: list[re.Pattern[str]] = []
    for line in rules.splitlines():
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line, posix=False)
        if words[0] == "RewriteCond":
            assert words[1] == "%{HTTP_ACCEPT}", line
            conditions.append(re.compile(words[2]))
        elif words[0] == "RewriteRule":
            pattern, target = re.compile(words[1]), words[2]
            flags = words[3].strip("[]").split(",") if len(words) > 3 else []
            match = pattern.search(path)
            applies = match and all(c.search(accept) for c in conditions)
            conditions = []
            if not applies:
                continue
            assert match is not None
            location = match.expand(re.sub(r"\$(\d)", r"\\\1", target))
            if "NE" not in flags:
                location = location.replace("#", "%23")
            code = next(int(f[2:]) for f in flags if f.startswith("R="))
            return code, location
    return None


RULES = htaccess(SITE)


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("concept/model-merging-risk", HTML, (303, SITE + "concepts/model-merging-risk/")),
        ("concept/model-merging-risk", "text/turtle", (303, SITE + "data/gapkb.ttl")),
        ("concept/model-merging-risk", "application/ld+json", (303, SITE + "data/gapkb.jsonld")),
        ("concept/model-merging-risk", "application/n-triples", (303, SITE + "data/gapkb.nt")),
        ("instrument/eu-ai-act", HTML, (303, SITE + "instruments/eu-ai-act/")),
        ("instrument/eu-ai-act", "text/turtle;q=1.0", (303, SITE + "data/gapkb.ttl")),
        (
            "instrument/eu-ai-act/art-55-1-a",
            HTML,
            (303, SITE + "instruments/eu-ai-act/#provision-art-55-1-a"),
        ),
        (
            "instrument/eu-ai-act/art-55-1-a",
            "application/ld+json",
            (303, SITE + "data/gapkb.jsonld"),
        ),
        ("ontology", HTML, (303, SITE + "data/")),
        ("ontology", "text/turtle", (303, SITE + "data/gapkb.ttl")),
        ("", HTML, (302, SITE)),
        ("concept/../etc", HTML, None),
        ("concept/Upper", "text/turtle", None),
        ("instrument/a/b/c", HTML, None),
        ("link/eu-ai-act/rec-110/x", HTML, None),
    ],
)
def test_redirects(path: str, accept: str, expected: tuple[int, str] | None) -> None:
    assert resolve(RULES, path, accept) == expected


def test_site_address_is_the_one_setting() -> None:
    other = htaccess("https://example.org/kb")
    assert resolve(other, "concept/x", HTML) == (303, "https://example.org/kb/concepts/x/")
    assert "gapkb.github.io" not in other


def test_only_https_sites() -> None:
    with pytest.raises(ValueError, match="https"):
        htaccess("http://example.org/")


def test_the_committed_rules_are_current() -> None:
    """w3id/.htaccess, ready to submit to w3id.org, is what the site's address gives."""
    from gapkb.release.w3id import site_url_of
    from tests.conftest import REPO

    committed = (REPO / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert committed == htaccess(site_url_of(REPO / "mkdocs.yml")), (
        "regenerate it: see w3id/README.md"
    )
    # The committed rules send a provision IRI to the place the site gives the provision.
    assert resolve(committed, "instrument/eu-ai-act/art-5", HTML) == (
        303,
        SITE + "instruments/eu-ai-act/#provision-art-5",
    )


@pytest.mark.parametrize(
    ("instrument", "provision"), [("eu-ai-act", "art-55-1-a"), ("us-eo-14110", "sec-4-2-b")]
)
def test_a_provision_has_one_place(instrument: str, provision: str) -> None:
    """The w3id.org rules, `gapkb serve` and the site's own links send a provision to the
    same anchor (gapkb.vocab.provision_anchor)."""
    from gapkb.site.model import SiteSettings
    from gapkb.site.provision import provision_url
    from gapkb.sparql.dereference import see_other

    place = provision_url(SiteSettings(site_url=SITE), instrument, provision)
    assert place.endswith(f"/{instrument}/#provision-{provision}")
    assert resolve(RULES, f"instrument/{instrument}/{provision}", HTML) == (303, place)
    served = see_other(f"/instrument/{instrument}/{provision}", HTML)
    assert served is not None
    assert SITE + served.lstrip("/") == place
