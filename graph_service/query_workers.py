"""A pool of pre-forked processes that run ``/sparql`` queries on the embedded store and can be killed.

Why processes: pyoxigraph has no way to cancel a query from Python, and a thread running one cannot be stopped, so a
cartesian product would hold a server thread (and a core) until it finished. A worker process can be killed. Workers
are forked from the server once the store is loaded, so they share its pages copy-on-write (no reload, no second
copy of an in-memory store) and start in milliseconds. At the deadline the server stops waiting, SIGKILLs the
worker, forks a replacement and answers with :class:`QueryTimeout`; a worker that dies for any other reason is
replaced the same way, so a wedged worker heals itself.

Caveats, stated honestly:

* A fork sees the store as it was when it was forked. After a SPARQL Update the pool is recycled (idle workers at
  once, busy ones when they finish) so later queries see the change.
* For an on-disk store the worker reads through the RocksDB handle it inherited. RocksDB does not promise this is
  fork-safe; workers only read, and a worker that hangs on an inherited lock is killed at the deadline like any
  slow query. A store that is written only at start-up and by token-holding updates is the intended use.
* Only ``/sparql`` goes through the pool. The JSON and linked-data views run their own, bounded queries in-process.
* A worker whose server process disappears (killed, crashed) exits within half a second, even mid-query; it closes
  the sockets it inherited (listening socket, client connections) when it starts.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from earthcode_kg.store.base import NotAcceptable, QuerySyntaxError, QueryTimeout, StoreError
from earthcode_kg.store.embedded import OxigraphStore

from .executor import QueryOutcome, QueryRequest, execute

_ERRORS = {"QuerySyntaxError": QuerySyntaxError, "StoreError": StoreError}


def raw_store(store: OxigraphStore) -> ox.Store:
    """The pyoxigraph ``Store`` inside :class:`OxigraphStore`: workers evaluate on it directly so they can cap
    results (``GraphStore.query_raw`` serialises everything)."""
    return store._store


def _exit_with(parent: int) -> None:
    """A worker whose server process is gone exits, even in the middle of a query (the server would have killed it at
    the deadline; a server that was itself killed cannot)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _close_inherited_sockets(keep: int) -> None:
    """Close the sockets the fork copied from the server — its listening socket and its clients' connections — but
    ``keep`` (the pipe). A worker holding them would keep a port bound, and a connection the server closed open."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:  # not Linux: nothing to inspect
        return
    for name in fds:
        fd = int(name)
        if fd == keep:
            continue
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                os.close(fd)
        except OSError:
            pass


def _serve(conn: Connection, server_end: Connection, store: ox.Store, limit: int) -> None:
    """A worker's life: answer requests until the server closes the pipe (or goes away)."""
    server_end.close()  # inherited by the fork; left open, the worker would never see the server close the pipe
    _close_inherited_sockets(keep=conn.fileno())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server; the server stops us
    threading.Thread(target=_exit_with, args=(os.getppid(),), name="watch-server", daemon=True).start()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", execute(store, request, limit)))
        except NotAcceptable as e:
            conn.send(("not-acceptable", request.accept, e.kind))
        except Exception as e:  # noqa: BLE001 — every failure is reported, the worker lives on
            conn.send(("error", type(e).__name__, str(e)))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    generation: int


class WorkerPoolExecutor:
    """Runs queries in ``size`` forked workers with a per-query deadline of ``timeout_s``."""

    def __init__(self, store: OxigraphStore, size: int, timeout_s: float, result_limit: int) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self.result_limit = result_limit
        self._ctx = multiprocessing.get_context("fork")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._generation = 0
        self._started = False

    # -- workers -------------------------------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(child, parent, raw_store(self.store), self.result_limit),
                                    name="sparql-query-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent, self._generation)
        with self._lock:
            self._all.add(worker)
        return worker

    def _kill(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._idle.put(self._spawn())

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self._generation:
            self._replace(worker)
        else:
            self._idle.put(worker)

    def _ensure_started(self) -> None:
        """Fork lazily, at the first query: apps that never serve /sparql (most tests) never fork."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._idle.put(self._spawn())

    # -- executor interface ----------------------------------------------------------------------------------------
    def query(self, request: QueryRequest) -> QueryOutcome:
        self._ensure_started()
        deadline = time.monotonic() + self.timeout_s
        try:
            worker = self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for the {self.timeout_s:g} s time limit") from None
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran past the {self.timeout_s:g} s time limit and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError) as e:
            self._replace(worker)
            raise StoreError(f"the query worker failed ({e.__class__.__name__}); it has been replaced") from e
        self._release(worker)
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "not-acceptable":
            raise NotAcceptable(reply[1], reply[2])
        raise _ERRORS.get(reply[1], StoreError)(reply[2])

    def update(self, update: str) -> None:
        """Updates run in the server process (the only writer); then workers are re-forked to see the change."""
        self.store.update(update)
        self.recycle()

    def recycle(self) -> None:
        with self._lock:
            self._generation += 1
        stale = []
        while True:
            try:
                stale.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in stale:
            self._replace(worker)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._kill(worker)
