"""The store contract, specified once and run on both backends (the ``store`` fixture is parametrised), plus what only
a remote store can do: be down, come back, need credentials, be slow."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from earthcode_kg.ingest import ingest
from earthcode_kg.store import (
    OxigraphStore,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    embedded,
    remote,
)
from earthcode_kg.store.base import GraphStore, NotAcceptable
from earthcode_kg.store.bindings import BindingError
from earthcode_kg.store.remote import RemoteStore, auth_headers, split_marker
from tests.conftest import QUIRKS_CATALOG
from tests.http_stubs import gateway, require_authorization, slow, unavailable
from tests.oxigraph_server import OxigraphServer

G1, G2 = "https://example.org/g/1", "https://example.org/g/2"
S, P = "https://example.org/s", "https://example.org/p"
EVIL = 'x" } ; DROP ALL ; #'


def nt(*objects: str, subject: str = S) -> bytes:
    """N-Triples with one ``<S> <P> "object"`` line per object."""
    return "".join(f"<{subject}> <{P}> {ox.Literal(o)} .\n" for o in objects).encode()


def objects(store: GraphStore, **bindings: ox.NamedNode | ox.Literal) -> set[str]:
    return {r["o"].value for r in store.select(f"SELECT ?o WHERE {{ ?s <{P}> ?o }}", bindings or None)}


def canonical(nquads: bytes) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


# -- writing ---------------------------------------------------------------------------------------------------------
def test_both_backends_implement_the_store_interface(store):
    assert isinstance(store, GraphStore)


def test_a_replaced_graph_is_listed_and_queried(store):
    store.replace_graph(G1, nt("a", "b"))
    assert store.graphs() == {G1}
    assert objects(store) == {"a", "b"}


def test_replacing_a_graph_removes_its_previous_triples(store):
    store.replace_graph(G1, nt("old"))
    store.replace_graph(G1, nt("new"))
    assert objects(store) == {"new"}


def test_replacing_a_graph_leaves_other_graphs_alone(store):
    store.replace_graph(G1, nt("one"))
    store.replace_graph(G2, nt("two"))
    store.replace_graph(G1, nt("uno"))
    assert objects(store) == {"uno", "two"}


def test_dropping_a_graph_removes_it_and_its_triples(store):
    store.replace_graph(G1, nt("a"))
    store.drop_graph(G1)
    assert store.graphs() == set() and objects(store) == set()


def test_dropping_a_missing_graph_is_not_an_error(store):
    store.drop_graph(G1)
    assert store.graphs() == set()


def test_bulk_replace_loads_new_graphs_and_replaces_existing_ones(store):
    store.replace_graph(G1, nt("stale"))
    store.replace_graphs([(G1, nt("fresh")), (G2, nt("two"))])
    assert store.graphs() == {G1, G2}
    assert objects(store) == {"fresh", "two"}


def test_bulk_replace_of_many_small_graphs(store):
    graphs = [(f"{G1}/{i}", nt(str(i), subject=f"{S}/{i}")) for i in range(500)]
    store.replace_graphs(graphs)
    assert len(store.graphs()) == 500 and store.triple_count() == 500


def test_a_document_larger_than_one_update_request_still_loads(store):
    big = nt(*(f"value {i} " + "x" * 100 for i in range(12_000)))  # ~1.6 MB, over Oxigraph's 1 MiB body limit
    store.replace_graph(G1, big)
    assert store.triple_count() == 12_000


def test_update_runs_sparql_update(store):
    store.update(f'INSERT DATA {{ GRAPH <{G1}> {{ <{S}> <{P}> "inserted" }} }}')
    assert objects(store) == {"inserted"}


def test_triple_count_counts_the_quads_of_all_graphs(store):
    store.replace_graph(G1, nt("a", "b"))
    store.replace_graph(G2, nt("a"))
    assert store.triple_count() == 3


# -- reading ---------------------------------------------------------------------------------------------------------
def test_queries_see_the_union_of_the_named_graphs(store):
    store.replace_graph(G1, nt("a"))
    store.replace_graph(G2, nt("b"))
    assert objects(store) == {"a", "b"}


def test_graph_patterns_name_the_graph_each_triple_is_in(store):
    store.replace_graph(G1, nt("a"))
    rows = store.select(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ ?s <{P}> ?o }} }}", union=False)
    assert [(r["g"].value, r["o"].value) for r in rows] == [(G1, "a")]


def test_select_rows_are_pyoxigraph_terms_and_leave_out_unbound_variables(store):
    store.replace_graph(G1, nt("a"))
    (row,) = store.select(f"SELECT ?s ?o ?unbound WHERE {{ ?s <{P}> ?o }}")
    assert row == {"s": ox.NamedNode(S), "o": ox.Literal("a")}


def test_ask_answers_true_and_false(store):
    store.replace_graph(G1, nt("a"))
    assert store.ask(f'ASK {{ ?s <{P}> "a" }}') is True
    assert store.ask(f'ASK {{ ?s <{P}> "zzz" }}') is False


def test_construct_returns_triples(store):
    store.replace_graph(G1, nt("a"))
    assert store.construct(f"CONSTRUCT {{ ?s <{P}> ?o }} WHERE {{ ?s <{P}> ?o }}") == [
        ox.Triple(ox.NamedNode(S), ox.NamedNode(P), ox.Literal("a"))]


def test_select_refuses_a_construct_query(store):
    with pytest.raises(QuerySyntaxError):
        store.select("CONSTRUCT WHERE { ?s ?p ?o }")


def test_a_syntax_error_carries_the_parsers_message(store):
    with pytest.raises(QuerySyntaxError, match=r"\S"):
        store.select("SELECT ?s WHERE { ?s ?p ")


@pytest.mark.parametrize("comment", ["# everything loaded from one file", "# insert a product here; DROP nothing"])
def test_a_query_whose_comment_reads_like_an_update_is_still_a_query(store, comment):
    """Comments are not the query's form (the remote store once sent such a query as an update)."""
    store.replace_graph(G1, nt("a"))
    assert store.select(f"{comment}\n{SELECT_O}") == [{"o": ox.Literal("a")}]
    assert store.query_raw(f"{comment}\nASK {{ ?s ?p ?o }}", "application/sparql-results+json").body.startswith(b"{")


def test_an_update_syntax_error_is_a_syntax_error(store):
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { <a> ")


# -- bindings --------------------------------------------------------------------------------------------------------
def test_an_iri_binding_restricts_the_query(store):
    store.replace_graph(G1, nt("mine") + nt("other", subject=S + "/other"))
    assert objects(store, s=ox.NamedNode(S)) == {"mine"}


def test_a_literal_binding_matches_the_literal(store):
    store.replace_graph(G1, nt("a", "b"))
    assert store.ask(f"ASK {{ ?s <{P}> ?o }}", {"o": ox.Literal("b")})
    assert not store.ask(f"ASK {{ ?s <{P}> ?o }}", {"o": ox.Literal("c")})


def test_a_malicious_literal_binding_stays_a_literal(store):
    store.replace_graph(G1, nt(EVIL, "harmless"))
    rows = store.select(f"SELECT ?s WHERE {{ ?s <{P}> ?o }}", {"o": ox.Literal(EVIL)})
    assert rows == [{"s": ox.NamedNode(S)}]
    assert objects(store) == {EVIL, "harmless"}  # nothing was dropped


def test_bindings_apply_before_grouping_so_aggregates_see_them(store):
    store.replace_graph(G1, nt("a", "b") + nt("c", subject=S + "/other"))
    (row,) = store.select(f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?s <{P}> ?o }}", {"s": ox.NamedNode(S)})
    assert int(row["n"].value) == 2


def test_a_bad_variable_name_is_refused_before_anything_runs(store):
    with pytest.raises(BindingError):
        store.select("SELECT ?s WHERE { ?s ?p ?o }", {"s} . ?x ?y {": ox.NamedNode(S)})


# -- query_raw (the SPARQL endpoint's pass-through) ------------------------------------------------------------------
SELECT_O = f"SELECT ?o WHERE {{ ?s <{P}> ?o }}"


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_are_serialised_as_negotiated(store, accept, media):
    store.replace_graph(G1, nt("a"))
    result = store.query_raw(SELECT_O, accept)
    assert result.media_type == media
    parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.from_media_type(media))
    assert [s["o"].value for s in parsed] == ["a"]


@pytest.mark.parametrize("accept, media", [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
])
def test_construct_results_are_serialised_as_negotiated(store, accept, media):
    store.replace_graph(G1, nt("a"))
    result = store.query_raw("CONSTRUCT WHERE { ?s ?p ?o }", accept)
    assert result.media_type == media
    assert len(list(ox.parse(result.body, format=ox.RdfFormat.from_media_type(media)))) == 1


def test_csv_results_carry_the_values(store):
    store.replace_graph(G1, nt("a"))
    body = store.query_raw(SELECT_O, "text/csv").body.decode()
    assert list(csv.reader(io.StringIO(body))) == [["o"], ["a"]]


def test_a_graph_format_for_a_select_is_not_acceptable(store):
    with pytest.raises(NotAcceptable):
        store.query_raw(SELECT_O, "text/turtle")


def test_query_raw_reports_syntax_errors(store):
    with pytest.raises(QuerySyntaxError):
        store.query_raw("SELECT nonsense", "application/sparql-results+json")


def test_explicit_default_graphs_restrict_the_dataset(store):
    store.replace_graph(G1, nt("a"))
    store.replace_graph(G2, nt("b"))
    body = store.query_raw(SELECT_O, "application/sparql-results+json", default_graphs=[G2]).body
    assert [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["b"]


# -- export ----------------------------------------------------------------------------------------------------------
def test_nquads_export_keeps_every_graph(store):
    store.replace_graph(G1, nt("a"))
    store.replace_graph(G2, nt("b"))
    quads = set(ox.parse(store.export("application/n-quads"), format=ox.RdfFormat.N_QUADS))
    assert {(q.graph_name.value, q.object.value) for q in quads} == {(G1, "a"), (G2, "b")}


def test_turtle_export_is_the_union_of_the_graphs(store):
    store.replace_graph(G1, nt("a"))
    store.replace_graph(G2, nt("a", "b"))
    triples = list(ox.parse(store.export("text/turtle"), format=ox.RdfFormat.TURTLE))
    assert sorted(t.object.value for t in triples) == ["a", "b"]


def test_export_refuses_an_unknown_media_type(store):
    with pytest.raises(StoreError):
        store.export("application/x-nonsense")


# -- interrupted loads converge --------------------------------------------------------------------------------------
class Interrupted(Exception):
    pass


class Interrupting:
    """A store whose writes die after ``n`` documents, as a killed load would (the store itself stays as it was)."""

    def __init__(self, store: GraphStore, n: int) -> None:
        self.store, self.left = store, n

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def _countdown(self) -> None:
        if self.left == 0:
            raise Interrupted
        self.left -= 1

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        self._countdown()
        self.store.replace_graph(graph, ntriples)

    def replace_graphs(self, graphs) -> None:
        def until_interrupted():
            for item in graphs:
                self._countdown()
                yield item

        self.store.replace_graphs(until_interrupted())


def clean_load(catalog, settings) -> ox.Dataset:
    reference = OxigraphStore()
    ingest(reference, catalog, settings)
    return canonical(reference.export("application/n-quads"))


@pytest.fixture
def small_batches(monkeypatch):
    """Bulk loads write in many small requests, so an interruption lands after some of them are in the store."""
    monkeypatch.setattr(embedded, "_BATCH_BYTES", 20_000)
    monkeypatch.setattr(remote, "_BULK_BYTES", 20_000)


@pytest.mark.parametrize("after", [0, 7, 30])
def test_an_interrupted_first_load_run_again_equals_a_clean_load(store, settings, catalog_copy, small_batches, after):
    with pytest.raises(Interrupted):
        ingest(Interrupting(store, after), catalog_copy, settings)
    ingest(store, catalog_copy, settings)
    assert canonical(store.export("application/n-quads")) == clean_load(catalog_copy, settings)


@pytest.mark.parametrize("after", [0, 5])
def test_an_interrupted_reload_run_again_equals_a_clean_load(store, settings, catalog_copy, small_batches, after):
    ingest(store, catalog_copy, settings)
    for path in (catalog_copy / "products").rglob("*.json"):
        path.write_text(path.read_text().replace('"title": "', '"title": "v2 ', 1))
    (catalog_copy / "products/arctic-sar-mosaics/collection.json").unlink()
    with pytest.raises(Interrupted):
        ingest(Interrupting(store, after), catalog_copy, settings)
    ingest(store, catalog_copy, settings)
    assert canonical(store.export("application/n-quads")) == clean_load(catalog_copy, settings)


# -- the embedded bulk path ------------------------------------------------------------------------------------------
class OneByOne:
    """A store that takes every document through ``replace_graph``: one SPARQL Update each, parsed strictly."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def replace_graphs(self, graphs) -> None:
        for graph, ntriples in graphs:
            self.store.replace_graph(graph, ntriples)


#: hrefs no IRI can be made of (bad host, port, escape) or only by percent-encoding, and relative paths to encode
HOSTILE_HREFS = ["http://[::1", "https://host:notaport/x", "https://ex.org/%zz", "http://a b/<c>", "http://ü.org/ä",
                 "../../projects/a b/collection.json", "../../variables/ä{x}/catalog.json", "mailto:"]


@pytest.fixture
def hostile_catalog(catalog_copy) -> Path:
    """The demo catalog with one product linking to every hostile href."""
    path = catalog_copy / "products/arctic-sar-mosaics/collection.json"
    doc = json.loads(path.read_text())
    doc["links"] += [{"rel": "related", "href": href} for href in HOSTILE_HREFS]
    path.write_text(json.dumps(doc))
    return catalog_copy


@pytest.mark.parametrize("catalog", ["hostile_catalog", QUIRKS_CATALOG], ids=["hostile-hrefs", "quirks"])
def test_a_bulk_load_by_concurrent_lenient_writers_equals_a_strict_load_document_by_document(
    request, tmp_path, settings, small_batches, catalog
):
    """The bulk path skips Oxigraph's IRI checks and runs several ``bulk_load`` calls at once (store.embedded); what
    it stores must be exactly what strict, one-at-a-time loading stores — and re-parse strictly (``canonical``)."""
    if isinstance(catalog, str):
        catalog = request.getfixturevalue(catalog)
    bulk = OxigraphStore(tmp_path / "store")
    ingest(bulk, catalog, settings)
    one_by_one = OxigraphStore()
    ingest(OneByOne(one_by_one), catalog, settings)
    assert canonical(bulk.export("application/n-quads")) == canonical(one_by_one.export("application/n-quads"))


def test_the_commit_marker_is_split_from_a_documents_triples():
    marker = f'<{G1}> <https://w3id.org/earthcode/ontology#contentHash> "abc" .\n'.encode()
    content, found = split_marker(G1, nt("a") + marker + nt("b"))
    assert (content, found) == (nt("a", "b"), marker)


def test_a_document_without_a_marker_is_all_content():
    assert split_marker(G1, nt("a")) == (nt("a"), b"")


# -- remote only: outages, retries, credentials, timeouts ------------------------------------------------------------
@pytest.fixture
def own_server(tmp_path):
    """A server of the test's own, which the test may stop and start."""
    with OxigraphServer(tmp_path / "store") as server:
        yield server


def test_a_store_that_is_down_raises_store_unavailable_naming_the_url(own_server):
    store = own_server.remote_store(retries=1, backoff_s=0.01)
    own_server.stop()
    with pytest.raises(StoreUnavailable, match=own_server.query_url.replace("/", ".")):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_the_store_works_again_when_the_server_returns(own_server):
    store = own_server.remote_store(retries=0)
    store.replace_graph(G1, nt("kept"))
    own_server.stop()
    with pytest.raises(StoreUnavailable):
        store.select(SELECT_O)
    own_server.start()
    assert objects(store) == {"kept"}


def test_connection_errors_are_retried_until_the_server_is_back(own_server):
    store = own_server.remote_store(retries=6, backoff_s=0.05)  # waits up to 0.05 * (2^6 - 1) = 3.15 s
    own_server.stop()
    threading.Timer(0.3, own_server.start).start()
    assert objects(store) == set()


def test_retries_are_bounded(own_server):
    store = own_server.remote_store(retries=2, backoff_s=0.05)
    own_server.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="3 attempts"):
        store.ask("ASK {}")
    assert time.monotonic() - started < 2


def test_a_gateway_answering_503_is_store_unavailable_with_its_message(oxigraph_server):
    with gateway(oxigraph_server.base_url, unavailable("store in maintenance")) as (url, seen):
        store = RemoteStore(url + "/query", url + "/update", retries=2, backoff_s=0.01)
        with pytest.raises(StoreUnavailable, match="HTTP 503.*store in maintenance"):
            store.ask("ASK {}")
    assert len(seen) == 3


def test_client_errors_are_not_retried(oxigraph_server):
    with gateway(oxigraph_server.base_url) as (url, seen), pytest.raises(QuerySyntaxError):
        RemoteStore(url + "/query", retries=3).ask("ASK {")
    assert len(seen) == 1


@pytest.mark.parametrize("credentials, header", [
    ({"user": "kg", "password": "s3cret"}, "Basic a2c6czNjcmV0"),
    ({"token": "t0ken"}, "Bearer t0ken"),
])
def test_credentials_are_sent_on_every_request(oxigraph_server, credentials, header):
    with gateway(oxigraph_server.base_url, require_authorization(header)) as (url, seen):
        store = RemoteStore(url + "/query", url + "/update", url + "/store", **credentials)
        store.replace_graphs([(G1, nt("a"))])
        store.replace_graph(G2, nt("b"))
        assert objects(store) == {"a", "b"}
    assert {h.get("Authorization") for h in seen} == {header}


def test_missing_credentials_are_a_clear_error(oxigraph_server):
    with (gateway(oxigraph_server.base_url, require_authorization("Bearer right")) as (url, _),
          pytest.raises(StoreError, match="refused the credentials .HTTP 401")):
        RemoteStore(url + "/query", token="wrong").ask("ASK {}")


def test_a_token_takes_precedence_over_a_user():
    assert auth_headers("u", "p", "t") == {"Authorization": "Bearer t"}


def test_a_slow_store_times_out(oxigraph_server):
    with gateway(oxigraph_server.base_url, slow(2)) as (url, _), pytest.raises(QueryTimeout):
        RemoteStore(url + "/query").query_raw("ASK {}", "*/*", timeout_s=0.2)


def test_the_remote_store_is_built_from_the_settings(settings, oxigraph_server):
    from earthcode_kg.store import open_store

    configured = settings.with_overrides(store_url=oxigraph_server.query_url, update_url=oxigraph_server.update_url,
                                         gsp_url=oxigraph_server.gsp_url, store_token="t", store_timeout_s=3)
    store = open_store(configured)
    assert isinstance(store, RemoteStore)
    assert (store.update_url, store.gsp_url, store.timeout_s) == (oxigraph_server.update_url,
                                                                  oxigraph_server.gsp_url, 3)


def test_without_a_gsp_url_bulk_loads_use_sparql_update(oxigraph_server):
    store = RemoteStore(oxigraph_server.query_url, oxigraph_server.update_url)
    store.update("DROP ALL")
    store.replace_graphs((f"{G1}/{i}", nt(str(i))) for i in range(50))
    assert len(store.graphs()) == 50


