"""``earthcode-kg validate``: the audit command, usable as a pre-merge check of a catalog pull request.

Exit status: 0 when nothing at or above ``--fail-on`` was found, 1 when something was, 2 for a usage or input error.

Modes:
* ``validate CATALOG_DIR`` — load the folder into a scratch in-memory store and report on the whole catalog;
* ``validate --store PATH`` — report on a store loaded earlier (``earthcode-kg load``);
* ``validate CATALOG_DIR --store PATH`` — bring the store in line with the folder (only changed files are reloaded)
  and report on the files that changed, in the context of the whole catalog: keep a store of the main branch and
  point this at the pull request's checkout;
* ``--changed FILE`` (repeatable) — report only on those catalog files (paths relative to the catalog, or to the
  current directory inside CATALOG_DIR), e.g. the output of ``git diff --name-only``;
* ``--full`` — report on the whole catalog even when files changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from earthcode_kg.config import Settings
from earthcode_kg.ingest import ingest, minter_for
from earthcode_kg.store import StoreError, open_store
from loaders.catalog import loaded_hashes

from .engine import Validation, validate_documents, validate_store
from .html import render_html
from .report import Report, report_iri
from .shapeset import parse_groups

FAIL_ON = {"violation": ("Violation",), "warning": ("Violation", "Warning"), "never": ()}


@click.command()
@click.argument("catalog_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--store", "store", metavar="PATH", help="Oxigraph store folder to validate (and update from CATALOG_DIR).")
@click.option("--base-iri", metavar="IRI", help="Base IRI under which entity IRIs are minted.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="TOML settings file.")
@click.option("--shapes", "groups", default="osc-rules,integrity,fair", show_default=True,
              help="Comma-separated shape groups: osc-rules, integrity, fair.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl", "jsonld", "html"]), default="text",
              show_default=True, help="text: one line per finding; json: summary with FAIR scores; ttl/jsonld: the "
                                      "W3C sh:ValidationReport; html: a page to read.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default="violation", show_default=True,
              help="Lowest severity that makes the exit status 1.")
@click.option("--changed", "changed", multiple=True, metavar="FILE",
              help="Report only on these catalog files (repeatable), validated against the whole catalog.")
@click.option("--full", is_flag=True, help="Report on the whole catalog even when only some files changed.")
def validate(catalog_dir: Path | None, store: str | None, base_iri: str | None, config_file: str | None, groups: str,
             fmt: str, output: str | None, fail_on: str, changed: tuple[str, ...], full: bool) -> None:
    """Validate a catalog against the OSC rules, cross-file integrity and FAIR completeness."""
    try:
        shape_groups = parse_groups(groups)
        settings = Settings.load(config_file, store=store if store else (":memory:" if catalog_dir else None),
                                 base_iri=base_iri)
    except (ValueError, OSError) as e:
        raise click.UsageError(str(e)) from e
    if catalog_dir is None and store is None:
        raise click.UsageError("give a CATALOG_DIR, a --store, or both")
    try:
        graph_store = open_store(settings)
    except (StoreError, OSError) as e:
        raise click.UsageError(f"cannot open the store: {e}") from e
    try:
        documents = _documents_to_check(graph_store, catalog_dir, settings, changed, full)
        validation: Validation = (validate_store(graph_store, shape_groups) if documents is None
                                  else validate_documents(graph_store, documents, shape_groups))
        report = Report.build(graph_store, validation)
        iri = report_iri(settings.base_iri, validation.mode)
        report.store_in(graph_store, iri)
    finally:
        graph_store.close()
    _write(_render(report, fmt, iri), output)
    threshold = FAIL_ON[fail_on]
    sys.exit(1 if any(f.severity in threshold for f in validation.findings) else 0)


def _documents_to_check(store, catalog_dir: Path | None, settings: Settings, changed: tuple[str, ...],
                        full: bool) -> list[str] | None:
    """The document graphs to report on, or None for a full report."""
    minter = minter_for(settings)
    if catalog_dir is not None:
        before = loaded_hashes(store)
        summary = ingest(store, catalog_dir, settings)
        for issue in summary.errors:
            click.echo(f"load error: {issue.path}: {issue.message}", err=True)
        after = loaded_hashes(store)
        reloaded = [g for g, h in after.items() if before and before.get(g) != h]
    else:
        reloaded = []
    if changed:
        paths = [_catalog_path(p, catalog_dir) for p in changed]
        known = loaded_hashes(store)
        missing = [p for p in paths if minter.document(p) not in known]
        if missing:
            raise click.UsageError(f"not in the catalog: {', '.join(missing)}")
        return [minter.document(p) for p in paths]
    if full or not reloaded:
        return None
    click.echo(f"validating {len(reloaded)} changed file(s) against the whole catalog", err=True)
    return reloaded


def _catalog_path(path: str, catalog_dir: Path | None) -> str:
    """A catalog-relative path from a path as typed (relative to the catalog, or a file inside CATALOG_DIR)."""
    p = Path(path)
    if catalog_dir is not None and (p.is_absolute() or p.exists()):
        try:
            return p.resolve().relative_to(catalog_dir.resolve()).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def _render(report: Report, fmt: str, iri: str) -> bytes:
    if fmt == "json":
        return report.to_json().encode() + b"\n"
    if fmt == "ttl":
        return report.serialize(iri, ox.RdfFormat.TURTLE)
    if fmt == "jsonld":
        return report.serialize(iri, ox.RdfFormat.JSON_LD)
    if fmt == "html":
        return render_html(report).encode()
    return report.to_text().encode()


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
