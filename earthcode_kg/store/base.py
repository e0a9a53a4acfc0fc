"""The store interface every backend implements.

The loaders, the validator and the service talk to the graph only through :class:`GraphStore`, so the embedded
Oxigraph store and a remote SPARQL 1.1 store are interchangeable. The interface is deliberately small and maps
one-to-one onto standard operations: named-graph replace/drop are Graph Store Protocol PUT/DELETE, queries are
SPARQL 1.1 Protocol requests. Terms crossing the interface are pyoxigraph terms on both backends, so callers never
care which one they hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, Union, runtime_checkable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = Union[NamedNode, BlankNode, Literal, Triple]
Bindings = Mapping[str, Term]
Row = dict[str, Term]


class StoreError(Exception):
    """Base class of store failures the service turns into clear HTTP errors."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached (remote store down); the service answers 503 and retries later."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; the message is the parser's own."""


class QueryTimeout(StoreError):
    """The query ran past the configured time limit and was stopped."""


class NotAcceptable(StoreError):
    """No serialisation the client accepts fits the query's result kind (HTTP 406)."""

    def __init__(self, accept: str | None, kind: str) -> None:
        super().__init__(f"cannot serialise {'solutions' if kind == 'results' else 'triples'} as {accept!r}")
        self.kind = kind


@dataclass(frozen=True)
class RawResult:
    """A query result already serialised by the store, as the SPARQL endpoint passes it through."""

    body: bytes
    media_type: str


@runtime_checkable
class GraphStore(Protocol):
    """A quad store with one named graph per source document.

    Every query runs over the union of the named graphs by default (``union=True``) because each catalog file lives in
    its own graph; pass ``union=False`` (and optionally explicit graph lists) for SPARQL-Protocol dataset semantics.
    """

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        """Atomically replace the content of ``graph`` with the given N-Triples (creating it if absent)."""

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """Replace many graphs at once; backends may use a faster bulk path than repeated ``replace_graph``."""

    def drop_graph(self, graph: str) -> None:
        """Remove ``graph`` and all its triples (no error if it does not exist)."""

    def graphs(self) -> set[str]:
        """The IRIs of all named graphs."""

    def select(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[Row]:
        """Run a SELECT; ``bindings`` (one row, or a sequence of rows) are joined in as a VALUES block of terms that
        pyoxigraph serialises — never spliced into the text as strings (see :mod:`earthcode_kg.store.bindings`)."""

    def ask(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> bool:
        """Run an ASK query."""

    def construct(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    def query_raw(
        self,
        query: str,
        accept: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout_s: float | None = None,
    ) -> RawResult:
        """Run any query for the SPARQL endpoint, serialised as negotiated from ``accept`` (an Accept header value or a
        short name, see :mod:`earthcode_kg.store.formats`); raises :class:`NotAcceptable` if nothing fits."""

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update."""

    def export(self, media_type: str) -> bytes:
        """Serialise the whole dataset (N-Quads, TriG) or the union of its graphs (Turtle)."""

    def triple_count(self) -> int:
        """Number of quads in the store."""

    def close(self) -> None:
        """Release files and connections."""
