"""Load a catalog folder into a store: walk it, map each changed file to its named graph, drop deleted files' graphs.

The store mirrors one catalog: each file's graph carries the file's content hash, so a reload maps and replaces only
files whose bytes changed and removes the graphs of files that are gone. A first load goes through the store's bulk
path in one call.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from earthcode_kg.store.base import GraphStore

from .context import LoadIssue
from .documents import MappedDocument, content_hash, map_document
from .iris import Minter
from .vocab import EC

_HASHES = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{EC}contentHash> ?h }} }}"


@dataclass
class LoadSummary:
    """What a load did; printed by the CLI and returned to callers."""

    files_by_kind: Counter = field(default_factory=Counter)
    loaded: int = 0
    unchanged: int = 0
    deleted: int = 0
    triples_written: int = 0
    store_triples: int = 0
    issues: list[LoadIssue] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def failed_files(self) -> list[str]:
        return sorted({i.path for i in self.errors})

    def as_dict(self) -> dict:
        return {
            "files_by_kind": dict(sorted(self.files_by_kind.items())),
            "files": sum(self.files_by_kind.values()),
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "triples_written": self.triples_written,
            "store_triples": self.store_triples,
            "errors": [str(i) for i in self.errors],
            "warnings": len(self.warnings),
            "seconds": round(self.seconds, 3),
        }


def walk(catalog_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every file of the catalog (hidden folders such as ``.github`` skipped), as (catalog path, file path)."""
    root = str(catalog_dir)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in sorted(files):
            if not name.startswith("."):
                yield prefix + name, Path(folder, name)


def loaded_hashes(store: GraphStore) -> dict[str, str]:
    """Graph IRI → content hash of every source document in the store."""
    return {row["g"].value: row["h"].value for row in store.select(_HASHES, union=False)}


def _read(summary: LoadSummary, path: str, file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError as e:
        summary.issues.append(LoadIssue(path, "error", f"cannot be read: {e.strerror}"))
        return None


def load_catalog(
    store: GraphStore,
    catalog_dir: str | Path,
    minter: Minter,
    *,
    extra_graphs: dict[str, bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Bring ``store`` in line with ``catalog_dir``.

    ``extra_graphs`` (graph IRI → N-Triples) are loaded alongside, replaced when their bytes change — the ontology
    travels this way so it sits in the store next to the data. ``progress`` is called with the number of files done.
    """
    started = time.perf_counter()
    catalog_dir = Path(catalog_dir)
    if not catalog_dir.is_dir():
        raise FileNotFoundError(f"catalog folder not found: {catalog_dir}")
    summary = LoadSummary()
    previous = loaded_hashes(store)
    seen: set[str] = set()
    todo: list[tuple[str, Path]] = []  # paths only: holding every changed file's bytes would grow with the catalog
    for path, file in walk(catalog_dir):
        graph = minter.document(path)
        seen.add(graph)
        summary.files_by_kind[minter.classify(path).kind] += 1
        if graph in previous:  # a file new to the store needs no hash to know it must be loaded
            data = _read(summary, path, file)
            if data is None:
                continue
            if previous[graph] == content_hash(data):
                summary.unchanged += 1
                if progress:
                    progress(1)
                continue
        todo.append((path, file))
    extras = []
    for graph, ntriples in (extra_graphs or {}).items():
        seen.add(graph)
        digest = content_hash(ntriples)
        if previous.get(graph) != digest:
            extras.append((graph, ntriples + f'<{graph}> <{EC}contentHash> "{digest}" .\n'.encode()))
    gone = [g for g in previous if g not in seen]
    for graph in gone:
        store.drop_graph(graph)

    def mapped() -> Iterator[tuple[str, bytes]]:
        # A generator, so a store that bulk-loads in the background overlaps writing with mapping.
        yield from extras
        for path, file in todo:
            data = _read(summary, path, file)  # (again, for changed files: only one file's bytes held at a time)
            if data is None:
                continue
            doc: MappedDocument = map_document(minter, path, data)
            summary.issues.extend(doc.issues)
            summary.triples_written += doc.triple_count
            summary.loaded += 1
            if progress:
                progress(1)
            yield doc.graph, doc.ntriples

    if not previous or len(todo) > 50:
        store.replace_graphs(mapped())
    else:
        for graph, ntriples in mapped():
            store.replace_graph(graph, ntriples)
    summary.deleted = len(gone)
    summary.store_triples = store.triple_count()
    summary.seconds = time.perf_counter() - started
    return summary
