"""The ``earthcode-kg`` command line: load, query, export (and the commands other modules register)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loaders.catalog import walk

from .cli_options import base_option, config_option, settings_from, store_options
from .ingest import DEMO_CATALOG, ingest
from .store import QuerySyntaxError, StoreError, open_store
from .store.base import NotAcceptable
from .store.formats import SHORT_NAMES

__all__ = ["base_option", "config_option", "main", "settings_from", "store_options"]


@click.group()
@click.version_option(package_name="earthcode-kg")
def main() -> None:
    """earthcode-kg: the EarthCODE Open Science Catalog as a knowledge graph."""


@main.command()
@click.argument("catalog_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_options
@base_option
@config_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line and the errors.")
def load(catalog_dir: Path | None, store_overrides: dict, base_iri: str | None, config_file: str | None,
         quiet: bool) -> None:
    """Load CATALOG_DIR (default: the bundled demo catalog) into the store.

    Only files whose content changed since the last load are rewritten; graphs of deleted files are removed.
    Broken files are reported by name and the rest of the catalog still loads.
    """
    settings = settings_from(config_file, base_iri=base_iri, **store_overrides)
    catalog_dir = catalog_dir or DEMO_CATALOG
    graph_store = open_store(settings)
    try:
        total = sum(1 for _ in walk(catalog_dir))
        with _progress(total, quiet) as bar:
            summary = ingest(graph_store, catalog_dir, settings, progress=bar.update if bar else None)
    except StoreError as e:  # e.g. the remote store is down: one clear line, not a traceback
        raise click.ClickException(str(e)) from e
    finally:
        graph_store.close()
    for issue in summary.errors:
        click.echo(f"error: {issue.path}: {issue.message}", err=True)
    if not quiet:
        for issue in summary.warnings:
            click.echo(f"warning: {issue.path}: {issue.message}", err=True)
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary.files_by_kind.items()))
        click.echo(f"files: {sum(summary.files_by_kind.values())} ({kinds})")
    click.echo(
        f"loaded {summary.loaded}, unchanged {summary.unchanged}, deleted {summary.deleted}; "
        f"{summary.store_triples} triples in store; {len(summary.failed_files)} files with errors, "
        f"{len(summary.warnings)} warnings; {summary.seconds:.2f} s"
    )


class _progress:
    """A tqdm bar on a terminal, nothing otherwise (logs and CI stay clean)."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, leave=False)

    def __enter__(self):
        return self.bar

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.close()


@main.command()
@click.argument("sparql")
@store_options
@config_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "tsv", "xml", "turtle", "nt", "jsonld"]),
              default="json", show_default=True, help="Results (SELECT/ASK) or graph (CONSTRUCT/DESCRIBE) format.")
def query(sparql: str, store_overrides: dict, config_file: str | None, fmt: str) -> None:
    """Run a SPARQL query over the union of all graphs ('-' reads it from standard input)."""
    settings = settings_from(config_file, **store_overrides)
    if sparql == "-":
        sparql = sys.stdin.read()
    graph_store = open_store(settings)
    try:
        result = graph_store.query_raw(sparql, _accept_for(fmt))
    except NotAcceptable as e:
        raise click.UsageError(f"--format {fmt} does not fit this query: {e}") from e
    except QuerySyntaxError as e:
        raise click.UsageError(f"invalid SPARQL: {e}") from e
    except StoreError as e:
        raise click.ClickException(str(e)) from e
    finally:
        graph_store.close()
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _accept_for(fmt: str) -> str:
    """``json`` means SPARQL JSON for solutions and JSON-LD for graphs, so one flag works for every query form."""
    if fmt == "json":
        return f"{SHORT_NAMES['json']}, {SHORT_NAMES['jsonld']}"
    return SHORT_NAMES[fmt]


@main.command()
@store_options
@config_option
@click.option("--format", "fmt", type=click.Choice(["nq", "trig", "ttl"]), default="nq", show_default=True,
              help="N-Quads and TriG keep the named graphs; Turtle is the union of all graphs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def export(store_overrides: dict, config_file: str | None, fmt: str, output: str | None) -> None:
    """Export the whole store."""
    settings = settings_from(config_file, **store_overrides)
    graph_store = open_store(settings)
    try:
        data = graph_store.export(SHORT_NAMES[fmt])
    except StoreError as e:
        raise click.ClickException(str(e)) from e
    finally:
        graph_store.close()
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


from graph_service.serve import serve  # the service builds on this package, so it registers last

main.add_command(serve)
from shapes.cli import validate  # noqa: E402  (registered here like `serve`)
main.add_command(validate)


if __name__ == "__main__":
    main()
