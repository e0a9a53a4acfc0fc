"""The JSON views: lineage, derived products, experiments, workflows, projects — on the demo and the real catalog,
and the OpenAPI document that describes them."""

from __future__ import annotations

import orjson
import pytest
from pyoxigraph import NamedNode

from earthcode_kg.store.bindings import bind
from queries import load_queries
from tests.conftest import BASE, needs_real_catalog
from tests.http_helpers import get_json
from tests.test_real_catalog import LINEAGE

E, P, W = BASE + "experiments/", BASE + "products/", BASE + "workflows/"

pytest_plugins = ["tests.service_fixtures"]


def chain(node: dict | None) -> list[str]:
    """product, experiment, input product, experiment, … following the first product input at each step."""
    out: list[str] = []
    while node:
        out.append(node["product"]["id"])
        if not node["experiment"]:
            break
        out.append(node["experiment"]["id"])
        products = [i for i in node["inputs"] if i["kind"] == "product"]
        node = products[0]["lineage"] if products else None
    return out


# -- lineage -----------------------------------------------------------------------------------------------------------
def test_lineage_follows_the_two_level_chain(client):
    body = get_json(client, "/api/products/arctic-ice-edge-lines/lineage")
    assert body["depth"] == 3
    assert chain(body) == ["arctic-ice-edge-lines", "ice-edge-extraction-2024", "arctic-sea-ice-classification",
                           "sea-ice-classification-2024", "arctic-sar-mosaics"]


def test_lineage_names_workflow_inputs_parameters_and_environment(client):
    body = get_json(client, "/api/products/arctic-sea-ice-classification/lineage")
    assert body["experiment"]["iri"] == E + "sea-ice-classification-2024"
    assert body["workflow"]["iri"] == W + "sea-ice-classification"
    kinds = {i["iri"]: i["kind"] for i in body["inputs"]}
    assert kinds == {P + "arctic-sar-mosaics": "product", E + "sea-ice-classification-2024/input": "input-configuration"}
    params = {p["name"]: p["value"] for p in body["parameters"]}
    assert params["hh_threshold"] == -18.5 and params["tile_size"] == 512 and params["date"] == "2025-02-25"
    env = body["environment"]
    assert env["kind"] == "execution-environment" and env["name"] == "sea-ice-cnn"
    assert "numpy" in env["dependencies"] and "pystac" in env["pip_dependencies"]


def test_every_record_carries_its_iri_and_links_to_its_views(client):
    body = get_json(client, "/api/products/arctic-sea-ice-classification/lineage")
    workflow = body["workflow"]
    assert workflow["links"]["json"] == "http://localhost/api/workflows/sea-ice-classification"
    assert workflow["links"]["linked_data"] == "http://localhost/workflows/sea-ice-classification"
    assert client.get(workflow["links"]["json"]).status_code == 200
    assert client.get(workflow["links"]["linked_data"]).status_code == 200


def test_external_environment_is_marked_external(client):
    body = get_json(client, "/api/products/arctic-ice-edge-lines/lineage")
    assert body["environment"]["kind"] == "external"
    assert body["environment"]["iri"] == "https://github.com/polar-ice-monitoring/ice-edge.git"


def test_lineage_stated_only_by_the_experiment_is_found(client):
    body = get_json(client, "/api/products/lagos-lst-downscaled/lineage")
    assert body["experiment"]["id"] == "lst-downscaling-lagos" and body["workflow"]["id"] == "lst-downscaling"


def test_depth_1_stops_after_the_products_own_experiment(client):
    body = get_json(client, "/api/products/arctic-ice-edge-lines/lineage?depth=1")
    (product_input,) = [i for i in body["inputs"] if i["kind"] == "product"]
    assert product_input["lineage"] is None and product_input["truncated"] is True


def test_a_product_without_lineage_has_empty_lineage(client):
    body = get_json(client, "/api/products/arctic-sar-mosaics/lineage")
    assert body["experiment"] is None and body["inputs"] == [] and body["environment"] is None


@pytest.mark.parametrize("depth", ["0", "11", "x"])
def test_invalid_depth_is_400(client, depth):
    body = get_json(client, f"/api/products/arctic-ice-edge-lines/lineage?depth={depth}", 400)
    assert "depth" in body["error"]["message"]


@pytest.mark.parametrize("url", ["/api/products/nope/lineage", "/api/products/nope/derived", "/api/products/nope",
                                 "/api/experiments/nope", "/api/workflows/nope", "/api/projects/nope",
                                 "/api/workflows/arctic-sar-mosaics"])
def test_unknown_ids_get_a_json_404(client, url):
    body = get_json(client, url, 404)
    assert body["error"]["status"] == 404 and "nope" in body["error"]["message"] or "arctic" in body["error"]["message"]


# -- derived and the other records ------------------------------------------------------------------------------------
def test_derived_lists_everything_downstream(client):
    body = get_json(client, "/api/products/arctic-sar-mosaics/derived")
    derived = {d["id"]: d for d in body["derived"]}
    assert set(derived) == {"arctic-sea-ice-classification", "arctic-ice-edge-lines"}
    assert derived["arctic-ice-edge-lines"]["experiment"]["id"] == "ice-edge-extraction-2024"
    assert derived["arctic-ice-edge-lines"]["from"] == [P + "arctic-sea-ice-classification"]


def test_experiment_view(client):
    body = get_json(client, "/api/experiments/sea-ice-classification-2024")
    rel = {k: {r["iri"] for r in v} for k, v in body["related"].items()}
    assert rel["workflow"] == {W + "sea-ice-classification"}
    assert rel["output"] == {P + "arctic-sea-ice-classification"}
    assert P + "arctic-sar-mosaics" in rel["input"]
    assert {p["name"] for p in body["parameters"]} >= {"hh_threshold", "tile_size"}
    assert body["environment"]["name"] == "sea-ice-cnn"


def test_workflow_view(client):
    body = get_json(client, "/api/workflows/sea-ice-classification")
    assert {r["id"] for r in body["related"]["experiment"]} == {"sea-ice-classification-2024"}
    assert {r["id"] for r in body["related"]["product"]} == {"arctic-sea-ice-classification"}
    assert {r["id"] for r in body["related"]["project"]} == {"polar-ice-monitoring"}


def test_project_view(client):
    body = get_json(client, "/api/projects/polar-ice-monitoring")
    assert {r["id"] for r in body["related"]["product"]} == {"arctic-sar-mosaics", "arctic-sea-ice-classification",
                                                             "arctic-ice-edge-lines"}
    assert {r["id"] for r in body["related"]["workflow"]} == {"sea-ice-classification", "ice-edge-extraction"}


def test_product_view_links_to_lineage_and_derived(client):
    body = get_json(client, "/api/products/arctic-sea-ice-classification")
    assert body["links"]["lineage"].endswith("/api/products/arctic-sea-ice-classification/lineage")
    assert {r["id"] for r in body["related"]["experiment"]} == {"sea-ice-classification-2024"}


# -- the real catalog --------------------------------------------------------------------------------------------------
@needs_real_catalog
@pytest.mark.parametrize("product, experiment", LINEAGE.items())
def test_real_lineage_answers_for_every_product_with_lineage(real_client, product, experiment):
    body = get_json(real_client, f"/api/products/{product}/lineage")
    assert body["experiment"]["id"] == experiment
    assert body["workflow"] is not None


@needs_real_catalog
@pytest.mark.parametrize("product", LINEAGE)
def test_sparql_returns_the_same_chain_as_the_lineage_view(real_client, product):
    """The lineage named query, sent as plain SPARQL to /sparql, names the same experiments, workflows and inputs."""
    view = get_json(real_client, f"/api/products/{product}/lineage?depth=10")
    query = bind(load_queries()["lineage"].text, {"product": NamedNode(P + product)})
    r = real_client.post("/sparql", data=query, content_type="application/sparql-query")
    rows = orjson.loads(r.data)["results"]["bindings"]
    mine = [b for b in rows if b["output"]["value"] == P + product]
    assert {b["experiment"]["value"] for b in mine} == {view["experiment"]["iri"]}
    assert {b["workflow"]["value"] for b in mine} == {view["workflow"]["iri"]}
    assert {b["input"]["value"] for b in mine if "input" in b} == {i["iri"] for i in view["inputs"]}


@needs_real_catalog
def test_glambie_cycle_is_marked_not_followed(real_client):
    body = get_json(real_client, "/api/products/glambie-dataset/lineage?depth=10")
    own = [i for i in body["inputs"] if i["iri"] == P + "glambie-dataset"]
    assert own and own[0]["cycle"] is True and own[0]["lineage"] is None


# -- the OpenAPI document ---------------------------------------------------------------------------------------------
def test_openapi_documents_every_json_route(client, demo_app):
    spec = get_json(client, "/openapi.json")
    assert spec["openapi"].startswith("3.") and spec["servers"][0]["url"] == "http://localhost"
    documented = {p.replace("{id}", "<id_>").replace("{name}", "<name>").replace("{folder}", "<folder>")
                  for p in spec["paths"]}
    routes = set()
    for rule in demo_app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            any_folder = "<any(products, workflows, projects):folder>"
            folders = ["products", "workflows", "projects"] if any_folder in rule.rule else [any_folder]
            routes |= {rule.rule.replace(any_folder, f) for f in folders}
    assert routes == documented


def _required(schema: dict, spec: dict) -> set[str]:
    if "$ref" in schema:
        return _required(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], spec)
    keys = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        keys |= _required(part, spec)
    return keys


@pytest.mark.parametrize("url, schema", [
    ("/api/products/arctic-ice-edge-lines/lineage", "Lineage"),
    ("/api/products/arctic-sar-mosaics/derived", "Derived"),
    ("/api/experiments/sea-ice-classification-2024", "ExperimentView"),
    ("/api/workflows/sea-ice-classification", "RecordView"),
    ("/api/projects/polar-ice-monitoring", "RecordView"),
    ("/api/queries", "QueryList"),
])
def test_responses_have_the_documented_required_fields(client, url, schema):
    spec = get_json(client, "/openapi.json")
    body = get_json(client, url)
    assert _required({"$ref": f"#/components/schemas/{schema}"}, spec) <= set(body)
