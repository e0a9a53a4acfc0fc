"""Shared fixtures: settings, stores, loaded catalogs (the bundled demo, the quirks fixture, the real catalog)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from earthcode_kg.config import Settings
from earthcode_kg.ingest import DEMO_CATALOG, ingest
from earthcode_kg.store import OxigraphStore

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


@pytest.fixture
def store():
    s = OxigraphStore()
    yield s
    s.close()


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
