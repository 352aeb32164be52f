"""SPARQL over the checked graph: what `gapkb query`, `gapkb export` and `gapkb serve` run.

- `saved`: the saved queries (queries/*.rq), their parameters and binding values to them.
- `lexing`: just enough SPARQL to find variables and keywords; the guard (no SERVICE,
  FROM or update) every query passes before it reaches an engine.
- `engine`: pyoxigraph, the answers it gives, and the library call `query`.
- `results`: answers as SPARQL JSON, XML, CSV, TSV, RDF, or a table for people.
- `endpoint`, `negotiation`, `serve`: the SPARQL 1.1 Protocol endpoint;
  `sandbox`: its worker processes (time and size limits, no network).
- `query_page`: the browser query page (the site's and the endpoint's).
- `export`: the RDF dumps.

Library use::

    from gapkb.sparql import query
    answer = query(gapkb.check("."), "gaps")
"""

from gapkb.sparql.engine import Answer, Boolean, Engine, Solutions, Triples, query
from gapkb.sparql.errors import QueryError

__all__ = ["Answer", "Boolean", "Engine", "QueryError", "Solutions", "Triples", "query"]
