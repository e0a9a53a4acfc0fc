"""``earthcode-kg serve``: the service on waitress, a production WSGI server (not Flask's development server).

Why waitress and threads rather than gunicorn and processes: an on-disk Oxigraph store can be opened for writing by
one process only, and the in-memory store exists only in the process that loaded it. One server process holds the
store; ``--workers`` sets waitress's request threads (pyoxigraph releases the GIL while it evaluates), and /sparql
queries run in forked worker processes that are killed at the time limit (see ``query_workers``).
"""

from __future__ import annotations

import click
from waitress import serve as waitress_serve

from earthcode_kg.config import Settings

from .app import close_app, create_app


@click.command()
@click.option("--store", metavar="PATH", help="Oxigraph store folder (':memory:' for an in-memory store).")
@click.option("--catalog", type=click.Path(exists=True, file_okay=False), help="Catalog folder to load at start-up "
              "(default: the bundled demo catalog when the store is empty).")
@click.option("--host", help="Interface to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, help="Port to listen on.  [default: 8080]")
@click.option("--workers", type=int, help="Request threads (and at most as many query processes as CPUs).  [default: 4]")
@click.option("--base-iri", metavar="IRI", help="Base IRI under which entity IRIs are minted and served.")
@click.option("--query-timeout", "query_timeout_s", type=float, help="SPARQL time limit in seconds.  [default: 10]")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="TOML settings file.")
def serve(config_file: str | None, **options: object) -> None:
    """Serve the graph: SPARQL endpoint, JSON API, linked data, DCAT catalogue.

    With no options it serves the default on-disk store on 127.0.0.1:8080, loading the bundled demo catalog into it
    first if it is empty (so `earthcode-kg load CATALOG` followed by `earthcode-kg serve` serves that catalog).
    Settings come from (lowest to highest) defaults, --config, EARTHCODE_KG_* variables and these options; the
    update token only from the file or EARTHCODE_KG_UPDATE_TOKEN, never from the command line (it would show in ps).
    """
    try:
        settings = Settings.load(config_file, **options)
    except (ValueError, OSError) as e:
        raise click.UsageError(str(e)) from e
    app = create_app(settings)
    click.echo(f"earthcode-kg serving {settings.store if not settings.in_memory else 'an in-memory store'} "
               f"on http://{settings.host}:{settings.port}/ ({settings.workers} threads)", err=True)
    try:
        waitress_serve(app, host=settings.host, port=settings.port, threads=settings.workers, ident="earthcode-kg")
    finally:
        close_app(app)

