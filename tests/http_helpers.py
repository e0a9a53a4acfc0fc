"""Helpers for tests that read the service's answers."""

from __future__ import annotations

import orjson


def get_json(client, url: str, status: int = 200) -> dict:
    """GET ``url`` and return its JSON body, checking the status and that the answer is JSON."""
    r = client.get(url)
    assert r.status_code == status, r.data
    assert r.mimetype == "application/json"
    return orjson.loads(r.data)
