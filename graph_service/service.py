"""What every blueprint needs, kept on ``app.extensions`` (no module-level mutable state): the settings, the store,
the named queries, the SPARQL executor, and helpers that turn store IRIs into this service's URLs.

IRIs are minted under ``settings.base_iri`` (e.g. ``https://w3id.org/earthcode/``) and the service answers for the
path after it, whatever host it is reached on: behind a w3id redirect the IRI and the URL coincide; on 127.0.0.1 the
links in responses still point back at this server (``url_for`` of the IRI), so every view is navigable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from flask import current_app, g, request
from pyoxigraph import NamedNode

from earthcode_kg.config import Settings
from earthcode_kg.store.base import GraphStore, Row, Term
from loaders.iris import TYPE_FOLDERS
from queries import NamedQuery, load_queries

from .executor import SparqlExecutor

if TYPE_CHECKING:
    from .response_cache import ResponseCache
    from .validation_views import ReportCache

EXTENSION = "earthcode_kg"
#: type folder -> the JSON view of an entity of that type (others have linked-data views only)
API_VIEWS = {"products": "products", "experiments": "experiments", "workflows": "workflows", "projects": "projects"}


@dataclass
class Service:
    settings: Settings
    store: GraphStore
    executor: SparqlExecutor
    #: serving a read-only snapshot (one of several server processes): SPARQL Update is refused
    read_only: bool = False
    #: cached JSON API answers (None: not cached, e.g. over a remote store that others may write)
    cache: ResponseCache | None = None
    queries: dict[str, NamedQuery] = field(default_factory=load_queries)
    #: the latest full validation report (computed on first use; see validation_views)
    validation: ReportCache = field(default_factory=lambda: _report_cache())

    def __post_init__(self) -> None:
        b = self.settings.base_iri
        #: the base IRI, ending in ``/`` or ``#`` (settings are frozen, so it is computed once)
        self.base = b if b.endswith(("/", "#")) else b + "/"

    def store_changed(self) -> None:
        """Called after this service wrote the store (a SPARQL Update): cached answers are dropped."""
        if self.cache is not None:
            self.cache.invalidate()
        self.validation.invalidate()

    def select(self, name: str, **bindings: Term) -> list[Row]:
        """Run a named query with already-typed bindings (the JSON views use the same ``.rq`` files as the API); the
        store joins them in (:func:`earthcode_kg.store.bindings.bind`)."""
        return self.store.select(self.queries[name].text, bindings)

    def construct(self, name: str, **bindings: Term) -> list:
        return self.store.construct(self.queries[name].text, bindings)

    def entity_iri(self, folder: str, id_: str) -> NamedNode:
        return NamedNode(self.base + folder + "/" + _quote(id_))

    # -- IRIs <-> service URLs -------------------------------------------------------------------------------------
    def local_path(self, iri: str) -> str | None:
        """The path after the base for an IRI minted here (``products/polaris``), else None."""
        return iri[len(self.base):] if iri.startswith(self.base) else None

    def url_for_iri(self, iri: str) -> str | None:
        """Where this server answers for ``iri`` (its linked-data view), or None for an IRI from elsewhere."""
        path = self.local_path(iri)
        return None if path is None else url_root() + path

    def classify(self, iri: str) -> tuple[str, str] | None:
        """(type folder, id) for an entity IRI ``{base}<folder>/<id>``, else None."""
        path = self.local_path(iri)
        if path is None:
            return None
        parts = path.split("/")
        if len(parts) == 2 and parts[0] in TYPE_FOLDERS and parts[1]:
            return parts[0], _unquote(parts[1])
        return None

    def ref(self, iri: str, title: str | None = None, **extra: Any) -> dict[str, Any]:
        """How every JSON view names another record: its IRI, kind and id, title, and links to its views."""
        return self.ref_under(url_root(), iri, title, extra)

    def ref_under(self, root: str, iri: str, title: str | None = None, extra: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
        """:meth:`ref` with the request's ``url_root`` given (views that name many records look it up once)."""
        out: dict[str, Any] = {"iri": iri}
        links: dict[str, str] = {}
        base = self.base
        if iri.startswith(base):
            path = iri[len(base):]
            folder, slash, id_ = path.partition("/")
            if slash and id_ and "/" not in id_ and folder in TYPE_FOLDERS:  # an entity: {base}<folder>/<id>
                id_ = _unquote(id_)
                if folder in API_VIEWS:
                    links["json"] = f"{root}api/{API_VIEWS[folder]}/{_quote(id_)}"
                out["type"], out["id"] = TYPE_FOLDERS[folder][0], id_
            url = root + path
            links["linked_data"] = url
            links["html"] = url + "?format=html"
            links["turtle"] = url + "?format=ttl"
        out["title"] = title
        if extra:
            out.update(extra)
        out["links"] = links
        return out


def _report_cache() -> ReportCache:
    from .validation_views import ReportCache  # the validation views import this module

    return ReportCache()


def url_root() -> str:
    """``request.url_root``, computed once per request (werkzeug rebuilds it on every access; a lineage view names
    dozens of records)."""
    root = g.get("url_root")
    if root is None:
        root = g.url_root = request.url_root
    return root


def current_service() -> Service:
    return current_app.extensions[EXTENSION]


def _quote(id_: str) -> str:
    return quote(id_, safe="/:@!$&'()*+,;=-._~")


def _unquote(id_: str) -> str:
    return unquote(id_)
