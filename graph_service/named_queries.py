"""The named queries of ``queries/*.rq``: listed at ``/api/queries`` (with their parameters) and run at
``/api/queries/<name>?param=…``. Parameters are typed by the query's declaration and bound by the store, never
pasted into the text. SELECT results come as SPARQL results (JSON by default; XML, CSV, TSV by Accept or
``format=``), CONSTRUCT results as RDF."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, request

from earthcode_kg.store.formats import SHORT_NAMES, negotiate
from loaders.vocab import PREFIXES

from .api import json_response
from .results import serialize_solutions
from .service import current_service

bp = Blueprint("named_queries", __name__, url_prefix="/api/queries")
RESERVED = {"format"}


@bp.get("")
def index() -> Response:
    service = current_service()
    listing = [{**q.as_json(), "links": {"run": f"{request.url_root}api/queries/{q.name}"}}
               for q in service.queries.values()]
    return json_response({"queries": listing})


@bp.get("/<name>")
def run(name: str) -> Response:
    service = current_service()
    query = service.queries.get(name)
    if query is None:
        abort(404, description=f"no named query {name!r}; see /api/queries")
    raw = {k: v for k, v in request.args.items() if k not in RESERVED}
    bindings = query.bindings(raw, service.base)
    fmt = request.args.get("format")
    accept = SHORT_NAMES.get(fmt, fmt) if fmt else request.headers.get("Accept")
    if query.form == "SELECT":
        media = negotiate(accept, "results")
        if media is None:
            abort(406, description="SELECT results are available as SPARQL JSON, XML, CSV or TSV")
        rows = service.store.select(query.text, bindings)
        variables = list(dict.fromkeys(v for row in rows for v in row))
        body = serialize_solutions(media, variables, [[row.get(v) for v in variables] for row in rows])
    else:
        media = negotiate(accept, "graph")
        if media is None:
            abort(406, description="graph results are available as Turtle, N-Triples, JSON-LD or RDF/XML")
        triples = service.store.construct(query.text, bindings)
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=PREFIXES)
    return Response(body, mimetype=media)
