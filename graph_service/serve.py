"""``earthcode-kg serve``: the service on granian, a production HTTP server with a WSGI interface (not Flask's
development server).

``--workers`` is the number of server processes, ``--threads`` the request threads in each. One process (the default)
owns the store and accepts SPARQL Update when a token is configured. Python runs one thread at a time per process, so
a public, read-only endpoint should run one process per core (``--workers 2`` on two cores): the store is loaded once
and the servers, forked after, serve it read-only (see ``processes``). In both modes ``/sparql`` queries run in forked
worker processes that are killed at the time limit (see ``query_workers``).
"""

from __future__ import annotations

import click

from earthcode_kg.cli_options import config_option, settings_from, store_options
from earthcode_kg.config import Settings
from earthcode_kg.store import StoreError

from .processes import check_can_listen, serve_processes


@click.command()
@store_options
@click.option("--catalog", type=click.Path(exists=True, file_okay=False), help="Catalog folder to load at start-up "
              "(default: the bundled demo catalog when the store is empty).")
@click.option("--host", help="Interface to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, help="Port to listen on.  [default: 8080]")
@click.option("--workers", type=click.IntRange(min=1), help="Server processes; more than one serves an embedded "
              "store read-only (no SPARQL Update; a remote store stays writable).  [default: 1]")
@click.option("--threads", type=click.IntRange(min=1), help="Request threads per server process.  [default: 4]")
@click.option("--base-iri", metavar="IRI", help="Base IRI under which entity IRIs are minted and served.")
@click.option("--query-timeout", "query_timeout_s", type=float, help="SPARQL time limit in seconds.  [default: 10]")
@config_option
def serve(config_file: str | None, store_overrides: dict, **options: object) -> None:
    """Serve the graph: SPARQL endpoint, JSON API, linked data, DCAT catalogue.

    With no options it serves the default on-disk store on 127.0.0.1:8080, loading the bundled demo catalog into it
    first if it is empty (so `earthcode-kg load CATALOG` followed by `earthcode-kg serve` serves that catalog).
    --store-url (with --update-url, --gsp-url) serves a remote SPARQL store instead, the same way.
    Settings come from (lowest to highest) defaults, --config, EARTHCODE_KG_* variables and these options; the
    update token only from the file or EARTHCODE_KG_UPDATE_TOKEN, never from the command line (it would show in ps).
    """
    settings = settings_from(config_file, **store_overrides, **options)
    if settings.workers < 1 or settings.threads < 1:
        raise click.UsageError("workers and threads must be at least 1")
    if settings.workers > 1 and settings.update_token and not settings.store_url:
        raise click.UsageError(
            "an update token is configured, but several server processes (--workers > 1) serve the embedded "
            "store read-only: serve with --workers 1 to accept SPARQL Update, or unset the token")
    try:
        check_can_listen(settings.host, settings.port)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {settings.host}:{settings.port}: {e.strerror or e}") from e
    click.echo(f"earthcode-kg serving {_describe_store(settings)} on http://{settings.host}:{settings.port}/ "
               f"({settings.workers} process{'es' if settings.workers > 1 else ''}, {settings.threads} threads each)",
               err=True)
    try:
        serve_processes(settings)
    except StoreError as e:  # the store could not be prepared (e.g. a remote store is down): one clear line
        raise click.ClickException(str(e)) from e


def _describe_store(settings: Settings) -> str:
    if settings.store_url:
        return f"the SPARQL store at {settings.store_url}"
    return "an in-memory store" if settings.in_memory else settings.store

