"""Helpers for the validation tests: a loaded catalog copy that can be mutated file by file and restored.

Loading is incremental (only changed files are re-mapped), so a mutation test edits one file of a copy that stays
loaded, re-ingests, validates the changed documents incrementally, then restores the file and re-ingests again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from earthcode_kg.config import Settings
from earthcode_kg.ingest import ingest, minter_for
from earthcode_kg.store import OxigraphStore
from loaders.catalog import loaded_hashes
from shapes.engine import Finding, Validation, validate_documents, validate_store
from shapes.report import Attribution

Mutate = Callable[[Path], None]


@dataclass
class LoadedCatalog:
    """A writable catalog copy loaded into an in-memory store."""

    root: Path
    store: OxigraphStore
    settings: Settings

    @classmethod
    def copy_of(cls, source: Path, target: Path, base_iri: str) -> LoadedCatalog:
        root = Path(shutil.copytree(source, target))
        settings = Settings(store=":memory:", base_iri=base_iri)
        store = OxigraphStore()
        ingest(store, root, settings)
        return cls(root, store, settings)

    def document(self, path: str) -> str:
        return minter_for(self.settings).document(path)

    def full(self) -> Validation:
        return validate_store(self.store)

    def files_of(self, findings: list[Finding]) -> list[tuple[str, Finding]]:
        """Each finding with the catalog file of the record it is about."""
        attribution = Attribution(self.store)
        return [(attribution.record_of(f.focus).file, f) for f in findings]

    def mutated(self, mutate: Mutate, also: list[str] = ()) -> tuple[Validation, Validation, dict[str, str]]:
        """Apply ``mutate``, reload, and validate (incrementally: changed files plus ``also``; and in full).

        Returns both validations and the catalog file of each focus node (as attributed in the mutated catalog).
        The copy and the store are restored afterwards, whatever happens.
        """
        before = {p: p.read_bytes() for p in self.root.rglob("*") if p.is_file()}
        hashes = loaded_hashes(self.store)
        try:
            mutate(self.root)
            ingest(self.store, self.root, self.settings)
            after = loaded_hashes(self.store)
            changed = [g for g, h in after.items() if hashes.get(g) != h]
            documents = sorted(set(changed) | {self.document(p) for p in also if self.document(p) in after})
            incremental, full = validate_documents(self.store, documents), self.full()
            attribution = Attribution(self.store)
            files = {f.focus: attribution.record_of(f.focus).file for f in full.findings}
            return incremental, full, files
        finally:
            for p in list(self.root.rglob("*")):
                if p.is_file() and p not in before:
                    p.unlink()
            for p, data in before.items():
                if not p.exists() or p.read_bytes() != data:
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_bytes(data)
            ingest(self.store, self.root, self.settings)


# --- mutation helpers: each returns a function that edits a catalog copy in place --------------------------------------


def edit(path: str, change: Callable[[dict], object]) -> Mutate:
    """Load a JSON file, let ``change`` modify the document, write it back."""

    def apply(root: Path) -> None:
        file = root / path
        doc = json.loads(file.read_text(encoding="utf-8"))
        change(doc)
        file.write_text(json.dumps(doc, indent=2), encoding="utf-8")

    return apply


def write(path: str, data: bytes) -> Mutate:
    def apply(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)

    return apply


def delete(path: str) -> Mutate:
    return lambda root: (root / path).unlink()


def copy_file(source: str, target: str, change: Callable[[dict], object] | None = None) -> Mutate:
    def apply(root: Path) -> None:
        doc = json.loads((root / source).read_text(encoding="utf-8"))
        if change:
            change(doc)
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        (root / target).write_text(json.dumps(doc, indent=2), encoding="utf-8")

    return apply


def setter(key: str, value: object) -> Callable[[dict], None]:
    """Set a (possibly ``properties.``-prefixed) field."""

    def change(doc: dict) -> None:
        target = doc
        *parents, last = key.split(".") if key.startswith("properties.") else [key]
        for p in parents:
            target = target[p]
        target[last] = value

    return change


def remover(key: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc["properties"] if key.startswith("properties.") else doc
        target.pop(key.removeprefix("properties."), None)

    return change


def drop_links(rel: str, href_part: str = "") -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["links"] = [l for l in doc["links"] if not (l.get("rel") == rel and href_part in l.get("href", ""))]

    return change


def change_link(rel: str, href_part: str, **fields: object) -> Callable[[dict], None]:
    """Set fields of the links with this rel whose href contains ``href_part`` (None removes a field)."""

    def change(doc: dict) -> None:
        for link in doc["links"]:
            if link.get("rel") == rel and href_part in link.get("href", ""):
                for k, v in fields.items():
                    if v is None:
                        link.pop(k, None)
                    else:
                        link[k] = v

    return change


def add_link(**link: object) -> Callable[[dict], None]:
    return lambda doc: doc["links"].append(dict(link))


def both(*changes: Callable[[dict], object]) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        for c in changes:
            c(doc)

    return change
