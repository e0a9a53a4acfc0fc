"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

Queries by GET (``query=``), POST form-encoded and POST ``application/sparql-query``; the dataset from
``default-graph-uri``/``named-graph-uri`` (without them the default graph is the union of all graphs, because every
catalog file is its own named graph); results negotiated from Accept (or ``format=``). Updates are refused unless an
update token is configured and presented as ``Authorization: Bearer <token>``. A GET without a query returns the
service description, or a query page for a browser.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, render_template, request
from pyoxigraph import NamedNode
from werkzeug.datastructures import MultiDict

from earthcode_kg.store.formats import SHORT_NAMES, negotiate, parse_accept

from .errors import text_error
from .executor import QueryRequest
from .service import current_service
from .service_description import service_description

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
TRUNCATED_HEADER = "X-SPARQL-Results-Truncated"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@bp.errorhandler(ProtocolError)
def protocol_error(e: ProtocolError) -> Response:
    return text_error(e.status, str(e))


def wants_html() -> bool:
    """A browser: text/html is its first choice (``*/*`` alone, as curl sends, is not a browser)."""
    ranked = parse_accept(request.headers.get("Accept"))
    return bool(ranked) and ranked[0] in ("text/html", "application/xhtml+xml")


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"exactly one {name!r} parameter is allowed, got {len(values)}")
    return values[0] if values else None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"the request body must be UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolError(400, f"the request body is not valid UTF-8: {e}") from e


def _operation() -> tuple[str, str, MultiDict]:
    """("query" | "update", text, parameters) from any of the protocol's request forms."""
    if request.method == "GET":
        params = request.args
        if params.getlist("update"):
            raise ProtocolError(400, "updates must be sent with POST")
        return "query", _one(params.getlist("query"), "query") or "", params
    if request.mimetype == FORM:
        if request.mimetype_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
            raise ProtocolError(415, "form bodies must be UTF-8")
        params = MultiDict(request.args)
        for key, values in request.form.lists():
            params.setlist(key, params.getlist(key) + values)
        query, update = _one(params.getlist("query"), "query"), _one(params.getlist("update"), "update")
        if query is not None and update is not None:
            raise ProtocolError(400, "a request carries either 'query' or 'update', not both")
        if query is None and update is None:
            raise ProtocolError(400, "the form has neither a 'query' nor an 'update' parameter")
        return ("query", query, params) if query is not None else ("update", update, params)
    if request.mimetype == SPARQL_QUERY:
        return "query", _body_text(), request.args
    if request.mimetype == SPARQL_UPDATE:
        return "update", _body_text(), request.args
    raise ProtocolError(415, f"POST a form ({FORM}), {SPARQL_QUERY} or {SPARQL_UPDATE}; got {request.mimetype or 'no content type'!r}")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    kind, text, params = _operation()
    if kind == "update":
        return run_update(text, params)
    if not text:
        return describe_service()
    return run_query(text, params)


def run_query(text: str, params: MultiDict) -> Response:
    service = current_service()
    fmt = params.get("format")
    accept = SHORT_NAMES.get(fmt, fmt) if fmt else request.headers.get("Accept", "")
    outcome = service.executor.query(QueryRequest(
        text, accept, tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri")),
        base_iri=service.base,
    ))
    response = Response(outcome.body, mimetype=outcome.media_type)
    response.headers["Vary"] = "Accept"
    if outcome.truncated:
        response.headers[TRUNCATED_HEADER] = str(service.settings.result_limit)
    return response


def run_update(text: str, params: MultiDict) -> Response:
    service = current_service()
    if service.read_only:
        raise ProtocolError(403, "SPARQL Update is not available here: this server runs several processes, each "
                                 "serving a read-only snapshot of the store (serve with --workers 1 to accept updates)")
    token = service.settings.update_token
    if not token:
        raise ProtocolError(403, "SPARQL Update is disabled on this service (no update token is configured)")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented:
        response = text_error(401, "SPARQL Update needs 'Authorization: Bearer <update token>'")
        response.headers["WWW-Authenticate"] = 'Bearer realm="sparql-update"'
        return response
    if not hmac.compare_digest(presented.encode(), token.encode()):
        raise ProtocolError(403, "the update token is not valid")
    if params.getlist("using-graph-uri") or params.getlist("using-named-graph-uri"):
        raise ProtocolError(400, "using-graph-uri / using-named-graph-uri are not supported; put USING in the update")
    # The service's base IRI resolves relative IRIs (the protocol lets the service define it). It is a configured
    # value, checked as an IRI, never request input.
    try:
        service.executor.update(f"BASE {NamedNode(service.base)}\n{text}")
    finally:
        service.store_changed()  # even a failed update may have written part of its operations
    return Response(status=204)


def describe_service() -> Response:
    if wants_html():
        return Response(render_template("query.html", endpoint=request.base_url), mimetype="text/html")
    media = negotiate(request.headers.get("Accept"), "graph")
    if media is None:
        return text_error(406, "the service description is available as RDF (Turtle, N-Triples, JSON-LD, RDF/XML)")
    service = current_service()
    body = service_description(request.base_url.rstrip("/"), service, media)
    response = Response(body, mimetype=media)
    response.headers["Vary"] = "Accept"
    return response
