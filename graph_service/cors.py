"""CORS for the read endpoints, so browser apps on other origins can query the graph.

Every response may be read cross-origin, but a preflight allows only the headers a query needs (Content-Type and
Accept, not Authorization), so a SPARQL Update — which needs the token in Authorization — cannot be sent from a page
on another origin.
"""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
ALLOWED_HEADERS = "Accept, Content-Type"
EXPOSED_HEADERS = "Link, Content-Location, X-SPARQL-Results-Truncated"


def register_cors(app: Flask) -> None:
    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
        return response
