"""A per-process cache of the JSON API's answers (``GET /api/…``), emptied whenever the store changes.

Why: a lineage view runs three SPARQL queries whose planning alone costs more than the rest of the request, yet its
answer changes only when the data does. When is the cached answer exact:

* The cache lives in the :class:`~graph_service.service.Service` of one process (no module state; each server process
  of ``serve --workers N`` has its own).
* It is used only over the **embedded** store, whose only writer is this service: the catalog is loaded before the
  app serves, an on-disk store is locked against other writers while it is open (or opened read-only by every
  server process, when nothing may write it), and the one write path while serving — SPARQL Update — empties the
  cache after the update is applied (:meth:`ResponseCache.invalidate`). A remote store may be written by others, so
  over one nothing is cached.
* An answer computed while an update ran is not stored: each entry is stored only if the cache's generation is still
  the one seen when the request started.
* Keys are the full request URL (host, path, query string) and ``Accept``, so links in answers (which point back at
  the host the client used) and negotiated formats stay right. Only ``200`` answers are stored.
* A request with ``Cache-Control: no-cache`` is computed afresh (and refreshes the entry). Answers say
  ``X-Cache: hit`` or ``miss``.
* Memory is bounded: least recently used entries go beyond ``max_bytes``; an answer larger than a sixteenth of it is
  not stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Response, g, request

from .service import current_service

PREFIX = "/api/"
HEADER = "X-Cache"

Key = tuple[str, str]
Entry = tuple[bytes, list[tuple[str, str]]]


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, key: Key) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, generation: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        if len(body) > self.max_bytes // 16:
            return
        with self._lock:
            if generation != self._generation:  # the store changed while this answer was computed
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._entries[key] = (body, headers)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (dropped, _) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def invalidate(self) -> None:
        """The store changed: forget every answer, and refuse those computed before now."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def register_response_cache(app: Flask) -> None:
    """Serve cached ``GET /api/…`` answers before the view runs; store fresh ``200`` answers after it."""

    @app.before_request
    def serve_cached() -> Response | None:
        cache = current_service().cache
        if cache is None or request.method != "GET" or not request.path.startswith(PREFIX):
            return None
        key = (request.url, request.headers.get("Accept", ""))
        g.response_cache = (key, cache.generation)
        if "no-cache" in request.headers.get("Cache-Control", ""):
            return None
        entry = cache.get(key)
        if entry is None:
            return None
        response = Response(entry[0], headers=entry[1])
        response.headers[HEADER] = "hit"
        return response

    @app.after_request
    def store_fresh(response: Response) -> Response:
        pending = g.pop("response_cache", None)
        if pending is None or HEADER in response.headers:
            return response
        if response.status_code == 200 and not response.direct_passthrough:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
            current_service().cache.put(pending[0], pending[1], response.get_data(), headers)
        response.headers[HEADER] = "miss"
        return response
