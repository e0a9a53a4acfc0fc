"""``earthcode-kg serve``: the store prepared once, then N server processes on granian.

Why granian: the service is Python, and a pure-Python HTTP server (waitress, which this module used before) costs as
much per request as a small query does. Granian parses HTTP and manages connections in Rust and calls the Flask app
through WSGI from a pool of threads, so a process spends its GIL on the app alone (``benchmarks/RESULTS.md``,
*Service*, measures the change). Why processes: one process uses one core however many threads it has (the GIL);
``--workers N`` forks N servers that share the listening socket.

How the store is shared:

* This process (granian's main process) opens the store and prepares it (loads the catalog, or the demo catalog into
  an empty store) once, then granian forks the servers. An **in-memory** store is inherited by every server
  copy-on-write (loaded once, no second copy). An **on-disk** store is closed here after loading and every server
  opens it: read-only when there are several (Oxigraph allows several read-only openers but no writer meanwhile),
  for writing when there is one. A **remote** store is opened by each server for itself (no connection is shared
  across a fork).
* With several servers over the embedded store each serves a **read-only snapshot**: SPARQL Update is answered 403
  and ``earthcode-kg serve`` refuses to start with an update token and more than one worker. One server owns the
  store and takes updates; over a remote store every server does (they all read the same remote data).
* Each server has its own pool of killable query processes for ``/sparql`` (see ``query_workers``), forked from it
  once the app is built, so the time limit works in every server.
* A server that dies is replaced by granian (forked again from this process, which still holds the prepared store;
  an in-memory store is then the one loaded at start-up, without later updates). SIGTERM or Ctrl-C stops the
  servers, which finish their requests in progress (up to ``SHUTDOWN_S``), close their app (query workers, store)
  and exit; a server whose main process vanished stops itself the same way.
* On Linux granian binds one listening socket per server (``SO_REUSEPORT``), and the kernel spreads new connections
  over them by a hash of their addresses; a keep-alive connection stays with the server that got it. The spread is
  even on average, not by load, and a server that is frozen (not dead: a dead one's socket closes) still gets its
  share of new connections until it is replaced.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

from flask import Flask
from granian import Granian
from granian.constants import Interfaces

from earthcode_kg.config import Settings
from earthcode_kg.store import OxigraphStore, open_store
from earthcode_kg.store.base import GraphStore

from .app import close_app, create_app, prepare_store

#: how long a server may take to finish its requests in progress at shutdown before it is killed
SHUTDOWN_S = 10


def _watch_parent(parent: int) -> None:
    """In a server: stop (as on SIGTERM) once the main process is gone, rather than serve on unsupervised."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _server_app_factory(settings: Settings, store: GraphStore | None) -> Callable[[], Flask]:
    """How each server builds its app: on the inherited in-memory store; opening the on-disk store (read-only when
    several servers share it); or its own connection to a remote store. The store is already prepared."""
    read_only = settings.workers > 1

    def make_app() -> Flask:
        if store is not None:  # in memory, loaded by the main process, inherited copy-on-write
            return create_app(settings, store=store, read_only=read_only, prepare=False)
        if settings.store_url:
            return create_app(settings, store=open_store(settings), prepare=False)
        if read_only:
            return create_app(settings, store=OxigraphStore.open_read_only(settings.store), read_only=True)
        return create_app(settings, store=OxigraphStore(settings.store), prepare=False)

    return make_app


def _in_server(make_app: Callable[[], Flask], parent: int) -> Flask:
    """Run by granian in each new server process: build the app and arrange for it to be closed when the server
    ends (granian returns from the worker on SIGTERM; multiprocessing then runs its finalizers)."""
    app = make_app()
    multiprocessing.util.Finalize(app, close_app, args=(app,), exitpriority=10)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-main", daemon=True).start()
    return app


def check_can_listen(host: str, port: int) -> None:
    """Raise ``OSError`` now if ``host:port`` cannot be bound (in use, not an address of this machine), rather than
    after loading a catalog, from deep inside the server."""
    with socket.create_server((host, port)):
        pass


def serve_processes(settings: Settings) -> None:
    """Prepare the store, then serve it on ``settings.host:port`` from ``settings.workers`` granian servers of
    ``settings.threads`` threads each, until SIGTERM/SIGINT."""
    store = open_store(settings)
    prepare_store(store, settings)
    if not isinstance(store, OxigraphStore) or store.path is not None:
        store.close()  # servers open their own (on disk; a connection each for a remote store)
        store = None
    make_app = _server_app_factory(settings, store)
    # The servers must be forks of this process (they inherit the in-memory store and the app factory);
    # multiprocessing's default elsewhere than Linux, or from Python 3.14, is not fork.
    multiprocessing.set_start_method("fork", force=True)
    server = Granian(
        "earthcode-kg", address=settings.host, port=settings.port, interface=Interfaces.WSGI,
        workers=settings.workers, blocking_threads=settings.threads, respawn_failed_workers=True,
        workers_kill_timeout=SHUTDOWN_S, websockets=False, log_access=False)
    parent = os.getpid()
    try:
        server.serve(target_loader=lambda _target: _in_server(make_app, parent))
    finally:
        if store is not None:
            store.close()
