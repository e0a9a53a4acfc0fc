"""A remote store: any SPARQL 1.1 server behind the same :class:`~earthcode_kg.store.base.GraphStore` interface.

Queries and updates travel as SPARQL 1.1 Protocol requests built by SPARQLWrapper; bulk loads and documents too large
for one update request use the Graph Store HTTP Protocol endpoint. Every request goes through one transport
(:meth:`RemoteStore._send`) so retries, timeouts, authentication and error mapping are the same for all of them.

Server requirements (see ``docs/remote-store.md``): the store must answer queries over the *union of its named
graphs* by default (``oxigraph serve --union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``), because the
loaders put every document in its own named graph. Consequence: ``union=False`` cannot select "the real default graph
only" over the protocol (naming a default graph also empties the set of named graphs), so on this backend it means the
same as ``union=True``. Queries that address their data with ``GRAPH ?g`` — the only ones that ask for
``union=False`` — give the same answers on both backends; the loaders never write to the default graph.

Why each write path is what it is (measured on the real catalog, 2,239 documents / 185k triples, against
``oxigraph serve`` on 2 cores): one GSP ``PUT`` per document 6.3 s; batched SPARQL Update (``DROP SILENT GRAPH``
+ ``INSERT DATA`` per document, ≤1 MB per request) 4.6 s; N-Quads ``POST`` to the GSP dataset endpoint 3.6 s in a
transaction per request, 1.5 s with Oxigraph's bulk loader (``no_transaction``).

* :meth:`replace_graph` sends one SPARQL Update, which Oxigraph and Fuseki run as one transaction, so readers never
  see a document half-written. Oxigraph's GSP ``PUT`` is *not* atomic (it clears the graph and loads it in two
  transactions), so it is only used for a document larger than the server's update size limit (Oxigraph: 1 MiB).
* :meth:`replace_graphs` with a GSP endpoint uses the bulk loader, then writes each document's ``ec:contentHash``
  triple — its *commit marker* — only after all content is in. A load interrupted at any point leaves documents
  without a marker; the loader treats those as not loaded and replaces them on the next run, so an interrupted load
  re-run converges to the same store as one clean load. Without a GSP endpoint it uses batched SPARQL Update, which
  is atomic per request and therefore per document.
"""

from __future__ import annotations

import base64
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.Wrapper import INSERT, SELECT

from loaders.vocab import P_CONTENT_HASH

from .base import Bindings, NotAcceptable, QuerySyntaxError, QueryTimeout, RawResult, Row, StoreError, StoreUnavailable
from .bindings import bind
from .embedded import ntriples_to_nquads
from .formats import DEFAULTS, N_QUADS, N_TRIPLES, RESULTS, RESULTS_JSON, negotiate
from .writers import run_steps

if TYPE_CHECKING:
    from earthcode_kg.config import Settings

#: Oxigraph server refuses SPARQL request bodies over 1 MiB; stay under it with room for the separators.
MAX_UPDATE_BYTES = 1_000_000
#: N-Quads per bulk POST: big enough to amortise a request, small enough to overlap mapping with loading.
_BULK_BYTES = 8 * 1024 * 1024
#: HTTP statuses a proxy or a starting server answers while the store is (briefly) away: retried like a refused socket.
_UNAVAILABLE = {502, 503, 504}
#: How Oxigraph server (``--timeout-s``) ends an answer it stopped streaming at its time limit: the status line (200)
#: has already been sent, so the message is appended to the partial body. No complete answer ends with it (every
#: serialisation ends in a delimiter or a newline), so such a body is a timeout, not a result to pass on.
_CANCELLED = b"The SPARQL operation has been cancelled"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class RemoteStore:
    """A :class:`~earthcode_kg.store.base.GraphStore` on a SPARQL 1.1 server (query, update and Graph Store endpoints).

    ``update_url`` defaults to ``query_url`` (Fuseki's dataset URL takes both); without ``gsp_url`` every write is a
    SPARQL Update. Connection failures and 502/503/504 answers are retried ``retries`` times with exponential backoff
    (``backoff_s``, doubling) before :class:`StoreUnavailable` is raised; nothing else is retried.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout_s: float = 30.0,
        retries: int = 3,
        backoff_s: float = 0.2,
        max_update_bytes: int = MAX_UPDATE_BYTES,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_update_bytes = max_update_bytes
        self._headers = auth_headers(user, password, token)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.store_url:
            raise ValueError("store_url is not set")
        return cls(
            settings.store_url,
            settings.update_url,
            settings.gsp_url,
            user=settings.store_user,
            password=settings.store_password,
            token=settings.store_token,
            timeout_s=settings.store_timeout_s,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # -- transport -----------------------------------------------------------------------------------------------
    def _send(self, request: urllib.request.Request, timeout_s: float | None = None) -> tuple[str, bytes]:
        """Send ``request``; return (media type, body). Retries only what a retry can fix: the store being away."""
        for name, value in self._headers.items():
            request.add_header(name, value)
        url = request.full_url.split("?", 1)[0]
        timeout = timeout_s or self.timeout_s
        for attempt in range(1, self.retries + 2):
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    body = response.read()
                    if body.endswith(_CANCELLED):
                        raise QueryTimeout(f"SPARQL store at {url} stopped the query at its own time limit "
                                           f"(the answer was cut short)")
                    return response.headers.get_content_type(), body
            except urllib.error.HTTPError as e:
                error: StoreError = http_error(url, e.code, _message(e))
                cause: BaseException = e
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, TimeoutError):
                    raise QueryTimeout(f"SPARQL store at {url} did not answer within {timeout:g} s") from e
                error = StoreUnavailable(f"SPARQL store at {url} is unreachable ({attempt} attempts): {reason}")
                cause = e
            if not isinstance(error, StoreUnavailable) or attempt > self.retries:
                raise error from cause
            time.sleep(self.backoff_s * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _query_request(
        self, query: str, accept: str, dataset: Iterable[tuple[str, str]] = ()
    ) -> urllib.request.Request:
        """A SPARQL Protocol query request (form-encoded POST, so long queries never hit URL length limits)."""
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no non-standard format=/output= parameters: the Accept header decides
        wrapper.setQuery(query)
        # SPARQLWrapper guesses the form from the first keyword it finds, comments included ("# … loaded from …" reads
        # as LOAD), and sends what it takes for an update as ``update=``, which the endpoint refuses. This method only
        # sends queries (their form is learned from the answer), so say so.
        wrapper.queryType = SELECT
        for name, value in dataset:
            wrapper.addParameter(name, value)
        wrapper.addCustomHttpHeader("Accept", accept)
        return wrapper._createRequest()

    def _update_request(self, update: str) -> urllib.request.Request:
        """A SPARQL Protocol update request, the update text sent as the body (``application/sparql-update``)."""
        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setQuery(update)
        # SPARQLWrapper guesses query vs update from the first keyword and misses forms such as "WITH <g> DELETE…";
        # this method only ever sends updates, so say so.
        wrapper.queryType = INSERT
        return wrapper._createRequest()

    def _gsp_request(self, method: str, body: bytes, media_type: str, graph: str | None = None,
                     **params: str) -> urllib.request.Request:
        if not self.gsp_url:
            raise StoreError("no Graph Store Protocol URL configured (gsp_url)")
        query = urllib.parse.urlencode({**({"graph": graph} if graph else {}), **params})
        url = f"{self.gsp_url}?{query}" if query else self.gsp_url
        return urllib.request.Request(url, data=body, method=method, headers={"Content-Type": media_type})

    def _run(self, query: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Run a query and parse its result into pyoxigraph objects, whatever its form."""
        media, body = self._send(self._query_request(bind(query, bindings), f"{RESULTS_JSON}, {N_TRIPLES}"))
        if media == N_TRIPLES:
            return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    # -- writing -------------------------------------------------------------------------------------------------
    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        update = replace_update(graph, ntriples)
        if len(update.encode()) > self.max_update_bytes and self.gsp_url:
            self._send(self._gsp_request("PUT", ntriples, N_TRIPLES, graph))
        else:
            self.update(update)

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        if self.gsp_url:
            self._bulk_post(graphs)
        else:
            self._bulk_update(graphs)

    def _bulk_update(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """Batched ``DROP SILENT GRAPH`` + ``INSERT DATA`` pairs, each request one transaction (portable SPARQL 1.1)."""

        def requests() -> Iterator[Callable[[], object]]:
            for batch in _batches((replace_update(g, nt) for g, nt in graphs), self.max_update_bytes):
                yield lambda batch=batch: self.update(" ;\n".join(batch))

        run_steps(requests(), name="remote-store-writer")

    def _bulk_post(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """Graphs being replaced are dropped, content is bulk-loaded as N-Quads, commit markers are written last."""
        existing = self.graphs()
        markers: list[bytes] = []

        def requests() -> Iterator[Callable[[], object]]:
            chunk: list[bytes] = []
            drops: list[str] = []
            size = 0
            for graph, ntriples in graphs:
                content, marker = split_marker(graph, ntriples)
                markers.append(ntriples_to_nquads(graph, marker))
                if graph in existing:
                    drops.append(f"DROP SILENT GRAPH <{graph}>")
                chunk.append(ntriples_to_nquads(graph, content))
                size += len(content)
                if size >= _BULK_BYTES:
                    yield self._bulk_step(drops, chunk)
                    chunk, drops, size = [], [], 0
            if chunk:
                yield self._bulk_step(drops, chunk)

        run_steps(requests(), name="remote-store-writer")
        if markers:  # only once every document's content is in
            self._send(self._gsp_request("POST", b"".join(markers), N_QUADS))

    def _bulk_step(self, drops: list[str], chunk: list[bytes]) -> Callable[[], None]:
        def step() -> None:
            for batch in _batches(drops, self.max_update_bytes):
                self.update(" ;\n".join(batch))
            # no_transaction: Oxigraph's bulk loader (2.3x faster); lenient: it skips re-checking IRIs, which the
            # loaders already checked (see store.embedded). Other stores ignore both parameters.
            self._send(self._gsp_request("POST", b"".join(chunk), N_QUADS, no_transaction="true", lenient="true"))

        return step

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def update(self, update: str) -> None:
        self._send(self._update_request(update))

    # -- reading -------------------------------------------------------------------------------------------------
    def graphs(self) -> set[str]:
        return {row["g"].value for row in self.select(_GRAPHS)}

    def select(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[Row]:
        solutions = self._run(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QuerySyntaxError("expected a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, s) if t is not None} for s in solutions]

    def ask(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> bool:
        return bool(self._run(query, bindings))

    def construct(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> list[ox.Triple]:
        result = self._run(query, bindings)
        if not isinstance(result, list):
            raise QuerySyntaxError("expected a CONSTRUCT or DESCRIBE query")
        return result

    def query_raw(
        self,
        query: str,
        accept: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout_s: float | None = None,
    ) -> RawResult:
        """The query's form is only known from the answer, so the request accepts the negotiated type of each form
        (or that form's default, to learn the form and answer 406 exactly as the embedded store does)."""
        wanted = {kind: negotiate(accept, kind) for kind in ("results", "graph")}
        send_accept = ", ".join(media or DEFAULTS[kind] for kind, media in wanted.items())
        dataset = [("default-graph-uri", g) for g in default_graphs or []]
        dataset += [("named-graph-uri", g) for g in named_graphs or []]
        media, body = self._send(self._query_request(query, send_accept, dataset), timeout_s)
        kind = "results" if media in RESULTS.values() else "graph"
        if wanted[kind] is None:
            raise NotAcceptable(accept, kind)
        return RawResult(body, media)

    def export(self, media_type: str) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unknown RDF media type {media_type!r}")
        if not fmt.supports_datasets:
            return self._send(self._query_request(_UNION, fmt.media_type))[1]
        quads = (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in self.select(_QUADS))
        return ox.serialize(quads, format=fmt)

    def triple_count(self) -> int:
        (row,) = self.select(_COUNT)
        return int(row["n"].value)

    def close(self) -> None:
        """Nothing to release: every request opens its own connection, which is also why the store recovers by
        itself when the server comes back."""


def auth_headers(user: str | None, password: str | None, token: str | None) -> dict[str, str]:
    """A bearer token if one is set, else HTTP Basic credentials if a user is set, else nothing."""
    if token:
        return {"Authorization": f"Bearer {token}"}
    if user:
        credentials = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        return {"Authorization": f"Basic {credentials}"}
    return {}


def http_error(url: str, status: int, message: str) -> StoreError:
    """The store error an HTTP error status stands for; the server's own message is kept."""
    if status == 400:
        return QuerySyntaxError(message)
    if status in _UNAVAILABLE:
        return StoreUnavailable(f"SPARQL store at {url} is unavailable (HTTP {status}): {message}")
    if status in (401, 403):
        return StoreError(f"SPARQL store at {url} refused the credentials (HTTP {status}): {message}")
    return StoreError(f"SPARQL store at {url} answered HTTP {status}: {message}")


def _message(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text[:2000] or str(error.reason)


def replace_update(graph: str, ntriples: bytes) -> str:
    """One document's replacement as SPARQL Update: N-Triples lines are valid ``INSERT DATA`` triples as they are."""
    g = ox.NamedNode(graph)
    return f"DROP SILENT GRAPH {g} ; INSERT DATA {{ GRAPH {g} {{\n{ntriples.decode()}}} }}"


def split_marker(graph: str, ntriples: bytes) -> tuple[bytes, bytes]:
    """(content, commit marker): the document's ``<graph> ec:contentHash "…"`` line taken out of its N-Triples.

    N-Triples is one statement per line, so the marker is found by its line prefix without parsing the document.
    """
    prefix = f"<{graph}> {P_CONTENT_HASH} ".encode()
    if ntriples.startswith(prefix):
        start = 0
    elif (newline := ntriples.find(b"\n" + prefix)) >= 0:
        start = newline + 1
    else:
        return ntriples, b""
    end = ntriples.find(b"\n", start) + 1 or len(ntriples)
    return ntriples[:start] + ntriples[end:], ntriples[start:end]


def _batches(items: Iterable[str], max_bytes: int) -> Iterator[list[str]]:
    """Group strings into lists whose total UTF-8 size stays under ``max_bytes`` (an oversized item goes alone)."""
    batch: list[str] = []
    size = 0
    for item in items:
        n = len(item.encode())
        if batch and size + n > max_bytes:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += n
    if batch:
        yield batch
