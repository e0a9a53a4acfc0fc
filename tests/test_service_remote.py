"""The service over a remote store, for real: ``earthcode-kg serve --store-url …`` against ``oxigraph serve``, in one
process and in several; the demo catalog loaded into an empty remote store; the time limit as the HTTP timeout (and
as the server's own); and the store going down under a running service (503 with the reason) and coming back.

The rest of the service's behaviour is specified once for both backends (``tests/service_fixtures.py``); these are
the remote counterparts of what only the embedded store does (killable query workers, read-only snapshots)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from earthcode_kg.ingest import DEMO_CATALOG
from graph_service import create_app
from graph_service.app import close_app
from tests.oxigraph_server import OxigraphServer
from tests.service_fixtures import UPDATE_TOKEN, load_catalog, remote_settings, start_server, stop_server
from tests.test_service_server import children, fetch

LINEAGE = "api/products/arctic-ice-edge-lines/lineage"
PRODUCTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/earthcode/ontology#Product> }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def store_options(server: OxigraphServer) -> list[str]:
    return ["--store-url", server.query_url, "--update-url", server.update_url, "--gsp-url", server.gsp_url]


def sparql(root: str, query: str):
    return fetch(root + "sparql?" + urllib.parse.urlencode({"query": query}), accept="application/sparql-results+json")


def product_count(root: str) -> int:
    status, _, body = sparql(root, PRODUCTS)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# -- earthcode-kg serve --store-url ------------------------------------------------------------------------------------
@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_loads_the_demo_catalog_into_an_empty_remote_store_and_serves_it(oxigraph_server, workers):
    oxigraph_server.reset()
    process, root = start_server([*store_options(oxigraph_server), "--workers", workers],
                                 env={"EARTHCODE_KG_UPDATE_TOKEN": UPDATE_TOKEN})
    try:
        if workers == "2":
            assert len(children(process.pid)) == 2  # each opened its own remote store (no read-only snapshot)
        status, headers, body = fetch(root + LINEAGE)
        assert status == 200 and "Werkzeug" not in headers.get("Server", "")
        assert json.loads(body)["experiment"]["id"] == "ice-edge-extraction-2024"
        assert product_count(root) == 6
        # the data is in the remote store itself, not in the service
        assert oxigraph_server.remote_store().triple_count() > 1000
        # every server process writes to the same remote store: updates are accepted even with several workers
        update = 'INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:s> <urn:x-test:p> "added" } }'
        request = urllib.request.Request(root + "sparql", data=update.encode(), method="POST", headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {UPDATE_TOKEN}"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 204
        for _ in range(4):  # new connections, spread over the server processes: all see the change
            status, _, body = sparql(root, 'ASK { <urn:x-test:s> <urn:x-test:p> "added" }')
            assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        stop_server(process)


def test_serve_with_a_loaded_remote_store_serves_it_as_it_is(oxigraph_server):
    """A non-empty store is served as it is (no demo catalog added): here one product only."""
    oxigraph_server.reset()
    store = oxigraph_server.remote_store()
    store.replace_graph("urn:x-test:g", b"<urn:x-test:p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                        b"<https://w3id.org/earthcode/ontology#Product> .\n")
    process, root = start_server(store_options(oxigraph_server))
    try:
        assert product_count(root) == 1
    finally:
        stop_server(process)


def test_serve_with_a_remote_store_that_is_down_is_one_clear_error(tmp_path):
    with OxigraphServer(tmp_path / "store") as server:
        options = store_options(server)
    result = subprocess.run([sys.executable, "-m", "earthcode_kg.cli", "serve", *options, "--port", "1"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    assert f"SPARQL store at {server.query_url} is unreachable" in result.stderr
    assert "Traceback" not in result.stderr


# -- the store goes down under a running service and comes back ------------------------------------------------------
def test_store_down_is_503_with_the_reason_and_the_service_recovers_when_it_returns(tmp_path):
    with OxigraphServer(tmp_path / "store") as server:
        process, root = start_server(store_options(server))  # loads the demo catalog into the empty store
        try:
            assert fetch(root + LINEAGE)[0] == 200
            server.stop()
            status, headers, body = fetch(root + LINEAGE)
            assert status == 503 and headers["Content-Type"] == "application/json"
            message = json.loads(body)["error"]["message"]
            assert f"SPARQL store at {server.query_url} is unreachable" in message
            status, headers, body = sparql(root, "ASK {}")
            assert status == 503 and headers["Content-Type"].startswith("text/plain") and b"unreachable" in body
            assert fetch(root + "products/arctic-ice-edge-lines", accept="text/turtle")[0] == 503
            server.start()  # same port, same data
            status, _, body = fetch(root + LINEAGE)
            assert status == 200 and json.loads(body)["experiment"]["id"] == "ice-edge-extraction-2024"
            assert product_count(root) == 6
        finally:
            stop_server(process)


# -- the time limit ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    """A server of this module's own (a runaway query must not load the shared one), which stops queries itself
    after 2 s (``--timeout-s``), holding the demo catalog."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph-timeout") / "store", args=("--timeout-s", "2")) as server:
        server.hold("demo", load_catalog(DEMO_CATALOG))
        yield server


def test_a_query_past_the_time_limit_is_504_then_the_service_answers_again(slow_server):
    """The service's limit is the HTTP timeout of the request to the store."""
    app = create_app(remote_settings(slow_server, query_timeout_s=0.5), prepare=False)
    try:
        c = app.test_client()
        started = time.monotonic()
        r = c.get("/sparql", query_string={"query": CARTESIAN})
        assert r.status_code == 504 and b"did not answer within 0.5 s" in r.data
        assert time.monotonic() - started < 10
        assert c.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        assert c.get("/" + LINEAGE).status_code == 200
    finally:
        close_app(app)


def test_a_query_the_store_stops_itself_is_504_not_a_cut_answer(slow_server):
    """Oxigraph server stops a query at its own ``--timeout-s`` after the 200 status line went out, and appends its
    message to the partial body: that is a timeout (504), never passed on as a result."""
    app = create_app(remote_settings(slow_server, query_timeout_s=30), prepare=False)
    try:
        r = app.test_client().get("/sparql", query_string={"query": CARTESIAN})
        assert r.status_code == 504 and b"stopped the query at its own time limit" in r.data, r.data[:300]
    finally:
        close_app(app)
