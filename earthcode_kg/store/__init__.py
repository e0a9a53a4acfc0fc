"""Store backends behind one interface (:class:`GraphStore`); :func:`open_store` picks one from the settings."""

from __future__ import annotations

from earthcode_kg.config import Settings

from .base import GraphStore, QuerySyntaxError, QueryTimeout, RawResult, StoreError, StoreUnavailable
from .embedded import OxigraphStore


def open_store(settings: Settings) -> GraphStore:
    """The embedded Oxigraph store (on disk, or in memory for ``:memory:``), or a remote one when ``store_url`` is set."""
    if settings.store_url:
        from .remote import RemoteStore  # imported lazily: only remote deployments need SPARQLWrapper

        return RemoteStore.from_settings(settings)
    return OxigraphStore(None if settings.in_memory else settings.store)


__all__ = [
    "GraphStore",
    "OxigraphStore",
    "QuerySyntaxError",
    "QueryTimeout",
    "RawResult",
    "StoreError",
    "StoreUnavailable",
    "open_store",
]
