"""Linked data for harvesters: dereferencing with content negotiation, Link headers and Signposting, schema.org
JSON-LD in product pages, the Hydra-paged DCAT catalogue, VoID and the sitemap."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import orjson
import pytest
import rdflib

from tests.conftest import BASE, needs_real_catalog

PRODUCT = "/products/arctic-sea-ice-classification"
IRI = rdflib.URIRef(BASE + "products/arctic-sea-ice-classification")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
RDF_FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
               ("application/rdf+xml", "xml")]

pytest_plugins = ["tests.service_fixtures"]


def links(response) -> list[tuple[str, dict[str, str]]]:
    """Parse an RFC 8288 Link header into (target, params)."""
    out = []
    for m in re.finditer(r'<([^>]*)>((?:\s*;\s*[\w-]+="[^"]*")*)', response.headers.get("Link", "")):
        out.append((m.group(1), dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2)))))
    return out


@pytest.mark.parametrize("accept, fmt", RDF_FORMATS)
def test_entity_iri_dereferences_in_every_rdf_format(client, accept, fmt):
    r = client.get(PRODUCT, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert r.headers["Vary"] == "Accept"
    graph = rdflib.Graph().parse(data=r.data, format=fmt)
    assert (IRI, rdflib.URIRef("http://purl.org/dc/terms/title"), None) in graph
    # the hash nodes minted under its document (links, extents) come with it
    assert any(str(o).startswith(str(IRI) + "/collection.json#location") for o in graph.objects(IRI, None))


def test_format_parameter_and_mediatype_override_accept(client):
    assert client.get(PRODUCT + "?format=nt", headers={"Accept": "text/html"}).mimetype == "application/n-triples"
    assert client.get(PRODUCT + "?_mediatype=application/ld%2Bjson").mimetype == "application/ld+json"


def test_curl_default_is_turtle_and_a_browser_gets_html(client):
    assert client.get(PRODUCT, headers={"Accept": "*/*"}).mimetype == "text/turtle"
    html = client.get(PRODUCT, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.mimetype == "text/html" and b"Arctic Sea Ice Type Classification Maps" in html.data


def test_content_location_and_alternate_links(client):
    r = client.get(PRODUCT, headers={"Accept": "text/turtle"})
    assert r.headers["Content-Location"] == "http://localhost" + PRODUCT + "?format=ttl"
    alternates = {p["type"]: target for target, p in links(r) if p.get("rel") == "alternate"}
    assert set(alternates) == {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                               "application/rdf+xml"}
    for media, target in alternates.items():
        assert client.get(target).mimetype == media


def test_signposting_links(client):
    by_rel = {p["rel"]: target for target, p in links(client.get(PRODUCT)) if p.get("rel") != "alternate"}
    assert by_rel["cite-as"] == "https://doi.org/10.5281/zenodo.1234567"
    assert by_rel["describedby"].endswith("/products/arctic-sea-ice-classification/collection.json")
    assert by_rel["type"] == "https://schema.org/Dataset"
    assert by_rel["license"] == "http://spdx.org/licenses/CC-BY-4.0"


def test_product_page_embeds_schema_org_dataset(client):
    html = client.get(PRODUCT, headers={"Accept": "text/html"}).data.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    dataset = orjson.loads(script)
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert dataset["name"] == "Arctic Sea Ice Type Classification Maps" and len(dataset["description"]) >= 50
    assert dataset["sameAs"] == "https://doi.org/10.5281/zenodo.1234567"
    assert dataset["spatialCoverage"][0]["geo"]["box"] == "60 -180 90 180"  # S W N E
    assert dataset["temporalCoverage"].startswith("2024-01-01")
    assert "Sea Ice Concentration" in dataset["variableMeasured"]
    assert dataset["license"] == "http://spdx.org/licenses/CC-BY-4.0"
    assert dataset["includedInDataCatalog"]["url"] == "http://localhost/catalog"


def test_jsonld_from_the_page_parses_as_rdf(client):
    html = client.get(PRODUCT + "?format=html").data.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    doc = orjson.loads(script)
    doc["@context"] = {"@vocab": "https://schema.org/"}  # offline: no fetching the remote context
    graph = rdflib.Graph().parse(data=orjson.dumps(doc), format="json-ld")
    assert (IRI, rdflib.RDF.type, rdflib.URIRef("https://schema.org/Dataset")) in graph


@pytest.mark.parametrize("path", ["/experiments/sea-ice-classification-2024", "/workflows/ice-edge-extraction",
                                  "/projects/polar-ice-monitoring", "/themes/cryosphere", "/variables/sea-ice-extent",
                                  "/eo-missions/sentinel-1", "/products", "/experiments/sea-ice-classification-2024/input",
                                  "/products/alpine-glacier-elevation-change/items/aletsch-dh-2019"])
def test_every_kind_of_entity_dereferences(client, path):
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert (rdflib.URIRef(BASE + path[1:]), None, None) in rdflib.Graph().parse(data=r.data, format="turtle")


def test_a_catalog_file_iri_serves_its_named_graph(client):
    r = client.get("/products/arctic-sar-mosaics/collection.json", headers={"Accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=r.data, format="nt")
    doc = rdflib.URIRef(BASE + "products/arctic-sar-mosaics/collection.json")
    assert (doc, rdflib.URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), None) in graph


def test_unknown_iri_is_404_and_unknown_format_406(client):
    assert client.get("/products/nope").status_code == 404
    assert client.get(PRODUCT, headers={"Accept": "image/png"}).status_code == 406
    assert client.get(PRODUCT + "?format=docx").status_code == 406


def test_home_page(client):
    r = client.get("/")
    assert r.status_code == 200 and b"/sparql" in r.data and b"/catalog" in r.data


# -- DCAT catalogue --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("accept, fmt", RDF_FORMATS)
def test_catalogue_lists_every_product_as_a_dcat_dataset(client, accept, fmt):
    r = client.get("/catalog", headers={"Accept": accept})
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.data, format=fmt)
    catalog = rdflib.URIRef(BASE + "catalog")
    assert (catalog, rdflib.RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 6
    for d in datasets:
        assert (d, rdflib.RDF.type, DCAT.Dataset) in graph
        distribution = graph.value(d, DCAT.distribution)
        assert graph.value(distribution, DCAT.accessURL) is not None


def test_catalogue_page_view_is_hydra(client):
    graph = rdflib.Graph().parse(data=client.get("/catalog?format=ttl").data, format="turtle")
    (view,) = graph.subjects(rdflib.RDF.type, HYDRA.PartialCollectionView)
    assert int(graph.value(view, HYDRA.totalItems)) == 6
    assert graph.value(view, HYDRA.next) is None


@needs_real_catalog
def test_real_catalogue_pages_with_hydra_next(real_client):
    seen, url = set(), "/catalog?format=ttl"
    for _ in range(10):
        graph = rdflib.Graph().parse(data=real_client.get(url).data, format="turtle")
        seen |= set(graph.objects(rdflib.URIRef(BASE + "catalog"), DCAT.dataset))
        (view,) = graph.subjects(rdflib.RDF.type, HYDRA.PartialCollectionView)
        nxt = graph.value(view, HYDRA.next)
        if nxt is None:
            break
        url = str(nxt).replace("http://localhost", "") + "&format=ttl"
    assert len(seen) == 351 and int(graph.value(view, HYDRA.totalItems)) == 351


def test_catalogue_modified_since_and_bad_pages(client):
    graph = rdflib.Graph().parse(data=client.get("/catalog?format=ttl&modified_since=2099-01-01").data, format="turtle")
    assert not set(graph.objects(rdflib.URIRef(BASE + "catalog"), DCAT.dataset))
    assert client.get("/catalog?page=0").status_code == 400
    assert client.get("/catalog?page=99").status_code == 404


# -- VoID, sitemap ---------------------------------------------------------------------------------------------------
def test_void_description(client):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=r.data, format="turtle")
    (dataset,) = graph.subjects(rdflib.RDF.type, VOID.Dataset)
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == "http://localhost/sparql"
    assert str(graph.value(dataset, VOID.uriSpace)) == BASE
    assert int(graph.value(dataset, VOID.triples)) > 1000
    classes = {str(graph.value(p, VOID["class"])): int(graph.value(p, VOID.entities))
               for p in graph.objects(dataset, VOID.classPartition)}
    assert classes["https://w3id.org/earthcode/ontology#Product"] == 6


def test_sitemap_lists_entity_pages_with_lastmod(client):
    r = client.get("/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ElementTree.fromstring(r.data).findall("s:url", ns)}
    assert urls["http://localhost/products/arctic-sea-ice-classification"] == "2025-02-25T14:00:00Z"
    assert "http://localhost/workflows/ice-edge-extraction" in urls
    assert all(client.get(u.replace("http://localhost", "")).status_code == 200 for u in list(urls)[:10])
    assert b"Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").data
