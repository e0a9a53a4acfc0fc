"""The W3C SPARQL 1.1 Protocol and Service Description test manifests, run against the Flask test client.

Each ``mf:ProtocolTest`` is read from the manifest with rdflib: its ``ut:graphData`` files are loaded into a fresh
store under their labels (the graph names the queries use), its ``ht:Request``s are replayed in order with
``/sparql/`` as the endpoint (the app answers there), and each response is checked for the expected status class,
boolean and result format, once per backend (an in-memory store, and the shared Oxigraph server emptied before each
test). Updates are enabled with a token sent on every request. Tests that give the update
dataset through ``using-graph-uri``/``using-named-graph-uri`` are skipped: pyoxigraph's ``Store.update`` takes no
dataset, so the service refuses those parameters with 400 (which is what the one negative test expects).
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import orjson
import pytest
import rdflib

from earthcode_kg.store import OxigraphStore
from graph_service import create_app
from graph_service.app import close_app
from tests.service_fixtures import UPDATE_TOKEN, app_settings, remote_settings

SUITE = Path(__file__).parent.parent.parent / "shared" / "conformance" / "w3c-sparql11" / "sparql" / "sparql11"
PROTOCOL = SUITE / "protocol" / "manifest.ttl"
SERVICE_DESCRIPTION = SUITE / "service-description" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}
UNSUPPORTED = ("using-graph-uri", "using-named-graph-uri")

pytestmark = pytest.mark.skipif(not PROTOCOL.is_file(), reason=f"the W3C test suite is not beside the repository ({SUITE})")


def _entries(manifest: Path) -> list[tuple[rdflib.Graph, rdflib.URIRef]]:
    if not manifest.is_file():
        return []
    graph = rdflib.Graph().parse(manifest, format="turtle")
    (head,) = graph.objects(None, MF.entries)
    return [(graph, test) for test in rdflib.collection.Collection(graph, head)]


PROTOCOL_TESTS = _entries(PROTOCOL)


def _requests(graph: rdflib.Graph, test: rdflib.URIRef) -> list[rdflib.term.Node]:
    action = graph.value(test, MF.action)
    return list(rdflib.collection.Collection(graph, graph.value(action, HT.requests)))


def _expected_statuses(graph: rdflib.Graph, response: rdflib.term.Node) -> set[str]:
    return {str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)}


def _check_response(graph, request_node, response, name):
    expected = graph.value(request_node, HT.resp)
    classes = _expected_statuses(graph, expected)
    assert f"{response.status_code // 100}xx" in classes, f"{name}: {response.status_code} {response.data[:300]!r}"
    fmt = graph.value(expected, MF.expectedFormat)
    if fmt is not None and str(fmt) == "tabular":
        assert response.mimetype in RESULT_TYPES
    elif fmt is not None and str(fmt) == "RDF":
        assert response.mimetype in RDF_TYPES
    elif fmt is not None and str(fmt) == "boolean":
        assert response.mimetype in ("application/sparql-results+json", "application/sparql-results+xml")
    boolean = graph.value(expected, MF.expectedBoolean)
    if boolean is not None:
        if response.mimetype == "application/sparql-results+json":
            actual = orjson.loads(response.data)["boolean"]
        else:
            actual = rdflib.query.Result.parse(io.BytesIO(response.data), format="xml").askAnswer
        assert actual is boolean.toPython(), f"{name}: expected {boolean}"


@pytest.fixture
def protocol_app(request, backend):
    """A fresh store per test (update tests CLEAR ALL): in memory, or the shared server emptied; a dummy triple keeps
    the demo catalog from being loaded."""
    if backend == "embedded":
        store = OxigraphStore()
        settings = app_settings(update_token=UPDATE_TOKEN)
    else:
        server = request.getfixturevalue("oxigraph_server")  # written as the test likes; reloaded after it
        server.reset()
        store = server.remote_store()
        settings = remote_settings(server, update_token=UPDATE_TOKEN)
    store.replace_graph("urn:x-test:placeholder", b"<urn:x-test:s> <urn:x-test:p> <urn:x-test:o> .\n")
    app = create_app(settings, store=store, query_workers=1)
    yield app
    close_app(app)


@pytest.mark.parametrize("graph, test", PROTOCOL_TESTS, ids=[str(t).rsplit("#", 1)[1] for _, t in PROTOCOL_TESTS])
def test_protocol(protocol_app, graph, test):
    name = str(test).rsplit("#", 1)[1]
    requests = _requests(graph, test)
    first_path = str(graph.value(requests[0], HT.absolutePath))
    if any(p in first_path for p in UNSUPPORTED) and "2xx" in _expected_statuses(graph, graph.value(requests[0], HT.resp)):
        pytest.skip("update dataset via using-graph-uri/using-named-graph-uri: the service refuses them (400) on both "
                    "backends, because pyoxigraph's Store.update takes no dataset")
    store = protocol_app.extensions["earthcode_kg"].store
    for data in graph.objects(test, UT.graphData):
        source = Path(unquote(str(graph.value(data, UT.graph)).removeprefix("file://")))
        store.replace_graph(str(graph.value(data, rdflib.RDFS.label)), source.read_bytes())
    client = protocol_app.test_client()
    for request_node in requests:
        headers = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
        for h in rdflib.collection.Collection(graph, graph.value(request_node, HT.headers) or rdflib.RDF.nil):
            headers[str(graph.value(h, HT.fieldName))] = str(graph.value(h, HT.fieldValue))
        body = graph.value(request_node, HT.body)
        data = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(graph.value(body, CNT.chars)).encode(encoding)
        content_type = headers.pop("content-type", None)
        response = client.open(str(graph.value(request_node, HT.absolutePath)),
                               method=str(graph.value(request_node, HT.methodName)), data=data,
                               headers=headers, content_type=content_type)
        _check_response(graph, request_node, response, name)


# -- service description -------------------------------------------------------------------------------------------
SD_TESTS = [str(t).rsplit("#", 1)[1] for _, t in _entries(SERVICE_DESCRIPTION)]


@pytest.fixture
def description(protocol_app):
    response = protocol_app.test_client().get("/sparql/", headers={"Accept": "text/turtle"})
    return response, "http://localhost/sparql"


@pytest.mark.parametrize("name", SD_TESTS)
def test_service_description(description, name):
    response, endpoint = description
    assert response.status_code == 200 and response.mimetype == "text/turtle"  # returns-rdf
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    services = set(graph.subjects(rdflib.RDF.type, SD.Service))
    if name == "has-endpoint-triple":
        assert any(str(o) == endpoint for s in services for o in graph.objects(s, SD.endpoint))
    elif name == "conforms-to-schema":
        (service,) = services
        assert set(graph.objects(service, SD.supportedLanguage)) >= {SD.SPARQL11Query, SD.SPARQL11Update}
        for fmt in graph.objects(service, SD.resultFormat):
            assert str(fmt).startswith("http://www.w3.org/ns/formats/")
        dataset = graph.value(service, SD.defaultDataset)
        assert (dataset, rdflib.RDF.type, SD.Dataset) in graph and graph.value(dataset, SD.defaultGraph) is not None
