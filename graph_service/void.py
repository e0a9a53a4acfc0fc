"""Discovery files: the VoID description at ``/.well-known/void`` (RFC 5785), ``/sitemap.xml`` with ``lastmod`` for
crawlers (Google Dataset Search finds the product pages through it) and ``/robots.txt`` pointing at the sitemap."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, request

from loaders.iris import TYPE_FOLDERS
from loaders.vocab import DCT, PREFIXES, RDF

from .conneg import HTML, choose_representation, finish
from .pages import render_resource
from .service import current_service

bp = Blueprint("void", __name__)

VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
VOCABULARIES = ("ec", "dct", "dcat", "prov", "skos", "foaf", "schema", "geo", "vcard")


def _t(s: object, p: str, o: object) -> ox.Triple:
    return ox.Triple(s, ox.NamedNode(p), o)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


@bp.get("/.well-known/void")
def void() -> Response:
    service = current_service()
    dataset = ox.NamedNode(service.base + "void#dataset")
    root = request.url_root
    triples = [
        _t(dataset, RDF + "type", ox.NamedNode(VOID + "Dataset")),
        _t(dataset, DCT + "title", ox.Literal("EarthCODE Open Science Catalog knowledge graph", language="en")),
        _t(dataset, DCT + "description", ox.Literal(
            "The OSC catalog as RDF: one named graph per catalog file, PROV lineage from products to experiments "
            "and workflows, DCAT and SKOS for products and vocabularies.", language="en")),
        _t(dataset, VOID + "sparqlEndpoint", ox.NamedNode(root + "sparql")),
        _t(dataset, VOID + "uriSpace", ox.Literal(service.base)),
        _t(dataset, VOID + "rootResource", ox.NamedNode(service.base + "catalog")),
        _t(dataset, VOID + "triples", _int(service.store.triple_count())),
        _t(dataset, VOID + "feature", ox.NamedNode("http://www.w3.org/ns/formats/Turtle")),
        _t(dataset, VOID + "feature", ox.NamedNode("http://www.w3.org/ns/formats/JSON-LD")),
        _t(dataset, VOID + "feature", ox.NamedNode("http://www.w3.org/ns/formats/RDF_XML")),
        _t(dataset, VOID + "feature", ox.NamedNode("http://www.w3.org/ns/formats/N-Triples")),
    ]
    triples += [_t(dataset, VOID + "vocabulary", ox.NamedNode(PREFIXES[p])) for p in VOCABULARIES]
    for i, row in enumerate(service.select("void_classes")):
        partition = ox.NamedNode(f"{service.base}void#class-{i}")
        triples += [_t(dataset, VOID + "classPartition", partition),
                    _t(partition, VOID + "class", row["class"]),
                    _t(partition, VOID + "entities", row["entities"])]
    triples += [_t(dataset, VOID + "exampleResource", r["product"]) for r in service.select("dcat_products")[:3]]
    media = choose_representation()
    url = request.base_url
    if media == HTML:
        body = render_resource(service, dataset.value, url, triples, title="VoID description")
    else:
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes={**PREFIXES, "void": VOID})
    return finish(Response(body, mimetype=media), url, media, [])


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """One URL per entity page (under a type folder), with its last modification date."""
    service = current_service()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             f"<url><loc>{escape(request.url_root)}catalog</loc></url>"]
    for row in service.select("sitemap"):
        iri = row["entity"].value
        kind = service.classify(iri)
        if kind is None or kind[0] not in TYPE_FOLDERS:
            continue
        lastmod = f"<lastmod>{escape(row['lastmod'].value)}</lastmod>" if "lastmod" in row else ""
        lines.append(f"<url><loc>{escape(service.url_for_iri(iri))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    return Response(f"User-agent: *\nAllow: /\nSitemap: {request.url_root}sitemap.xml\n", mimetype="text/plain")
