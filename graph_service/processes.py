"""``earthcode-kg serve --workers N``: N waitress processes sharing one listening socket, under a small supervisor.

Why processes: the service is Python, so one process uses one core however many threads it has (the GIL), and four
concurrent clients queue behind one another. Pre-forking N server processes uses N cores.

How, and what it costs:

* The supervisor opens the store and prepares it (loads the catalog, or the demo catalog into an empty store) once,
  binds the socket, then forks the servers. An **in-memory** store is inherited by every server copy-on-write (loaded
  once, no second copy). An **on-disk** store is closed by the supervisor after loading, and every server opens it
  with ``pyoxigraph.Store.read_only`` (Oxigraph allows several read-only openers but no writer meanwhile). A **remote**
  store is opened by each server for itself (no connection is shared across a fork).
* With the embedded store every server serves a **read-only snapshot**: SPARQL Update is answered 403 and
  ``earthcode-kg serve`` refuses to start with an update token and more than one worker (updates need
  ``--workers 1``, where the one process owns the store). A remote store takes updates from any server: they all
  read the same remote data.
* Each server has its own pool of killable query processes for ``/sparql`` (see ``query_workers``), so the time
  limit works exactly as with one process.
* A keep-alive connection stays with the server that accepted it, and the kernel wakes every server for each new
  connection: left alone, the first to call ``accept`` wins, and four connections opened at once often end up 3 + 1
  or 4 + 0 — one core idle. So the servers balance: each publishes its open connections in a small shared array
  (:class:`ConnectionBalance`) and listens for new ones only while it has no more than the least loaded live
  server. A server that has not published for a while (frozen, dying) is left out of the comparison, so it cannot
  stop the others from accepting.
* A server that dies is replaced (forked again from the supervisor, which still holds the prepared store); servers
  that keep dying at start-up stop the whole service. SIGTERM or Ctrl-C stops the servers (each finishes its
  requests in progress, up to waitress's shutdown wait) and then the supervisor. A server whose supervisor is gone
  stops itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask
from waitress.server import create_server

from earthcode_kg.config import Settings
from earthcode_kg.store import OxigraphStore, open_store
from earthcode_kg.store.base import GraphStore

from .app import close_app, create_app, prepare_store

#: a server that exits sooner than this after it started counts as failing at start-up
_STARTUP_S = 5.0
#: that many start-up failures in a row stop the service
_MAX_STARTUP_FAILURES = 5
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Stop(Exception):
    """Raised in the supervisor by SIGTERM/SIGINT."""


class ConnectionBalance:
    """Open connections of each server, in memory shared by the supervisor and all its servers (made before the
    fork), with when each server last published its count. Waitress's loop asks its listening socket whether it is
    ``readable`` on every turn (at least once a second, ``asyncore_loop_timeout``); :meth:`install` wraps that
    question so a server takes new connections only while it is among the least loaded live servers."""

    #: a server that has not published for this long is not waited for (its loop turns at least once a second)
    STALE_S = 2.5

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.counts = multiprocessing.RawArray("i", slots)
        self.seen = multiprocessing.RawArray("d", slots)

    def forget(self, slot: int) -> None:
        """The server in ``slot`` is gone: do not wait for it."""
        self.counts[slot] = 0
        self.seen[slot] = 0.0

    def should_accept(self, slot: int, open_connections: int) -> bool:
        now = time.monotonic()
        self.counts[slot] = open_connections
        self.seen[slot] = now
        live = [self.counts[i] for i in range(self.slots) if now - self.seen[i] < self.STALE_S]
        return open_connections <= min(live)

    def install(self, server: object, slot: int) -> None:
        waitress_readable = server.readable  # keeps waitress's own checks (maintenance, connection limit)

        def readable() -> bool:
            return waitress_readable() and self.should_accept(slot, len(server.active_channels))

        server.readable = readable


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _log(message: str) -> None:
    print(f"earthcode-kg [{os.getpid()}] {message}", file=sys.stderr, flush=True)


def _watch_parent(parent: int) -> None:
    """In a server: stop (as on SIGTERM) once the supervisor is gone, rather than serve on unsupervised."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _run_server(sock: socket.socket, settings: Settings, make_app: Callable[[], Flask], parent: int,
                balance: ConnectionBalance, slot: int) -> None:
    """A server process's life (never returns)."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the supervisor stops us
        signal.signal(signal.SIGTERM, _raise_exit)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        app = make_app()
        try:
            server = create_server(app, sockets=[sock], threads=settings.threads, ident="earthcode-kg")
            balance.install(server, slot)
            threading.Thread(target=_watch_parent, args=(parent,), name="watch-supervisor", daemon=True).start()
            server.run()  # returns on SystemExit (SIGTERM), after waitress has let its threads finish
        finally:
            close_app(app)
    except SystemExit:
        pass
    except BaseException as e:  # noqa: BLE001 — reported, then this process ends and the supervisor decides
        _log(f"server failed: {e!r}")
        status = 1
    finally:
        sys.stderr.flush()
        os._exit(status)  # never return into the supervisor's code (a fork shares its stack)


def _server_app_factory(settings: Settings, store: GraphStore | None) -> Callable[[], Flask]:
    """How each server builds its app: on the inherited in-memory store, or opening the on-disk store read-only, or
    its own connection to a remote store."""

    def make_app() -> Flask:
        if store is not None:  # in memory, loaded by the supervisor, shared copy-on-write
            return create_app(settings, store=store, read_only=True)
        if settings.store_url:
            return create_app(settings, store=open_store(settings), prepare=False)
        return create_app(settings, store=OxigraphStore.open_read_only(settings.store), read_only=True)

    return make_app


def serve_processes(settings: Settings) -> None:
    """Prepare the store, bind ``settings.host:port`` and run ``settings.workers`` servers until SIGTERM/SIGINT."""
    store = open_store(settings)
    prepare_store(store, settings)
    if not isinstance(store, OxigraphStore) or store.path is not None:
        store.close()  # servers open their own (read-only on disk; a connection each for a remote store)
        store = None
    make_app = _server_app_factory(settings, store)
    sock = socket.create_server((settings.host, settings.port), backlog=1024)
    supervisor = os.getpid()
    balance = ConnectionBalance(settings.workers)
    children: dict[int, tuple[int, float]] = {}  # pid -> (slot, when it started)
    previous = {s: signal.signal(s, _raise_stop) for s in _STOP_SIGNALS}

    def spawn(slot: int) -> None:
        # Stop signals are blocked across fork so the supervisor never loses track of a child it just made, and a
        # child never runs the supervisor's handler; the child unblocks them once its own handlers are set.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                _run_server(sock, settings, make_app, supervisor, balance, slot)
            children[pid] = (slot, time.monotonic())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    _log(f"serving on http://{settings.host}:{settings.port}/ with {settings.workers} server processes "
         f"({settings.threads} threads each)")
    failures = 0
    try:
        for slot in range(settings.workers):
            spawn(slot)
        while True:
            pid, status = os.wait()
            if pid not in children:
                continue
            slot, started = children.pop(pid)
            balance.forget(slot)
            code = os.waitstatus_to_exitcode(status)
            failures = failures + 1 if time.monotonic() - started < _STARTUP_S else 0
            if failures >= _MAX_STARTUP_FAILURES:
                _log(f"server {pid} exited ({code}); {failures} servers in a row failed at start-up, stopping")
                raise SystemExit(1)
            _log(f"server {pid} exited ({code}); starting a replacement")
            spawn(slot)
    except _Stop:
        pass
    finally:
        for s in _STOP_SIGNALS:  # a second Ctrl-C must not cut the shutdown short (it is bounded anyway)
            signal.signal(s, signal.SIG_IGN)
        _stop_children(children)
        sock.close()
        if store is not None:
            store.close()
        for s, handler in previous.items():
            signal.signal(s, handler)


def _stop_children(children: dict[int, tuple[int, float]], grace_s: float = 10.0) -> None:
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace_s
    while children and time.monotonic() < deadline:
        for pid in list(children):
            try:
                done = os.waitpid(pid, os.WNOHANG)[0] == pid
            except ChildProcessError:
                done = True
            if done:
                del children[pid]
        time.sleep(0.05)
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
