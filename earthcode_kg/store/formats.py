"""Content negotiation for query results: which serialisation to answer with, given an Accept header and the kind
of result (solutions/boolean, or triples). Shared by both backends and the SPARQL endpoint."""

from __future__ import annotations

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_CSV = "text/csv"
RESULTS_TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
N_QUADS = "application/n-quads"
TRIG = "application/trig"

#: accepted media type (and common aliases) -> canonical type, per kind of result
RESULTS = {
    RESULTS_JSON: RESULTS_JSON, "application/json": RESULTS_JSON,
    RESULTS_XML: RESULTS_XML, "application/xml": RESULTS_XML, "text/xml": RESULTS_XML,
    RESULTS_CSV: RESULTS_CSV, RESULTS_TSV: RESULTS_TSV,
}
GRAPHS = {
    TURTLE: TURTLE, "application/x-turtle": TURTLE, N_TRIPLES: N_TRIPLES, "text/plain": N_TRIPLES,
    JSON_LD: JSON_LD, "application/json": JSON_LD, RDF_XML: RDF_XML, "application/xml": RDF_XML,
    N_QUADS: N_QUADS, TRIG: TRIG,
}
DEFAULTS = {"results": RESULTS_JSON, "graph": TURTLE}

#: short names for the CLI and the ``format=`` query parameter
SHORT_NAMES = {
    "json": RESULTS_JSON, "xml": RESULTS_XML, "csv": RESULTS_CSV, "tsv": RESULTS_TSV,
    "ttl": TURTLE, "turtle": TURTLE, "nt": N_TRIPLES, "ntriples": N_TRIPLES, "jsonld": JSON_LD,
    "rdfxml": RDF_XML, "nq": N_QUADS, "nquads": N_QUADS, "trig": TRIG,
}


def parse_accept(accept: str | None) -> list[str]:
    """Media types of an Accept header, best first (by q, then by order); ``*/*`` kept as a wildcard."""
    if not accept:
        return []
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(accept: str | None, kind: str) -> str | None:
    """The canonical media type to answer with, or None when nothing acceptable fits (HTTP 406).

    ``kind`` is "results" (SELECT/ASK) or "graph" (CONSTRUCT/DESCRIBE). No Accept header, or a wildcard, gets the
    default for the kind; the CLI's short names (``json``, ``ttl``…) are accepted too.
    """
    table = RESULTS if kind == "results" else GRAPHS
    wanted = parse_accept(accept)
    if not wanted:
        return DEFAULTS[kind]
    for media in wanted:
        media = SHORT_NAMES.get(media, media)
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return DEFAULTS[kind]
    return None
