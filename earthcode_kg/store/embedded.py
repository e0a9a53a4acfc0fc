"""The embedded store: pyoxigraph, on disk by default, in memory for tests.

Bulk loads go through ``Store.bulk_load`` (measured 3-6x faster on disk than the transactional ``load``); a single
document is replaced in one SPARQL Update so readers never see it half-written.

Bulk loads parse leniently (``lenient=True``: Oxigraph skips re-validating IRIs): every statement comes from
:mod:`loaders.ntriples`, which only writes IRIs it minted from percent-encoded paths or checked with Oxigraph's own IRI
parser, so the strict check would only repeat that work: 8-16 % of the loader's CPU time at 100x, measured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from .base import Bindings, NotAcceptable, QuerySyntaxError, RawResult, Row, StoreError
from .bindings import bind
from .formats import negotiate
from .writers import run_steps

#: About 40k statements: large enough for bulk_load to be efficient, small enough to overlap with mapping.
_BATCH_BYTES = 8 * 1024 * 1024
_UNION_EXPORT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def ntriples_to_nquads(graph: str, ntriples: bytes) -> bytes:
    """Move N-Triples into ``graph``.

    Every N-Triples statement ends in `` .\\n`` and no term can contain a raw newline (literals escape it), so the
    terminator is an unambiguous place to insert the graph name.
    """
    return ntriples.replace(b" .\n", b" <" + graph.encode() + b"> .\n")


class OxigraphStore:
    """A :class:`~earthcode_kg.store.base.GraphStore` on an in-process pyoxigraph ``Store``."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None
        self.read_only = False
        if self.path:
            self.path.mkdir(parents=True, exist_ok=True)
        self._store = ox.Store(str(self.path)) if self.path else ox.Store()

    @classmethod
    def open_read_only(cls, path: str | Path) -> OxigraphStore:
        """An on-disk store opened for reading only (``pyoxigraph.Store.read_only``): several processes may do so at
        once, but no process may write it meanwhile (undefined behaviour, says Oxigraph), so only open it read-only
        once the writer has closed it. Writes raise."""
        self = cls.__new__(cls)
        self.path = Path(path)
        self.read_only = True
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as e:
            raise StoreError(f"cannot open {self.path} read-only: {e}") from e
        return self

    # -- writing -------------------------------------------------------------------------------------------------
    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        body = ntriples.decode()
        g = ox.NamedNode(graph)
        # One update = one transaction: the graph is never seen empty or half-loaded.
        self._store.update(f"DROP SILENT GRAPH {g} ; INSERT DATA {{ GRAPH {g} {{\n{body}}} }}")

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """Bulk path: ``bulk_load`` calls of ~8 MB each, run by writer threads (it releases the GIL) while the next
        batch is mapped (:mod:`~earthcode_kg.store.writers`)."""
        existing = self.graphs()

        def load(batch: bytes) -> None:
            try:
                self._store.bulk_load(batch, format=ox.RdfFormat.N_QUADS, lenient=True)
            except (OSError, SyntaxError, ValueError) as e:
                raise StoreError(f"bulk load failed: {e}") from e

        def steps() -> Iterator[Callable[[], None]]:
            chunk: list[bytes] = []
            size = 0
            for graph, ntriples in graphs:
                if graph in existing:
                    self._store.remove_graph(ox.NamedNode(graph))
                chunk.append(ntriples_to_nquads(graph, ntriples))
                size += len(ntriples)
                if size >= _BATCH_BYTES:
                    yield partial(load, b"".join(chunk))
                    chunk, size = [], 0
            if chunk:
                yield partial(load, b"".join(chunk))

        run_steps(steps(), name="oxigraph-bulk-load")
        if self.path:
            self._store.flush()

    def drop_graph(self, graph: str) -> None:
        g = ox.NamedNode(graph)
        if self._store.contains_named_graph(g):
            self._store.remove_graph(g)

    def update(self, update: str) -> None:
        try:
            self._store.update(update)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e

    # -- reading -------------------------------------------------------------------------------------------------
    def graphs(self) -> set[str]:
        return {g.value for g in self._store.named_graphs()}

    def _query(self, query: str, bindings: Bindings | None, union: bool, **kw):
        try:
            return self._store.query(bind(query, bindings), use_default_graph_as_union=union, **kw)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except OSError as e:
            raise StoreError(str(e)) from e

    def select(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[Row]:
        solutions = self._query(query, bindings, union)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QuerySyntaxError("expected a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]

    def ask(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> bool:
        return bool(self._query(query, bindings, union))

    def construct(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[ox.Triple]:
        return list(self._query(query, bindings, union))

    def query_raw(
        self,
        query: str,
        accept: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout_s: float | None = None,
    ) -> RawResult:
        kw = {}
        union = not default_graphs and not named_graphs
        if default_graphs:
            kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        result = self._query(query, None, union, **kw)
        kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
        media = negotiate(accept, kind)
        if media is None:
            raise NotAcceptable(accept, kind)
        fmt = ox.RdfFormat.from_media_type(media) if kind == "graph" else ox.QueryResultsFormat.from_media_type(media)
        return RawResult(result.serialize(format=fmt), media)

    def export(self, media_type: str) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unknown RDF media type {media_type!r}")
        if fmt.supports_datasets:
            return self._store.dump(format=fmt)
        return self._store.query(_UNION_EXPORT, use_default_graph_as_union=True).serialize(format=fmt)

    def triple_count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        if self.path and not self.read_only:
            self._store.flush()
        del self._store
