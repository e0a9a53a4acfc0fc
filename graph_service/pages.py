"""Server-rendered HTML for RDF resources (entity pages, the catalogue): a table per subject, with links that stay on
this service for IRIs minted here, the alternates, and optionally embedded JSON-LD (schema.org) for search engines."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
from flask import render_template
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from loaders.vocab import PREFIXES

from .conneg import ALTERNATES, url_with_format
from .service import Service

_TITLES = ("http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#prefLabel")


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def title_of(iri: str, triples: list[Triple]) -> str | None:
    for predicate in _TITLES:
        for t in triples:
            if t.subject.value == iri and t.predicate.value == predicate:
                return t.object.value
    return None


def _object(service: Service, term: Any) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"href": service.url_for_iri(term.value) or term.value, "text": curie(term.value)}
    if isinstance(term, BlankNode):
        return {"text": "_:" + term.value}
    if isinstance(term, Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": term.value, "note": suffix or curie(term.datatype.value)}
    return {"text": str(term)}


def subjects(service: Service, focus: str, triples: list[Triple]) -> list[dict[str, Any]]:
    """Triples grouped by subject (the focus first), predicates sorted, for the template."""
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in dict.fromkeys(triples):
        grouped[t.subject.value][curie(t.predicate.value)].append(_object(service, t.object))
    order = sorted(grouped, key=lambda s: (s != focus, s))
    return [{"iri": s, "href": service.url_for_iri(s) or s, "properties": sorted(grouped[s].items())} for s in order]


def render_resource(service: Service, iri: str, url: str, triples: list[Triple], *, title: str | None = None,
                    jsonld: dict | None = None, extra: dict | None = None) -> str:
    return render_template(
        "resource.html",
        iri=iri,
        title=title or title_of(iri, triples) or curie(iri),
        subjects=subjects(service, iri, triples),
        alternates=[(media, url_with_format(url, media)) for media in ALTERNATES],
        jsonld=Markup(orjson.dumps(jsonld).decode().replace("</", "<\\/")) if jsonld else None,
        extra=extra or {},
    )
