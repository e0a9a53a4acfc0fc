"""Fixtures for the service tests: apps over real stores, and a real ``earthcode-kg serve`` process on 127.0.0.1.

Import the ones a module needs (``from tests.service_fixtures import demo_app, client``). Apps get their own
in-memory store here rather than conftest's ``store`` so a module can share one app (module scope) and its query
worker processes.
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

from earthcode_kg.config import Settings
from earthcode_kg.ingest import DEMO_CATALOG, ingest
from earthcode_kg.store import OxigraphStore
from graph_service import create_app
from graph_service.app import close_app
from graph_service.service import EXTENSION
from tests.conftest import BASE

UPDATE_TOKEN = "test-update-token"


def app_settings(**overrides: object) -> Settings:
    return Settings(store=":memory:", base_iri=BASE, **overrides)


def demo_app_with(**overrides: object):
    """An app over a fresh in-memory store holding the demo catalog."""
    store = OxigraphStore()
    ingest(store, DEMO_CATALOG, app_settings())
    return create_app(app_settings(**overrides), store=store, query_workers=1)


@pytest.fixture(scope="module")
def demo_app():
    app = demo_app_with(result_limit=50)
    yield app
    close_app(app)


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.fixture(scope="session")
def real_app(real_store):
    """The real catalog (conftest's session store, shared read-only: only the query workers are closed)."""
    app = create_app(app_settings(), store=real_store, query_workers=1)
    yield app
    app.extensions[EXTENSION].executor.close()


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


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
