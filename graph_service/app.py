"""The application factory: settings in, a Flask app with one blueprint per concern out.

The store lives on ``app.extensions`` (see :mod:`graph_service.service`), never in a module global, so tests can run
several apps side by side, each on its own store.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from earthcode_kg.config import Settings
from earthcode_kg.ingest import DEMO_CATALOG, ingest
from earthcode_kg.store import OxigraphStore, open_store
from earthcode_kg.store.base import GraphStore

from . import api, dcat, linked_data, named_queries, openapi, sparql, validation_views, void
from .cors import register_cors
from .errors import register_error_handlers
from .executor import DirectExecutor, SparqlExecutor
from .query_workers import WorkerPoolExecutor
from .response_cache import ResponseCache, register_response_cache
from .service import EXTENSION, Service

BLUEPRINTS = (sparql.bp, named_queries.bp, api.bp, validation_views.bp, dcat.bp, void.bp, openapi.bp, linked_data.bp)


def load_settings(config: Settings | Mapping[str, Any] | str | Path | None) -> Settings:
    """A Settings as given; a mapping of overrides; a TOML file; or (None) defaults and ``EARTHCODE_KG_*`` variables."""
    if isinstance(config, Settings):
        return config
    if isinstance(config, (str, Path)):
        return Settings.load(config)
    return Settings.load(None, **dict(config or {}))


def make_executor(store: GraphStore, settings: Settings, query_workers: int | None) -> SparqlExecutor:
    """Killable worker processes for the embedded store; the remote store's own endpoint otherwise."""
    if isinstance(store, OxigraphStore):
        size = query_workers or min(settings.threads, os.cpu_count() or 1)
        return WorkerPoolExecutor(store, size, settings.query_timeout_s, settings.result_limit)
    return DirectExecutor(store, settings.query_timeout_s)


def prepare_store(store: GraphStore, settings: Settings) -> None:
    """Load ``settings.catalog`` (only changed files are rewritten); with no catalog and an empty store, the bundled
    demo catalog, so ``earthcode-kg serve`` with no arguments serves something."""
    if settings.catalog:
        ingest(store, settings.catalog, settings)
    elif store.triple_count() == 0:
        ingest(store, DEMO_CATALOG, settings)


def create_app(
    config: Settings | Mapping[str, Any] | str | Path | None = None,
    *,
    store: GraphStore | None = None,
    query_workers: int | None = None,
    prepare: bool = True,
    read_only: bool = False,
) -> Flask:
    """Build the service.

    ``store`` lets a caller (tests, the benchmark) hand in an already-open store; otherwise it is opened from the
    settings. The store is prepared at start-up (:func:`prepare_store`) unless ``prepare`` is false or ``read_only``
    is set. ``read_only`` serves the store as it is and refuses SPARQL Update (403): the mode of each process of
    ``earthcode-kg serve --workers N`` on the embedded store, where the main process loaded the catalog before forking.
    """
    settings = load_settings(config)
    store = store if store is not None else open_store(settings)
    if prepare and not read_only:
        prepare_store(store, settings)

    app = Flask(__name__)
    app.json.sort_keys = False
    # Answers are cached only over the embedded store, which nothing but this service writes (see response_cache).
    cache = (ResponseCache(settings.response_cache_mb * 2 ** 20)
             if isinstance(store, OxigraphStore) and settings.response_cache_mb > 0 else None)
    app.extensions[EXTENSION] = Service(settings, store, make_executor(store, settings, query_workers), read_only,
                                        cache)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    register_cors(app)
    register_response_cache(app)
    return app


def close_app(app: Flask) -> None:
    """Stop the query workers and close the store (the serve command and tests call this on shutdown)."""
    service: Service = app.extensions[EXTENSION]
    service.executor.close()
    service.store.close()
