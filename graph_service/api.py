"""JSON views of products, experiments, workflows and projects (documented in ``openapi.json``).

Every record is named the same way (:meth:`Service.ref`: IRI, type, id, title and links to its JSON and linked-data
views). Unknown ids get a JSON 404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
from flask import Blueprint, Response, abort, request
from pyoxigraph import NamedNode

from loaders.vocab import EC

from . import terms
from .lineage import DEFAULT_DEPTH, MAX_DEPTH, LineageIndex, derived_products, product_lineage
from .service import Service, current_service

bp = Blueprint("api", __name__, url_prefix="/api")

#: type folder -> (class the id must name, related-records query)
KINDS = {"products": (EC + "Product", "product"), "experiments": (EC + "Experiment", "experiment"),
         "workflows": (EC + "Workflow", "workflow"), "projects": (EC + "Project", "project")}


def json_response(body: Any) -> Response:
    return Response(orjson.dumps(body), mimetype="application/json")


def summary(service: Service, folder: str, id_: str) -> tuple[NamedNode, dict[str, Any]]:
    """The entity's IRI and its summary (title, description, identifier, modified); 404 if no such record."""
    iri = service.entity_iri(folder, id_)
    cls = KINDS[folder][0]
    rows = [r for r in service.select("entity", entity=iri) if r["class"].value == cls]
    if not rows:
        abort(404, description=f"no {folder[:-1]} with id {id_!r}")
    row = rows[0]
    return iri, service.ref(iri.value, terms.text(row.get("title")), description=terms.text(row.get("description")),
                            identifier=terms.text(row.get("identifier")), modified=terms.value(row.get("modified")))


def related(service: Service, folder: str, iri: NamedNode) -> dict[str, list[dict[str, Any]]]:
    """Related records grouped by relation (``workflow``, ``products``…), each as a ref."""
    query, var = KINDS[folder][1], folder[:-1]
    groups: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in service.select(query, **{var: iri}):
        record = row["record"].value
        groups[row["relation"].value].setdefault(record, service.ref(record, terms.text(row.get("recordTitle"))))
    return {relation: list(records.values()) for relation, records in sorted(groups.items())}


def depth_arg() -> int:
    raw = request.args.get("depth", str(DEFAULT_DEPTH))
    try:
        depth = int(raw)
    except ValueError:
        abort(400, description=f"depth must be an integer from 1 to {MAX_DEPTH}, got {raw!r}")
    if not 1 <= depth <= MAX_DEPTH:
        abort(400, description=f"depth must be from 1 to {MAX_DEPTH}, got {depth}")
    return depth


@bp.get("/products/<id_>/lineage")
def lineage(id_: str) -> Response:
    service = current_service()
    iri, product = summary(service, "products", id_)
    return json_response(product_lineage(service, iri, product["title"], depth_arg()))


@bp.get("/products/<id_>/derived")
def derived(id_: str) -> Response:
    service = current_service()
    iri, product = summary(service, "products", id_)
    return json_response({"product": product, "derived": derived_products(service, iri)})


@bp.get("/experiments/<id_>")
def experiment(id_: str) -> Response:
    service = current_service()
    iri, body = summary(service, "experiments", id_)
    index = LineageIndex(service, iri)
    body["related"] = related(service, "experiments", iri)
    body["parameters"] = index.parameters.get(iri.value, [])
    body["environment"] = index.environments.get(iri.value)
    return json_response(body)


@bp.get("/<any(products, workflows, projects):folder>/<id_>")
def record(folder: str, id_: str) -> Response:
    service = current_service()
    iri, body = summary(service, folder, id_)
    body["related"] = related(service, folder, iri)
    if folder == "products":
        body["links"]["lineage"] = f"{request.url_root}api/products/{id_}/lineage"
        body["links"]["derived"] = f"{request.url_root}api/products/{id_}/derived"
    return json_response(body)
