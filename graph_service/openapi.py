"""``/openapi.json``: the OpenAPI 3.1 description of the JSON API, kept as a static data file (``static/openapi.json``)
(reviewed like code, tested against the app's routes and real responses); only ``servers`` is filled in per request."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import orjson
from flask import Blueprint, Response, request

bp = Blueprint("openapi", __name__)


@lru_cache(maxsize=1)
def document() -> dict:
    return orjson.loads((files(__package__) / "static" / "openapi.json").read_bytes())


@bp.get("/openapi.json")
def openapi() -> Response:
    body = {**document(), "servers": [{"url": request.url_root.rstrip("/")}]}
    return Response(orjson.dumps(body), mimetype="application/json")
