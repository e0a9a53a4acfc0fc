"""The real thing: ``earthcode-kg serve`` as a separate process on 127.0.0.1 (waitress), driven over HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.service_fixtures import start_server, stop_server


def fetch(url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`earthcode-kg serve` with no store option: the default on-disk store (under a temporary XDG_DATA_HOME) is empty,
    so the demo catalog is loaded into it and served; a 1 s query limit for the timeout test."""
    data_home = tmp_path_factory.mktemp("xdg")
    process, root = start_server(["--query-timeout", "1", "--workers", "4"],
                                 env={"XDG_DATA_HOME": str(data_home)})
    yield root
    stop_server(process)


def test_serves_the_demo_catalog_by_default(server):
    status, headers, body = fetch(server + "api/products/arctic-ice-edge-lines/lineage")
    assert status == 200 and headers["Content-Type"] == "application/json"
    lineage = json.loads(body)
    assert lineage["experiment"]["id"] == "ice-edge-extraction-2024"
    assert headers["Server"].startswith("earthcode-kg")  # waitress, not the Flask development server


def test_sparql_over_http(server):
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/earthcode/ontology#Product> }"})
    status, _, body = fetch(server + "sparql?" + query, accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6"
    status, _, body = fetch(server + "sparql", data=b"ASK {}", content_type="application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_timeout_over_http_then_recovers(server):
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    started = time.monotonic()
    status, _, body = fetch(server + "sparql?" + query)
    assert status == 504 and b"time limit" in body and time.monotonic() - started < 15
    assert fetch(server + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200


def test_linked_data_over_http(server):
    status, headers, body = fetch(server + "products/arctic-sea-ice-classification", accept="text/html")
    assert status == 200 and b"application/ld+json" in body and 'rel="cite-as"' in headers["Link"]
    status, headers, _ = fetch(server + "catalog", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_unknown_id_is_a_json_404(server):
    status, _, body = fetch(server + "api/products/nope/lineage")
    assert status == 404 and json.loads(body)["error"]["status"] == 404
