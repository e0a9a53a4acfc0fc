"""Settings shared by the CLI, the loaders and the service.

One frozen dataclass, filled from (lowest to highest precedence) defaults, a TOML file, ``EARTHCODE_KG_*``
environment variables and CLI options, so a deployment can be configured any of those ways and tests can build one
directly.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from loaders.iris import DEFAULT_BASE_IRI, DEFAULT_SELF_PREFIX, Minter

ENV_PREFIX = "EARTHCODE_KG_"


def default_store_path() -> str:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "earthcode-kg" / "store")


@dataclass(frozen=True)
class Settings:
    #: on-disk Oxigraph folder; ``":memory:"`` for an in-memory store
    store: str = ""
    #: SPARQL 1.1 query endpoint of a remote store (takes precedence over ``store``)
    store_url: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_token: str | None = None
    store_timeout_s: float = 30.0
    base_iri: str = DEFAULT_BASE_IRI
    self_prefix: str = DEFAULT_SELF_PREFIX
    #: catalog folder the service loads at start-up (None: the bundled demo catalog when the store is empty)
    catalog: str | None = None
    query_timeout_s: float = 10.0
    result_limit: int = 10_000
    #: SPARQL Update over HTTP is refused unless this token is set and presented
    update_token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    #: server processes (``earthcode-kg serve``); more than one serves a read-only snapshot of an embedded store
    workers: int = 1
    #: request threads in each server process
    threads: int = 4
    #: memory for cached JSON API answers, per server process, in MiB (0: no cache); embedded store only
    response_cache_mb: int = 32

    def __post_init__(self) -> None:
        if not self.store:
            object.__setattr__(self, "store", default_store_path())
        Minter(self.base_iri, self.self_prefix)  # refuses a base IRI nothing could be minted under (ValueError)

    @property
    def in_memory(self) -> bool:
        return self.store == ":memory:"

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values (CLI options that were not given stay as they are)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    @classmethod
    def load(cls, config_file: str | Path | None = None, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults < TOML file < environment < explicit overrides."""
        values: dict[str, Any] = {}
        if config_file:
            with open(config_file, "rb") as fh:
                values.update(tomllib.load(fh))
        env = os.environ if environ is None else environ
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _coerce(f.type, raw)
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**values).with_overrides(**overrides)


def _coerce(type_name: Any, raw: str) -> Any:
    name = str(type_name)
    if name.startswith("int"):
        return int(raw)
    if name.startswith("float"):
        return float(raw)
    return raw
