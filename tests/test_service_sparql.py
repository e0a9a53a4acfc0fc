"""The SPARQL 1.1 Protocol endpoint, driven over HTTP through the Flask test client on the demo catalog."""

from __future__ import annotations

import csv
import io
import time
from urllib.parse import urlencode

import orjson
import pytest
import rdflib

from earthcode_kg.ingest import DEMO_CATALOG
from graph_service.app import close_app
from tests.conftest import BASE
from tests.service_fixtures import UPDATE_TOKEN, app_on, changed, demo_app_with, ready

PRODUCTS = "SELECT ?p WHERE { ?p a <https://w3id.org/earthcode/ontology#Product> } ORDER BY ?p"
LINEAGE_EDGE = (f"ASK {{ <{BASE}products/lagos-lst-downscaled> <http://www.w3.org/ns/prov#wasGeneratedBy> "
                f"<{BASE}experiments/lst-downscaling-lagos> }}")
CONSTRUCT = "CONSTRUCT { ?p a <https://w3id.org/earthcode/ontology#Product> } WHERE { ?p a <https://w3id.org/earthcode/ontology#Product> }"

pytest_plugins = ["tests.service_fixtures"]


def products_from_json(body: bytes) -> list[str]:
    return [b["p"]["value"] for b in orjson.loads(body)["results"]["bindings"]]


# -- the three ways to send a query ----------------------------------------------------------------------------------
def test_query_by_get(client):
    r = client.get("/sparql", query_string={"query": PRODUCTS})
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert len(products_from_json(r.data)) == 6


def test_query_by_form_post(client):
    r = client.post("/sparql", data={"query": PRODUCTS})
    assert r.status_code == 200 and len(products_from_json(r.data)) == 6


def test_query_by_direct_post(client):
    r = client.post("/sparql", data=PRODUCTS, content_type="application/sparql-query")
    assert r.status_code == 200 and len(products_from_json(r.data)) == 6


def test_default_graph_is_the_union_of_the_catalog_files(client):
    r = client.get("/sparql", query_string={"query": LINEAGE_EDGE})
    assert orjson.loads(r.data)["boolean"] is True


def test_default_graph_uri_restricts_the_dataset(client):
    graph = BASE + "experiments/lst-downscaling-lagos/record.json"
    inside = client.get("/sparql", query_string={"query": LINEAGE_EDGE, "default-graph-uri": graph})
    outside = client.get("/sparql", query_string={"query": LINEAGE_EDGE,
                                                  "default-graph-uri": BASE + "products/lagos-lst-downscaled/collection.json"})
    assert orjson.loads(inside.data)["boolean"] is True
    assert orjson.loads(outside.data)["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graph = BASE + "products/arctic-sar-mosaics/collection.json"
    r = client.post("/sparql?" + urlencode({"named-graph-uri": graph}), data=q, content_type="application/sparql-query")
    assert [b["g"]["value"] for b in orjson.loads(r.data)["results"]["bindings"]] == [graph]


# -- result formats --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_results_in_every_format(client, accept, media):
    r = client.get("/sparql", query_string={"query": PRODUCTS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == media
    assert (BASE + "products/arctic-sar-mosaics").encode() in r.data


def test_csv_results_parse_as_csv(client):
    r = client.get("/sparql", query_string={"query": PRODUCTS, "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.data.decode())))
    assert rows[0] == ["p"] and len(rows) == 7


def test_select_results_as_xml_parse_with_rdflib(client):
    r = client.get("/sparql", query_string={"query": PRODUCTS}, headers={"Accept": "application/sparql-results+xml"})
    result = rdflib.query.Result.parse(io.BytesIO(r.data), format="xml")
    assert len(list(result)) == 6


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_results(client, accept):
    r = client.get("/sparql", query_string={"query": LINEAGE_EDGE}, headers={"Accept": accept})
    assert r.status_code == 200 and b"true" in r.data


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
@pytest.mark.parametrize("query", [CONSTRUCT, f"DESCRIBE <{BASE}products/arctic-sar-mosaics>"])
def test_graph_results_in_every_rdf_format(client, query, accept, rdflib_format):
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    graph = rdflib.Graph().parse(data=r.data, format=rdflib_format)
    assert (rdflib.URIRef(BASE + "products/arctic-sar-mosaics"), None, None) in graph


def test_unacceptable_format_is_406(client):
    r = client.get("/sparql", query_string={"query": PRODUCTS}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406


@pytest.mark.embedded_only("the result cap is applied by the embedded store's query workers; a remote store's answer "
                            "is passed through as the store serialised it (docs/service.md)")
def test_results_are_capped_and_say_so(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert len(orjson.loads(r.data)["results"]["bindings"]) == 50
    assert r.headers["X-SPARQL-Results-Truncated"] == "50"
    small = client.get("/sparql", query_string={"query": PRODUCTS})
    assert "X-SPARQL-Results-Truncated" not in small.headers


@pytest.mark.embedded_only("the result cap is applied by the embedded store's query workers; a remote store's answer "
                            "is passed through as the store serialised it (docs/service.md)")
def test_construct_results_are_capped_too(client):
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert len(r.data.splitlines()) == 50 and r.headers["X-SPARQL-Results-Truncated"] == "50"


# -- errors ----------------------------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert b"error at 1:" in r.data and b"expected" in r.data


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, method):
    assert getattr(client, method)("/sparql", query_string={"query": "ASK {}"}).status_code == 405


def test_post_with_another_media_type_is_415(client):
    assert client.post("/sparql", data="ASK {}", content_type="text/plain").status_code == 415


def test_non_utf8_body_is_refused(client):
    r = client.post("/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16")
    assert r.status_code == 415


def test_two_queries_are_400(client):
    assert client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D").status_code == 400


def test_query_and_update_together_are_400(client):
    assert client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}).status_code == 400


@pytest.mark.embedded_only("killable query workers; the remote counterpart is in test_service_remote.py")
def test_a_slow_query_is_stopped_at_the_time_limit():
    """A cartesian product over the whole demo catalog runs for minutes; the worker is killed at 1 s."""
    app = demo_app_with(query_timeout_s=1.0)
    try:
        c = app.test_client()
        started = time.monotonic()
        r = c.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
        elapsed = time.monotonic() - started
        assert r.status_code == 504
        assert b"time limit" in r.data
        assert elapsed < 15  # stopped, not run to completion
        # the killed worker was replaced: the next query is answered
        assert c.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    finally:
        close_app(app)


# -- updates ---------------------------------------------------------------------------------------------------------
INSERT = f'INSERT DATA {{ GRAPH <{BASE}scratch> {{ <{BASE}s> <{BASE}p> "added" }} }}'
ADDED = f'ASK {{ <{BASE}s> <{BASE}p> "added" }}'


def test_updates_are_off_without_a_configured_token(client):
    r = client.post("/sparql", data=INSERT, content_type="application/sparql-update",
                    headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and b"disabled" in r.data


def test_update_by_get_is_refused(client):
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 400


@pytest.fixture(scope="module")
def token_app_for_module(request, backend):
    app = app_on(request, backend, DEMO_CATALOG, update_token=UPDATE_TOKEN)
    yield app
    close_app(app)


@pytest.fixture
def token_app(token_app_for_module):
    """An app that takes updates (these tests write: over the shared server, its data is reloaded afterwards)."""
    yield ready(token_app_for_module)
    changed(token_app_for_module)


def test_update_needs_the_token(token_app):
    c = token_app.test_client()
    missing = c.post("/sparql", data=INSERT, content_type="application/sparql-update")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = c.post("/sparql", data=INSERT, content_type="application/sparql-update",
                   headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403


def test_update_with_the_token_is_applied_and_seen_by_later_queries(token_app):
    c = token_app.test_client()
    assert orjson.loads(c.get("/sparql", query_string={"query": ADDED}).data)["boolean"] is False
    r = c.post("/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert r.status_code == 204
    assert orjson.loads(c.get("/sparql", query_string={"query": ADDED}).data)["boolean"] is True


def test_malformed_update_is_400(token_app):
    r = token_app.test_client().post("/sparql", data="CLEAR XYZ", content_type="application/sparql-update",
                                     headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert r.status_code == 400


# -- service description, query page, CORS ---------------------------------------------------------------------------
def test_get_without_query_returns_the_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=r.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef("http://localhost/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Update) not in graph


def test_a_browser_gets_a_query_page(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html" and b"<textarea" in r.data


def test_cors_on_queries_and_preflight(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.com"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://example.com", "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    assert "Authorization" not in pre.headers["Access-Control-Allow-Headers"]
