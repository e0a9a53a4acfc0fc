"""Incremental validation (shapes.engine.validate_documents): for the records of the documents given, the same findings as a full run."""

from __future__ import annotations

import pytest
from conftest import QUIRKS_CATALOG

from earthcode_kg.ingest import DEMO_CATALOG, ingest, minter_for
from loaders.catalog import loaded_hashes
from shapes.engine import validate_documents, validate_store


def _documents(store) -> list[str]:
    return sorted(g for g in loaded_hashes(store) if g.endswith((".json", ".yaml")))


@pytest.mark.parametrize("catalog", [DEMO_CATALOG, QUIRKS_CATALOG], ids=["demo", "quirks"])
def test_each_document_alone_gets_the_full_runs_findings(catalog, store, settings) -> None:
    ingest(store, catalog, settings)
    full = validate_store(store).findings
    for document in _documents(store):
        run = validate_documents(store, [document])
        assert document in run.focus
        expected = sorted(f.key for f in full if f.focus in run.focus)
        assert sorted(f.key for f in run.findings) == expected, document


@pytest.mark.parametrize("catalog", [DEMO_CATALOG, QUIRKS_CATALOG], ids=["demo", "quirks"])
def test_a_full_report_in_small_batches_equals_one_run(catalog, store, settings) -> None:
    ingest(store, catalog, settings)
    one_run = validate_store(store, batch=0)
    batched = validate_store(store, batch=4)
    assert batched.seconds["batches"] > 3
    assert [f.key for f in batched.findings] == [f.key for f in one_run.findings]


def test_focus_is_the_record_its_file_and_the_nodes_minted_under_the_file(demo_store, settings) -> None:
    minter = minter_for(settings)
    doc = minter.document("products/arctic-sea-ice-classification/collection.json")
    run = validate_documents(demo_store, [doc])
    entity = minter.entity("product", "arctic-sea-ice-classification")
    assert {doc, entity} <= run.focus
    assert all(n in (doc, entity) or n.startswith(doc + "#") for n in run.focus)
    assert run.data_triples < 1500  # a slice of the catalog, not the catalog
