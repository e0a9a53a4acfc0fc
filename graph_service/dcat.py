"""The DCAT-AP catalogue of all products at ``/catalog``, Hydra-paged as CKAN (ckanext-dcat), piveau and udata
harvest it.

The catalogue node is the root catalog's own IRI (``{base}catalog``), so dereferencing the catalog IRI gives the
catalogue. Pages hold :data:`PAGE_SIZE` products in IRI order: one query lists the product IRIs (cheap), the page's
first and last IRIs are bound into ``dcat_datasets.rq``, and the page view carries ``hydra:first/previous/next/last``.
``modified_since=<date>`` keeps only products modified on or after that date (incremental harvesting).
"""

from __future__ import annotations

import math

import pyoxigraph as ox
from flask import Blueprint, Response, abort, request

from loaders.vocab import DCAT, DCT, FOAF, PREFIXES, RDF

from .conneg import HTML, choose_representation, finish
from .pages import render_resource
from .service import Service, current_service

bp = Blueprint("dcat", __name__)

PAGE_SIZE = 100
HYDRA = "http://www.w3.org/ns/hydra/core#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
PUBLISHER = ox.NamedNode("https://www.esa.int/")
HOMEPAGE = ox.NamedNode("https://opensciencedata.esa.int/")
CATALOG_TITLE = "EarthCODE Open Science Catalog"
CATALOG_DESCRIPTION = ("The products, projects, workflows and experiments of ESA's EarthCODE Open Science Catalog, "
                       "with the lineage that links each product to the experiment and workflow that generated it.")


def _t(s: ox.NamedNode | ox.BlankNode, p: str, o: object) -> ox.Triple:
    return ox.Triple(s, ox.NamedNode(p), o)


def _page_url(page: int) -> ox.NamedNode:
    args = request.args.to_dict()
    args.pop("format", None)
    args["page"] = str(page)
    return ox.NamedNode(request.base_url + "?" + "&".join(f"{k}={v}" for k, v in sorted(args.items())))


def _products(service: Service, modified_since: str | None) -> list[str]:
    rows = service.select("dcat_products")
    if modified_since:
        rows = [r for r in rows if "lastModified" in r and r["lastModified"].value >= modified_since]
    return [r["product"].value for r in rows]


def catalogue_page(service: Service, page: int, modified_since: str | None) -> list[ox.Triple]:
    products = _products(service, modified_since)
    pages = max(1, math.ceil(len(products) / PAGE_SIZE))
    if page > pages:
        abort(404, description=f"page {page} is past the last page ({pages})")
    chunk = products[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    catalog = ox.NamedNode(service.base + "catalog")
    triples = [
        _t(catalog, RDF + "type", ox.NamedNode(DCAT + "Catalog")),
        _t(catalog, DCT + "title", ox.Literal(CATALOG_TITLE, language="en")),
        _t(catalog, DCT + "description", ox.Literal(CATALOG_DESCRIPTION, language="en")),
        _t(catalog, DCT + "publisher", PUBLISHER),
        _t(catalog, FOAF + "homepage", HOMEPAGE),
        _t(HOMEPAGE, RDF + "type", ox.NamedNode(FOAF + "Document")),
        _t(catalog, DCAT + "themeTaxonomy", ox.NamedNode(service.base + "themes")),
        _t(PUBLISHER, RDF + "type", ox.NamedNode(FOAF + "Organization")),
        _t(PUBLISHER, RDF + "type", ox.NamedNode(FOAF + "Agent")),
        _t(PUBLISHER, FOAF + "name", ox.Literal("European Space Agency", language="en")),
        _t(ox.NamedNode(service.base + "themes"), RDF + "type", ox.NamedNode(PREFIXES["skos"] + "ConceptScheme")),
        _t(ox.NamedNode(service.base + "themes"), DCT + "title", ox.Literal("OSC themes", language="en")),
    ]
    view = _page_url(page)
    triples += [
        _t(view, RDF + "type", ox.NamedNode(HYDRA + "PartialCollectionView")),
        _t(view, HYDRA + "totalItems", ox.Literal(str(len(products)), datatype=XSD_INTEGER)),
        _t(view, HYDRA + "itemsPerPage", ox.Literal(str(PAGE_SIZE), datatype=XSD_INTEGER)),
        _t(view, HYDRA + "first", _page_url(1)),
        _t(view, HYDRA + "last", _page_url(pages)),
    ]
    if page > 1:
        triples.append(_t(view, HYDRA + "previous", _page_url(page - 1)))
    if page < pages:
        triples.append(_t(view, HYDRA + "next", _page_url(page + 1)))
    if not chunk:
        return triples
    for product in chunk:
        triples.append(_t(catalog, DCAT + "dataset", ox.NamedNode(product)))
        triples.append(_t(ox.NamedNode(product), DCT + "publisher", PUBLISHER))
    triples += service.construct("dcat_datasets", first=ox.NamedNode(chunk[0]), last=ox.NamedNode(chunk[-1]))
    return list(dict.fromkeys(triples))


@bp.get("/catalog")
def catalogue() -> Response:
    service = current_service()
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        abort(400, description="page must be a positive integer")
    if page < 1:
        abort(400, description="page must be a positive integer")
    media = choose_representation()
    triples = catalogue_page(service, page, request.args.get("modified_since"))
    iri, url = service.base + "catalog", request.base_url
    if media == HTML:
        body = render_resource(service, iri, url, triples, title=CATALOG_TITLE)
    else:
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media),
                            prefixes={**PREFIXES, "hydra": HYDRA})
    return finish(Response(body, mimetype=media), url, media, [])
