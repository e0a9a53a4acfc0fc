"""Fixtures for the service tests: apps over real stores, and a real ``earthcode-kg serve`` process on 127.0.0.1.

Import the ones a module needs (``pytest_plugins = ["tests.service_fixtures"]``). Every app fixture is built on
conftest's module-scoped ``backend`` parameter, so each test that uses one runs once per backend — the embedded
store and a real Oxigraph server — with the same code:

* ``embedded``: the app gets its own in-memory store holding the catalog, for the module (and its query workers);
* ``oxigraph-server``: the app talks to the session's ``oxigraph serve`` process through a remote store opened from
  the settings (``store_url``/``update_url``/``gsp_url``), as ``earthcode-kg serve --store-url`` does (the real
  catalog, read-only, on a second server of its own). A server holds one data set at a time: before each test the app's catalog is put back if something else was loaded or
  written meanwhile (:meth:`~tests.oxigraph_server.OxigraphServer.hold`), and tests that write through the app mark
  it changed afterwards.

Behaviour that only the embedded store has is marked ``@pytest.mark.embedded_only("reason")`` (see conftest).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from earthcode_kg.config import Settings
from earthcode_kg.ingest import DEMO_CATALOG, ingest
from earthcode_kg.store import OxigraphStore
from graph_service import create_app
from graph_service.app import close_app
from graph_service.service import EXTENSION
from tests.conftest import BASE, REAL_CATALOG
from tests.oxigraph_server import OxigraphServer

UPDATE_TOKEN = "test-update-token"
#: where an app over the shared server keeps (server, data set name, catalog folder)
_REMOTE = "tests.remote_data"


def app_settings(**overrides: object) -> Settings:
    return Settings(store=":memory:", base_iri=BASE, **overrides)


def remote_settings(server, **overrides: object) -> Settings:
    """Settings selecting the remote store on ``server`` (an :class:`~tests.oxigraph_server.OxigraphServer`)."""
    return app_settings(store_url=server.query_url, update_url=server.update_url, gsp_url=server.gsp_url, **overrides)


def demo_app_with(**overrides: object):
    """An app over a fresh in-memory store holding the demo catalog."""
    store = OxigraphStore()
    ingest(store, DEMO_CATALOG, app_settings())
    return create_app(app_settings(**overrides), store=store, query_workers=1)


def load_catalog(catalog: Path):
    return lambda store: ingest(store, catalog, app_settings())


def app_on(request, backend: str, catalog: Path, **overrides: object) -> Flask:
    """An app serving ``catalog`` on ``backend``; call :func:`ready` before each test that uses it."""
    if backend == "embedded":
        if catalog == REAL_CATALOG:  # conftest's session store (shared read-only)
            return create_app(app_settings(**overrides), store=request.getfixturevalue("real_store"), query_workers=1)
        store = OxigraphStore()
        ingest(store, catalog, app_settings())
        return create_app(app_settings(**overrides), store=store, query_workers=1)
    # The real catalog (185k triples) has a server of its own, loaded once: on the shared one it would be put back
    # after every module's demo tests, at seconds a time.
    server = request.getfixturevalue("real_oxigraph" if catalog == REAL_CATALOG else "oxigraph_process")
    app = create_app(remote_settings(server, **overrides), prepare=False)
    app.extensions[_REMOTE] = (server, str(catalog), catalog)
    return app


def ready(app: Flask) -> Flask:
    """Before a test: the shared server holds this app's catalog (loaded, or put back, only when it does not)."""
    remote = app.extensions.get(_REMOTE)
    if remote is not None:
        server, name, catalog = remote
        server.hold(name, load_catalog(catalog))
    return app


def changed(app: Flask) -> None:
    """After a test that wrote through ``app``: the shared server no longer holds the catalog as loaded."""
    remote = app.extensions.get(_REMOTE)
    if remote is not None:
        remote[0].holds = None


@pytest.fixture(scope="module")
def demo_app(request, backend):
    app = app_on(request, backend, DEMO_CATALOG, result_limit=50)
    yield app
    close_app(app)


@pytest.fixture
def client(demo_app):
    return ready(demo_app).test_client()


@pytest.fixture(scope="session")
def real_oxigraph(oxigraph_process, tmp_path_factory):
    """A second ``oxigraph serve`` process, holding only the real catalog (read-only use)."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph-real") / "store") as server:
        yield server


@pytest.fixture(scope="module")
def real_app(request, backend):
    """The real catalog: conftest's session store (embedded), or loaded once into the server and put back as needed."""
    if not REAL_CATALOG.is_dir():
        pytest.skip(f"the real OSC catalog is not beside the repository ({REAL_CATALOG})")
    app = app_on(request, backend, REAL_CATALOG)
    yield app
    if backend == "embedded":  # only the query workers: the store is the session's
        app.extensions[EXTENSION].executor.close()
    else:
        close_app(app)


@pytest.fixture
def real_client(real_app):
    return ready(real_app).test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stderr.read().decode()}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


def start_server(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``earthcode-kg serve ARGS`` on a free loopback port; returns the process and its root URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "earthcode_kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), **(env or {})})
    root = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(root + "openapi.json", process)
    except BaseException:
        process.kill()
        raise
    return process, root


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
