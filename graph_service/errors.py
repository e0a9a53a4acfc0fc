"""Error answers: JSON for the API and the linked-data views (a client asking for JSON gets JSON even for a 404),
plain text with the parser's own message for the SPARQL endpoint, which SPARQL clients show verbatim."""

from __future__ import annotations

import orjson
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from earthcode_kg.store.base import NotAcceptable, QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable
from queries import ParameterError

#: store failures -> HTTP status; order matters (subclasses first)
STATUS = ((QuerySyntaxError, 400), (ParameterError, 400), (NotAcceptable, 406), (QueryTimeout, 504),
          (StoreUnavailable, 503), (StoreError, 500))


def json_error(status: int, message: str, **extra: object) -> Response:
    body = {"error": {"status": status, "message": message, **extra}}
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def text_error(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


def status_of(exc: Exception) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def _answer(status: int, message: str) -> Response:
    if request.path.startswith("/sparql"):
        return text_error(status, message)
    return json_error(status, message)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        response = _answer(e.code or 500, e.description or e.name)
        if e.code == 405 and getattr(e, "valid_methods", None):
            response.headers["Allow"] = ", ".join(e.valid_methods)
        return response

    for cls, _ in STATUS:
        app.register_error_handler(cls, lambda e: _answer(status_of(e), str(e)))
