"""Shared fixtures: settings, stores, loaded catalogs (the bundled demo, the quirks fixture, the real catalog)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from earthcode_kg.config import Settings
from earthcode_kg.ingest import DEMO_CATALOG, ingest
from earthcode_kg.store import OxigraphStore
from tests.oxigraph_server import OxigraphServer, oxigraph_binary

TESTS = Path(__file__).parent
QUIRKS_CATALOG = TESTS / "fixtures" / "quirks_catalog"
#: The full public catalog, beside the repository (see DEVELOPERS.md); integration tests skip without it.
REAL_CATALOG = TESTS.parent.parent / "shared" / "osc-catalog"
BASE = "https://example.org/kg/"

needs_real_catalog = pytest.mark.skipif(
    not REAL_CATALOG.is_dir(), reason=f"the real OSC catalog is not beside the repository ({REAL_CATALOG})"
)


@pytest.fixture
def settings() -> Settings:
    return Settings(store=":memory:", base_iri=BASE)


#: Every test that uses ``store`` (or ``demo_store``) runs once per backend: the same specification for both.
BACKENDS = ["embedded", "oxigraph-server"]


@pytest.fixture(scope="session")
def oxigraph_process(tmp_path_factory):
    """One real ``oxigraph serve`` process for the whole session (127.0.0.1, free port, temporary folder). Fixtures
    that keep data on it across tests use :meth:`OxigraphServer.hold`; tests use ``oxigraph_server``."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store") as server:
        yield server


@pytest.fixture
def oxigraph_server(oxigraph_process):
    """The session's server, for a test that may write to it as it likes: afterwards nothing it held is trusted."""
    yield oxigraph_process
    oxigraph_process.holds = None


@pytest.fixture(params=BACKENDS)
def store(request):
    """An empty store: in-process pyoxigraph, or a RemoteStore on the shared server, emptied before the test."""
    if request.param == "embedded":
        s = OxigraphStore()
    else:
        server = request.getfixturevalue("oxigraph_server")
        server.reset()
        s = server.remote_store()
    yield s
    s.close()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request) -> str:
    """The backend of a module's service apps (``tests/service_fixtures.py``): every test that uses one runs once per
    backend, like the tests of ``store``. Module-scoped, so each module builds one app per backend."""
    return request.param


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "embedded_only(reason): the behaviour exists on the embedded store only; the "
                                       "test's oxigraph-server variant is skipped with the reason")


def pytest_runtest_setup(item) -> None:
    marker = item.get_closest_marker("embedded_only")
    params = getattr(getattr(item, "callspec", None), "params", {})
    if marker and "oxigraph-server" in (params.get("backend"), params.get("store")):
        pytest.skip(f"embedded store only: {marker.args[0] if marker.args else marker.kwargs.get('reason', '')}")


@pytest.fixture
def demo_store(store, settings):
    ingest(store, DEMO_CATALOG, settings)
    return store


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    """A writable copy of the demo catalog, for tests that change, add or delete files."""
    return Path(shutil.copytree(DEMO_CATALOG, tmp_path / "catalog"))


@pytest.fixture(scope="session")
def real_store():
    """The real catalog loaded once per session (read-only use)."""
    if not REAL_CATALOG.is_dir():
        pytest.skip(f"the real OSC catalog is not beside the repository ({REAL_CATALOG})")
    s = OxigraphStore()
    summary = ingest(s, REAL_CATALOG, Settings(store=":memory:", base_iri=BASE))
    s.summary = summary
    yield s
    s.close()
