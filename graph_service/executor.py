"""Running a user's SPARQL for the ``/sparql`` endpoint: how the time limit and the result cap are enforced.

Two executors share one small interface:

* :class:`DirectExecutor` for a remote store: the request goes to the store's own SPARQL endpoint with the time
  limit as the HTTP timeout (``GraphStore.query_raw(timeout_s=…)``); the remote server's own limits apply to how the
  query is stopped, and results are passed through as the store serialised them (no cap is applied here).
* :class:`~graph_service.query_workers.WorkerPoolExecutor` for the embedded store: pyoxigraph cannot interrupt a
  running query from Python (and an ORDER BY or aggregate does all its work before the first solution), so user
  queries run in pre-forked worker processes that are killed at the deadline and replaced.

:func:`execute` is what runs inside a worker: it evaluates the query on a pyoxigraph ``Store`` and serialises at most
``limit`` solutions or triples, so the cap holds whatever the query says.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Protocol

import pyoxigraph as ox

from earthcode_kg.store.base import GraphStore, NotAcceptable, QuerySyntaxError, StoreError
from earthcode_kg.store.formats import negotiate
from loaders.vocab import PREFIXES

from .results import serialize_solutions


@dataclass(frozen=True)
class QueryRequest:
    query: str
    accept: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    media_type: str
    #: the result had more solutions/triples than the cap and was cut
    truncated: bool = False


class SparqlExecutor(Protocol):
    def query(self, request: QueryRequest) -> QueryOutcome:
        """Run a query; raises QuerySyntaxError, QueryTimeout, NotAcceptable or StoreError."""

    def update(self, update: str) -> None:
        """Run an update (already authorised by the caller)."""

    def close(self) -> None:
        """Release workers and connections."""


class DirectExecutor:
    """The remote-store path: one HTTP request per query, with the time limit as the timeout."""

    def __init__(self, store: GraphStore, timeout_s: float) -> None:
        self.store = store
        self.timeout_s = timeout_s

    def query(self, request: QueryRequest) -> QueryOutcome:
        raw = self.store.query_raw(request.query, request.accept, default_graphs=list(request.default_graphs) or None,
                                   named_graphs=list(request.named_graphs) or None, timeout_s=self.timeout_s)
        return QueryOutcome(raw.body, raw.media_type)

    def update(self, update: str) -> None:
        self.store.update(update)

    def close(self) -> None:
        pass


def execute(store: ox.Store, request: QueryRequest, limit: int) -> QueryOutcome:
    """Evaluate ``request`` on ``store`` and serialise at most ``limit`` results in the negotiated format."""
    union = not request.default_graphs and not request.named_graphs
    kw: dict[str, object] = {}
    if request.default_graphs:
        kw["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        result = store.query(request.query, base_iri=request.base_iri, use_default_graph_as_union=union, **kw)
    except SyntaxError as e:
        raise QuerySyntaxError(str(e)) from e
    except (OSError, ValueError) as e:
        raise StoreError(str(e)) from e
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    media = negotiate(request.accept, kind)
    if media is None:
        raise NotAcceptable(request.accept, kind)
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome(result.serialize(format=ox.QueryResultsFormat.from_media_type(media)), media)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions = [list(s) for s in islice(result, limit + 1)]
        return QueryOutcome(serialize_solutions(media, variables, solutions[:limit]), media, len(solutions) > limit)
    triples = list(islice(result, limit + 1))
    body = ox.serialize(triples[:limit], format=ox.RdfFormat.from_media_type(media), prefixes=PREFIXES)
    return QueryOutcome(body, media, len(triples) > limit)
