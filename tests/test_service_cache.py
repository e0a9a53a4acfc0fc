"""The JSON API's answer cache: repeated views are served from it, a SPARQL Update empties it, and nothing computed
before an update is stored after it. The cache is on over the embedded store only (nothing else writes it), so these
tests use an embedded app; the last one checks that an app over a real Oxigraph server caches nothing."""

from __future__ import annotations

import orjson
import pytest

from earthcode_kg.ingest import DEMO_CATALOG
from graph_service import create_app
from graph_service.app import close_app
from graph_service.response_cache import ResponseCache
from graph_service.service import EXTENSION
from tests.conftest import BASE
from tests.service_fixtures import UPDATE_TOKEN, demo_app_with, load_catalog, remote_settings

LINEAGE = "/api/products/arctic-ice-edge-lines/lineage"
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}


@pytest.fixture
def app():
    app = demo_app_with(update_token=UPDATE_TOKEN)
    yield app
    close_app(app)


def test_a_repeated_view_is_served_from_the_cache(app):
    c = app.test_client()
    first, second = c.get(LINEAGE), c.get(LINEAGE)
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert first.data == second.data and second.mimetype == "application/json"
    assert second.headers["Access-Control-Allow-Origin"] == "*"


def test_the_key_is_the_whole_url_and_accept(app):
    c = app.test_client()
    c.get(LINEAGE)
    assert c.get(LINEAGE + "?depth=1").headers["X-Cache"] == "miss"
    other_host = c.get(LINEAGE, base_url="http://elsewhere.example")
    assert other_host.headers["X-Cache"] == "miss" and b"http://elsewhere.example/" in other_host.data
    q = "/api/queries/workflows_by_project?project=polar-ice-monitoring"
    assert c.get(q, headers={"Accept": "text/csv"}).mimetype == "text/csv"
    assert c.get(q, headers={"Accept": "application/sparql-results+json"}).mimetype == "application/sparql-results+json"
    assert c.get(q, headers={"Accept": "text/csv"}).headers["X-Cache"] == "hit"


def test_no_cache_request_is_computed_afresh(app):
    c = app.test_client()
    c.get(LINEAGE)
    assert c.get(LINEAGE, headers={"Cache-Control": "no-cache"}).headers["X-Cache"] == "miss"


def test_errors_and_other_routes_are_not_cached(app):
    c = app.test_client()
    for _ in range(2):
        assert "X-Cache" not in c.get("/products/arctic-ice-edge-lines", headers={"Accept": "text/turtle"}).headers
        r = c.get("/api/products/nope/lineage")
        assert r.status_code == 404 and r.headers["X-Cache"] == "miss"


def test_an_update_empties_the_cache_and_later_views_see_it(app):
    c = app.test_client()
    before = orjson.loads(c.get(LINEAGE).data)
    assert c.get(LINEAGE).headers["X-Cache"] == "hit"
    product = f"<{BASE}products/arctic-ice-edge-lines>"
    update = (f"DELETE {{ GRAPH ?g {{ {product} <http://purl.org/dc/terms/title> ?t }} }} "
              f"INSERT {{ GRAPH ?g {{ {product} <http://purl.org/dc/terms/title> \"Renamed\" }} }} "
              f"WHERE {{ GRAPH ?g {{ {product} <http://purl.org/dc/terms/title> ?t }} }}")
    assert c.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    after = c.get(LINEAGE)
    assert after.headers["X-Cache"] == "miss"
    assert before["product"]["title"] != "Renamed" and orjson.loads(after.data)["product"]["title"] == "Renamed"


def test_an_answer_computed_across_an_update_is_not_stored():
    cache = ResponseCache(1 << 20)
    generation = cache.generation
    cache.invalidate()  # an update finished while the answer was being computed
    cache.put(("u", ""), generation, b"old", [])
    assert cache.get(("u", "")) is None
    cache.put(("u", ""), cache.generation, b"new", [])
    assert cache.get(("u", ""))[0] == b"new"


def test_memory_is_bounded():
    cache = ResponseCache(1600)  # entries of at most 100 bytes
    for i in range(40):
        cache.put((str(i), ""), cache.generation, b"x" * 100, [])
    assert len(cache) == 16 and cache.get(("39", "")) is not None and cache.get(("0", "")) is None
    cache.put(("big", ""), cache.generation, b"x" * 101, [])
    assert cache.get(("big", "")) is None


def test_no_cache_over_a_store_others_may_write(app, oxigraph_server):
    """The same app over a real remote store (which others may write) caches nothing."""
    assert app.extensions[EXTENSION].cache is not None
    oxigraph_server.hold(str(DEMO_CATALOG), load_catalog(DEMO_CATALOG))
    other = create_app(remote_settings(oxigraph_server), prepare=False)
    try:
        assert other.extensions[EXTENSION].cache is None
        c = other.test_client()
        for _ in range(2):
            r = c.get(LINEAGE)
            assert r.status_code == 200 and "X-Cache" not in r.headers
    finally:
        close_app(other)
