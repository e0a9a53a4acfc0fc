"""Dereferencing: every IRI minted under the base answers here, with content negotiation.

``{base}products/polaris`` is served at ``/products/polaris`` (and so on for every type folder, items, experiment
files and the catalog files themselves, whose IRIs name their named graphs). The answer is given directly (200) with
``Content-Location`` naming the representation and ``Vary: Accept`` — no 303 round trip, as Trifid and LodView do;
harvesters and browsers get the data in one request. ``Link`` headers carry the alternates and FAIR Signposting
(``cite-as``, ``describedby``, ``type``, ``license``). Product pages embed schema.org ``Dataset`` JSON-LD.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from loaders.iris import TYPE_FOLDERS
from loaders.vocab import DCT, EC, PREFIXES, RDF, SCHEMA

from . import schema_org, terms
from .conneg import HTML, choose_representation, finish
from .pages import render_resource
from .service import Service, current_service

bp = Blueprint("linked_data", __name__)
FOLDERS = ", ".join(f"'{f}'" for f in TYPE_FOLDERS)
_SIGNPOSTING_TYPES = {EC + "Product": SCHEMA + "Dataset", EC + "Workflow": SCHEMA + "SoftwareSourceCode",
                      EC + "Experiment": SCHEMA + "CreateAction", EC + "Project": SCHEMA + "ResearchProject"}


@bp.get("/")
def home() -> Response:
    service = current_service()
    return Response(render_template("index.html", triples=service.store.triple_count(), base=service.base,
                                    folders=list(TYPE_FOLDERS)), mimetype="text/html")


@bp.get("/<any('catalog.json'):folder>")
@bp.get(f"/<any({FOLDERS}):folder>")
@bp.get(f"/<any({FOLDERS}):folder>/<path:rest>")
def resource(folder: str, rest: str | None = None) -> Response:
    service = current_service()
    iri = service.base + folder + (f"/{rest}" if rest else "")
    node = ox.NamedNode(iri)
    media = choose_representation()
    triples = service.construct("describe", entity=node)
    is_document = not triples
    if is_document:
        triples = service.construct("document", document=node)
    if not triples:
        abort(404, description=f"nothing is known about {iri}")
    url = request.base_url
    links = [] if is_document else signposting(iri, triples)
    if media == HTML:
        jsonld = product_jsonld(service, iri, url, triples) if _is_a(triples, iri, EC + "Product") else None
        body = render_resource(service, iri, url, triples, jsonld=jsonld)
        return finish(Response(body, mimetype=HTML), url, media, links)
    body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=PREFIXES)
    return finish(Response(body, mimetype=media), url, media, links)


def _is_a(triples: list[ox.Triple], iri: str, cls: str) -> bool:
    return any(t.subject.value == iri and t.predicate.value == RDF + "type" and t.object.value == cls for t in triples)


def signposting(iri: str, triples: list[ox.Triple]) -> list[str]:
    """FAIR Signposting links (RFC 8288 syntax): the persistent identifier, the source record, type and licence."""
    own = [t for t in triples if t.subject.value == iri]
    doi = next((t.object.value for t in own if t.predicate.value == EC + "doi"), None)
    links = [f'<{f"https://doi.org/{doi}" if doi else iri}>; rel="cite-as"']
    sources = {t.object.value for t in triples if t.predicate.value == DCT + "source"}
    links += [f'<{s}>; rel="describedby"; type="application/json"' for s in sorted(sources)]
    for t in own:
        if t.predicate.value == RDF + "type" and t.object.value in _SIGNPOSTING_TYPES:
            links.append(f'<{_SIGNPOSTING_TYPES[t.object.value]}>; rel="type"')
        elif t.predicate.value == DCT + "license" and isinstance(t.object, ox.NamedNode):
            links.append(f'<{t.object.value}>; rel="license"')
    return links


def product_jsonld(service: Service, iri: str, url: str, triples: list[ox.Triple]) -> dict:
    titles = {r["record"].value: terms.text(r.get("recordTitle")) for r in
              service.select("product", product=ox.NamedNode(iri)) if "recordTitle" in r}
    return schema_org.dataset(iri, url, triples, titles, request.url_root + "catalog")

