"""Loading a catalog the way every entry point does it: the catalog's files plus the ontology, under the
configured base IRI. The CLI, the service and the tests all call :func:`ingest`."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from loaders.catalog import LoadSummary, load_catalog
from loaders.iris import Minter
from ontology import ONTOLOGY_IRI, ontology_ntriples

from .config import Settings
from .store.base import GraphStore

#: The small catalog that ships with the package, so `load` and `serve` work with no arguments.
DEMO_CATALOG = Path(str(files("earthcode_kg") / "demo_catalog"))


def minter_for(settings: Settings) -> Minter:
    return Minter(settings.base_iri, settings.self_prefix)


def ingest(
    store: GraphStore,
    catalog_dir: str | Path,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Bring ``store`` in line with ``catalog_dir`` (only changed files are rewritten) and load the ontology beside it."""
    return load_catalog(
        store,
        catalog_dir,
        minter_for(settings),
        extra_graphs={ONTOLOGY_IRI: ontology_ntriples()},
        progress=progress,
    )
