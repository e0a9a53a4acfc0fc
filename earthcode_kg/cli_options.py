"""Options shared by every command (``earthcode-kg load``, ``query``, ``export``, ``serve``, ``validate``…).

A module of its own so the commands defined outside :mod:`earthcode_kg.cli` (``graph_service.serve``, ``shapes.cli``)
can use them without importing the CLI module that registers them (which would be circular).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from .config import Settings

_STORE_OPTIONS = (
    click.option("--store", "store", metavar="PATH", help="Embedded Oxigraph store folder (':memory:' for none)."),
    click.option("--store-url", metavar="URL", help="SPARQL 1.1 query endpoint of a remote store (instead of --store). "
                 "Credentials: EARTHCODE_KG_STORE_USER/_PASSWORD or _TOKEN, or the --config file."),
    click.option("--update-url", metavar="URL", help="SPARQL 1.1 update endpoint (default: --store-url)."),
    click.option("--gsp-url", metavar="URL", help="Graph Store Protocol endpoint (default: writes use SPARQL Update)."),
)


def store_options(command: Callable) -> Callable:
    """Add the backend options (``--store PATH`` or ``--store-url URL [--update-url URL] [--gsp-url URL]``) to a
    command, which receives them as one ``store_overrides`` dict to pass to :func:`settings_from`. Shared so every
    command (load, query, export, serve, validate…) selects its backend the same way."""

    @functools.wraps(command)
    def with_store(*args: object, store: str | None, store_url: str | None, update_url: str | None,
                   gsp_url: str | None, **kwargs: object) -> object:
        if store and store_url:
            raise click.UsageError("--store and --store-url are alternatives: give one of them")
        if (update_url or gsp_url) and not store_url:
            raise click.UsageError("--update-url and --gsp-url need --store-url")
        overrides = {"store": store, "store_url": store_url, "update_url": update_url, "gsp_url": gsp_url}
        if store:  # an explicit --store wins over a store_url from the environment or the config file
            overrides["store_url"] = ""
        return command(*args, store_overrides=overrides, **kwargs)

    for option in reversed(_STORE_OPTIONS):
        with_store = option(with_store)
    return with_store


base_option = click.option("--base-iri", metavar="IRI", help="Base IRI under which entity IRIs are minted.")
config_option = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                             help="TOML settings file.")


def settings_from(config_file: str | None = None, **overrides: object) -> Settings:
    try:
        return Settings.load(config_file, **overrides)
    except (ValueError, OSError) as e:
        raise click.UsageError(str(e)) from e
