"""Serialising SELECT solutions ourselves (SPARQL JSON, XML, CSV, TSV).

Why not pyoxigraph's serializer: it consumes the whole solution iterator, so it cannot stop at the configured result
cap. Taking at most ``limit + 1`` solutions and writing them here lets the endpoint cap any result (and say so in a
header) without rewriting the user's query. The named-query API uses the same writers for its rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import orjson
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from earthcode_kg.store.formats import RESULTS_CSV, RESULTS_JSON, RESULTS_TSV, RESULTS_XML

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Solution = Sequence[object | None]  # one term (or None when unbound) per variable


def json_term(term: object) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject), "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def to_json(variables: Sequence[str], solutions: Iterable[Solution]) -> bytes:
    bindings = [{v: json_term(t) for v, t in zip(variables, s) if t is not None} for s in solutions]
    return orjson.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}})


def _xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def to_xml(variables: Sequence[str], solutions: Iterable[Solution]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for s in solutions:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, s) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)


def to_csv(variables: Sequence[str], solutions: Iterable[Solution]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for s in solutions:
        writer.writerow([_csv_value(t) for t in s])
    return buf.getvalue().encode()


def to_tsv(variables: Sequence[str], solutions: Iterable[Solution]) -> bytes:
    """TSV cells are terms in Turtle/N-Triples syntax, which pyoxigraph's ``str()`` of a term gives."""
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in s) for s in solutions]
    return ("\n".join(lines) + "\n").encode()


WRITERS = {RESULTS_JSON: to_json, RESULTS_XML: to_xml, RESULTS_CSV: to_csv, RESULTS_TSV: to_tsv}


def serialize_solutions(media_type: str, variables: Sequence[str], solutions: Iterable[Solution]) -> bytes:
    return WRITERS[media_type](variables, solutions)
