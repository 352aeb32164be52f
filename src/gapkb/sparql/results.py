"""SPARQL answers as bytes in the standard formats, and as a table for people.

Written here rather than taken from pyoxigraph's serializers because an answer is first
materialised under a size limit (gapkb.sparql.engine.collect): the result iterator is consumed by
then. One set of writers serves `gapkb query` and the endpoint, so both say the same thing.

- SELECT / ASK: SPARQL 1.1 Query Results JSON, XML, CSV and TSV (W3C Recommendations of
  2013-03-21); RDF-star triple terms as in the SPARQL 1.2 drafts.
- CONSTRUCT / DESCRIBE: Turtle, JSON-LD (expanded), N-Triples, RDF/XML, by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from gapkb.sparql.engine import Answer, Boolean, Solutions, Term, Triples
from gapkb.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
DISPLAY_PREFIXES = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Format:
    """A serialization: its name, media type, the kind of answer it carries, and what else
    names it — other media types in Accept headers, short names in --format and ?format=."""

    name: str
    media_type: str
    kind: str  # "results" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE)
    media_aliases: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()

    def named(self, value: str) -> bool:
        value = value.strip().lower()
        return value in (self.name, self.media_type, *self.media_aliases, *self.short_names)


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results"),
    Format("tsv", "text/tab-separated-values", "results"),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "graph", ("application/x-turtle",), ("ttl",)),
    Format("jsonld", "application/ld+json", "graph", ("application/json",), ("json-ld", "json")),
    Format("ntriples", "application/n-triples", "graph", ("text/plain",), ("nt", "n-triples")),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml",), ("rdf+xml", "xml")),
)
_RDF_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def formats_for(answer_kind: str) -> tuple[Format, ...]:
    return RESULT_FORMATS if answer_kind == "results" else GRAPH_FORMATS


def answer_kind(answer: Answer) -> str:
    return "graph" if isinstance(answer, Triples) else "results"


def serialize(answer: Answer, fmt: Format) -> bytes:
    """The answer in `fmt`, which must suit its kind (see `formats_for`)."""
    if isinstance(answer, Triples):
        return (
            ox.serialize(answer.triples, format=_RDF_FORMAT[fmt.name], prefixes=DISPLAY_PREFIXES)
            or b""
        )
    writer = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[fmt.name]
    return writer(answer).encode("utf-8")


# --- SPARQL 1.1 Query Results JSON ---------------------------------------------------------


def json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def to_json(answer: Solutions | Boolean) -> str:
    if isinstance(answer, Boolean):
        return json.dumps({"head": {}, "boolean": answer.value})
    bindings = [
        {v: json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
        for row in answer.rows
    ]
    return json.dumps(
        {"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
        ensure_ascii=False,
    )


# --- SPARQL Query Results XML ---------------------------------------------------------------

# Characters XML 1.0 cannot carry, even escaped; a literal may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{xml_term(term.subject)}</subject>"
            f"<predicate>{xml_term(term.predicate)}</predicate>"
            f"<object>{xml_term(term.object)}</object></triple>"
        )
    attribute = ""
    if term.language:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attribute = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attribute}>{_xml_text(term.value)}</literal>"


def to_xml(answer: Solutions | Boolean) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    if isinstance(answer, Boolean):
        out.append(f"<head/><boolean>{'true' if answer.value else 'false'}</boolean></sparql>")
        return "\n".join(out) + "\n"
    out.append(
        "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in answer.variables) + "</head>"
    )
    out.append("<results>")
    for row in answer.rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
            for v, t in zip(answer.variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out.append("</results></sparql>")
    return "\n".join(out) + "\n"


# --- SPARQL 1.1 Query Results CSV and TSV -------------------------------------------------


def csv_value(term: Term | None) -> str:
    """CSV carries values only: IRIs and lexical forms; blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return str(term.value)


def _ask_table(answer: Boolean, newline: str) -> str:
    # CSV/TSV define no ASK form; this is what Apache Jena Fuseki writes.
    return f"_askResult{newline}{'true' if answer.value else 'false'}{newline}"


def to_csv(answer: Solutions | Boolean) -> str:
    if isinstance(answer, Boolean):
        return _ask_table(answer, "\r\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as the Recommendation says
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow([csv_value(t) for t in row])
    return buffer.getvalue()


def to_tsv(answer: Solutions | Boolean) -> str:
    """TSV carries terms in Turtle/N-Triples syntax (escaped: no raw tab or newline)."""
    if isinstance(answer, Boolean):
        return _ask_table(answer, "\n")
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


# --- a table for people (gapkb query --format table) --------------------------------------

CELL_WIDTH = 60


def compact(term: Term | None) -> str:
    """A short, readable form: prefixed names for known vocabularies, lexical forms."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in DISPLAY_PREFIXES.items():
            local = term.value.removeprefix(namespace)
            if local != term.value and re.fullmatch(r"[A-Za-z_][\w.-]*", local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<< {compact(term.subject)} {compact(term.predicate)} {compact(term.object)} >>"
    return " ".join(term.value.split())  # one line per row


def _cut(text: str) -> str:
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def render_table(answer: Solutions | Boolean) -> str:
    """Aligned columns, long cells cut at 60 characters (csv, tsv and json keep them whole)."""
    if isinstance(answer, Boolean):
        return ("true" if answer.value else "false") + "\n"
    rows = [[_cut(compact(t)) for t in row] for row in answer.rows]
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(answer.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(answer.variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    count = len(rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(line.rstrip() for line in lines) + "\n"
