"""Choosing the representation of a linked-data resource: HTML or one of the RDF syntaxes.

Order of precedence: ``format=`` (short names: html, ttl, jsonld, nt, rdfxml), ``_mediatype=`` (W3C Content
Negotiation by Profile's query-string form), then the Accept header. A browser (text/html first) gets HTML; ``*/*``
alone (curl, harvesters that do not say) gets Turtle.
"""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import NotAcceptable as HTTPNotAcceptable

from earthcode_kg.store.formats import GRAPHS, JSON_LD, N_TRIPLES, RDF_XML, SHORT_NAMES, TURTLE, parse_accept

HTML = "text/html"
#: the representations every linked-data resource has, with the ``format=`` short name used in alternate links
ALTERNATES = {HTML: "html", TURTLE: "ttl", JSON_LD: "jsonld", N_TRIPLES: "nt", RDF_XML: "rdfxml"}
_BY_NAME = {"html": HTML, **{k: v for k, v in SHORT_NAMES.items() if v in ALTERNATES}}


def _canonical(media: str) -> str | None:
    if media in (HTML, "application/xhtml+xml"):
        return HTML
    canonical = GRAPHS.get(media)
    return canonical if canonical in ALTERNATES else None


def choose_representation() -> str:
    """The media type to answer with; raises 406 when the client accepts none of ours."""
    fmt = request.args.get("format")
    if fmt:
        if fmt not in _BY_NAME:
            raise HTTPNotAcceptable(f"unknown format {fmt!r}; use one of {', '.join(sorted(set(ALTERNATES.values())))}")
        return _BY_NAME[fmt]
    wanted = request.args.get("_mediatype")
    ranked = [wanted] if wanted else parse_accept(request.headers.get("Accept"))
    if not ranked:
        return TURTLE
    for media in ranked:
        if media in ("*/*", "text/*", "application/*"):
            return TURTLE
        if (canonical := _canonical(media)) is not None:
            return canonical
    raise HTTPNotAcceptable("this resource is available as HTML, Turtle, JSON-LD, N-Triples and RDF/XML")


def alternate_links(url: str) -> list[str]:
    """RFC 8288 ``Link`` values pointing at each representation of the resource at ``url``."""
    sep = "&" if "?" in url else "?"
    return [f'<{url}{sep}format={name}>; rel="alternate"; type="{media}"' for media, name in ALTERNATES.items()]


def url_with_format(url: str, media: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}format={ALTERNATES[media]}"


def finish(response: Response, url: str, media: str, links: list[str]) -> Response:
    """Headers every linked-data answer carries: Vary, Content-Location of the chosen representation, and Links."""
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = url_with_format(url, media)
    response.headers["Link"] = ", ".join(alternate_links(url) + links)
    return response
